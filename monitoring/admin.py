"""Admin: snapshots (read-only, payload shown as JSON), alert rules (CRUD), alert events (read-only history)."""

import json

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from monitoring.metrics import METRIC_CHOICES
from monitoring.models import AlertEvent, AlertRule, MonitoringSnapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the snapshot job only: viewable (and deletable by admins), never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonitoringSnapshot)
class MonitoringSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["slot", "created_at", "trigger", "build_seconds", "query_count", "stockout_risk", "stale_locations",
                    "failing_streams"]
    list_filter = ["trigger", "schema_version"]
    date_hierarchy = "slot"
    fields = ["slot", "created_at", "trigger", "schema_version", "build_seconds", "query_count", "metrics_table",
              "payload_json"]
    readonly_fields = fields

    @admin.display(description="stock-out risks")
    def stockout_risk(self, obj: MonitoringSnapshot):
        return obj.metrics.get("planning.stockout_risk.count")

    @admin.display(description="stale locations")
    def stale_locations(self, obj: MonitoringSnapshot):
        return obj.metrics.get("data.sales.stale_locations.count")

    @admin.display(description="failing streams")
    def failing_streams(self, obj: MonitoringSnapshot):
        return obj.metrics.get("integrations.streams_failing.count")

    @admin.display(description="metrics")
    def metrics_table(self, obj: MonitoringSnapshot):
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", sorted(obj.metrics.items()))
        return format_html("<table>{}</table>", rows) if obj.metrics else "-"

    @admin.display(description="payload")
    def payload_json(self, obj: MonitoringSnapshot):
        return format_html("<pre style='white-space: pre-wrap'>{}</pre>", json.dumps(obj.payload, indent=2))


class AlertRuleForm(forms.ModelForm):
    metric = forms.ChoiceField(choices=METRIC_CHOICES, help_text="Dotted path of a catalogued metric.")

    class Meta:
        model = AlertRule
        fields = ["name", "description", "metric", "comparator", "threshold", "for_snapshots", "severity", "enabled",
                  "recipients"]


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    form = AlertRuleForm
    list_display = ["name", "condition_text", "for_snapshots", "severity", "enabled", "events_link"]
    list_filter = ["enabled", "severity", "comparator"]
    search_fields = ["name", "description", "metric"]
    list_editable = ["enabled"]

    @admin.display(description="events")
    def events_link(self, obj: AlertRule):
        url = reverse("admin:monitoring_alertevent_changelist") + f"?rule__id__exact={obj.pk}"
        return format_html('<a href="{}">events</a>', url)


@admin.register(AlertEvent)
class AlertEventAdmin(ReadOnlyAdmin):
    list_display = ["rule", "status", "severity", "opened_at", "value_at_open", "last_value", "resolved_at"]
    list_filter = ["status", "severity", "rule"]
    search_fields = ["rule__name", "metric", "message"]
    date_hierarchy = "opened_at"
    list_select_related = ["rule"]

    def get_queryset(self, request) -> QuerySet:
        # "open" sorts before "resolved": open episodes first, newest first within each state.
        return super().get_queryset(request).order_by("status", "-opened_at")
