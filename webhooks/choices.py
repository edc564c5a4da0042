from django.db import models


class Event(models.TextChoices):
    """Every event an endpoint can subscribe to. The emitting app owns the payload; the name is the contract."""

    SYNC_FAILED = "sync.failed", "sync failed (first failure of a streak)"
    SYNC_RECOVERED = "sync.recovered", "sync recovered"
    ALERT_OPENED = "alert.opened", "alert opened"
    ALERT_RESOLVED = "alert.resolved", "alert resolved"
    FORECAST_RUN_FINISHED = "forecast.run_finished", "forecast run finished"
    PROPOSALS_READY = "proposals.ready", "order proposals ready"
    PING = "webhook.ping", "test event (sent on demand)"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    RETRYING = "retrying", "retrying"
    SUCCEEDED = "succeeded", "delivered"
    FAILED = "failed", "failed (gave up)"
