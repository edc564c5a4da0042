"""Serializer fields shared by the apps' APIs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
                      "example": "02:00:00"})
class TimeOfDayField(serializers.TimeField):
    """A wall-clock time without an offset ("02:00:00"). OpenAPI's `format: time` is RFC 3339's full-time,
    which demands an offset, so documenting these as such would make every answer violate the schema."""
