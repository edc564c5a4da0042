import django_filters

from integrations.choices import IntegrationKind, SyncMode, SyncStatus, SyncStream, SyncTrigger
from integrations.models import IntegrationAccount, SyncRun


class IntegrationAccountFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=IntegrationKind.choices)

    class Meta:
        model = IntegrationAccount
        fields = ["kind", "enabled"]


class SyncRunFilterSet(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")
    stream = django_filters.MultipleChoiceFilter(choices=SyncStream.choices)
    status = django_filters.MultipleChoiceFilter(choices=SyncStatus.choices)
    mode = django_filters.ChoiceFilter(choices=SyncMode.choices)
    trigger = django_filters.ChoiceFilter(choices=SyncTrigger.choices)
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    started_after = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")

    class Meta:
        model = SyncRun
        fields = ["account", "stream", "status", "mode", "trigger"]
