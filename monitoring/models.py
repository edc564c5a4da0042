"""Monitoring snapshots (one per 15-minute slot), alert rules over their metrics, and alert events."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from monitoring.choices import COMPARATOR_SYMBOLS, AlertStatus, Comparator, Severity, SnapshotTrigger
from monitoring.metrics import validate_metric_path

# A day of 15-minute snapshots: the longest "for how many snapshots" a rule may ask for.
MAX_FOR_SNAPSHOTS = 96


class MonitoringSnapshot(models.Model):
    """What the whole pipeline looked like at one moment; history, timeseries and alerts read these rows.

    `payload` is the full explainable picture (counts plus the ids behind them); `metrics` holds just the
    catalogued scalar metrics (monitoring.metrics) so history and timeseries never load whole payloads.
    """

    created_at = models.DateTimeField(db_index=True, help_text="When the build finished.")
    slot = models.DateTimeField(
        unique=True, help_text="Start of the 15-minute slot (UTC) this snapshot belongs to; one snapshot per slot."
    )
    schema_version = models.PositiveSmallIntegerField()
    payload = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict, help_text="Catalogued scalar metrics of the payload, by path.")
    build_seconds = models.FloatField(help_text="Wall time of computing the payload.")
    query_count = models.PositiveIntegerField(help_text="SQL queries issued while computing the payload.")
    trigger = models.CharField(max_length=20, choices=SnapshotTrigger.choices, default=SnapshotTrigger.SCHEDULE)

    class Meta:
        ordering = ["-slot"]
        get_latest_by = "slot"
        permissions = [("build_monitoringsnapshot", "Can build a monitoring snapshot on demand")]

    def __str__(self) -> str:
        return f"Snapshot {self.slot:%Y-%m-%d %H:%M} UTC"


def validate_recipients(value: str) -> None:
    """Comma- or semicolon-separated e-mail addresses; each must be valid."""
    for address in split_recipients(value):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                gettext("%(address)r is not a valid e-mail address; separate addresses with commas.") % {
                    "address": address,
                }, code="invalid_email"
            ) from None


def split_recipients(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]


class AlertRule(models.Model):
    """Open an alert when a metric breaches a threshold in N consecutive persisted snapshots."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True, default="", help_text="What to do when it fires.")
    metric = models.CharField(
        max_length=100, validators=[validate_metric_path], help_text="Dotted path of a catalogued metric."
    )
    comparator = models.CharField(max_length=3, choices=Comparator.choices, default=Comparator.GT)
    threshold = models.FloatField()
    for_snapshots = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FOR_SNAPSHOTS)],
        help_text="Consecutive breaching snapshots needed before the alert opens (1–96)."
    )
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    enabled = models.BooleanField(default=True)
    recipients = models.TextField(
        blank=True,
        default="",
        validators=[validate_recipients],
        help_text="Comma-separated addresses mailed on open and on resolve; empty mails ADMINS.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(for_snapshots__gte=1, for_snapshots__lte=MAX_FOR_SNAPSHOTS),
                name="alert_rule_for_snapshots_1_96",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def condition_text(self) -> str:
        return f"{self.metric} {COMPARATOR_SYMBOLS[self.comparator]} {self.threshold:g}"

    @property
    def recipient_list(self) -> list[str]:
        return split_recipients(self.recipients)


class AlertEvent(models.Model):
    """One episode of a rule being in breach: opened on breach, resolved on recovery, never duplicated."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    # The rule's condition as it was when the alert opened (rules can be edited later).
    metric = models.CharField(max_length=100)
    comparator = models.CharField(max_length=3, choices=Comparator.choices)
    threshold = models.FloatField()
    opened_at = models.DateTimeField(db_index=True)
    opened_snapshot = models.ForeignKey(
        MonitoringSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value_at_open = models.FloatField()
    last_value = models.FloatField(null=True, blank=True, help_text="Value in the latest evaluated snapshot.")
    last_evaluated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_snapshot = models.ForeignKey(
        MonitoringSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value_at_resolve = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            # The database itself refuses a second open event of a rule: no duplicates, even from two builders.
            models.UniqueConstraint(
                fields=["rule"], condition=Q(status=AlertStatus.OPEN), name="alert_event_one_open_per_rule"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} ({self.status}) since {self.opened_at:%Y-%m-%d %H:%M}"
