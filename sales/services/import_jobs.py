"""Import jobs: an uploaded file, validated and written inline when small or by a django-q2 worker when large.

``create_import_job(*, kind, upload, user=None, create_missing=False) -> ImportJob`` stores the file under
IMPORTS_ROOT. ``runs_in_background(job) -> bool`` says whether the file is over
``settings.SALES_IMPORT_INLINE_MAX_BYTES`` (default 2 MB). ``enqueue_import_job(job)`` queues
``sales.tasks.run_import_job`` once the surrounding transaction commits. ``run_import_job(job_id) -> ImportJob``
does the work and records status, progress (percent of the file read), rows processed and the report.

Progress during a run: the import is one transaction, so progress written through it would only appear at the
end. On PostgreSQL progress is written through a second, autocommit connection; on SQLite (a single writer)
it is recorded when the run ends.
"""

from __future__ import annotations

import errno
import logging
import time

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone

from sales.choices import ImportJobStatus
from sales.models import ImportJob
from sales.services.file_import import import_file

logger = logging.getLogger("sales")

DEFAULT_INLINE_MAX_BYTES = 2 * 1024 * 1024
PROGRESS_EVERY_SECONDS = 2.0


def inline_max_bytes() -> int:
    return int(getattr(settings, "SALES_IMPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES))


class ImportStorageFull(Exception):
    """The upload does not fit on the disk holding IMPORTS_ROOT; nothing was stored (the API answers 507)."""


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
                    create_missing=create_missing, dry_run=dry_run,
                    created_by=user if getattr(user, "pk", None) else None)
    try:
        job.file.save(upload.name or f"{kind}.csv", upload, save=False)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        logger.error("no space left to store an import upload", extra={"file": job.original_name,
                                                                        "bytes": job.size_bytes})
        raise ImportStorageFull(
            f"There is not enough disk space to store {job.original_name!r} ({job.size_bytes} bytes) for import; "
            "nothing was stored. Ask an administrator to free space where import files are kept (IMPORTS_ROOT), "
            "then upload it again."
        ) from None
    job.save()
    return job


def runs_in_background(job: ImportJob) -> bool:
    return job.size_bytes > inline_max_bytes()


def enqueue_import_job(job: ImportJob) -> None:
    """Queue the job for a worker after the current transaction commits (never for a rolled-back job)."""

    def _enqueue() -> None:
        from django_q.tasks import async_task

        task_id = async_task("sales.tasks.run_import_job", job.pk, task_name=f"import-{job.pk}"[:100],
                             group="sales-import")
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_id or "")[:64])

    transaction.on_commit(_enqueue)


class _ProgressWriter:
    """Writes progress on a separate autocommit connection (PostgreSQL), at most every few seconds."""

    def __init__(self, job: ImportJob) -> None:
        self.job_id = job.pk
        self.last = 0.0
        self.connection = connections.create_connection("default") if connection.vendor == "postgresql" else None

    def __call__(self, percent: float, rows: int) -> None:
        now = time.monotonic()
        if self.connection is None or now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET progress = %s, rows_processed = %s WHERE id = %s",
                    [min(percent, 99.0), rows, self.job_id],
                )
        except Exception:  # progress is a courtesy; never fail an import over it
            logger.warning("could not record import progress", extra={"job": self.job_id}, exc_info=True)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def run_import_job(job_id: int) -> ImportJob:
    """Run a queued job: validate and write its file (all or nothing) and record the outcome on the job."""
    # Claim the job atomically, so two workers (or a retry) never run the same file twice.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        logger.warning("import job is not queued; not run again", extra={"job": job.pk, "status": job.status})
        return job
    writer = _ProgressWriter(job)
    try:
        with job.file.open("rb") as handle:
            report = import_file(handle, kind=job.kind, name=job.original_name, create_missing=job.create_missing,
                                 dry_run=job.dry_run, progress=writer)
    except Exception as exc:
        logger.exception("import job failed", extra={"job": job.pk})
        job.status, job.error = ImportJobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    finally:
        writer.close()
    job.report = report.as_dict()
    job.rows_processed = report.rows
    job.progress = 100.0
    done = report.applied or (job.dry_run and report.valid)
    job.status = ImportJobStatus.SUCCEEDED if done else ImportJobStatus.REJECTED
    job.finished_at = timezone.now()
    job.save(update_fields=["report", "rows_processed", "progress", "status", "finished_at"])
    logger.info("import job finished", extra={"job": job.pk, "status": job.status, "rows": report.rows})
    return job
