"""Integration accounts (data sources), sync runs and per-stream cursors.

This is the lowest layer of the data model: branches and sales rows reference the account they came
from (provenance), while no code in those apps imports integrations.
"""

from datetime import time

from django.db import models

from core.jobs import JobRun, one_active_per
from integrations.choices import (
    IntegrationKind,
    SyncMode,
    SyncStatus,
    SyncStream,
    SyncTrigger,
)


class IntegrationAccount(models.Model):
    kind = models.CharField(max_length=20, choices=IntegrationKind.choices)
    name = models.CharField(max_length=100, unique=True, help_text="Unique name, e.g. 'iiko Moscow'.")
    base_url = models.URLField(max_length=500, help_text="Server address, e.g. https://acme.iiko.it/resto/api")
    # Fernet-encrypted JSON of the secrets (login/password, API key, token...). Never shown, never logged;
    # set and read through integrations.services.credentials.
    credentials_encrypted = models.TextField(blank=True, default="", editable=False)
    enabled = models.BooleanField(default=True)
    options = models.JSONField(
        default=dict, blank=True, help_text="Connector-specific, non-secret settings (e.g. store ids, page size)."
    )
    timezone = models.CharField(
        max_length=64, default="UTC", help_text="Local time zone of the source's timestamps (business day)."
    )
    request_rate_per_minute = models.PositiveIntegerField(
        null=True, blank=True, help_text="Client-side request limit; empty uses the connector's default."
    )
    # Schedules: a daily full sync and a live incremental sync inside a daily window (UTC).
    full_sync_enabled = models.BooleanField(default=True)
    full_sync_at = models.TimeField(default=time(2, 0), help_text="UTC time of the daily full sync.")
    live_sync_enabled = models.BooleanField(default=True)
    live_sync_every_minutes = models.PositiveIntegerField(default=10)
    live_sync_from = models.TimeField(default=time(8, 0), help_text="UTC start of the live-sync window.")
    live_sync_to = models.TimeField(default=time(23, 0), help_text="UTC end of the live-sync window.")
    notification_emails = models.TextField(
        blank=True, default="", help_text="Comma-separated addresses told about failed syncs and recoveries."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def notification_email_list(self) -> list[str]:
        return [e.strip() for e in self.notification_emails.replace(";", ",").split(",") if e.strip()]

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)


class SyncRun(JobRun):
    """One attempt at syncing one stream of one account: what happened, when, and why.

    Status, stage, progress, error, task id, timestamps and heartbeat come from :class:`core.jobs.JobRun`.
    """

    account = models.ForeignKey(IntegrationAccount, on_delete=models.CASCADE, related_name="runs")
    stream = models.CharField(max_length=20, choices=SyncStream.choices)
    mode = models.CharField(max_length=20, choices=SyncMode.choices, default=SyncMode.FULL)
    status = models.CharField(max_length=20, choices=SyncStatus.choices, default=SyncStatus.QUEUED, db_index=True)
    trigger = models.CharField(max_length=20, choices=SyncTrigger.choices, default=SyncTrigger.API)
    params = models.JSONField(default=dict, blank=True, help_text="Run parameters, e.g. date window.")
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=dict, blank=True, help_text="Stream-specific counters and warnings.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "stream", "-created_at"], name="syncrun_account_stream_idx")]
        constraints = [
            # At most one queued/running run per account and stream: the database enforces it on SQLite
            # and PostgreSQL alike, so two triggers can never both start.
            one_active_per("account", "stream", name="one_active_sync_per_account_stream"),
        ]

    def __str__(self) -> str:
        return f"{self.account.name} {self.stream} {self.mode} #{self.pk} ({self.status})"


class SyncCursor(models.Model):
    """Per-account, per-stream bookmark for incremental syncs (Singer-style; treated as '>=' by readers)."""

    account = models.ForeignKey(IntegrationAccount, on_delete=models.CASCADE, related_name="cursors")
    stream = models.CharField(max_length=20, choices=SyncStream.choices)
    value = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "stream"], name="one_cursor_per_account_stream")]

    def __str__(self) -> str:
        return f"{self.account.name} {self.stream}: {self.value}"


class RateLimitBucket(models.Model):
    """Token-bucket state of one upstream rate limit, shared by every worker when Redis is not configured.

    Written only by the single upsert statement in integrations/limits.py (atomic on SQLite and PostgreSQL).
    """

    bucket_key = models.CharField(max_length=200, unique=True)
    tokens = models.FloatField()
    updated = models.FloatField(help_text="Unix time of the last reservation.")

    def __str__(self) -> str:
        return f"{self.bucket_key}: {self.tokens:.2f}"
