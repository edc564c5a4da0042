"""Scheduled jobs, registered idempotently from one place (the InvenTree habit).

Each app's `tasks.py` may define `SCHEDULES`: a list of ScheduleSpec, or a callable returning one (for
schedules that follow data, e.g. one per integration account). `register_schedules()` creates or updates
django-q2 Schedule rows by name and removes our stale ones, so re-running never duplicates anything.
"""

import contextvars
import importlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.utils import timezone

logger = logging.getLogger("salesforecast")

SCHEDULE_PREFIX = "sf:"
# Schedules a SCHEDULES callable could not build from a stored row (name → why), for register_schedules' report.
_skipped: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("skipped_schedules", default=None)


def report_skipped(name: str, reason: str) -> None:
    """Called by a SCHEDULES callable that skips a bad row: counted and listed by register_schedules()."""
    skipped = _skipped.get()
    if skipped is not None:
        skipped[name] = reason


@dataclass(frozen=True)
class ScheduleSpec:
    name: str  # unique, without the prefix
    func: str  # dotted path of a tasks.py function
    schedule_type: str  # django_q Schedule.MINUTES / HOURLY / DAILY / CRON …
    minutes: int | None = None
    cron: str | None = None
    kwargs: dict = field(default_factory=dict)
    next_run: datetime | None = None

    @property
    def full_name(self) -> str:
        return SCHEDULE_PREFIX + self.name


def collect_schedule_specs() -> list[ScheduleSpec]:
    specs: list[ScheduleSpec] = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
            continue
        declared = getattr(module, "SCHEDULES", [])
        specs.extend(declared() if callable(declared) else declared)
    names = [s.full_name for s in specs]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"Schedule names must be unique; duplicated: {sorted(duplicates)}")
    return specs


def register_schedules(skipped: dict[str, str] | None = None) -> dict[str, int]:
    """Make django-q2's schedules match the declared ones. Returns counts created/updated/unchanged/removed/
    skipped; pass a dict as `skipped` to learn which rows were skipped and why."""
    from django_q.models import Schedule

    counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0, "skipped": 0}
    skipped = {} if skipped is None else skipped
    token = _skipped.set(skipped)
    try:
        specs = collect_schedule_specs()
    finally:
        _skipped.reset(token)
    counts["skipped"] = len(skipped)
    for spec in specs:
        wanted = {
            "func": spec.func,
            "schedule_type": spec.schedule_type,
            "minutes": spec.minutes,
            "cron": spec.cron,
            # django-q2 keeps kwargs as the text inside `dict(...)`, e.g. "account_id=3, stream='org'".
            "kwargs": ", ".join(f"{key}={value!r}" for key, value in sorted(spec.kwargs.items())) or None,
            "repeats": -1,
        }
        existing = Schedule.objects.filter(name=spec.full_name).first()
        if existing is None:
            Schedule.objects.create(name=spec.full_name, next_run=spec.next_run or timezone.now(), **wanted)
            counts["created"] += 1
            continue
        changed = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(existing, key, value)
            if spec.next_run is not None:
                existing.next_run = spec.next_run
            existing.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    stale = Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX).exclude(name__in=[s.full_name for s in specs])
    counts["removed"] = stale.count()
    stale.delete()
    logger.info("schedules registered", extra={f"schedules_{k}": v for k, v in counts.items()})
    return counts


def register_schedules_after_migrate(sender=None, **kwargs) -> None:
    """After migrate: register the schedules, never failing the migration over them (the web container runs
    migrate on start-up); a problem is logged and shown, and `manage.py setup_schedules` retries."""
    from core.roles import is_last_app

    if not is_last_app(sender):
        return  # once per migrate, after every app migrated
    skipped: dict[str, str] = {}
    try:
        register_schedules(skipped)
    except Exception:  # noqa: BLE001 - a stored row must never keep the database from migrating
        logger.exception("schedules could not be registered after migrate; run `manage.py setup_schedules`")
        return
    for name, reason in skipped.items():
        logger.warning("schedule skipped: %s (%s)", name, reason)
