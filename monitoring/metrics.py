"""The catalogue of scalar metrics in a snapshot payload: what alert rules and timeseries may name.

A metric is a dotted path into the payload (`planning.stockout_risk.count`) whose value is a number or null.
The catalogue is the single list the API validates against, the admin offers, and `flatten_metrics()` copies
into `MonitoringSnapshot.metrics` so history and timeseries never have to load whole payloads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


@dataclass(frozen=True)
class Metric:
    path: str
    label: str
    unit: str  # count, seconds, days, ratio

    def as_dict(self) -> dict:
        return {"path": self.path, "label": self.label, "unit": self.unit}


METRICS: tuple[Metric, ...] = (
    Metric("integrations.accounts_total", "Integration accounts", "count"),
    Metric("integrations.accounts_enabled", "Enabled integration accounts", "count"),
    Metric("integrations.streams_failing.count", "Account streams with failures since their last success", "count"),
    Metric("integrations.max_consecutive_failures", "Longest failure streak of any account stream", "count"),
    Metric("integrations.running_now.count", "Sync runs queued or running", "count"),
    Metric("integrations.never_succeeded.count", "Account streams that never succeeded", "count"),
    Metric("integrations.oldest_success_age_seconds", "Age of the oldest last success (enabled accounts)", "seconds"),
    Metric("data.sales.locations_with_sales", "Active locations with sales history", "count"),
    Metric("data.sales.stale_locations.count", "Locations whose sales stopped arriving", "count"),
    Metric("data.sales.lag_days", "Days since the newest sales day anywhere", "days"),
    Metric("data.stock.snapshot_age_seconds", "Age of the newest stock snapshot from a source", "seconds"),
    Metric("data.stock.ledger_age_seconds", "Age of the newest stock ledger movement", "seconds"),
    Metric("forecasting.latest_run.age_seconds", "Age of the latest successful forecast run", "seconds"),
    Metric("forecasting.latest_run.backtest_wape", "Backtest WAPE of the latest forecast run", "ratio"),
    Metric("forecasting.accuracy_7d.wape", "Forecast WAPE over the last 7 days of actuals", "ratio"),
    Metric("forecasting.accuracy_28d.wape", "Forecast WAPE over the last 28 days of actuals", "ratio"),
    Metric("forecasting.drift.ratio_7d", "7-day WAPE ÷ backtest WAPE", "ratio"),
    Metric("forecasting.drift.ratio_28d", "28-day WAPE ÷ backtest WAPE", "ratio"),
    Metric("planning.items_evaluated", "Items with a forecast in the latest run", "count"),
    Metric("planning.stockout_risk.count", "Items at risk of stock-out within their lead time", "count"),
    Metric("planning.overstock.count", "Items stocked beyond the forecast horizon", "count"),
    Metric("planning.proposals_awaiting_approval.count", "Order proposals awaiting a decision", "count"),
    Metric("planning.overdue_purchase_orders.count", "Open purchase orders past their expected date", "count"),
    Metric("planning.overdue_production_tasks.count", "Open production tasks past their due date", "count"),
)
METRIC_BY_PATH: dict[str, Metric] = {m.path: m for m in METRICS}
METRIC_PATHS: tuple[str, ...] = tuple(METRIC_BY_PATH)
METRIC_CHOICES: list[tuple[str, str]] = [(m.path, f"{m.path} — {m.label}") for m in METRICS]


def validate_metric_path(value: str) -> None:
    """Model/serializer validator: the path must name a catalogued metric."""
    if value not in METRIC_BY_PATH:
        raise ValidationError(
            gettext("Unknown metric %(value)r. Valid metrics: %(METRIC_PATHS)s.") % {
                "value": value,
                "METRIC_PATHS": ', '.join(METRIC_PATHS),
            }, code="unknown_metric"
        )


def resolve_path(payload: dict, path: str) -> object:
    """The value at a dotted path of the payload, or None when any part is missing."""
    node: object = payload
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def metric_value(payload: dict, path: str) -> float | None:
    """A catalogued metric's numeric value (None when absent or not a number)."""
    value = resolve_path(payload, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def flatten_metrics(payload: dict) -> dict[str, float | None]:
    """Every catalogued metric of a payload, keyed by path (what snapshots store for history and alerts)."""
    return {path: metric_value(payload, path) for path in METRIC_PATHS}
