"""Integrations: accounts, and per account × stream the last success, its age, the failure streak, runs now.

Queries (4, whatever the number of runs): accounts; runs grouped by account × stream (with the latest run and
the last success as correlated subqueries per group on the (account, stream, -created_at) index); the failure
streaks — failed runs newer than their stream's last success, one indexed range per stream — with exact
counts and capped ids via window functions; the runs queued or running. Every step is linear in the runs.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from integrations.choices import ACTIVE_SYNC_STATUSES, SyncStatus
from integrations.models import IntegrationAccount, SyncRun
from monitoring.services.context import BuildContext, iso

# A partial run still moved data: it ends a failure streak like a full success does.
SUCCESS_STATUSES = (SyncStatus.SUCCEEDED, SyncStatus.PARTIAL)


def collect(ctx: BuildContext) -> dict:
    accounts = {
        row["id"]: row for row in IntegrationAccount.objects.values("id", "name", "kind", "enabled").order_by("id")
    }

    # Ordered exactly like the (account, stream, -created_at) index, so each lookup is one index probe.
    latest_run = SyncRun.objects.filter(account_id=OuterRef("account_id"), stream=OuterRef("stream")).order_by(
        "-created_at"
    )
    last_success = latest_run.filter(status__in=SUCCESS_STATUSES)
    groups = list(
        SyncRun.objects.values("account_id", "stream")
        .annotate(
            runs=Count("id"),
            last_success_at=Max("finished_at", filter=Q(status__in=SUCCESS_STATUSES)),
            last_success_created=Max("created_at", filter=Q(status__in=SUCCESS_STATUSES)),
            last_run_at=Max("created_at"),
        )
        .annotate(
            last_run_status=Subquery(latest_run.values("status")[:1]),
            last_run_id=Subquery(latest_run.values("id")[:1]),
            last_success_run_id=Subquery(last_success.values("id")[:1]),
        )
        .order_by("account_id", "stream")
    )

    # Failed runs created after their stream's last success (all of them when it never succeeded): one range
    # condition per stream, known from the groups above (configuration-sized, not data-sized).
    ranges = [
        Q(account_id=g["account_id"], stream=g["stream"])
        & (Q(created_at__gt=g["last_success_created"]) if g["last_success_created"] else Q())
        for g in groups
        if g["last_run_status"] not in SUCCESS_STATUSES
    ]
    streak_rows = []
    if ranges:
        streak_rows = (
            SyncRun.objects.filter(status=SyncStatus.FAILED)
            .filter(reduce(or_, ranges))
            .annotate(
                position=Window(
                    RowNumber(), partition_by=[F("account_id"), F("stream")], order_by=F("created_at").desc()
                ),
                streak=Window(Count("id"), partition_by=[F("account_id"), F("stream")]),
            )
            .filter(position__lte=ctx.list_cap)
            .values_list("account_id", "stream", "id", "streak")
        )
    streaks: dict[tuple[int, str], dict] = {}
    for account_id, stream, run_id, streak in streak_rows:
        entry = streaks.setdefault((account_id, stream), {"count": streak, "run_ids": []})
        entry["run_ids"].append(run_id)

    running = list(
        SyncRun.objects.filter(status__in=ACTIVE_SYNC_STATUSES)
        .order_by("created_at", "id")
        .values("id", "account_id", "stream", "status", "started_at", "progress_done", "progress_total")
    )
    running_by_stream = {(r["account_id"], r["stream"]): r for r in running}

    streams = []
    for group in groups:
        key = (group["account_id"], group["stream"])
        account = accounts.get(group["account_id"], {})
        streak = streaks.get(key, {"count": 0, "run_ids": []})
        active = running_by_stream.get(key)
        streams.append(
            {
                "account_id": group["account_id"],
                "account_name": account.get("name"),
                "kind": account.get("kind"),
                "enabled": account.get("enabled"),
                "stream": group["stream"],
                "runs": group["runs"],
                "last_run_id": group["last_run_id"],
                "last_run_status": group["last_run_status"],
                "last_run_at": iso(group["last_run_at"]),
                "last_success_run_id": group["last_success_run_id"],
                "last_success_at": iso(group["last_success_at"]),
                "last_success_age_seconds": ctx.age_seconds(group["last_success_at"]),
                "consecutive_failures": streak["count"],
                "failed_run_ids": streak["run_ids"],
                "running_now": active is not None,
                "running_run_id": active["id"] if active else None,
            }
        )

    failing = [s for s in streams if s["consecutive_failures"] > 0]
    never = [s for s in streams if s["last_success_at"] is None]
    enabled_ages = [s["last_success_age_seconds"] for s in streams if s["enabled"] and s["last_success_at"]]
    return {
        "accounts_total": len(accounts),
        "accounts_enabled": sum(1 for a in accounts.values() if a["enabled"]),
        "disabled_account_ids": [a["id"] for a in accounts.values() if not a["enabled"]][: ctx.list_cap],
        "streams": streams,
        "streams_failing": _pairs(failing, ctx.list_cap),
        "never_succeeded": _pairs(never, ctx.list_cap),
        "max_consecutive_failures": max((s["consecutive_failures"] for s in streams), default=0),
        "oldest_success_age_seconds": max(enabled_ages, default=None),
        "running_now": {
            "count": len(running),
            "run_ids": [r["id"] for r in running][: ctx.list_cap],
            "runs": [
                {
                    "run_id": r["id"],
                    "account_id": r["account_id"],
                    "stream": r["stream"],
                    "status": r["status"],
                    "started_at": iso(r["started_at"]),
                    "progress_done": r["progress_done"],
                    "progress_total": r["progress_total"],
                }
                for r in running[: ctx.list_cap]
            ],
        },
    }


def _pairs(streams: list[dict], cap: int) -> dict:
    return {
        "count": len(streams),
        "items": [{"account_id": s["account_id"], "stream": s["stream"]} for s in streams[:cap]],
        "truncated": len(streams) > cap,
    }
