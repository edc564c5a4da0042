"""The forecast of record: which run's forecast planning, charts, accuracy and exports read for a series.

Each active forecast scope's record is its newest succeeded run with forecasts. A location × product is read
from the most specific active scope that covers it *and* forecast it; failing that, from the runs without a
scope ("everything", as before scopes existed): the newest one that forecast the series, searching back to
the newest unfiltered one (an ad-hoc run filtered to one store is the latest only for that store).

A scoped run's forecasts lie inside its scope (it read only that scope's history), so "covers" needs no
tree walk here: a run either has a row for the series or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import OuterRef, Q, QuerySet, Subquery

from forecasting.choices import RunStatus
from forecasting.models import Forecast, ModelRun
from forecasting.models import ForecastScope as ScopeUnit
from forecasting.services.scope import as_scope
from forecasting.services.scopes import ScopeTrees, filters_of, specificity

# How far back the "everything" fallback searches for a run that forecast a series.
MAX_RUNS_SEARCHED = 30

Pair = tuple[int, int]


@dataclass(frozen=True)
class ScopeRecord:
    scope: ScopeUnit
    run_id: int


def succeeded_runs() -> QuerySet:
    """Succeeded runs with forecasts, newest first (by finish time: the freshest forecast wins)."""
    return ModelRun.objects.filter(status=RunStatus.SUCCEEDED, forecast_count__gt=0).order_by("-finished_at", "-pk")


def scope_records() -> list[ScopeRecord]:
    """Each active scope's forecast of record, most specific scope first (one query, plus the trees)."""
    newest = succeeded_runs().filter(forecast_scope=OuterRef("pk")).values("pk")[:1]
    scopes = [s for s in ScopeUnit.objects.filter(active=True).annotate(record=Subquery(newest)) if s.record]
    if len(scopes) > 1:
        trees = ScopeTrees.load(scopes)
        scopes.sort(key=lambda s: specificity(s, trees), reverse=True)
    return [ScopeRecord(s, s.record) for s in scopes]


def _everything_runs() -> list[ModelRun]:
    """Runs without a scope, newest first, down to (and including) the newest unfiltered one."""
    found: list[ModelRun] = []
    for run in succeeded_runs().filter(forecast_scope__isnull=True)[:MAX_RUNS_SEARCHED]:
        found.append(run)
        if as_scope(run.scope).is_everything:
            break
    return found


def record_candidates() -> list[int]:
    """Run ids in the order a series looks for its forecast: scope records (most specific first), then the
    "everything" runs, newest first."""
    return [r.run_id for r in scope_records()] + [run.pk for run in _everything_runs()]


def forecast_of_record_for(location: int, product: int) -> ModelRun | None:
    """The run whose forecast is the record for one location × product (None when no run forecast it)."""
    location, product = getattr(location, "pk", location), getattr(product, "pk", product)
    pair = Forecast.objects.filter(location_id=location, product_id=product)
    for run_id in record_candidates():
        if pair.filter(run_id=run_id).exists():
            return ModelRun.objects.get(pk=run_id)
    return None


def forecast_of_record_bulk(
    location_ids: Iterable[int] | None = None, *, forecasts: QuerySet | None = None
) -> dict[Pair, int]:
    """Run id of record per (location, product) among ``forecasts`` (all forecasts when None), optionally
    only at ``location_ids``. One query per candidate run (a handful: the scopes plus a few recent runs)."""
    base = Forecast.objects.all() if forecasts is None else forecasts
    if location_ids is not None:
        base = base.filter(location_id__in=list(location_ids))
    chosen: dict[Pair, int] = {}
    for run_id in record_candidates():
        pairs = base.filter(run_id=run_id).order_by().values_list("location_id", "product_id").distinct()
        for pair in pairs:
            chosen.setdefault(pair, run_id)
    return chosen


def record_forecasts(forecasts: QuerySet | None = None) -> QuerySet:
    """The forecast rows of record among ``forecasts``: each active scope's record inside that scope, and the
    newest "everything" run with matching rows for what the scopes' records do not cover.

    A queryset (lazy, streamable for exports); active scopes are disjoint, so the parts never overlap.
    """
    qs = Forecast.objects.all() if forecasts is None else forecasts
    records = scope_records()
    covered = [filters_of(r.scope).series_q() for r in records]
    parts = [Q(run_id=r.run_id) & q for r, q in zip(records, covered, strict=True)]
    rest = qs.filter(run__forecast_scope__isnull=True)
    if covered:
        rest = rest.exclude(reduce(or_, covered))
    newest_first = succeeded_runs().filter(forecast_scope__isnull=True).values_list("pk", flat=True)
    for run_id in newest_first[:MAX_RUNS_SEARCHED]:
        if rest.filter(run_id=run_id).exists():
            parts.append(Q(run_id=run_id) & (~reduce(or_, covered) if covered else Q()))
            break
    if not parts:
        return qs.none()
    return qs.filter(reduce(or_, parts))


def record_run_ids(forecasts: QuerySet | None = None) -> list[int]:
    """The runs :func:`record_forecasts` reads from (for headers and "which run" answers)."""
    return sorted(set(record_forecasts(forecasts).order_by().values_list("run_id", flat=True).distinct()))


__all__ = [
    "ScopeRecord",
    "forecast_of_record_bulk",
    "forecast_of_record_for",
    "record_candidates",
    "record_forecasts",
    "record_run_ids",
    "scope_records",
    "succeeded_runs",
]
