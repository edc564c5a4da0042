import django_filters

from monitoring.choices import AlertStatus, Comparator, Severity
from monitoring.metrics import METRIC_CHOICES
from monitoring.models import AlertEvent, AlertRule


class AlertRuleFilterSet(django_filters.FilterSet):
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    comparator = django_filters.ChoiceFilter(choices=Comparator.choices)
    metric = django_filters.ChoiceFilter(choices=METRIC_CHOICES)

    class Meta:
        model = AlertRule
        fields = ["enabled", "severity", "comparator", "metric"]


class AlertEventFilterSet(django_filters.FilterSet):
    rule = django_filters.NumberFilter(field_name="rule_id")
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    metric = django_filters.ChoiceFilter(choices=METRIC_CHOICES)
    opened_after = django_filters.IsoDateTimeFilter(field_name="opened_at", lookup_expr="gte")
    opened_before = django_filters.IsoDateTimeFilter(field_name="opened_at", lookup_expr="lt")

    class Meta:
        model = AlertEvent
        fields = ["rule", "status", "severity", "metric"]
