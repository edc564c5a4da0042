"""Webhook endpoints (configured by admins) and one delivery row per event and endpoint (the delivery log)."""

import uuid

from django.db import models

from webhooks.choices import DeliveryStatus, Event


class WebhookEndpoint(models.Model):
    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500, help_text="HTTPS URL that receives a POST with the JSON event.")
    events = models.JSONField(
        default=list, blank=True,
        help_text="Event names this endpoint receives; empty = every event. "
                  f"Known: {', '.join(Event.values)}.",
    )
    is_active = models.BooleanField(default=True)
    # Fernet-encrypted with CREDENTIALS_KEYS; the plain secret is never shown after it was set (write-only).
    secret_encrypted = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the emitter's transaction (so a rolled-back change sends nothing),
    posted by the worker after the commit, retried with backoff until it succeeds or attempts run out."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=50, choices=Event.choices)
    # One id per event, the same on every endpoint and every retry: receivers de-duplicate by it.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint} ({self.status})"
