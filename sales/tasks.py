"""django-q2 entry points of sales: thin wrappers that call a service and nothing else."""

from core.jobs import interruptible
from core.schedules import ScheduleSpec

SCHEDULES: list[ScheduleSpec] = []


@interruptible
def run_import_job(job_id: int) -> str:
    """Run one queued import job (see sales.services.import_jobs)."""
    from sales.services.import_jobs import run_import_job as run

    return run(job_id).status
