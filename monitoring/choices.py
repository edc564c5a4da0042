"""Choices of monitoring: alert comparators, severities and event states."""

import operator
from collections.abc import Callable

from django.db import models


class Comparator(models.TextChoices):
    GT = "gt", "greater than (>)"
    GTE = "gte", "greater than or equal (≥)"
    LT = "lt", "less than (<)"
    LTE = "lte", "less than or equal (≤)"
    EQ = "eq", "equal (=)"
    NE = "ne", "not equal (≠)"


# A breach is `comparator(value, threshold)` being true.
COMPARATOR_FUNCTIONS: dict[str, Callable[[float, float], bool]] = {
    Comparator.GT: operator.gt,
    Comparator.GTE: operator.ge,
    Comparator.LT: operator.lt,
    Comparator.LTE: operator.le,
    Comparator.EQ: operator.eq,
    Comparator.NE: operator.ne,
}

COMPARATOR_SYMBOLS: dict[str, str] = {
    Comparator.GT: ">",
    Comparator.GTE: "≥",
    Comparator.LT: "<",
    Comparator.LTE: "≤",
    Comparator.EQ: "=",
    Comparator.NE: "≠",
}


class Severity(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class SnapshotTrigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    COMMAND = "command", "Management command"
    API = "api", "API"
    ADMIN = "admin", "Admin action"
