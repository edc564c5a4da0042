"""Sync failure and recovery e-mails: one per failure streak of an account's stream, one when it recovers.

A streak is the run of consecutive failed runs of one (account, stream). The first failure mails the account's
notification addresses and `settings.ADMINS` with the account, stream, error and a link to the run in the admin;
later failures of the same streak stay quiet; the first successful (or partial) run after a streak that was
mailed about sends a recovery mail. Which run sent what is kept in `SyncRun.details["notification"]`, so the
admin shows it. Mail goes out after the commit (`transaction.on_commit`), and a mail server that is down is
logged, never allowed to fail the sync.
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from integrations.choices import SyncStatus
from integrations.models import SyncRun
from integrations.services.events import emit_sync_outcome

logger = logging.getLogger("integrations")

FINISHED = (SyncStatus.SUCCEEDED, SyncStatus.PARTIAL, SyncStatus.FAILED)
FAILURE_SENT = "failure mail sent"
RECOVERY_SENT = "recovery mail sent"
STREAK_LOOKBACK = 200  # runs looked at when finding the start of a streak


def recipients(run: SyncRun) -> list[str]:
    addresses = list(run.account.notification_email_list)
    addresses += [email for _name, email in getattr(settings, "ADMINS", []) if email]
    return list(dict.fromkeys(a for a in addresses if a))


def run_link(run: SyncRun) -> str:
    return f"{settings.SITE_URL}{reverse('admin:integrations_syncrun_change', args=[run.pk])}"


def previous_streak(run: SyncRun) -> list[SyncRun]:
    """The failed runs of the same account and stream that finished right before `run` (newest first)."""
    earlier = (SyncRun.objects.filter(account_id=run.account_id, stream=run.stream, status__in=FINISHED,
                                      finished_at__isnull=False)
               .exclude(pk=run.pk).order_by("-finished_at", "-pk"))
    if run.finished_at is not None:
        earlier = earlier.filter(finished_at__lte=run.finished_at)
    streak = []
    for previous in earlier[:STREAK_LOOKBACK]:
        if previous.status != SyncStatus.FAILED:
            break
        streak.append(previous)
    return streak


def _mark(run: SyncRun, note: str) -> None:
    run.details = {**(run.details or {}), "notification": note}
    SyncRun.objects.filter(pk=run.pk).update(details=run.details)


def _send(run: SyncRun, subject: str, body: str, note: str) -> bool:
    to = recipients(run)
    if not to:
        logger.info("no notification address for this account or in ADMINS; nothing sent",
                    extra={"run_id": run.pk, "account": run.account.name})
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception as exc:  # noqa: BLE001 - a mail server problem must not fail a sync
        logger.error("could not send the sync notification", extra={"run_id": run.pk, "error": str(exc)})
        return False
    _mark(run, note)
    logger.info("sync notification sent", extra={"run_id": run.pk, "note": note, "recipients": len(to)})
    return True


def failure_message(run: SyncRun) -> tuple[str, str]:
    account = run.account
    started = f"started {run.started_at:%Y-%m-%d %H:%M:%S} UTC" if run.started_at else "never started"
    subject = f"[salesforecast] Sync failed: {account.name} — {run.stream}"
    body = (
        f"The {run.get_mode_display().lower()} sync of stream '{run.stream}' of account '{account.name}' "
        f"({account.get_kind_display()}) failed.\n\n"
        f"Run: #{run.pk}, {started}, finished "
        f"{run.finished_at:%Y-%m-%d %H:%M:%S} UTC, trigger {run.trigger}.\n"
        f"Error:\n{run.error or '(no error text)'}\n\n"
        f"Details: {run_link(run)}\n\n"
        "You will not get another mail for this stream until it has synced successfully again.\n"
    )
    return subject, body


def recovery_message(run: SyncRun, streak: list[SyncRun]) -> tuple[str, str]:
    account = run.account
    first = streak[-1]
    subject = f"[salesforecast] Sync recovered: {account.name} — {run.stream}"
    body = (
        f"Stream '{run.stream}' of account '{account.name}' ({account.get_kind_display()}) synced again "
        f"({run.get_status_display().lower()}, run #{run.pk}) after {len(streak)} failed run(s) since "
        f"{first.finished_at:%Y-%m-%d %H:%M} UTC.\n"
        f"Rows read {run.rows_read}, created {run.rows_created}, updated {run.rows_updated}, unchanged "
        f"{run.rows_unchanged}.\n\nDetails: {run_link(run)}\n"
    )
    return subject, body


def notify_run_finished(run: SyncRun) -> str | None:
    """Send what a finished run calls for (failure mail, recovery mail or nothing); returns the note sent."""
    if run.status not in FINISHED:
        return None
    streak = previous_streak(run)
    emit_sync_outcome(run, streak)
    if run.status == SyncStatus.FAILED:
        if streak:
            return None  # the streak was announced by its first failure
        subject, body = failure_message(run)
        return FAILURE_SENT if _send(run, subject, body, FAILURE_SENT) else None
    if any((previous.details or {}).get("notification") == FAILURE_SENT for previous in streak):
        subject, body = recovery_message(run, streak)
        return RECOVERY_SENT if _send(run, subject, body, RECOVERY_SENT) else None
    return None


def on_run_saved(sender, instance: SyncRun, created: bool, update_fields=None, **kwargs) -> None:
    """post_save receiver: a save that set a finished status schedules the notification after the commit."""
    if created or instance.status not in FINISHED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    notify_after_commit(instance.pk)


def notify_after_commit(run_id: int) -> None:
    """Mail about a finished run once its transaction has committed (re-read then, as committed)."""
    transaction.on_commit(functools.partial(notify_by_id, run_id))


def notify_by_id(run_id: int) -> None:
    run = SyncRun.objects.select_related("account").filter(pk=run_id).first()
    if run is not None:
        notify_run_finished(run)
