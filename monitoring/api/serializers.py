"""Serializers of the monitoring API. Response-only serializers describe the JSON for the OpenAPI schema."""

from django.utils.functional import lazy
from django.utils.translation import gettext
from rest_framework import serializers

from monitoring.choices import AlertStatus, SnapshotTrigger
from monitoring.metrics import METRIC_CHOICES, METRIC_PATHS
from monitoring.models import AlertEvent, AlertRule, MonitoringSnapshot

FRESHNESS_STATES = ["fresh", "stale", "missing"]
BUILD_STATUSES = ["built", "created"]


class MetricSerializer(serializers.Serializer):
    path = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()


class MetricValuesField(serializers.DictField):
    """Metric path → number (or null when the metric has no value in that snapshot)."""

    child = serializers.FloatField(allow_null=True)


class SnapshotSummarySerializer(serializers.ModelSerializer):
    metrics = MetricValuesField()

    class Meta:
        model = MonitoringSnapshot
        fields = ["id", "slot", "created_at", "schema_version", "build_seconds", "query_count", "trigger", "metrics"]


class SnapshotSerializer(SnapshotSummarySerializer):
    payload = serializers.JSONField(help_text="The full snapshot: integrations, data, forecasting, planning.")

    class Meta(SnapshotSummarySerializer.Meta):
        fields = SnapshotSummarySerializer.Meta.fields + ["payload"]


class BuiltSnapshotSerializer(serializers.Serializer):
    """A snapshot as built: `id` is null when it was not stored."""

    id = serializers.IntegerField(allow_null=True)
    slot = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    schema_version = serializers.IntegerField()
    build_seconds = serializers.FloatField()
    query_count = serializers.IntegerField()
    trigger = serializers.ChoiceField(choices=SnapshotTrigger.choices)
    metrics = MetricValuesField()
    payload = serializers.JSONField()


class FreshnessSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=FRESHNESS_STATES, help_text="fresh: of this slot or the previous one; stale: older; missing: none."
    )
    current_slot = serializers.DateTimeField()
    next_slot_at = serializers.DateTimeField()
    slot_minutes = serializers.IntegerField()
    latest_slot = serializers.DateTimeField(allow_null=True)
    age_seconds = serializers.FloatField(allow_null=True)
    slots_behind = serializers.IntegerField(allow_null=True)


class StatusSerializer(serializers.Serializer):
    freshness = FreshnessSerializer()
    snapshot = SnapshotSerializer(allow_null=True)


class SnapshotBuildSerializer(serializers.Serializer):
    persisted = serializers.BooleanField()
    status = serializers.ChoiceField(choices=BUILD_STATUSES, help_text="built: not stored; created: stored.")
    slot = serializers.DateTimeField()
    snapshot = BuiltSnapshotSerializer()
    alerts_opened = serializers.ListField(child=serializers.IntegerField())
    alerts_resolved = serializers.ListField(child=serializers.IntegerField())


class HistorySerializer(serializers.Serializer):
    limit = serializers.IntegerField()
    count = serializers.IntegerField()
    results = SnapshotSummarySerializer(many=True)


class TimeseriesPointSerializer(serializers.Serializer):
    snapshot_id = serializers.IntegerField()
    slot = serializers.DateTimeField()
    values = MetricValuesField()


class TimeseriesSerializer(serializers.Serializer):
    from_ = serializers.DateTimeField(source="from_")
    to = serializers.DateTimeField()
    metrics = MetricSerializer(many=True)
    points = TimeseriesPointSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # `from` is a Python keyword
        return fields


def _unknown_metric_message() -> str:
    """DRF fills in {input}; the rest in the request's language (hence lazy: built when DRF reads it)."""
    return gettext("{input!r} is not a known metric. Valid metrics: %(metrics)s.") % {
        "metrics": ", ".join(METRIC_PATHS)}


class AlertRuleSerializer(serializers.ModelSerializer):
    metric = serializers.ChoiceField(
        choices=METRIC_CHOICES,
        error_messages={"invalid_choice": lazy(_unknown_metric_message, str)()},
        help_text="Dotted path of a catalogued metric (see bootstrap → metrics).",
    )
    condition = serializers.CharField(source="condition_text", read_only=True)
    open_event_id = serializers.SerializerMethodField()

    class Meta:
        model = AlertRule
        fields = [
            "id", "name", "description", "metric", "comparator", "threshold", "for_snapshots", "severity", "enabled",
            "recipients", "condition", "open_event_id", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_open_event_id(self, rule: AlertRule) -> int | None:
        # The list view prefetches only open events; elsewhere this is one small query.
        open_ids = [event.pk for event in rule.events.all() if event.status == AlertStatus.OPEN]
        return open_ids[0] if open_ids else None


class AlertEventSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name", read_only=True)

    class Meta:
        model = AlertEvent
        fields = [
            "id", "rule", "rule_name", "status", "severity", "metric", "comparator", "threshold", "opened_at",
            "opened_snapshot", "value_at_open", "last_value", "last_evaluated_at", "resolved_at", "resolved_snapshot",
            "value_at_resolve", "message",
        ]
        read_only_fields = fields


class BootstrapPermissionsSerializer(serializers.Serializer):
    can_build_snapshot = serializers.BooleanField()
    can_manage_alert_rules = serializers.BooleanField()


class BootstrapConfigSerializer(serializers.Serializer):
    slot_minutes = serializers.IntegerField()
    schema_version = serializers.IntegerField()
    history_default_limit = serializers.IntegerField()
    history_max_limit = serializers.IntegerField()
    timeseries_max_days = serializers.IntegerField()
    list_cap = serializers.IntegerField()
    stale_sales_days = serializers.IntegerField()
    drift_ratio = serializers.FloatField()
    overstock_factor = serializers.FloatField()


class BootstrapSerializer(serializers.Serializer):
    freshness = FreshnessSerializer()
    snapshot = SnapshotSerializer(allow_null=True)
    metrics = MetricSerializer(many=True)
    open_alerts = AlertEventSerializer(many=True)
    open_alerts_count = serializers.IntegerField()
    alert_rules_enabled = serializers.IntegerField()
    permissions = BootstrapPermissionsSerializer()
    config = BootstrapConfigSerializer()
    endpoints = serializers.DictField(child=serializers.CharField())
