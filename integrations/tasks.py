"""django-q2 entry points of integrations: thin wrappers that call a service and nothing else."""


from core.jobs import interruptible
from core.schedules import ScheduleSpec
from integrations.services import runs


@interruptible
def run_sync(run_id: int) -> str:
    """The worker half of the one door (services.sync.sync_account) for a single queued run."""
    run = runs.execute_run(run_id)
    return f"run #{run.pk}: {run.status}"


@interruptible
def run_scheduled_sync(account_id: int, mode: str) -> str:
    """A per-account schedule fired: its full or live streams, one after another (services.schedules)."""
    from integrations.services.schedules import run_scheduled_sync as run_schedule

    finished = run_schedule(account_id, mode)
    return ", ".join(f"{run.stream} #{run.pk} {run.status}" for run in finished) or "nothing to do"


@interruptible
def sync_account_streams(account_id: int, mode: str, streams: list[str], trigger: str = "admin") -> str:
    """Run an account's streams one after another (queued by the door for several streams: admin, workbench)."""
    from integrations.models import IntegrationAccount
    from integrations.services.sync import sync_account

    account = IntegrationAccount.objects.filter(pk=account_id).first()
    if account is None:
        return "account deleted"
    finished = [started.run for started in sync_account(account, streams, mode=mode, trigger=trigger)]
    return ", ".join(f"{run.stream} #{run.pk} {run.status}" for run in finished) or "nothing to do"


# The org structure is synced by each account's daily full sync (services.schedules), org stream first; the
# hourly org job that did it a second time is gone. Stale runs: core.tasks (one sweep for every run type).
STATIC_SCHEDULES: list[ScheduleSpec] = []


def SCHEDULES() -> list[ScheduleSpec]:  # noqa: N802 - the name core.schedules looks for
    """The static jobs plus each enabled account's full and live sync (they follow account edits)."""
    from integrations.services.schedules import account_schedule_specs

    return [*STATIC_SCHEDULES, *account_schedule_specs()]
