"""Webhook events of alerts: `alert.opened` and `alert.resolved`, next to the alert mails. The delivery rows belong
to the webhooks app and are written by its service; monitoring still writes none of the other apps' tables."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from monitoring.models import AlertEvent, AlertRule
from webhooks.services import emit_event


def emit_alert_event(rule: AlertRule, event: AlertEvent, kind: str) -> None:
    """kind: "open" or "resolved", as the alert mails name them."""
    payload = {
        "alert_id": event.pk, "rule": {"id": rule.pk, "name": rule.name}, "severity": event.severity,
        "metric": event.metric, "comparator": event.comparator, "threshold": event.threshold,
        "status": event.status, "message": event.message,
        "opened_at": event.opened_at, "value_at_open": event.value_at_open,
        "resolved_at": event.resolved_at, "value_at_resolve": event.value_at_resolve,
        "url": settings.SITE_URL + reverse("admin:monitoring_alertevent_change", args=[event.pk]),
    }
    emit_event("alert.opened" if kind == "open" else "alert.resolved", payload)
