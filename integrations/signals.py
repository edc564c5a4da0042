"""Signal receivers of integrations, connected in IntegrationsConfig.ready().

* IntegrationAccount saved or deleted → re-register the django-q2 schedules after the commit, so each account's
  full and live schedules follow its settings (and disappear with it) without duplicates.
* SyncRun finished → failure / recovery e-mail (integrations.services.notifications), after the commit.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from integrations.models import IntegrationAccount, SyncRun
from integrations.services.notifications import on_run_saved

logger = logging.getLogger("integrations")


def _register_schedules() -> None:
    from core.schedules import register_schedules

    try:
        register_schedules()
    except Exception:  # noqa: BLE001 - a schedule problem must not undo an account edit; it is retried on the next
        logger.exception("could not register the sync schedules after an account change")


@receiver(post_save, sender=IntegrationAccount, dispatch_uid="integrations.account_schedules_on_save")
@receiver(post_delete, sender=IntegrationAccount, dispatch_uid="integrations.account_schedules_on_delete")
def account_changed(sender, instance: IntegrationAccount, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: schedules are registered after migrate anyway
        return
    transaction.on_commit(_register_schedules)


post_save.connect(on_run_saved, sender=SyncRun, dispatch_uid="integrations.run_notifications")
