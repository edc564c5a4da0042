"""django-q2 entry points of the ground floor: thin wrappers that call a service and nothing else."""

from django_q.models import Schedule

from core.jobs import sweep_stale_runs
from core.schedules import ScheduleSpec

SCHEDULES: list[ScheduleSpec] = [
    # One sweep for every run type registered with core.jobs.register_stale_sweep (syncs, forecast runs,
    # proposal runs, import jobs): each type's own thresholds and failure hooks apply.
    ScheduleSpec(name="core.sweep_stale_runs", func="core.tasks.sweep_stale_runs_task",
                 schedule_type=Schedule.MINUTES, minutes=5),
]


def sweep_stale_runs_task() -> dict[str, int]:
    """Fail runs whose worker died; returns how many per run type."""
    return sweep_stale_runs()
