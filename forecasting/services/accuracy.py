"""Forecasts against actuals: the accuracy log, filled as sales arrive, and its aggregates.

A forecast point gets its actual once its location's sales have been loaded through that day: the
day's ``DailySale`` quantity, or 0 when the location's missing-day policy is ``zero`` and the product
has no row that day (nothing sold is a real outcome; ignoring it would hide over-forecasting). Under
``unknown`` such a point stays unscored. Re-running is idempotent: only new or changed points are written,
and a run whose window has been fully scored is looked at again only when sales in that window change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Case, Count, F, FloatField, IntegerField, Max, QuerySet, Sum, When
from django.db.models.functions import Abs, Cast
from django.utils import timezone
from django.utils.translation import gettext

from branches.models import Location
from forecasting.choices import AccuracyGroupBy, RunStatus
from forecasting.models import Forecast, ForecastAccuracyLog, ModelRun
from forecasting.models import ForecastScope as ScopeUnit
from forecasting.services.errors import InvalidParameter
from forecasting.services.history import EpochDay, epoch_day, fetch_columns, from_epoch_day
from forecasting.services.policies import missing_day_policies
from forecasting.services.scope import ForecastScope, as_scope
from sales.models import DailySale, Product

logger = logging.getLogger("forecasting")

Progress = Callable[[str, int, int], None]
UPSERT_BATCH_SIZE = 5_000
GROUP_KEYS = {
    AccuracyGroupBy.RUN: "run_id",
    AccuracyGroupBy.LOCATION: "location_id",
    AccuracyGroupBy.PRODUCT: "product_id",
    AccuracyGroupBy.HORIZON_DAY: "horizon_day",
    # the scope of the run that made the forecast; None = runs without a scope ("everything")
    AccuracyGroupBy.FORECAST_SCOPE: "run__forecast_scope_id",
}


def horizon_days(frequency: str, start: dt.date, days: np.ndarray) -> np.ndarray:
    """1-based period index of each epoch day within a run starting at ``start`` (daily, weekly or monthly)."""
    offset = days.astype(np.int64) - epoch_day(start)
    kind = (frequency or "D").upper()
    if kind.startswith("W"):
        return offset // 7 + 1
    if kind in ("MS", "ME", "M"):
        dates = pd.to_datetime(days, unit="D")
        return (dates.year - start.year) * 12 + (dates.month - start.month) + 1
    return offset + 1


def _needs_update(run: ModelRun, latest: dt.date) -> bool:
    if run.accuracy_checked_at is None or run.accuracy_through is None:
        return True
    if run.accuracy_through < min(run.forecast_end, latest):
        return True
    # Fully scored: only late corrections or late-arriving rows in its window bring it back.
    return DailySale.objects.filter(
        date__gte=run.forecast_start, date__lte=run.forecast_end, updated_at__gt=run.accuracy_checked_at
    ).exists()


def _data_through(since: dt.date) -> dict[int, int]:
    """Last sales day (epoch) of each location that has sales since ``since``."""
    rows = DailySale.objects.filter(date__gte=since).values("location_id").annotate(last=Max("date")).order_by()
    return {r["location_id"]: epoch_day(r["last"]) for r in rows}


def _score_run(run: ModelRun, latest: dt.date, data_through: dict[int, int]) -> int:
    """Compare one run's forecasts with the actuals that have arrived; upsert new/changed log rows."""
    checked_at = timezone.now()
    end = min(run.forecast_end, latest)
    fc_qs = (
        Forecast.objects.filter(run=run, date__lte=end)
        .order_by()
        .annotate(_day=EpochDay("date"))
        .values_list("location_id", "product_id", "_day", "yhat", "p10", "p90")
    )
    loc, prod, day, yhat, p10, p90 = fetch_columns(
        fc_qs, [np.int64, np.int64, np.int32, np.float64, np.float64, np.float64]
    )
    points = pd.DataFrame({"loc": loc, "prod": prod, "day": day, "forecast": yhat, "p10": p10, "p90": p90})
    through = points["loc"].map(data_through).fillna(-1).to_numpy()
    points = points[points["day"].to_numpy() <= through]
    written = 0
    if len(points):
        sales_qs = (
            DailySale.objects.filter(as_scope(run.scope).series_q(), date__gte=run.forecast_start, date__lte=end)
            .order_by()
            .annotate(_day=EpochDay("date"), _qty=Cast("quantity", FloatField()))
            .values_list("location_id", "product_id", "_day", "_qty")
        )
        s_loc, s_prod, s_day, s_qty = fetch_columns(sales_qs, [np.int64, np.int64, np.int32, np.float64])
        actuals = pd.DataFrame({"loc": s_loc, "prod": s_prod, "day": s_day, "actual": s_qty})
        points = points.merge(actuals, on=["loc", "prod", "day"], how="left")
        policies = missing_day_policies(points["loc"].unique().tolist())
        zero_fill = points["loc"].map(lambda pk: policies.get(pk) == "zero").to_numpy(dtype=bool)
        missing = points["actual"].isna().to_numpy()
        points.loc[missing & zero_fill, "actual"] = 0.0
        points = points[points["actual"].notna()].reset_index(drop=True)
        points["horizon_day"] = horizon_days(run.frequency, run.forecast_start, points["day"].to_numpy())
        existing_qs = (
            ForecastAccuracyLog.objects.filter(run=run)
            .order_by()
            .annotate(_day=EpochDay("date"))
            .values_list("location_id", "product_id", "_day", "actual", "forecast")
        )
        e_loc, e_prod, e_day, e_actual, e_forecast = fetch_columns(
            existing_qs, [np.int64, np.int64, np.int32, np.float64, np.float64]
        )
        existing = pd.DataFrame(
            {"loc": e_loc, "prod": e_prod, "day": e_day, "old_actual": e_actual, "old_forecast": e_forecast}
        )
        points = points.merge(existing, on=["loc", "prod", "day"], how="left")
        changed = (
            points["old_actual"].isna()
            | ((points["old_actual"] - points["actual"]).abs() > 1e-9)
            | ((points["old_forecast"] - points["forecast"]).abs() > 1e-9)
        )
        written = _upsert(run, points[changed.to_numpy()])
    run.accuracy_through, run.accuracy_checked_at = end, checked_at
    run.save(update_fields=["accuracy_through", "accuracy_checked_at"])
    return written


def _upsert(run: ModelRun, points: pd.DataFrame) -> int:
    if not len(points):
        return 0
    error = points["forecast"].to_numpy() - points["actual"].to_numpy()
    p10 = points["p10"].to_numpy()
    p90 = points["p90"].to_numpy()
    logs = [
        ForecastAccuracyLog(
            run_id=run.pk,
            location_id=int(points["loc"].iat[i]),
            product_id=int(points["prod"].iat[i]),
            date=from_epoch_day(points["day"].iat[i]),
            horizon_day=int(points["horizon_day"].iat[i]),
            forecast=float(points["forecast"].iat[i]),
            actual=float(points["actual"].iat[i]),
            error=float(error[i]),
            abs_error=float(abs(error[i])),
            p10=None if np.isnan(p10[i]) else float(p10[i]),
            p90=None if np.isnan(p90[i]) else float(p90[i]),
        )
        for i in range(len(points))
    ]
    ForecastAccuracyLog.objects.bulk_create(
        logs,
        batch_size=UPSERT_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["run", "location", "product", "date"],
        update_fields=["horizon_day", "forecast", "actual", "error", "abs_error", "p10", "p90", "updated_at"],
    )
    return len(logs)


def update_accuracy(progress: Progress | None = None) -> int:
    """Score every succeeded run's forecasts against the actuals that have arrived; returns rows written.

    Idempotent: a second call with no new sales writes nothing. One transaction per run.
    """
    latest = DailySale.objects.aggregate(last=Max("date"))["last"]
    if latest is None:
        return 0
    candidates = ModelRun.objects.filter(
        status=RunStatus.SUCCEEDED, forecast_count__gt=0, forecast_start__lte=latest
    ).order_by("pk")
    todo = [run for run in candidates if _needs_update(run, latest)]
    if progress is not None:
        progress("accuracy", 0, len(todo))
    if not todo:
        return 0
    data_through = _data_through(min(run.forecast_start for run in todo))
    written = 0
    for done, run in enumerate(todo, start=1):
        with transaction.atomic():
            written += _score_run(run, latest, data_through)
        if progress is not None:
            progress("accuracy", done, len(todo))
    logger.info("accuracy updated", extra={"runs": len(todo), "rows": written})
    return written


def accuracy_summary(
    group_by: str = AccuracyGroupBy.RUN,
    *,
    queryset: QuerySet | None = None,
    scope: ForecastScope | None = None,
    run: ModelRun | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[dict]:
    """WAPE, MAE, bias, 80 % interval coverage and count per run, location, product, horizon day or forecast scope.

    By forecast scope, each scope's runs are added up (the key is the scope's id, None for runs without a scope):
    with the nightly fan-out a planner compares the scopes, not the hundreds of runs behind them.

    WAPE = Σ|error| / Σ|actual|; bias = Σ error / Σ|actual| (positive = over-forecast), both None when
    nothing was sold; coverage = share of actuals inside [p10, p90].
    """
    if group_by not in GROUP_KEYS:
        raise InvalidParameter(
            gettext("group_by: %(group_by)r is not one of %(value)s") % {
                "group_by": group_by,
                "value": [g.value for g in AccuracyGroupBy],
            }, field="group_by"
        )
    key = GROUP_KEYS[AccuracyGroupBy(group_by)]
    qs = queryset if queryset is not None else ForecastAccuracyLog.objects.all()
    if scope is not None and not scope.is_everything:
        qs = qs.filter(scope.series_q())
    if run is not None:
        qs = qs.filter(run_id=getattr(run, "pk", run))
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    rows = list(
        qs.order_by()
        .values(key)
        .annotate(
            count=Count("id"),
            abs_error_sum=Sum("abs_error"),
            error_sum=Sum("error"),
            actual_abs_sum=Sum(Abs("actual")),
            actual_sum=Sum("actual"),
            forecast_sum=Sum("forecast"),
            with_interval=Count("p10"),
            covered=Sum(
                Case(When(p10__lte=F("actual"), p90__gte=F("actual"), then=1), default=0, output_field=IntegerField())
            ),
        )
        .order_by(F(key).asc(nulls_first=True))
    )
    labels = _labels(group_by, [r[key] for r in rows])
    out = []
    for r in rows:
        denominator = r["actual_abs_sum"] or 0.0
        out.append(
            {
                "group_by": group_by,
                "key": r[key],
                "label": labels.get(r[key], str(r[key])),
                "count": r["count"],
                "wape": _ratio(r["abs_error_sum"], denominator),
                "mae": round(r["abs_error_sum"] / r["count"], 6) if r["count"] else None,
                "bias": _ratio(r["error_sum"], denominator),
                "coverage": _ratio(r["covered"], r["with_interval"]),
                "actual": round(r["actual_sum"] or 0.0, 4),
                "forecast": round(r["forecast_sum"] or 0.0, 4),
            }
        )
    return out


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not denominator:
        return None
    return round(float(numerator or 0.0) / float(denominator), 6)


def _labels(group_by: str, keys: list) -> dict:
    if group_by == AccuracyGroupBy.RUN:
        return {
            pk: f"Run #{pk} ({start} … {end})"
            for pk, start, end in ModelRun.objects.filter(pk__in=keys).values_list(
                "pk", "forecast_start", "forecast_end"
            )
        }
    if group_by == AccuracyGroupBy.LOCATION:
        return {
            pk: f"{code} {name}".strip()
            for pk, code, name in Location.objects.filter(pk__in=keys).values_list("pk", "code", "name")
        }
    if group_by == AccuracyGroupBy.PRODUCT:
        return {
            pk: f"{sku} {name}"
            for pk, sku, name in Product.objects.filter(pk__in=keys).values_list("pk", "sku", "name")
        }
    if group_by == AccuracyGroupBy.FORECAST_SCOPE:
        names = dict(ScopeUnit.objects.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", "name"))
        return {**names, None: gettext("Everything (runs without a scope)")}
    return {k: f"day {k}" for k in keys}
