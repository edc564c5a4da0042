"""Any change to an endpoint (services, admin, API delete) drops the cached subscriber list at once and again after
the commit, so no process keeps sending to a removed endpoint or misses a new one."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from webhooks.models import WebhookEndpoint
from webhooks.services.delivery import ENDPOINTS_CACHE_KEY


def _forget() -> None:
    cache.delete(ENDPOINTS_CACHE_KEY)


@receiver([post_save, post_delete], sender=WebhookEndpoint, dispatch_uid="webhooks-endpoint-changed")
def endpoint_changed(sender, **kwargs) -> None:
    _forget()
    transaction.on_commit(_forget)
