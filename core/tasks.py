"""django-q2 entry points of the ground floor: thin wrappers that call a service and nothing else."""

from __future__ import annotations

from croniter import croniter
from django.conf import settings
from django_q.models import Schedule

from core.jobs import sweep_stale_runs
from core.schedules import ScheduleSpec, report_skipped


def sweep_stale_runs_task() -> dict[str, int]:
    """Fail runs whose worker died; returns how many per run type."""
    return sweep_stale_runs()


def run_backup() -> str:
    """The nightly backup: database and artefacts into BACKUP_ROOT, keeping the newest BACKUP_KEEP."""
    from core.backups import create_backup

    info = create_backup(settings.BACKUP_ROOT, keep=settings.BACKUP_KEEP)
    return f"backup written: {info.path} ({info.size_bytes / 1e6:.1f} MB)"


def ensure_partitions_task(months_ahead: int | None = None) -> dict[str, list[str]]:
    """Create the coming months' partitions of the partitioned fact tables (PostgreSQL; nothing elsewhere)."""
    from core.partitions import ensure_all_partitions

    return ensure_all_partitions(settings.PARTITION_MONTHS_AHEAD if months_ahead is None else months_ahead)


def SCHEDULES() -> list[ScheduleSpec]:  # noqa: N802 - the name core.schedules looks for
    """The stale-run sweep every 5 minutes, and the nightly backup at BACKUP_SCHEDULE (UTC cron; empty: none)."""
    specs = [
        # One sweep for every run type registered with core.jobs.register_stale_sweep (syncs, forecast runs,
        # proposal runs, import jobs, replays): each type's own thresholds and failure hooks apply.
        ScheduleSpec(name="core.sweep_stale_runs", func="core.tasks.sweep_stale_runs_task",
                     schedule_type=Schedule.MINUTES, minutes=5),
        # Months ahead of the partitioned fact tables (daily sales), well before the month begins.
        ScheduleSpec(name="core.ensure_partitions", func="core.tasks.ensure_partitions_task",
                     schedule_type=Schedule.CRON, cron="10 0 * * *"),
    ]
    cron = str(getattr(settings, "BACKUP_SCHEDULE", "") or "").strip()
    if not cron:
        return specs
    if not croniter.is_valid(cron):
        report_skipped("core.backup", f"BACKUP_SCHEDULE={cron!r} is not a cron expression (e.g. '30 1 * * *')")
        return specs
    return specs + [ScheduleSpec(name="core.backup", func="core.tasks.run_backup", schedule_type=Schedule.CRON,
                                 cron=cron)]
