"""Import jobs: an uploaded file, validated and written inline when small or by a django-q2 worker when large.

``create_import_job(*, kind, upload, user=None, create_missing=False) -> ImportJob`` stores the file under
IMPORTS_ROOT. ``runs_in_background(job) -> bool`` says whether the file is over
``settings.SALES_IMPORT_INLINE_MAX_BYTES`` (default 2 MB). ``enqueue_import_job(job)`` queues
``sales.tasks.run_import_job`` once the surrounding transaction commits. ``run_import_job(job_id) -> ImportJob``
does the work and records status, progress (percent of the file read), rows processed and the report.

Progress during a run goes through :class:`core.jobs.RunProgress` (on PostgreSQL on a second, autocommit
connection, so it shows while the import's one transaction is still open).
"""

from __future__ import annotations

import errno
import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from core.errors import DomainError
from core.jobs import RunProgress, enqueue_after_commit, mark_finished, mark_running
from sales.choices import ImportJobStatus
from sales.models import ImportJob
from sales.services.file_import import import_file

logger = logging.getLogger("sales")

DEFAULT_INLINE_MAX_BYTES = 2 * 1024 * 1024
PROGRESS_EVERY_SECONDS = 2.0
PROGRESS_TOTAL = 1000  # progress counts tenths of a percent of the file read


def inline_max_bytes() -> int:
    return int(getattr(settings, "SALES_IMPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES))


class ImportStorageFull(DomainError):
    """The upload does not fit on the disk holding IMPORTS_ROOT; nothing was stored (the API answers 507)."""

    status = 507
    code = "insufficient_storage"


def max_upload_bytes() -> int:
    return int(getattr(settings, "SALES_IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))


class ImportTooLarge(Exception):
    """The upload is over SALES_IMPORT_MAX_UPLOAD_BYTES; nothing was stored (the API answers 413)."""


def check_upload_size(upload: UploadedFile) -> None:
    """ImportTooLarge for a file over the upload limit, before anything reads or stores it."""
    limit = max_upload_bytes()
    if (upload.size or 0) > limit:
        raise ImportTooLarge(
            f"{upload.name!r} is {upload.size / 1048576:,.1f} MB; files may be at most {limit / 1048576:,.1f} MB "
            "(SALES_IMPORT_MAX_UPLOAD_BYTES). Compress it (gzip) or split it into smaller files.")


def create_import_job(*, kind: str, upload: UploadedFile, user=None, create_missing: bool = False,
                      dry_run: bool = False) -> ImportJob:
    """Store the uploaded file and a queued job for it (ImportStorageFull, with nothing stored, if the disk is full).

    `dry_run` makes it a validation job (a large /validate/): the worker reports and writes nothing.
    """
    check_upload_size(upload)
    job = ImportJob(kind=kind, original_name=(upload.name or "")[:255], size_bytes=upload.size or 0,
                    progress_total=PROGRESS_TOTAL, create_missing=create_missing, dry_run=dry_run,
                    created_by=user if getattr(user, "pk", None) else None)
    try:
        job.file.save(upload.name or f"{kind}.csv", upload, save=False)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        logger.error("no space left to store an import upload", extra={"file": job.original_name,
                                                                        "bytes": job.size_bytes})
        raise ImportStorageFull(
            gettext("There is not enough disk space to store %(original_name)r (%(size_bytes)s bytes) for "
                    "import; nothing was stored. Ask an administrator to free space where import files are "
                    "kept (IMPORTS_ROOT), then upload it again.") % {
                "original_name": job.original_name,
                "size_bytes": job.size_bytes,
            }
        ) from None
    job.save()
    return job


def runs_in_background(job: ImportJob) -> bool:
    return job.size_bytes > inline_max_bytes()


def enqueue_import_job(job: ImportJob) -> None:
    """Queue the job for a worker after the current transaction commits (never for a rolled-back job)."""
    enqueue_after_commit("sales.tasks.run_import_job", job.pk, run=job, task_name=f"import-{job.pk}",
                         group="sales-import")


def _progress_adapter(progress: RunProgress):
    """import_file reports (percent, rows); the run records tenths of a percent and the rows processed."""

    def report(percent: float, rows: int) -> None:
        progress.extra["rows_processed"] = rows
        progress("import", round(min(percent, 99.0) * PROGRESS_TOTAL / 100), PROGRESS_TOTAL)

    return report


def run_import_job(job_id: int) -> ImportJob:
    """Run a queued job: validate and write its file (all or nothing) and record the outcome on the job."""
    # Claim the job atomically, so two workers (or a retry) never run the same file twice.
    job = ImportJob.objects.get(pk=job_id)
    if not mark_running(job, stage="import"):
        logger.warning("import job is not queued; not run again", extra={"job": job.pk, "status": job.status})
        return job
    progress = RunProgress(job, min_interval=PROGRESS_EVERY_SECONDS)
    try:
        with job.file.open("rb") as handle:
            report = import_file(handle, kind=job.kind, name=job.original_name, create_missing=job.create_missing,
                                 dry_run=job.dry_run, progress=_progress_adapter(progress))
    except Exception as exc:
        logger.exception("import job failed", extra={"job": job.pk})
        mark_finished(job, ImportJobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        return job
    finally:
        progress.close()
    done = report.applied or (job.dry_run and report.valid)
    status = ImportJobStatus.SUCCEEDED if done else ImportJobStatus.REJECTED
    mark_finished(job, status, report=report.as_dict(), rows_processed=report.rows, progress_done=PROGRESS_TOTAL,
                  progress_total=PROGRESS_TOTAL)
    logger.info("import job finished", extra={"job": job.pk, "status": job.status, "rows": report.rows})
    return job
