from django.db import models
from django.utils.translation import gettext
from rest_framework import serializers

from core.api.fields import TimeOfDayField
from integrations.choices import IntegrationKind, SyncMode, SyncStatus, SyncStream
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.accounts import account_problems, apply_account_changes
from integrations.services.credentials import get_credentials

# The secrets each kind needs; anything else in `credentials` is refused (it would be stored unused).
CREDENTIAL_FIELDS: dict[str, tuple[str, ...]] = {
    IntegrationKind.IIKO: ("login", "password"),
    IntegrationKind.ONEC: ("api_key",),
    IntegrationKind.SENTOS: ("api_key", "api_secret"),
    IntegrationKind.WILDBERRIES: ("token",),
    IntegrationKind.MOYSKLAD: ("login", "password", "token"),
}


class IntegrationAccountSerializer(serializers.ModelSerializer):
    # Schedule times are wall-clock UTC times; see TimeOfDayField for why not `format: time`.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping, models.TimeField: TimeOfDayField,
    }
    credentials = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), write_only=True, required=False,
        help_text="Write-only secrets, e.g. {\"login\": …, \"password\": …} for iiko or {\"api_key\": …} for 1C. "
                  "Keys sent replace the stored ones; keys left out are kept. Never returned.")
    has_credentials = serializers.BooleanField(read_only=True)
    credential_keys = serializers.SerializerMethodField(help_text="Which secrets are stored (names only).")
    last_runs = serializers.SerializerMethodField()

    class Meta:
        model = IntegrationAccount
        fields = ["id", "name", "kind", "base_url", "enabled", "options", "timezone", "request_rate_per_minute",
                  "full_sync_enabled", "full_sync_at", "live_sync_enabled", "live_sync_every_minutes",
                  "live_sync_from", "live_sync_to", "notification_emails", "credentials", "has_credentials",
                  "credential_keys", "last_runs", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_credential_keys(self, obj: IntegrationAccount) -> list[str]:
        try:
            return sorted(get_credentials(obj))
        except Exception:  # noqa: BLE001 - an undecryptable value must not break the listing
            return []

    def get_last_runs(self, obj: IntegrationAccount) -> list[dict]:
        runs = getattr(obj, "recent_runs", None)
        if runs is None:
            runs = obj.runs.all()[:5]
        return [{"id": r.pk, "stream": r.stream, "status": r.status, "created_at": r.created_at,
                 "finished_at": r.finished_at} for r in runs[:5]]

    def validate(self, attrs):
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        secrets = attrs.get("credentials") or {}
        allowed = CREDENTIAL_FIELDS.get(kind, ())
        unknown = sorted(set(secrets) - set(allowed))
        if unknown:
            raise serializers.ValidationError({"credentials": [
                gettext("Unknown secret(s) %(unknown)s for kind %(kind)s; allowed: %(allowed)s.") % {
                    "unknown": ', '.join(unknown),
                    "kind": kind,
                    "allowed": ', '.join(allowed),
                }]})
        if self.instance is not None and "kind" in attrs and attrs["kind"] != self.instance.kind:
            raise serializers.ValidationError({"kind": [
                gettext("The kind of an account cannot change (its synced rows belong to it); create a new "
                        "account.")]})
        request = self.context.get("request")
        problems = account_problems(
            kind=kind, base_url=attrs.get("base_url", getattr(self.instance, "base_url", "")),
            options=attrs.get("options", getattr(self.instance, "options", {})), instance=self.instance,
            new_secret_names=[k for k, v in secrets.items() if v], user=getattr(request, "user", None))
        if problems:
            raise serializers.ValidationError(problems)
        return attrs

    def create(self, validated_data):
        secrets = validated_data.pop("credentials", None)
        return apply_account_changes(IntegrationAccount(), validated_data, secrets=secrets)

    def update(self, instance, validated_data):
        secrets = validated_data.pop("credentials", None)
        return apply_account_changes(instance, validated_data, secrets=secrets)


class SyncRunSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = SyncRun
        fields = ["id", "account", "account_name", "stream", "mode", "status", "trigger", "params", "created_at",
                  "started_at", "finished_at", "heartbeat_at", "duration_seconds", "progress_done", "progress_total",
                  "rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_skipped", "rows_failed",
                  "details", "error", "task_id"]
        read_only_fields = fields


class SyncRequestSerializer(serializers.Serializer):
    stream = serializers.ChoiceField(choices=SyncStream.choices, default=SyncStream.ORG)
    mode = serializers.ChoiceField(choices=[*SyncMode.choices, ("live", "Live (same as incremental)")],
                                   default=SyncMode.FULL, help_text="full, incremental, or live (= incremental).")
    date_from = serializers.DateField(required=False, help_text="Optional: first business day to read.")
    date_to = serializers.DateField(required=False, help_text="Optional: last business day to read.")

    def validate_mode(self, value: str) -> str:
        return SyncMode.INCREMENTAL if value == "live" else value

    def validate(self, attrs):
        first, last = attrs.get("date_from"), attrs.get("date_to")
        if first and last and first > last:
            raise serializers.ValidationError({"date_to": [gettext("%(last)s is before date_from %(first)s.") % {
                                                               "last": last,
                                                               "first": first,
                                                           }]})
        return attrs

    @property
    def params(self) -> dict[str, str]:
        """Run parameters (a date window) for the connector; empty when none was given."""
        return {k: self.validated_data[k].isoformat() for k in ("date_from", "date_to") if self.validated_data.get(k)}


class SyncStartedSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SyncStatus.choices)
    created = serializers.BooleanField(help_text="False when an active run of this stream was returned instead.")
    run_url = serializers.CharField()


# --- status and history (commerce connectors, issue 5) -----------------------------------------------------------

class SyncRunOutcomeSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SyncStatus.choices)
    mode = serializers.ChoiceField(choices=SyncMode.choices)
    trigger = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.FloatField(allow_null=True)
    read = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    failed = serializers.IntegerField()
    error = serializers.CharField(allow_blank=True)


class ActiveRunSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SyncStatus.choices)
    mode = serializers.ChoiceField(choices=SyncMode.choices)
    trigger = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    heartbeat_at = serializers.DateTimeField(allow_null=True)
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField(allow_null=True)
    progress_percent = serializers.FloatField(allow_null=True)
    phase = serializers.CharField(allow_blank=True)


class StreamStatusSerializer(serializers.Serializer):
    stream = serializers.ChoiceField(choices=SyncStream.choices)
    running = serializers.BooleanField(help_text="A run of this stream is executing now.")
    active_run = ActiveRunSerializer(allow_null=True, help_text="The queued or running run, with its progress.")
    last_full = SyncRunOutcomeSerializer(allow_null=True)
    last_live = SyncRunOutcomeSerializer(allow_null=True, help_text="The last incremental (live) run.")
    next_run = serializers.DateTimeField(allow_null=True, help_text="The next scheduled run covering this stream.")
    next_run_mode = serializers.ChoiceField(choices=SyncMode.choices, allow_null=True)
    consecutive_failures = serializers.IntegerField()
    cursor = serializers.JSONField(allow_null=True, help_text="The stored incremental bookmark.")
    cursor_updated_at = serializers.DateTimeField(allow_null=True)


class ScheduleStatusSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    cron = serializers.CharField(help_text="UTC cron expression of the schedule.")
    next_run = serializers.DateTimeField(allow_null=True)
    streams = serializers.ListField(child=serializers.CharField())


class AccountScheduleSerializer(serializers.Serializer):
    full = ScheduleStatusSerializer()
    live = ScheduleStatusSerializer()


class AccountStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=IntegrationKind.choices)
    enabled = serializers.BooleanField()
    schedule = AccountScheduleSerializer()
    streams = StreamStatusSerializer(many=True)


class IntegrationStatusSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    accounts = AccountStatusSerializer(many=True)


class SyncHistoryRunSerializer(serializers.ModelSerializer):
    """One run of an account's history: when, what, counts and the error."""

    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = SyncRun
        fields = ["id", "stream", "mode", "status", "trigger", "params", "created_at", "started_at", "finished_at",
                  "duration_seconds", "rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_skipped",
                  "rows_failed", "error", "warnings"]
        read_only_fields = fields

    def get_warnings(self, obj: SyncRun) -> list[str]:
        return list((obj.details or {}).get("warnings") or [])[:20]
