"""One lifecycle for every background run (after NetBox's `Job`/`JobRunner` and InvenTree's `offload_task`).

Sync runs, forecast runs, proposal runs, import jobs (and every run type to come) share:

- :class:`JobRun`, an abstract model: status, stage message, progress done/total, error, task id, created /
  started / finished timestamps and a worker heartbeat;
- :func:`one_active_per`: the database constraint "at most one queued or running run per key" (a partial unique
  index, enforced on SQLite and PostgreSQL alike), and :func:`claim_active` that creates a run or returns the
  active one under that constraint, without check-then-act races;
- :class:`RunProgress`: one progress reporter that writes progress and heartbeat at most once a second,
  on a separate autocommit connection on PostgreSQL so progress inside a long transaction is visible at once;
- :func:`enqueue_after_commit`: queue a django-q2 task once the surrounding transaction commits, inline when
  the cluster runs synchronously (tests, one-off scripts), and remember its task id on the run;
- :func:`register_stale_sweep` / :func:`sweep_stale_runs`: one sweep, scheduled once, that fails every run whose
  worker stopped giving signs of life, for every registered run type, calling the type's own failure hook
  (mail, notifications) for each.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, connection, connections, models, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("salesforecast.jobs")


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Partially succeeded"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted (to be retried)"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES: tuple[str, ...] = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_STATUSES: tuple[str, ...] = tuple(s for s in JobStatus.values if s not in ACTIVE_STATUSES)


class JobRun(models.Model):
    """The columns every run has. Subclasses add what is theirs (account and stream, horizon, file …).

    A subclass may narrow ``status`` to its own choices (same values) by redeclaring the field.
    """

    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    stage = models.CharField(max_length=200, blank=True, default="", help_text="What the run is doing now.")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the worker.")

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def progress_percent(self) -> float | None:
        if not self.progress_total:
            return None
        return round(100.0 * min(self.progress_done, self.progress_total) / self.progress_total, 1)


def one_active_per(*fields: str, name: str) -> models.UniqueConstraint:
    """"At most one queued or running run per ``fields``", enforced by the database (partial unique index).

    With no fields, at most one active run of the type in all. The condition uses the status column, so a run
    that finishes frees the key in the same write.
    """
    active = Q(status__in=ACTIVE_STATUSES)
    if fields:
        return models.UniqueConstraint(fields=list(fields), condition=active, name=name)
    # A constant expression: every active row collides with every other.
    return models.UniqueConstraint(models.Value(1), condition=active, name=name)


R = TypeVar("R", bound=JobRun)


def claim_active(model: type[R], key: dict[str, Any], defaults: dict[str, Any] | None = None,
                 *, attempts: int = 5) -> tuple[R, bool]:
    """Create a queued run for ``key`` or return the active one: ``(run, created)``.

    Relies on the model's :func:`one_active_per` constraint: the insert either wins or fails with
    IntegrityError, in which case the active run is looked up (and if it finished meanwhile, we try again).
    """
    for _ in range(attempts):
        try:
            with transaction.atomic():
                return model.objects.create(**key, **(defaults or {})), True
        except IntegrityError:
            active = model.objects.filter(**key, status__in=ACTIVE_STATUSES).order_by("-pk").first()
            if active is not None:
                return active, False
    raise IntegrityError(f"Could not start a {model._meta.verbose_name}: another run keeps starting.")


def mark_running(run: JobRun, *, stage: str = "") -> None:
    """queued → running, with start time and a first heartbeat."""
    now = timezone.now()
    run.status, run.started_at, run.heartbeat_at, run.stage = JobStatus.RUNNING, now, now, stage[:200]
    type(run).objects.filter(pk=run.pk).update(status=run.status, started_at=now, heartbeat_at=now, stage=run.stage)


def mark_finished(run: JobRun, status: str, *, error: str = "", **fields: Any) -> None:
    """Record the end of a run (succeeded, partial, failed, interrupted, cancelled) and any columns of the type."""
    if status not in FINISHED_STATUSES:
        raise ValueError(f"status: {status!r} is not a finished state ({', '.join(FINISHED_STATUSES)})")
    now = timezone.now()
    values = {"status": status, "finished_at": now, "heartbeat_at": now, "error": error, **fields}
    for key, value in values.items():
        setattr(run, key, value)
    type(run).objects.filter(pk=run.pk).update(**values)


# -- progress ------------------------------------------------------------------------------------------------

ProgressListener = Callable[[str, int, int | None], None]
PROGRESS_WRITE_SECONDS = 1.0


class RunProgress:
    """Progress, stage and heartbeat of a running run, written at most every ``min_interval`` seconds.

    Call it as ``progress(stage, done, total)`` (the services' protocol) or use ``phase``, ``set_total``,
    ``advance`` and ``heartbeat``. A stage change or a finished stage is written at once. An optional
    ``listener`` (a command's progress bar) sees every call, unthrottled.

    On PostgreSQL the row is written through a second, autocommit connection, so a run that does its work in one
    long transaction still shows its progress to everyone meanwhile. SQLite has a single writer: there the
    write goes through the run's own connection (visible when its transaction ends, or at once outside one).
    """

    def __init__(self, run: JobRun, *, listener: ProgressListener | None = None,
                 min_interval: float = PROGRESS_WRITE_SECONDS) -> None:
        self.run = run
        self.listener = listener
        self.min_interval = min_interval
        self._written_at = 0.0
        self._stage = run.stage
        self._side_connection = None

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if total is not None:
            self.run.progress_total = max(int(total), 0)
        if done is not None:
            self.run.progress_done = max(int(done), 0)
        force = stage != self._stage or (
            self.run.progress_total is not None and self.run.progress_done >= self.run.progress_total
        )
        self._stage = stage
        self.run.stage = stage[:200]
        if self.listener is not None:
            self.listener(stage, self.run.progress_done, self.run.progress_total)
        self._write(force=force)

    phase = __call__

    def set_total(self, total: int | None) -> None:
        self.run.progress_total = total
        self._write(force=True)

    def advance(self, count: int = 1) -> None:
        self(self._stage, self.run.progress_done + count, self.run.progress_total)

    def heartbeat(self) -> None:
        self._write(force=False)

    def close(self) -> None:
        if self._side_connection is not None:
            self._side_connection.close()
            self._side_connection = None

    def _write(self, *, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < self.min_interval:
            return
        self._written_at = now
        beat = timezone.now()
        self.run.heartbeat_at = beat
        values = {"stage": self.run.stage, "progress_done": self.run.progress_done,
                  "progress_total": self.run.progress_total, "heartbeat_at": beat}
        try:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                self._write_aside(values)
            else:
                type(self.run).objects.filter(pk=self.run.pk).update(**values)
        except Exception:  # progress is a courtesy; never fail a run over it
            logger.warning("could not record run progress", extra={"run": self.run.pk}, exc_info=True)
        for hook in _progress_hooks:
            hook(self.run)

    def _write_aside(self, values: dict[str, Any]) -> None:
        if self._side_connection is None:
            self._side_connection = connections.create_connection("default")
        table = type(self.run)._meta.db_table
        columns = ", ".join(f"{connection.ops.quote_name(k)} = %s" for k in values)
        with self._side_connection.cursor() as cursor:
            cursor.execute(f"UPDATE {connection.ops.quote_name(table)} SET {columns} WHERE id = %s",
                           [*values.values(), self.run.pk])
        self._side_connection.commit()


_progress_hooks: list[Callable[[JobRun], None]] = []


def on_progress(hook: Callable[[JobRun], None]) -> Callable[[JobRun], None]:
    """Register a function told about every progress write (live screens subscribe here)."""
    _progress_hooks.append(hook)
    return hook


# -- queueing ------------------------------------------------------------------------------------------------


def enqueue_after_commit(func: str, *args: Any, run: JobRun | None = None, group: str | None = None,
                         task_name: str | None = None, **kwargs: Any) -> None:
    """Queue django-q2 task ``func(*args, **kwargs)`` once the surrounding transaction commits.

    Never queued for a rolled-back transaction. Runs inline when ``Q_CLUSTER['sync']`` is on at call time
    (django-q reads its settings once at import, so a later override is honoured here). With ``run``, the
    task id is stored on it.
    """

    def _enqueue() -> None:
        from django.conf import settings
        from django_q.tasks import async_task

        options: dict[str, Any] = {}
        if settings.Q_CLUSTER.get("sync"):
            options["sync"] = True
        if group:
            options["group"] = group
        if task_name:
            options["task_name"] = task_name[:100]
        task_id = async_task(func, *args, **options, **kwargs)
        if run is not None and run.pk is not None:
            type(run).objects.filter(pk=run.pk).update(task_id=str(task_id or "")[:64])

    transaction.on_commit(_enqueue)


# -- stale-run sweep -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaleSweep:
    model: type[JobRun]
    stale_after: timedelta
    message: str
    on_failed: Callable[[JobRun], None] | None = None


_sweeps: dict[str, StaleSweep] = {}


def register_stale_sweep(model: type[JobRun], *, stale_after: timedelta, message: str | None = None,
                         on_failed: Callable[[JobRun], None] | None = None) -> None:
    """Make :func:`sweep_stale_runs` fail this run type's runs with no sign of life for ``stale_after``.

    Call from the app's ``AppConfig.ready``. ``on_failed(run)`` runs for each run failed (mail, notification).
    """
    text = message or (f"The worker stopped giving signs of life for {int(stale_after.total_seconds() // 60)} "
                       "minutes (killed or restarted); the run was marked failed. Start it again.")
    _sweeps[model._meta.label] = StaleSweep(model, stale_after, text, on_failed)


def registered_sweeps() -> Iterable[StaleSweep]:
    return tuple(_sweeps.values())


def stale_runs_q(stale_after: timedelta, now: datetime) -> Q:
    """Active runs whose last sign of life (heartbeat, else start, else creation) is older than ``stale_after``."""
    cutoff = now - stale_after
    return Q(status__in=ACTIVE_STATUSES) & (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )


def sweep_stale_runs(now: datetime | None = None) -> dict[str, int]:
    """Fail every stale run of every registered type; returns how many per type. Idempotent."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for label, sweep in _sweeps.items():
        failed = 0
        for run in sweep.model.objects.filter(stale_runs_q(sweep.stale_after, now)):
            updated = sweep.model.objects.filter(pk=run.pk, status__in=ACTIVE_STATUSES).update(
                status=JobStatus.FAILED, finished_at=now, error=sweep.message
            )
            if not updated:
                continue  # it finished meanwhile
            failed += 1
            run.status, run.finished_at, run.error = JobStatus.FAILED, now, sweep.message
            logger.warning("stale run failed", extra={"run_type": label, "run": run.pk})
            if sweep.on_failed is not None:
                sweep.on_failed(run)
        counts[label] = failed
    return counts
