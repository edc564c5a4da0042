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

from django.db import DatabaseError, IntegrityError, connection, connections, models, transaction
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
                 *, attempts: int = 5, now: datetime | None = None) -> tuple[R, bool]:
    """Create a queued run for ``key`` or return the active one: ``(run, created)``.

    Relies on the model's :func:`one_active_per` constraint: the insert either wins or fails with
    IntegrityError, in which case the active run is looked up (and if it finished meanwhile, we try again).
    An active run whose worker is gone (stale by the type's registered sweep) is failed first, so a trigger
    never hands back a dead run and the key can be used at once.
    """
    for _ in range(attempts):
        try:
            with transaction.atomic():
                return model.objects.create(**key, **(defaults or {})), True
        except IntegrityError:
            active = model.objects.filter(**key, status__in=ACTIVE_STATUSES).order_by("-pk").first()
            if active is not None and not fail_if_stale(active, now=now):
                return active, False
    raise IntegrityError(f"Could not start a {model._meta.verbose_name}: another run keeps starting.")


def mark_running(run: JobRun, *, stage: str = "") -> bool:
    """Claim a queued run for this worker: queued → running, with start time and a first heartbeat.

    False (and nothing written) when the run is no longer queued: another worker took it, or it was
    cancelled or swept meanwhile.
    """
    _track(run)  # from here a SIGTERM interrupts it (see interruptible)
    now = timezone.now()
    claimed = type(run).objects.filter(pk=run.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, stage=stage[:200])
    if claimed:
        run.status, run.started_at, run.heartbeat_at, run.stage = JobStatus.RUNNING, now, now, stage[:200]
    return bool(claimed)


def mark_finished(run: JobRun, status: str, *, error: str = "", **fields: Any) -> None:
    """Record the end of a run (succeeded, failed, interrupted … or a finished state of the type's own, such as
    an import's "rejected") and any columns of the type."""
    if status in ACTIVE_STATUSES:
        raise ValueError(f"status: {status!r} is not a finished state (anything but {', '.join(ACTIVE_STATUSES)})")
    now = timezone.now()
    values = {"status": status, "finished_at": now, "heartbeat_at": now, "error": error, **fields}
    for key, value in values.items():
        setattr(run, key, value)
    type(run).objects.filter(pk=run.pk).update(**values)


# -- progress ------------------------------------------------------------------------------------------------

ProgressListener = Callable[[str, int, int | None], None]
PROGRESS_WRITE_SECONDS = 1.0
SIDE_LOCK_TIMEOUT_MS = 200


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
        self._aside_usable = True
        # Columns of the run type written along with the progress (e.g. an import's rows processed).
        self.extra: dict[str, Any] = {}
        _track(run)

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
                  "progress_total": self.run.progress_total, "heartbeat_at": beat, **self.extra}
        for key, value in self.extra.items():
            setattr(self.run, key, value)
        try:
            if not (self._aside_usable and connection.vendor == "postgresql" and connection.in_atomic_block
                    and self._write_aside(values)):
                with transaction.atomic():  # a savepoint: a failed write must not break the caller's transaction
                    type(self.run).objects.filter(pk=self.run.pk).update(**values)
        except Exception as exc:  # progress is a courtesy; never fail a run over it …
            if _connection_lost(exc):
                # … unless the run's own database connection is gone: then the run's work is lost too, and
                # carrying on over a silently reopened connection would hide that. Fail it like any DB loss.
                raise
            logger.warning("could not record run progress", extra={"run": self.run.pk}, exc_info=True)
        for hook in _progress_hooks:
            hook(self.run)

    def _write_aside(self, values: dict[str, Any]) -> bool:
        """Write through the side connection; False when that cannot work for this run.

        It cannot when the run's row is not committed yet (created in the open transaction: nothing to update) or
        is locked by it (updated in the open transaction: waiting would deadlock us against ourselves, so the
        side connection waits briefly, then gives up). Then this reporter writes through the run's own
        connection from now on (visible at commit, like SQLite).
        """
        model = type(self.run)
        try:
            if self._side_connection is None:
                self._side_connection = connections.create_connection("default")
                with self._side_connection.cursor() as cursor:
                    cursor.execute(f"SET lock_timeout = '{SIDE_LOCK_TIMEOUT_MS}ms'")
            columns = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(k).column)} = %s" for k in values)
            params = [model._meta.get_field(k).get_db_prep_save(v, self._side_connection) for k, v in values.items()]
            with self._side_connection.cursor() as cursor:
                cursor.execute(f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {columns} "
                               f"WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s RETURNING 1",
                               [*params, self.run.pk])
                written = cursor.fetchone() is not None
        except DatabaseError:
            logger.info("run progress falls back to the run's own connection", extra={"run": self.run.pk})
            written = False
        if not written:
            self._aside_usable = False
            self.close()
        return written


def _connection_lost(exc: BaseException) -> bool:
    """The error says the database connection itself is gone (SQLSTATE class 08 or 57P: terminated, shut down),
    not that one write failed (a lock, a constraint)."""
    from django.db import InterfaceError

    if isinstance(exc, InterfaceError):
        return True
    cause = exc.__cause__ or exc.__context__
    state = str(getattr(cause, "sqlstate", "") or "")
    return state.startswith(("08", "57P"))


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


StaleMessage = str | Callable[[JobRun], str]


@dataclass(frozen=True)
class StaleSweep:
    model: type[JobRun]
    stale_after: timedelta
    never_started_after: timedelta
    message: StaleMessage
    on_failed: Callable[[JobRun], None] | None = None

    def stale_q(self, now: datetime) -> Q:
        return stale_runs_q(self.stale_after, now, never_started_after=self.never_started_after)

    def text_for(self, run: JobRun) -> str:
        return self.message(run) if callable(self.message) else self.message


_sweeps: dict[str, StaleSweep] = {}


def worker_time_limit() -> timedelta:
    """How long django-q2 lets one job run before it stops it (``Q_CLUSTER['timeout']``): no run can be alive
    without a sign of life for longer, so it is the safe stale threshold for runs that beat rarely."""
    from django.conf import settings

    return timedelta(seconds=int(settings.Q_CLUSTER.get("timeout") or 3 * 3600))


def register_stale_sweep(model: type[JobRun], *, stale_after: timedelta, never_started_after: timedelta | None = None,
                         message: StaleMessage | None = None,
                         on_failed: Callable[[JobRun], None] | None = None) -> None:
    """Make :func:`sweep_stale_runs` fail this run type's runs that stopped giving signs of life.

    A running run is stale after ``stale_after`` without a heartbeat; a queued run no worker picked up after
    ``never_started_after`` (default: ``stale_after``). ``message`` is the error recorded (a text, or a function
    of the run). ``on_failed(run)`` runs for each run failed (mail, notification). Call from ``AppConfig.ready``;
    registering the same model again replaces its entry.
    """
    text = message or (f"The worker stopped giving signs of life for {int(stale_after.total_seconds() // 60)} "
                       "minutes (killed or restarted); the run was marked failed. Start it again.")
    _sweeps[model._meta.label] = StaleSweep(model, stale_after, never_started_after or stale_after, text, on_failed)


def registered_sweeps() -> Iterable[StaleSweep]:
    return tuple(_sweeps.values())


def stale_runs_q(stale_after: timedelta, now: datetime, *, never_started_after: timedelta | None = None) -> Q:
    """Runs that stopped giving signs of life.

    Running: the last heartbeat (else the start, else the creation) is older than ``stale_after``.
    Queued: created more than ``never_started_after`` (default ``stale_after``) ago and never picked up.
    """
    cutoff = now - stale_after
    queued_cutoff = now - (never_started_after or stale_after)
    running = Q(status=JobStatus.RUNNING) & (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )
    queued = Q(status=JobStatus.QUEUED, created_at__lt=queued_cutoff)
    return running | queued


def _fail_stale(sweep: StaleSweep, run: JobRun, now: datetime) -> bool:
    """Fail one stale run (unless it finished or showed life meanwhile); True when this call failed it."""
    text = sweep.text_for(run)
    updated = sweep.model.objects.filter(sweep.stale_q(now), pk=run.pk).update(
        status=JobStatus.FAILED, finished_at=now, error=text
    )
    if not updated:
        return False
    run.status, run.finished_at, run.error = JobStatus.FAILED, now, text
    logger.warning("stale run failed", extra={"run_type": sweep.model._meta.label, "run": run.pk})
    if sweep.on_failed is not None:
        sweep.on_failed(run)
    return True


def fail_if_stale(run: JobRun, *, now: datetime | None = None) -> bool:
    """Fail ``run`` if its type's sweep counts it stale (a trigger meeting a dead run); True when failed."""
    sweep = _sweeps.get(type(run)._meta.label)
    if sweep is None or run.status not in ACTIVE_STATUSES:
        return False
    return _fail_stale(sweep, run, now or timezone.now())


def sweep_stale_runs(now: datetime | None = None, *, models: Iterable[type[JobRun]] | None = None) -> dict[str, int]:
    """Fail every stale run of every registered type (or of ``models``); returns how many per type. Idempotent."""
    now = now or timezone.now()
    wanted = None if models is None else {m._meta.label for m in models}
    counts: dict[str, int] = {}
    for label, sweep in _sweeps.items():
        if wanted is not None and label not in wanted:
            continue
        counts[label] = sum(_fail_stale(sweep, run, now) for run in sweep.model.objects.filter(sweep.stale_q(now)))
    return counts


# -- stopping a worker cleanly (SIGTERM) ---------------------------------------------------------------------


class WorkerStopping(BaseException):
    """Raised in a worker's job when the worker is told to stop (SIGTERM).

    A BaseException, like KeyboardInterrupt, so the services' ``except Exception`` (which record a *failure*)
    let it through to :func:`interruptible`, which records the runs as interrupted, to be retried.
    """

    def __init__(self, runs: list[JobRun]) -> None:
        super().__init__("the worker was told to stop (SIGTERM)")
        self.runs = runs


class WorkerInterrupted(Exception):
    """What a task reports to django-q2 after its runs were recorded as interrupted."""


INTERRUPTED_MESSAGE = ("The background worker was stopped (SIGTERM: a deploy, restart or shutdown) while this run "
                       "was in progress; nothing of it was kept. It is marked interrupted: start it again (the "
                       "next schedule or trigger does).")

_interruptible_runs: list[list[JobRun]] = []
_stopping = False


def _track(run: JobRun) -> None:
    """RunProgress calls this: a run with progress inside :func:`interruptible` is the task's to interrupt."""
    if _interruptible_runs and all(r is not run for r in _interruptible_runs[-1]):
        _interruptible_runs[-1].append(run)


def interruptible(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a django-q2 task: on SIGTERM its active runs end ``interrupted`` at once, not swept much later.

    A run is the task's when a :class:`RunProgress` was made for it during the task (every run type does).
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        runs: list[JobRun] = []
        _interruptible_runs.append(runs)
        try:
            return func(*args, **kwargs)
        except WorkerStopping as stop:
            _mark_interrupted(stop.runs)
            raise WorkerInterrupted(f"{func.__module__}.{func.__name__}: stopped by SIGTERM; runs "
                                    f"{', '.join(f'{r._meta.label}#{r.pk}' for r in stop.runs) or 'none'} "
                                    "marked interrupted") from None
        finally:
            _interruptible_runs.pop()

    return wrapper


def _mark_interrupted(runs: list[JobRun]) -> None:
    """Record runs as interrupted, whatever the unwinding wrote meanwhile (a service's "failed")."""
    now = timezone.now()
    for run in runs:
        try:
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            type(run).objects.filter(pk=run.pk).update(status=JobStatus.INTERRUPTED, finished_at=now,
                                                       heartbeat_at=now, error=INTERRUPTED_MESSAGE)
            run.status, run.finished_at, run.error = JobStatus.INTERRUPTED, now, INTERRUPTED_MESSAGE
            logger.warning("run interrupted by SIGTERM", extra={"run_type": run._meta.label, "run": run.pk})
        except Exception:  # noqa: BLE001 - the stale sweep remains the safety net
            logger.exception("could not record an interrupted run", extra={"run": run.pk})


def _on_sigterm(signum: int, frame: Any) -> None:
    global _stopping
    if _stopping:
        return  # the first signal is being handled
    active = [run for runs in _interruptible_runs for run in runs if run.status in ACTIVE_STATUSES]
    if not _interruptible_runs:
        return  # idle: the cluster's stop pill ends this worker after its current (no) task
    _stopping = True
    raise WorkerStopping(active)


def install_worker_sigterm_handler(**_signal_kwargs: Any) -> None:
    """In a django-q2 worker process (the ``post_spawn`` signal): SIGTERM interrupts the job in progress."""
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
