"""Creating and changing webhook endpoints, with the checks every door (API, admin) shares."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.url_guard import HostPolicy, UnsafeURL, check_url
from webhooks.choices import Event
from webhooks.models import WebhookEndpoint
from webhooks.services.secrets import encrypt_secret

MIN_SECRET_LENGTH = 16
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# The product's one SSRF guard (core/url_guard.py) under the webhooks' own setting: an endpoint receives signed
# business data, so whoever may configure one must not be able to aim it at the cloud metadata service, at
# loopback services or at the office network. The same policy guards every delivery's connection.
POLICY = HostPolicy(setting="WEBHOOKS_ALLOW_PRIVATE_HOSTS")


def validate_url(url: str, *, resolve: bool = True) -> str:
    """The endpoint URL, stripped, or a ValidationError on `url`.

    HTTPS only: the body carries business data; plain HTTP to a loopback host only where
    WEBHOOKS_ALLOW_LOOPBACK_HTTP is on (tests, a receiver on the same machine). Then the SSRF guard: no
    `user:pw@`, and no host that is or resolves to a link-local address (ever) or a loopback or private one
    (unless WEBHOOKS_ALLOW_PRIVATE_HOSTS is on)."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        raise ValidationError({"url": [gettext("%(url)r is not a valid URL.") % {"url": url}]}) from None
    https = parts.scheme == "https" and parts.hostname
    loopback_http = (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
                     and getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK_HTTP", False))
    if not (https or loopback_http):
        message = gettext("Use an https:// URL for the webhook endpoint (got %(url)r).") % {"url": url}
        raise ValidationError({"url": [message]})
    try:
        return check_url(url, policy=POLICY, field="url", resolve=resolve)
    except UnsafeURL as exc:
        raise ValidationError({"url": [str(exc)]}) from None


def validate_events(events: Any) -> list[str]:
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise ValidationError({"events": [gettext("Give a list of event names (empty = every event).")]})
    unknown = sorted(set(events) - set(Event.values))
    if unknown:
        raise ValidationError({"events": [gettext("Unknown event(s) %(unknown)s; known: %(values)s.") % {
                                              "unknown": ', '.join(unknown),
                                              "values": ', '.join(Event.values),
                                          }]})
    return sorted(set(events))


def validate_secret(secret: str) -> None:
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValidationError({"secret": [gettext("The signing secret must have at least "
                                                  "%(MIN_SECRET_LENGTH)s characters.") % {
                                              "MIN_SECRET_LENGTH": MIN_SECRET_LENGTH,
                                          }]})


@transaction.atomic
def create_endpoint(*, name: str, url: str, secret: str, events: list[str] | None = None,
                    is_active: bool = True) -> WebhookEndpoint:
    """A new endpoint; the secret is required (every delivery is signed) and stored encrypted."""
    url = validate_url(url)
    validate_secret(secret)
    endpoint = WebhookEndpoint(name=name, url=url, events=validate_events(events or []), is_active=is_active,
                               secret_encrypted=encrypt_secret(secret))
    endpoint.full_clean(exclude=["secret_encrypted"])
    endpoint.save()
    return endpoint


@transaction.atomic
def update_endpoint(endpoint: WebhookEndpoint, *, secret: str | None = None, **changes: Any) -> WebhookEndpoint:
    """Changes the given fields; an empty or missing secret keeps the stored one (write-only, like credentials)."""
    if "url" in changes:
        changes["url"] = validate_url(changes["url"])
    if "events" in changes:
        changes["events"] = validate_events(changes["events"])
    for field, value in changes.items():
        setattr(endpoint, field, value)
    if secret:
        validate_secret(secret)
        endpoint.secret_encrypted = encrypt_secret(secret)
    endpoint.full_clean(exclude=["secret_encrypted"])
    endpoint.save()
    return endpoint
