"""django-q2 entry points of planning: thin wrappers that call a service and nothing else.

Nightly order (UTC): source full syncs (02:00) → forecasting → stock reconciliation (04:15) → order
proposals (04:30), so planners find fresh proposals in the admin in the morning. If forecasting has not
succeeded by then, proposals plan from the latest succeeded run and say so in the run's warnings.
"""

from dataclasses import asdict

from django_q.models import Schedule

from core.jobs import interruptible
from core.schedules import ScheduleSpec
from planning.services.ledger import reconcile_stock_levels
from planning.services.proposals import execute_proposal_run, propose_orders
from planning.services.replay.runs import execute_replay as execute_replay_run


def reconcile_stock() -> dict:
    """Post sync corrections so the ledger matches the newest source stock snapshots."""
    summary = asdict(reconcile_stock_levels())
    summary["total_correction"] = str(summary["total_correction"])
    return summary


@interruptible
def propose_orders_nightly() -> dict:
    """Order proposals for every active location × product from the latest succeeded forecast run."""
    return propose_orders(trigger="schedule").as_dict()


@interruptible
def execute_queued_proposal_run(proposal_run_id: int) -> dict:
    """A proposal run queued from the API (planning/proposals/run)."""
    return execute_proposal_run(proposal_run_id).as_dict()


def execute_replay(replay_run_id: int) -> dict:
    """A policy replay queued from the API or the admin."""
    run = execute_replay_run(replay_run_id)
    return {"replay": run.pk, "status": run.status, "series": run.series_count}


SCHEDULES: list[ScheduleSpec] = [
    ScheduleSpec(
        name="planning-reconcile-stock", func="planning.tasks.reconcile_stock", schedule_type=Schedule.CRON,
        cron="15 4 * * *",
    ),
    ScheduleSpec(
        name="planning-proposals", func="planning.tasks.propose_orders_nightly", schedule_type=Schedule.CRON,
        cron="30 4 * * *",
    ),
]
