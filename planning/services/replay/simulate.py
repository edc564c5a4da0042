"""Replaying a replenishment rule on history, day by day (plain numpy + the policy functions; no ORM, no I/O).

For every contender and every location × product series, over the replay window:

1. **morning**: orders due today arrive and join the stock on hand;
2. **review** (on the item's review days: every ``review_period_days`` from the first day of the window, or every
   day when it is 0): the contender's forecast source is asked for the next days *as it would have forecast
   them that morning* — it is handed the index of the review day and may only use history before it — and
   the product's own policy (:func:`planning.services.policy.compute_order_proposal`, the very function the
   nightly proposals call) decides the order from the stock on hand and the orders still on their way; the
   order arrives ``lead_time_days`` later (the same day when the lead time is 0, before the day's sales);
3. **sales**: the day's actual demand is served from stock; what cannot be served is lost (no back orders —
   a shop's customer buys elsewhere, a restaurant's guest orders another dish), and counted as units short.

Stock held is the stock at the end of each day. Days whose demand is unknown (closed days, days before the
series' first row) count as no demand. The first morning's stock is the actual stock where the source
recorded it, otherwise each contender's own target level (the policy's order-up-to level, the min–max
rule's max): the replay then shows the policy in its steady state, not the cost of a bad start. Each run
records which was used.

Contenders differ only in the forecast they are handed (the model's, a seasonal-naive one), the service
level, or the rule (the policy or a plain min–max rule); everything else — demand, lead times, review days,
MOQ and pack rounding (:func:`planning.services.policy.apply_order_rules`) — is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from planning.services import policy

RULE_POLICY = "policy"
RULE_MIN_MAX = "min_max"
RULE_ACTUAL = "actual"
MIN_MAX_WINDOW_DAYS = 28


class LookAheadError(AssertionError):
    """A forecast source answered with forecasts for days it was not asked about (the future leaked)."""


@dataclass(frozen=True)
class ForecastBlock:
    """Forecasts made on the morning of day ``origin`` (window index) for days ``origin … origin + steps − 1``."""

    origin: int
    p10: np.ndarray  # (series, steps)
    p50: np.ndarray
    p90: np.ndarray


# (origin index in the window, steps) -> forecasts made from history before that day only.
ForecastSource = Callable[[int, int], ForecastBlock]


@dataclass(frozen=True)
class ItemTerms:
    """What the policy needs of one series besides the forecast: its settings and the value of a unit."""

    settings: policy.PolicySettings
    unit_value: float | None = None


@dataclass(frozen=True)
class Contender:
    key: str
    label: str
    rule: str  # policy | min_max | actual
    forecast: str = ""  # name of the forecast source (model, seasonal_naive, moving_average)
    service_level: Decimal | None = None  # None: each item's own setting


@dataclass
class Outcome:
    """One contender over every series: per-series vectors (length n) and the end-of-day stock (n, days)."""

    contender: Contender
    demand: np.ndarray
    sold: np.ndarray
    short: np.ndarray
    stockout_days: np.ndarray
    avg_stock: np.ndarray
    peak_stock: np.ndarray
    orders: np.ndarray
    units_ordered: np.ndarray
    initial_stock: np.ndarray
    stock: np.ndarray
    arrivals: np.ndarray
    lost: np.ndarray  # (series, days): units short each day
    fill_rate_known: bool = True

    def fill_rate(self) -> np.ndarray:
        """Per series: sold / demand (NaN where there was no demand, or where it cannot be observed)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(self.demand > 0, self.sold / self.demand, np.nan)
        return rate if self.fill_rate_known else np.full_like(rate, np.nan)

    def totals(self, unit_values: np.ndarray) -> dict[str, float | int | None]:
        """Whole-scope figures: fill rate over all units, stock held in units and value, stock-outs, orders."""
        value = np.nan_to_num(unit_values, nan=0.0)
        total_demand = float(self.demand.sum())
        fill = (float(self.sold.sum()) / total_demand) if (total_demand > 0 and self.fill_rate_known) else None
        days = self.stock.shape[1] if self.stock.ndim == 2 else 0
        return {
            "series": int(len(self.demand)),
            "demand": round(total_demand, 3),
            "sold": round(float(self.sold.sum()), 3),
            "units_short": round(float(self.short.sum()), 3) if self.fill_rate_known else None,
            "lost_sales_value": round(float((self.short * value).sum()), 2) if self.fill_rate_known else None,
            "fill_rate": None if fill is None else round(fill, 4),
            "stockout_days": int(self.stockout_days.sum()),
            "stockout_day_share": round(float(self.stockout_days.sum()) / max(days * len(self.demand), 1), 4),
            "avg_stock_units": round(float(self.avg_stock.sum()), 3),
            "avg_stock_value": round(float((self.avg_stock * value).sum()), 2),
            "peak_stock_units": round(float(self.stock.sum(axis=0).max()) if days else 0.0, 3),
            "peak_stock_value": round(float((self.stock * value[:, None]).sum(axis=0).max()) if days else 0.0, 2),
            "orders": int(self.orders.sum()),
            "units_ordered": round(float(self.units_ordered.sum()), 3),
        }


@dataclass
class Window:
    """The replay's calendar and the actual demand over it (NaN = unknown, served as no demand)."""

    days: Sequence[date]
    demand: np.ndarray  # (series, days)
    initial_stock: np.ndarray | None = None  # (series,) actual stock on the first morning; NaN = not recorded
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.demand.ndim != 2 or self.demand.shape[1] != len(self.days):
            raise ValueError(f"demand: expected shape (series, {len(self.days)}), got {self.demand.shape}")
        for a, b in zip(self.days, self.days[1:], strict=False):
            if b - a != timedelta(days=1):
                raise ValueError(f"days: the replay calendar must be consecutive days, {a} is followed by {b}")


def _with_service_level(terms: policy.PolicySettings, level: Decimal | None) -> policy.PolicySettings:
    if level is None:
        return terms
    return policy.PolicySettings(
        service_level=level, review_period_days=terms.review_period_days, lead_time_days=terms.lead_time_days,
        moq=terms.moq, pack_size=terms.pack_size, max_stock=terms.max_stock,
    )


def _dec(value: float) -> Decimal:
    return Decimal(repr(round(float(value), 3)))


def is_review_day(day_index: int, review_period_days: int) -> bool:
    return review_period_days <= 0 or day_index % review_period_days == 0


class _Forecasts:
    """Forecast blocks per (source, origin), fetched once (contenders share them) and checked for look-ahead."""

    def __init__(self, sources: dict[str, ForecastSource], steps: int, n: int) -> None:
        self.sources, self.steps, self.n = sources, steps, n
        self._cache: dict[tuple[str, int], ForecastBlock] = {}

    def get(self, name: str, origin: int) -> ForecastBlock:
        key = (name, origin)
        if key not in self._cache:
            block = self.sources[name](origin, self.steps)
            if block.origin != origin:
                raise LookAheadError(
                    f"forecast source {name!r} was asked for the morning of day {origin} and answered with "
                    f"forecasts made on day {block.origin}"
                )
            for part in (block.p10, block.p50, block.p90):
                if part.shape != (self.n, self.steps):
                    raise ValueError(f"forecast source {name!r}: expected shape {(self.n, self.steps)}, "
                                     f"got {part.shape}")
            self._cache[key] = block
        return self._cache[key]


def replay(
    window: Window,
    items: Sequence[ItemTerms],
    contenders: Sequence[Contender],
    sources: dict[str, ForecastSource],
    *,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> list[Outcome]:
    """Replay every contender (except ``actual``, see :func:`actual_outcome`) over the window."""
    n, W = window.demand.shape
    if len(items) != n:
        raise ValueError(f"items: {len(items)} terms for {n} series")
    max_protection = max((t.settings.protection_days for t in items), default=1)
    forecasts = _Forecasts(sources, max(max_protection, 1), n)
    demand = np.nan_to_num(window.demand.astype(np.float64), nan=0.0)
    demand = np.maximum(demand, 0.0)
    outcomes = []
    planned = [c for c in contenders if c.rule != RULE_ACTUAL]
    for number, contender in enumerate(planned):
        if contender.forecast not in sources:
            raise ValueError(f"contender {contender.key!r}: no forecast source {contender.forecast!r}")
        outcomes.append(_replay_one(window, demand, items, contender, forecasts, progress, number, len(planned)))
    return outcomes


def _replay_one(window: Window, demand: np.ndarray, items: Sequence[ItemTerms], contender: Contender,
                forecasts: _Forecasts, progress, number: int, count: int) -> Outcome:
    n, W = demand.shape
    terms = [_with_service_level(t.settings, contender.service_level) for t in items]
    lead = np.array([t.lead_time_days for t in terms], dtype=np.int64)
    review = np.array([t.review_period_days for t in terms], dtype=np.int64)
    arrivals = np.zeros((n, W + int(lead.max(initial=0)) + 1))
    pipeline: list[list[tuple[int, float]]] = [[] for _ in range(n)]  # (arrival day index, quantity)
    stock_end = np.zeros((n, W))
    lost = np.zeros((n, W))
    sold_total, short_total = np.zeros(n), np.zeros(n)
    stockout_days, orders, units_ordered = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n)

    on_hand = _initial_stock(window, terms, contender, forecasts)
    initial = on_hand.copy()
    for d in range(W):
        on_hand += arrivals[:, d]
        reviewing = [i for i in range(n) if is_review_day(d, int(review[i]))]
        if reviewing:
            block = forecasts.get(contender.forecast, d)
            for i in reviewing:
                open_orders = [(due, q) for due, q in pipeline[i] if due > d]
                pipeline[i] = open_orders
                quantity = _decide(contender, terms[i], window.days, d, block, i, on_hand[i], open_orders)
                if quantity > 0:
                    orders[i] += 1
                    units_ordered[i] += quantity
                    due = d + int(lead[i])
                    if due == d:
                        on_hand[i] += quantity
                    else:
                        arrivals[i, due] += quantity
                        pipeline[i].append((due, quantity))
        sold = np.minimum(np.maximum(on_hand, 0.0), demand[:, d])
        short = demand[:, d] - sold
        on_hand -= sold
        sold_total += sold
        short_total += short
        stockout_days += short > 1e-9
        stock_end[:, d] = on_hand
        lost[:, d] = short
        if progress is not None and (d % 7 == 6 or d == W - 1):
            progress(f"replay: {contender.label}", number * W + d + 1, count * W)
    return Outcome(
        contender=contender, demand=demand.sum(axis=1), sold=sold_total, short=short_total,
        stockout_days=stockout_days, avg_stock=stock_end.mean(axis=1) if W else np.zeros(n),
        peak_stock=stock_end.max(axis=1) if W else np.zeros(n), orders=orders, units_ordered=units_ordered,
        initial_stock=initial, stock=stock_end, arrivals=arrivals[:, :W], lost=lost,
    )


def _decide(contender: Contender, terms: policy.PolicySettings, days: Sequence[date], d: int,
            block: ForecastBlock, i: int, on_hand: float, open_orders: list[tuple[int, float]]) -> float:
    """The order placed on the morning of day ``d`` for series ``i``, by the contender's rule."""
    P = terms.protection_days
    if contender.rule == RULE_MIN_MAX:
        return _min_max_quantity(terms, float(block.p50[i, :P].mean()) if P else 0.0, on_hand,
                                 sum(q for _, q in open_orders))
    start = days[d]
    demand = [
        policy.DemandDay(day=start + timedelta(days=k), p50=_dec(max(block.p50[i, k], 0.0)),
                         p10=_dec(max(block.p10[i, k], 0.0)), p90=_dec(max(block.p90[i, k], 0.0)))
        for k in range(P)
    ]
    supply = [policy.OpenSupply(quantity=_dec(q), due_date=start + timedelta(days=due - d))
              for due, q in open_orders]
    result = policy.compute_order_proposal(
        policy.PolicyInput(planning_date=start, settings=terms, demand=demand, on_hand=_dec(on_hand),
                           open_supply=supply)
    )
    return float(result.quantity)


def min_max_levels(terms: policy.PolicySettings, daily_rate: float) -> tuple[float, float]:
    """The plain rule planners use without a forecast: reorder when the position falls to cover for the
    lead time and one review period at the recent daily rate (min), and fill up to one more review period
    (max)."""
    low = daily_rate * (terms.lead_time_days + max(terms.review_period_days, 1))
    return low, low + daily_rate * max(terms.review_period_days, 1)


def _min_max_quantity(terms: policy.PolicySettings, daily_rate: float, on_hand: float, on_order: float) -> float:
    low, high = min_max_levels(terms, daily_rate)
    position = on_hand + on_order
    if position > low or high <= 0:
        return 0.0
    quantity, _steps, _capped = policy.apply_order_rules(_dec(high - position), _dec(position), terms)
    return float(quantity)


def _initial_stock(window: Window, terms: Sequence[policy.PolicySettings], contender: Contender,
                   forecasts: _Forecasts) -> np.ndarray:
    n = len(terms)
    recorded = window.initial_stock if window.initial_stock is not None else np.full(n, np.nan)
    start = np.array(recorded, dtype=np.float64)
    missing = np.isnan(start)
    if not missing.any():
        return start
    block = forecasts.get(contender.forecast, 0)
    day0 = window.days[0]
    for i in np.flatnonzero(missing):
        t = terms[i]
        P = t.protection_days
        if contender.rule == RULE_MIN_MAX:
            start[i] = min_max_levels(t, float(block.p50[i, :P].mean()) if P else 0.0)[1]
            continue
        demand = [
            policy.DemandDay(day=day0 + timedelta(days=k), p50=_dec(max(block.p50[i, k], 0.0)),
                             p10=_dec(max(block.p10[i, k], 0.0)), p90=_dec(max(block.p90[i, k], 0.0)))
            for k in range(P)
        ]
        target = policy.compute_order_proposal(
            policy.PolicyInput(planning_date=day0, settings=t, demand=demand)
        ).target_level
        start[i] = float(target)
    return start


def actual_outcome(window: Window, stock: np.ndarray, known: np.ndarray) -> Outcome:
    """What really happened, from recorded end-of-day stock (``known`` marks series with stock history).

    Lost sales were not recorded, so the fill rate is not observable; stock held and the days that ended
    with no stock are.
    """
    n, W = window.demand.shape
    demand = np.maximum(np.nan_to_num(window.demand, nan=0.0), 0.0)
    stock = np.where(known[:, None], np.nan_to_num(stock, nan=0.0), 0.0)
    empty = (stock <= 1e-9) & known[:, None]
    return Outcome(
        contender=Contender("actual", "What actually happened", RULE_ACTUAL),
        demand=np.where(known, demand.sum(axis=1), 0.0), sold=np.where(known, demand.sum(axis=1), 0.0),
        short=np.zeros(n), stockout_days=empty.sum(axis=1), avg_stock=stock.mean(axis=1) if W else np.zeros(n),
        peak_stock=stock.max(axis=1) if W else np.zeros(n), orders=np.zeros(n, dtype=np.int64),
        units_ordered=np.zeros(n), initial_stock=stock[:, 0] if W else np.zeros(n), stock=stock,
        arrivals=np.zeros((n, W)), lost=np.zeros((n, W)), fill_rate_known=False,
    )
