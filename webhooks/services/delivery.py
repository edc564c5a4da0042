"""Emitting events and delivering them: signed POSTs from the worker, retried with exponential backoff.

`emit_event` is the one door for the apps that have something to tell. It writes one delivery row per subscribed
endpoint inside the caller's transaction (an outbox: a rolled-back change sends nothing, a committed one is never
lost) and hands the rows to django-q2 with `transaction.on_commit`. `deliver` posts one row; a failure (network
error or a non-2xx answer) schedules the next attempt after `backoff_seconds`, and the minutely schedule
`retry_due_deliveries` picks due rows up, until WEBHOOKS_MAX_ATTEMPTS is reached and the row is marked failed.
Every attempt's outcome stays on the row: the delivery log in the admin and the API.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.url_guard import BlockedAddress, guard_session
from webhooks.choices import DeliveryStatus, Event
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services.endpoints import POLICY, validate_url
from webhooks.services.secrets import decrypt_secret
from webhooks.services.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

logger = logging.getLogger("webhooks")

OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
ENDPOINTS_CACHE_KEY = "webhooks:active-endpoints"
DUE_BATCH = 200


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def backoff_seconds(attempts: int) -> int:
    """Wait before attempt `attempts + 1`: base × 2^(attempts − 1), at most WEBHOOKS_RETRY_MAX_SECONDS.
    With the defaults (30 s, 1 h, 8 attempts) a receiver may be down for about three hours without losing events."""
    base = _setting("WEBHOOKS_RETRY_BASE_SECONDS", 30)
    return min(base * 2 ** max(0, attempts - 1), _setting("WEBHOOKS_RETRY_MAX_SECONDS", 3600))


def subscribers(event: str) -> list[int]:
    """Ids of the active endpoints that want the event. The list is kept in the shared cache (dropped whenever an
    endpoint changes, see webhooks/signals.py), so emitting costs no query while nobody subscribes."""
    rows = cache.get(ENDPOINTS_CACHE_KEY)
    if rows is None:
        rows = list(WebhookEndpoint.objects.filter(is_active=True).order_by("pk").values_list("pk", "events"))
        cache.set(ENDPOINTS_CACHE_KEY, rows, timeout=300)
    return [pk for pk, events in rows if not events or event in events]


def emit_event(name: str, payload: dict[str, Any]) -> list[int]:
    """Records the event for every active endpoint that subscribes to it and sends them after the commit.
    Returns the delivery ids (none when no endpoint wants the event)."""
    if name not in Event.values:
        raise ValueError(f"Unknown webhook event {name!r}; add it to webhooks.choices.Event first.")
    endpoint_ids = subscribers(name)
    if not endpoint_ids:
        return []
    data = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))  # dates, decimals, UUIDs as JSON values
    now = timezone.now()
    first = WebhookDelivery(endpoint_id=endpoint_ids[0], event=name, payload=data, next_attempt_at=now)
    rows = [first] + [WebhookDelivery(endpoint_id=pk, event=name, event_id=first.event_id, payload=data,
                                      next_attempt_at=now) for pk in endpoint_ids[1:]]
    with transaction.atomic():
        ids = [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return ids


def _enqueue(ids: Iterable[int]) -> None:
    from django_q.tasks import async_task

    # django-q reads Q_CLUSTER once at import; honour a later "sync" override (tests, one-off scripts) too.
    inline = {"sync": True} if settings.Q_CLUSTER.get("sync") else {}
    for delivery_id in ids:
        async_task("webhooks.tasks.deliver_webhook", delivery_id, task_name=f"webhook delivery {delivery_id}",
                   group="webhooks", **inline)


def _claim(delivery_id: int, now: datetime) -> bool:
    """Takes a due delivery for one attempt, so the schedule and the first post never send it twice at once."""
    lease = now + timedelta(seconds=_setting("WEBHOOKS_TIMEOUT_SECONDS", 10) + 60)
    return bool(WebhookDelivery.objects.filter(pk=delivery_id, status__in=OPEN)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .update(next_attempt_at=lease))


def body_for(delivery: WebhookDelivery) -> bytes:
    """The JSON document a receiver gets; `id` is the event's (the same on retries and on every endpoint)."""
    document = {"id": str(delivery.event_id), "event": delivery.event,
                "created_at": delivery.created_at.isoformat(), "data": delivery.payload}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def deliver(delivery_id: int, *, now: datetime | None = None) -> WebhookDelivery | None:
    """One attempt at one delivery, if it is due; records the outcome and when to try again."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = body_for(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "salesforecast-webhooks/1",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.event_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(decrypt_secret(endpoint.secret_encrypted), timestamp, body),
    }
    status_code, excerpt, error = None, "", ""
    try:
        # The URL passed the guard when it was saved; the settings may have changed since, and its host name
        # may resolve elsewhere now: check it again, and let the connection check the address it really reached.
        url = validate_url(endpoint.url, resolve=False)
        with guard_session(requests.Session(), POLICY) as session:
            # No redirects: a signed body goes to the configured URL and nowhere else.
            response = session.post(url, data=body, headers=headers, allow_redirects=False,
                                    timeout=_setting("WEBHOOKS_TIMEOUT_SECONDS", 10))
        status_code, excerpt = response.status_code, response.text[:500]
        if not 200 <= status_code < 300:
            error = f"The endpoint answered HTTP {status_code}; a 2xx answer is needed."
    except ValidationError as exc:
        error = " ".join(exc.message_dict["url"])[:1000]
    except BlockedAddress as exc:
        error = f"url: {exc}"[:1000]
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]

    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status, delivery.response_excerpt, delivery.error = status_code, excerpt, error
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, now, None
    elif delivery.attempts >= _setting("WEBHOOKS_MAX_ATTEMPTS", 8):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        logger.warning("webhook delivery gave up", extra={"delivery": delivery.pk, "endpoint": endpoint.name,
                                                          "attempts": delivery.attempts, "error": error})
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
    delivery.save(update_fields=["attempts", "last_attempt_at", "response_status", "response_excerpt", "error",
                                 "status", "delivered_at", "next_attempt_at"])
    return delivery


def retry_due_deliveries(now: datetime | None = None) -> list[int]:
    """Queues every open delivery whose next attempt is due (the minutely schedule); returns their ids."""
    now = now or timezone.now()
    ids = list(WebhookDelivery.objects.filter(status__in=OPEN, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:DUE_BATCH])
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return ids


def retry_now(delivery: WebhookDelivery) -> WebhookDelivery:
    """An admin's 'send again': due at once, one more attempt even after the service gave up."""
    with transaction.atomic():
        delivery.status = DeliveryStatus.RETRYING
        if delivery.attempts >= _setting("WEBHOOKS_MAX_ATTEMPTS", 8):
            delivery.attempts = _setting("WEBHOOKS_MAX_ATTEMPTS", 8) - 1
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda: _enqueue([delivery.pk]), robust=True)
    return delivery


def send_test_event(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `webhook.ping` to one endpoint, whatever it subscribes to, so an admin can check the receiver."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=Event.PING, next_attempt_at=timezone.now(),
            payload={"message": f"Test event for webhook endpoint {endpoint.name!r}."})
        transaction.on_commit(lambda: _enqueue([delivery.pk]), robust=True)
    return delivery
