"""Serializer fields shared by the apps' APIs."""

import re

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# C0 controls but tab and line breaks, DEL and C1 controls: invisible, and illegal in XLSX cells (a product name
# holding one made every XLSX export of products fail).
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def refuse_control_characters(value: str) -> str:
    """A field validator: names and codes must not hold control characters; the message says which one."""
    match = CONTROL_CHARACTERS_RE.search(value or "")
    if match:
        raise serializers.ValidationError(
            gettext("contains the control character U+%(code_point)s at position %(start)s; remove it (it is "
                    "invisible and breaks spreadsheets).") % {
                "code_point": format(ord(match.group()), "04X"),
                "start": match.start() + 1,
            })
    return value


NO_CONTROL_CHARACTERS = {"validators": [refuse_control_characters]}


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
                      "example": "02:00:00"})
class TimeOfDayField(serializers.TimeField):
    """A wall-clock time without an offset ("02:00:00"). OpenAPI's `format: time` is RFC 3339's full-time,
    which demands an offset, so documenting these as such would make every answer violate the schema."""
