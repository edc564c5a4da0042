"""The old ERP's request and response shapes (snake_case JSON), documented for the deprecated aliases."""

from django.utils.translation import gettext
from rest_framework import serializers

from legacy.services import MAX_LIMIT
from planning.choices import TaskStatus


class PageQuerySerializer(serializers.Serializer):
    """The old FastAPI paging: skip rows, then return at most `limit`."""

    skip = serializers.IntegerField(default=0, min_value=0, max_value=10_000_000)
    limit = serializers.IntegerField(default=100, min_value=1, max_value=MAX_LIMIT)


class BranchQuerySerializer(PageQuerySerializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                   help_text="Part of the name or code.")
    active_only = serializers.BooleanField(default=False)


class LegacyBranchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    type = serializers.CharField()
    external_id = serializers.CharField(allow_blank=True, help_text="The source system's id (e.g. the 1C Ref_Key).")
    inn = serializers.CharField(allow_blank=True, help_text="Taxpayer id (INN/VKN).")
    is_active = serializers.BooleanField()


class AccountQuerySerializer(serializers.Serializer):
    account = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                    help_text="Name of the 1C account, when several are configured.")


class LegacyRunSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    account = serializers.CharField()
    stream = serializers.CharField()
    mode = serializers.CharField()
    status = serializers.CharField()
    created = serializers.BooleanField(help_text="False when a run of this stream was already queued or running.")


class LegacyStartedSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="started (a run was queued) or already_running (every run asked for "
                                             "was queued or running already).")
    message = serializers.CharField()
    runs = LegacyRunSerializer(many=True)


class LegacyBranchSyncSerializer(LegacyStartedSerializer):
    task_id = serializers.IntegerField(help_text="The sync run's id (GET /api/v1/integrations/runs/{id}/).")


class LegacyTriggerSerializer(LegacyStartedSerializer):
    mode = serializers.CharField(help_text="full or live.")


class LegacySyncStatusSerializer(serializers.Serializer):
    is_running = serializers.BooleanField(help_text="A sync run is queued or running for some account.")
    last_full_sync = serializers.DateTimeField(allow_null=True)
    last_live_sync = serializers.DateTimeField(allow_null=True)
    full_sync_time = serializers.CharField(allow_null=True, help_text="HH:MM (UTC) of the daily full sync.")
    live_sync_interval_minutes = serializers.IntegerField(allow_null=True)


class FetchSalesSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    max_pages = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100_000,
                                         help_text="Accepted and recorded on the runs; windows are read whole.")

    def validate(self, attrs):
        if attrs["start_date"] > attrs["end_date"]:
            raise serializers.ValidationError({"start_date": [gettext("start_date is after end_date.")]})
        if (attrs["end_date"] - attrs["start_date"]).days > 366:
            raise serializers.ValidationError({"start_date": [gettext("fetch at most 366 days at a time.")]})
        return attrs


class LegacyFetchSalesSerializer(LegacyStartedSerializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class KanbanQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)


class LegacyKanbanTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    position = serializers.IntegerField()
    product_id = serializers.IntegerField()
    product_sku = serializers.CharField()
    product_name = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=20, decimal_places=3, coerce_to_string=False)
    unit = serializers.CharField()
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    due_date = serializers.DateField()
    notes = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class LegacyTemplateColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    example = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


class LegacyTemplateUrlsSerializer(serializers.Serializer):
    csv = serializers.URLField()
    xlsx = serializers.URLField()


class LegacyTemplateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    columns = LegacyTemplateColumnSerializer(many=True)
    download_url = LegacyTemplateUrlsSerializer()
