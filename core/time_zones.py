"""Time zone names (IANA, as zoneinfo knows them): the one validator every model and serializer uses."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    """Every IANA zone name this machine's tz database knows (read once per process)."""
    return frozenset(zoneinfo.available_timezones())


def is_known_time_zone(value: str) -> bool:
    return value in known_time_zones()


def validate_time_zone(value: str) -> None:
    """Refuse a name zoneinfo does not know (blank passes: it means "inherit")."""
    if value and not is_known_time_zone(value):
        raise ValidationError(
            gettext("%(value)s is not a known time zone; use a name such as Asia/Almaty or Europe/Istanbul.")
            % {"value": value},
            code="unknown_time_zone",
        )
