"""The filter backend every list uses: a filter value it cannot apply is a 400 naming the parameter.

django-filter skips empty values (`?date_from=`) and reads a yes/no filter it does not understand
(`?is_active=750`, even `?is_active=1`) as "no filter", so a client's typo silently returned everything.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return kwargs
        data = kwargs["data"].copy()
        errors: dict[str, list[str]] = {}
        for name, declared in filterset_class.base_filters.items():
            if name not in data:
                continue
            values = data.getlist(name)
            if any(not str(v).strip() for v in values):
                errors[name] = ["An empty value filters nothing; leave the parameter out or give a value."]
                continue
            if isinstance(declared, django_filters.BooleanFilter):
                words = [str(v).strip().lower() for v in values]
                if any(w not in TRUE_WORDS | FALSE_WORDS for w in words):
                    errors[name] = [f"{values[0]!r} is not a yes/no value; use true or false."]
                    continue
                data.setlist(name, ["true" if w in TRUE_WORDS else "false" for w in words])
        if errors:
            raise ValidationError(errors)
        kwargs["data"] = data
        return kwargs
