"""django-filter sets of the shop-floor API."""

import django_filters

from shopfloor.choices import JobStatus, ScanOutcome
from shopfloor.models import EmbroideryDesign, EmbroideryJob, EmbroideryStep, ScanEvent


class EmbroideryDesignFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = EmbroideryDesign
        fields = ["code", "is_active"]


class EmbroideryStepFilterSet(django_filters.FilterSet):
    product = django_filters.NumberFilter(field_name="bom__product")

    class Meta:
        model = EmbroideryStep
        fields = ["bom", "design", "part", "product"]


class EmbroideryJobFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=JobStatus.choices)
    planned_before = django_filters.DateFilter(field_name="planned_date", lookup_expr="lte")
    planned_after = django_filters.DateFilter(field_name="planned_date", lookup_expr="gte")

    class Meta:
        model = EmbroideryJob
        fields = ["production_task", "design", "part", "subcontractor", "embroidery_location", "machine"]


class ScanEventFilterSet(django_filters.FilterSet):
    outcome = django_filters.MultipleChoiceFilter(choices=ScanOutcome.choices)
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = ScanEvent
        fields = ["code", "kind", "action", "user"]
