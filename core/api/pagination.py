"""Page-number pagination that refuses oversized pages instead of silently truncating them."""

from django.conf import settings
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": [gettext("page_size must be a whole number, got %(raw)r.") % {
                                                     "raw": raw,
                                                 }]}) from None
        if size < 1:
            raise ValidationError({"page_size": [gettext("page_size must be at least 1.")]})
        if size > self.max_page_size:
            raise ValidationError(
                {"page_size": [gettext("page_size may be at most %(max_page_size)s; got %(size)s. Page "
                                       "through the results.") % {
                                   "max_page_size": self.max_page_size,
                                   "size": size,
                               }]}
            )
        return size

    def get_schema_operation_parameters(self, view) -> list[dict]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                param["description"] = f"Results per page, 1..{self.max_page_size} (default {self.page_size})."
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
        return params
