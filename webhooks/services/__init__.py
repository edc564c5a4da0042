"""Webhook services: every state change of this app goes through these functions (API, admin, tasks alike)."""

from webhooks.services.delivery import (
    backoff_seconds,
    deliver,
    emit_event,
    retry_due_deliveries,
    retry_now,
    send_test_event,
)
from webhooks.services.endpoints import create_endpoint, update_endpoint
from webhooks.services.signing import sign, verify

__all__ = [
    "backoff_seconds", "create_endpoint", "deliver", "emit_event", "retry_due_deliveries", "retry_now",
    "send_test_event", "sign", "update_endpoint", "verify",
]
