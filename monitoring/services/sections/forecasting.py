"""Forecasting: the latest successful run (age, backtest WAPE), rolling 7/28-day accuracy, drift.

Accuracy is WAPE = Σ|forecast − actual| ÷ Σ|actual| over every ForecastAccuracyLog point whose date lies in the
N days before today (today excluded: its actuals are incomplete). All runs' points are pooled: with nightly
runs of horizon H each day is scored at horizons 1..H, the same mix a rolling-origin backtest scores, so the
ratio rolling WAPE ÷ backtest WAPE (drift) compares like with like.

Queries (3): the latest successful run with forecasts (forecasting's own definition), the newest run of any
status, one aggregate for both windows.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Abs

from forecasting.models import ForecastAccuracyLog, ModelRun
from forecasting.services.queries import succeeded_runs
from monitoring.services.context import BuildContext, iso, number

WINDOWS = (7, 28)


def backtest_wape(metrics: dict, algorithm: str) -> tuple[float | None, str | None]:
    """The backtest WAPE a run recorded, and where in `metrics` it was found.

    The forecasting app stores the engine's backtest report (`{"models": {name: {"wape": …}}}`); older or
    hand-made runs may keep it under `backtest` or flat. The run's own algorithm wins over LightGBM's.
    """
    if not isinstance(metrics, dict):
        return None, None
    candidates = []
    roots = (("models", metrics.get("models")), ("backtest.models", _get(metrics, "backtest", "models")))
    for root_name, root in roots:
        if isinstance(root, dict):
            for name in dict.fromkeys((algorithm, "lightgbm")):
                candidates.append((f"{root_name}.{name}.wape", _get(root, name, "wape")))
    candidates.append(("wape", metrics.get("wape")))
    for path, value in candidates:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), path
    return None, None


def _get(node: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def accuracy_totals(ctx: BuildContext) -> dict[str, float | int]:
    """Σ|error|, Σ|actual|, Σ error and points per window in one pass over the longest window: its own sums
    are plain, the shorter windows' are filtered."""
    longest = max(WINDOWS)
    aggregates = {}
    for days in WINDOWS:
        in_window = None if days == longest else Q(date__gte=ctx.today - timedelta(days=days))
        aggregates[f"abs_{days}"] = Sum("abs_error", filter=in_window)
        aggregates[f"actual_{days}"] = Sum(Abs("actual"), filter=in_window)
        aggregates[f"error_{days}"] = Sum("error", filter=in_window)
        aggregates[f"points_{days}"] = Count("id", filter=in_window)
    return ForecastAccuracyLog.objects.filter(
        date__gte=ctx.today - timedelta(days=longest), date__lt=ctx.today
    ).aggregate(**aggregates)


def collect(ctx: BuildContext) -> dict:
    # "Latest" as forecasting itself defines it (succeeded, with forecasts, newest finish first).
    latest = (
        succeeded_runs()
        .values(
            "id", "kind", "algorithm", "horizon", "series_count", "data_end", "forecast_start", "forecast_end",
            "forecast_count", "created_at", "finished_at", "metrics", "source_run_id", "source_run__metrics",
        )
        .first()
    )
    newest_any = ModelRun.objects.order_by("-created_at", "-id").values("id", "status", "created_at").first()

    latest_run = dict.fromkeys(
        ("id", "kind", "algorithm", "horizon", "series", "data_end", "forecast_start", "forecast_end", "forecasts",
         "finished_at", "age_seconds", "source_run_id", "backtest_wape", "backtest_wape_source")
    )
    backtest = None
    if latest is not None:
        # A forecast-only run reuses a trained model: the backtest is on the run that trained it.
        backtest, source = backtest_wape(latest["metrics"], latest["algorithm"])
        if backtest is None and latest["source_run_id"]:
            backtest, source = backtest_wape(latest["source_run__metrics"], latest["algorithm"])
            source = f"source_run.{source}" if source else None
        finished = latest["finished_at"] or latest["created_at"]
        latest_run = {
            "id": latest["id"],
            "kind": latest["kind"],
            "algorithm": latest["algorithm"],
            "horizon": latest["horizon"],
            "series": latest["series_count"],
            "data_end": iso(latest["data_end"]),
            "forecast_start": iso(latest["forecast_start"]),
            "forecast_end": iso(latest["forecast_end"]),
            "forecasts": latest["forecast_count"],
            "finished_at": iso(finished),
            "age_seconds": ctx.age_seconds(finished),
            "source_run_id": latest["source_run_id"],
            "backtest_wape": number(backtest, 6),
            "backtest_wape_source": source,
        }

    totals = accuracy_totals(ctx)

    section: dict = {
        "latest_run": latest_run,
        "newest_run": (
            {"id": newest_any["id"], "status": newest_any["status"], "created_at": iso(newest_any["created_at"])}
            if newest_any
            else None
        ),
    }
    drift = {"threshold_ratio": ctx.drift_ratio, "backtest_wape": number(backtest, 6)}
    for days in WINDOWS:
        abs_sum = totals[f"abs_{days}"] or 0.0
        actual_sum = totals[f"actual_{days}"] or 0.0
        wape = abs_sum / actual_sum if actual_sum > 0 else None
        section[f"accuracy_{days}d"] = {
            "from": iso(ctx.today - timedelta(days=days)),
            "to": iso(ctx.today - timedelta(days=1)),
            "points": totals[f"points_{days}"],
            "abs_error_sum": number(abs_sum),
            "actual_sum": number(actual_sum),
            "wape": number(wape, 6),
            "bias": number((totals[f"error_{days}"] or 0.0) / actual_sum, 6) if actual_sum > 0 else None,
        }
        ratio = wape / backtest if wape is not None and backtest else None
        drift[f"ratio_{days}d"] = number(ratio, 6)
        drift[f"delta_{days}d"] = number(wape - backtest, 6) if wape is not None and backtest is not None else None
    drift["is_drifting"] = drift["ratio_28d"] is not None and drift["ratio_28d"] > ctx.drift_ratio
    section["drift"] = drift
    return section
