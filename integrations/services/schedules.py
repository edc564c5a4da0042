"""Per-account sync schedules: a daily full sync and a live incremental sync inside a daily window (UTC).

Each enabled account gets up to two django-q2 schedules, named after the account's id so they follow renames:

* `sf:integrations.account-<id>.full` — cron `M H * * *` at `full_sync_at`: every stream, full refresh;
* `sf:integrations.account-<id>.live` — e.g. `*/10 8-22 * * *` for every 10 minutes from 08:00 to 23:00: the
  kind's live streams (sales, orders, stock), incremental.

`account_schedule_specs()` is what `integrations.tasks.SCHEDULES` returns besides the static jobs, and a
post_save/post_delete signal on IntegrationAccount calls `register_schedules()` after the commit, so an edit in
the admin or the API moves, adds or removes the account's schedules at once, never duplicating them (schedules
are keyed by name; stale `sf:` schedules are removed).

The scheduled task runs the account's streams one after another in its worker, through the one door
(`services.sync.sync_account`):
iiko holds one licence seat per session (the per-account rate limits are shared by every process through Redis
or the database), and an account's streams never run side by side. Cron cannot say "from 08:30": the task checks
the exact window again, and a live tick that finds a sync of the account still active is skipped instead of
queueing up behind it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from croniter import croniter
from django.utils import timezone
from django_q.models import Schedule

from core.schedules import SCHEDULE_PREFIX, ScheduleSpec, report_skipped
from integrations.choices import ACTIVE_SYNC_STATUSES, SyncMode
from integrations.models import IntegrationAccount, SyncRun
from integrations.options import OptionsError
from integrations.registry import (  # noqa: F401 - stream order lives with the streams; re-exported
    LIVE_STREAMS,
    STREAM_ORDER,
    full_streams,
    live_streams,
    ordered_streams,
    streams_for_kind,
)

logger = logging.getLogger("integrations")
LIVE_MODES = ("live", SyncMode.INCREMENTAL)

TASK = "integrations.tasks.run_scheduled_sync"
def full_sync_cron(account: IntegrationAccount) -> str:
    return f"{account.full_sync_at.minute} {account.full_sync_at.hour} * * *"


def _hours(first: int, last: int) -> str:
    if (first, last) == (0, 23):
        return "*"
    return str(first) if first == last else f"{first}-{last}"


def live_sync_cron(account: IntegrationAccount) -> str:
    """Every `live_sync_every_minutes` within [live_sync_from, live_sync_to) UTC; a window past midnight wraps.

    Cron only knows whole hours: the hours touched by the window are scheduled and the task drops the firings
    outside the exact window. Intervals of an hour or more are rounded to whole hours.
    """
    every = max(1, int(account.live_sync_every_minutes or 10))
    start, end = account.live_sync_from, account.live_sync_to
    first = start.hour
    last = end.hour if end.minute else (end.hour - 1) % 24
    if start == end:
        hour_ranges = [(0, 23)]
    elif start < end:
        hour_ranges = [(first, last)]
    elif end == dt.time(0, 0):
        hour_ranges = [(first, 23)]
    else:  # e.g. 22:00 → 06:00
        hour_ranges = [(first, 23), (0, last)]
    if every < 60:
        return f"*/{every} {','.join(_hours(a, b) for a, b in hour_ranges)} * * *"
    step = every // 60
    parts = [(_hours(a, b) + (f"/{step}" if step > 1 and a != b else "")) for a, b in hour_ranges]
    return f"{start.minute} {','.join(parts)} * * *"


def in_live_window(account: IntegrationAccount, moment: dt.datetime) -> bool:
    """Whether `moment` (aware) falls into the account's live window, to the minute (UTC)."""
    now = moment.astimezone(dt.UTC).time().replace(second=0, microsecond=0)
    start, end = account.live_sync_from, account.live_sync_to
    if start == end:
        return True
    if start < end:
        return start <= now < end
    return now >= start or now < end


def schedule_name(account_id: int, mode: str) -> str:
    return f"integrations.account-{account_id}.{'full' if mode == SyncMode.FULL else 'live'}"


def next_run_of(cron: str, now: dt.datetime | None = None) -> dt.datetime:
    return croniter(cron, now or timezone.now()).get_next(dt.datetime)


def account_schedule_specs(now: dt.datetime | None = None) -> list[ScheduleSpec]:
    """The schedules every enabled account should have right now (what SCHEDULES returns for accounts).

    An account whose stored options or times cannot make a schedule is skipped and reported (a warning, and
    `register_schedules()`'s "skipped"), so one bad row never stops `migrate` or `setup_schedules`.
    """
    specs = []
    for account in IntegrationAccount.objects.filter(enabled=True).order_by("pk"):
        try:
            specs.extend(_account_specs(account, now))
        except (OptionsError, ValueError, TypeError, AttributeError, KeyError) as exc:
            reason = f"account #{account.pk} {account.name!r}: {exc}"
            logger.warning("account schedules skipped: %s", reason, extra={"account": account.name})
            report_skipped(f"integrations.account-{account.pk}", reason)
    return specs


def _account_specs(account: IntegrationAccount, now: dt.datetime | None) -> list[ScheduleSpec]:
    specs = []
    if account.full_sync_enabled and full_streams(account):
        cron = full_sync_cron(account)
        specs.append(ScheduleSpec(name=schedule_name(account.pk, SyncMode.FULL), func=TASK,
                                  schedule_type=Schedule.CRON, cron=cron,
                                  kwargs={"account_id": account.pk, "mode": "full"},
                                  next_run=next_run_of(cron, now)))
    if account.live_sync_enabled and live_streams(account):
        cron = live_sync_cron(account)
        specs.append(ScheduleSpec(name=schedule_name(account.pk, SyncMode.INCREMENTAL), func=TASK,
                                  schedule_type=Schedule.CRON, cron=cron,
                                  kwargs={"account_id": account.pk, "mode": "incremental"},
                                  next_run=next_run_of(cron, now)))
    return specs


def next_runs(account_ids: list[int]) -> dict[tuple[int, str], dt.datetime | None]:
    """(account id, "full"|"incremental") → the next run django-q2 has scheduled (one query)."""
    names = {SCHEDULE_PREFIX + schedule_name(pk, mode): (pk, str(mode))
             for pk in account_ids for mode in (SyncMode.FULL, SyncMode.INCREMENTAL)}
    found: dict[tuple[int, str], dt.datetime | None] = {}
    for name, next_run in Schedule.objects.filter(name__in=list(names)).values_list("name", "next_run"):
        found[names[name]] = next_run
    return found


def register_account_schedules() -> dict[str, int]:
    """Bring django-q2's schedules in line with the accounts (and every other declared schedule)."""
    from core.schedules import register_schedules

    return register_schedules()


def run_scheduled_sync(account_id: int, mode: str, now: dt.datetime | None = None) -> list[Any]:
    """What a schedule fires: the account's full or live streams, one after another, in this worker."""
    from integrations.choices import SyncTrigger
    from integrations.services.sync import sync_account

    account = IntegrationAccount.objects.filter(pk=account_id).first()
    now = now or timezone.now()
    if account is None or not account.enabled:
        logger.info("scheduled sync skipped: account missing or disabled", extra={"account_id": account_id})
        return []
    mode = SyncMode.INCREMENTAL if mode in LIVE_MODES else SyncMode.FULL
    if mode == SyncMode.INCREMENTAL:
        if not account.live_sync_enabled or not in_live_window(account, now):
            return []
        if SyncRun.objects.filter(account=account, status__in=ACTIVE_SYNC_STATUSES).exists():
            # The previous sync of this account is still going: skip this tick rather than queue up behind it.
            logger.info("live sync tick skipped: a sync of the account is active", extra={"account": account.name})
            return []
        streams = live_streams(account)
    else:
        if not account.full_sync_enabled:
            return []
        streams = full_streams(account)
    return [started.run for started in sync_account(account, streams, mode=mode, trigger=SyncTrigger.SCHEDULE)]
