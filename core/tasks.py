"""django-q2 entry points of the ground floor: thin wrappers that call a service and nothing else."""

from __future__ import annotations

from croniter import croniter
from django.conf import settings
from django_q.models import Schedule

from core.schedules import ScheduleSpec, report_skipped


def run_backup() -> str:
    """The nightly backup: database and artefacts into BACKUP_ROOT, keeping the newest BACKUP_KEEP."""
    from core.backups import create_backup

    info = create_backup(settings.BACKUP_ROOT, keep=settings.BACKUP_KEEP)
    return f"backup written: {info.path} ({info.size_bytes / 1e6:.1f} MB)"


def SCHEDULES() -> list[ScheduleSpec]:  # noqa: N802 - the name core.schedules looks for
    """The nightly backup at BACKUP_SCHEDULE (UTC cron; empty switches it off)."""
    cron = str(getattr(settings, "BACKUP_SCHEDULE", "") or "").strip()
    if not cron:
        return []
    if not croniter.is_valid(cron):
        report_skipped("core.backup", f"BACKUP_SCHEDULE={cron!r} is not a cron expression (e.g. '30 1 * * *')")
        return []
    return [ScheduleSpec(name="core.backup", func="core.tasks.run_backup", schedule_type=Schedule.CRON,
                         cron=cron)]
