"""django-q2 entry points of monitoring: thin wrappers that call a service and nothing else."""

from django_q.models import Schedule

from core.schedules import ScheduleSpec
from monitoring.choices import SnapshotTrigger
from monitoring.services.snapshots import build_and_persist_snapshot

# Cron on the quarter hours, so each run falls in its own 15-minute slot (an interval schedule would drift
# across slot boundaries after a restart). Several workers may pick it up; the service stores one per slot.
SCHEDULES: list[ScheduleSpec] = [
    ScheduleSpec(
        name="monitoring.snapshot",
        func="monitoring.tasks.build_monitoring_snapshot",
        schedule_type=Schedule.CRON,
        cron="*/15 * * * *",
    ),
]


def build_monitoring_snapshot() -> str:
    """Store this slot's snapshot (or skip if another worker did); returns what happened, for the task log."""
    outcome = build_and_persist_snapshot(trigger=SnapshotTrigger.SCHEDULE)
    return f"{outcome.status} {outcome.slot.isoformat()}"
