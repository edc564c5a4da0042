"""Policy replay runs: validate, queue, execute and store (the one door for the API, the admin and the command).

``queue_replay(...)`` records a queued :class:`~planning.models.ReplayRun` and hands it to the worker after the
commit; ``execute_replay(run_id)`` (the worker's task) and ``run_replay(...)`` (the command, synchronous) both
end in :func:`_execute`, which loads the scope's history once, replays every contender
(:mod:`planning.services.replay.simulate`) and stores totals per contender and figures per series.

Contenders: the product's policy on the model's forecasts at each service level asked for, the same policy on
a seasonal-naive forecast at the same levels, a min–max rule on the recent daily rate, and — where stock
history exists (the stock ledger or synced snapshots) — what actually happened.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import InvalidInput
from core.jobs import JobStatus, RunProgress, enqueue_after_commit, mark_finished, mark_running
from forecasting.services.errors import InvalidParameter, NoHistory
from forecasting.services.history import load_history
from forecasting.services.scope import ForecastScope, as_scope, resolve_scope
from planning.models import PurchaseOrderLine, ReplayItem, ReplayRun, StockMovement
from planning.services import policy
from planning.services.replay import simulate
from planning.services.replay.forecasts import HistoryCut, baseline_source, model_source
from planning.services.settings import SettingsResolver
from sales.models import Product, StockLevel

logger = logging.getLogger("planning")
Progress = Callable[[str, int, int | None], None]

DEFAULT_SERVICE_LEVELS = (Decimal("0.80"), Decimal("0.90"), Decimal("0.95"), Decimal("0.98"))
DEFAULT_WEEKS = 26
MAX_WINDOW_DAYS = 366
DEFAULT_RETRAIN_EVERY_DAYS = 28
# Contenders whose day-by-day stock is kept for the trajectory chart (the rest keep their figures only).
TRAJECTORY_RULES = ("model", "seasonal_naive", "min_max", "actual")
# The engine's settings for a replay's many re-trainings: the product's defaults, fewer boosting rounds
# searched (each re-training is one of many) — accuracy in the replay is the product's own.
REPLAY_ENGINE = {"max_rounds": 300}


class ReplayError(InvalidInput):
    code = "invalid_replay"


@dataclass(frozen=True)
class ReplayRequest:
    date_from: date
    date_to: date
    scope: ForecastScope
    service_levels: tuple[Decimal, ...]
    retrain_every_days: int


def validate_request(*, date_from: object = None, date_to: object = None, location: object = None,
                     category: object = None, service_levels: object = None,
                     retrain_every_days: object = None, today: date | None = None) -> ReplayRequest:
    """Check every parameter and name the one at fault. Defaults: the last 26 weeks, four service levels."""
    today = today or timezone.localdate()
    end = _date("date_to", date_to) if date_to not in (None, "") else today - timedelta(days=1)
    start = (_date("date_from", date_from) if date_from not in (None, "")
             else end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1))
    if start > end:
        raise ReplayError(gettext("date_from: %(start)s is after date_to %(end)s") % {
                              "start": start,
                              "end": end,
                          }, field="date_from")
    if end >= today:
        raise ReplayError(gettext("date_to: a replay looks back; %(end)s is not before today (%(today)s)") % {
                              "end": end,
                              "today": today,
                          }, field="date_to")
    if (end - start).days + 1 > MAX_WINDOW_DAYS:
        raise ReplayError(gettext("date_from: the window is %(days)s days; at most %(MAX_WINDOW_DAYS)s") % {
                              "days": (end - start).days + 1,
                              "MAX_WINDOW_DAYS": MAX_WINDOW_DAYS,
                          },
                          field="date_from")
    levels = _levels(service_levels)
    retrain = DEFAULT_RETRAIN_EVERY_DAYS if retrain_every_days in (None, "") else retrain_every_days
    if isinstance(retrain, bool) or not str(retrain).isdigit() or not 1 <= int(str(retrain)) <= 366:
        raise ReplayError(gettext("retrain_every_days: a whole number of days from 1 to 366, got %(retrain)r") % {
                              "retrain": retrain,
                          },
                          field="retrain_every_days")
    try:
        scope = resolve_scope(location=location, category=category)
    except InvalidParameter as exc:  # it names the field already; only a programming error passes through
        raise ReplayError(str(exc), field=exc.field or "scope") from None
    return ReplayRequest(start, end, scope, levels, int(str(retrain)))


def _date(field: str, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ReplayError(gettext("%(field)s: %(value)r is not a date (YYYY-MM-DD)") % {
                              "field": field,
                              "value": value,
                          }, field=field) from None


def _levels(value: object) -> tuple[Decimal, ...]:
    if value in (None, "", []):
        return DEFAULT_SERVICE_LEVELS
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise ReplayError(gettext("service_levels: a list of numbers between 0.5 and 0.9999"), field="service_levels")
    levels = []
    for item in items:
        try:
            level = Decimal(str(item).strip())
        except InvalidOperation:
            raise ReplayError(gettext("service_levels: %(item)r is not a number") % {"item": item},
                              field="service_levels") from None
        if not policy.MIN_SERVICE_LEVEL <= level <= policy.MAX_SERVICE_LEVEL:
            raise ReplayError(gettext("service_levels: %(level)s is outside %(MIN_SERVICE_LEVEL)s … "
                                      "%(MAX_SERVICE_LEVEL)s") % {
                                  "level": level,
                                  "MIN_SERVICE_LEVEL": policy.MIN_SERVICE_LEVEL,
                                  "MAX_SERVICE_LEVEL": policy.MAX_SERVICE_LEVEL,
                              }, field="service_levels")
        levels.append(level)
    if len(levels) > 8:
        raise ReplayError(gettext("service_levels: at most 8 levels"), field="service_levels")
    return tuple(sorted(set(levels)))


def queue_replay(request: ReplayRequest, *, user=None) -> ReplayRun:
    """Record a queued replay and hand it to a worker once the transaction commits."""
    with transaction.atomic():
        run = _create(request, user)
        enqueue_after_commit("planning.tasks.execute_replay", run.pk, run=run, group="planning-replay",
                             task_name=f"replay-{run.pk}")
    return run


def run_replay(request: ReplayRequest, *, user=None, progress: Progress | None = None) -> ReplayRun:
    """Replay now, in this process (the command): the same execution as a worker's."""
    run = _create(request, user)
    return _execute(run, listener=progress)


def execute_replay(run_id: int) -> ReplayRun:
    """The worker's task: execute a queued replay (a run no longer queued is left alone)."""
    run = ReplayRun.objects.get(pk=run_id)
    if run.status != JobStatus.QUEUED:
        logger.info("replay not queued; skipped", extra={"replay": run_id, "status": run.status})
        return run
    return _execute(run)


def _create(request: ReplayRequest, user) -> ReplayRun:
    return ReplayRun.objects.create(
        date_from=request.date_from, date_to=request.date_to, scope=request.scope.to_json(),
        service_levels=[level_text(level) for level in request.service_levels],
        retrain_every_days=request.retrain_every_days,
        created_by=user if getattr(user, "pk", None) else None,
    )


def level_text(level: Decimal) -> str:
    """0.9 → '0.90', 0.995 → '0.995': at least two decimals, as planners write service levels."""
    text = format(level.normalize(), "f")
    return text if len(text.partition(".")[2]) >= 2 else f"{level:.2f}"


def contenders_for(levels: Sequence[Decimal]) -> list[simulate.Contender]:
    out = []
    for forecast, name in (("model", "Policy on the model's forecast"),
                           ("seasonal_naive", "Policy on a seasonal-naive forecast")):
        for level in levels:
            label = f"{name}, service level {level * 100:.0f} %"
            out.append(simulate.Contender(f"{forecast}@{level_text(level)}", label, simulate.RULE_POLICY, forecast,
                                          level))
    out.append(simulate.Contender("min_max", "Min–max rule on the recent daily rate", simulate.RULE_MIN_MAX,
                                  "moving_average"))
    return out


def headline_level(levels: Sequence[Decimal]) -> Decimal:
    """The level whose trajectories are kept: the one nearest 95 %, a common target."""
    return min(levels, key=lambda level: (abs(level - Decimal("0.95")), -level))


def _execute(run: ReplayRun, *, listener: Progress | None = None) -> ReplayRun:
    reporter = RunProgress(run, listener=listener)
    mark_running(run, stage="loading history")
    started = time.perf_counter()
    try:
        result = _replay(run, reporter)
    except Exception as exc:
        logger.exception("replay failed", extra={"replay": run.pk})
        mark_finished(run, JobStatus.FAILED, error=str(exc) if isinstance(exc, InvalidInput)
                      else f"{type(exc).__name__}: {exc}")
        reporter.close()
        raise
    reporter.close()
    seconds = {**result.pop("seconds"), "total": round(time.perf_counter() - started, 2)}
    mark_finished(run, JobStatus.SUCCEEDED, stage="done", seconds=seconds, **result)
    logger.info("replay finished", extra={"replay": run.pk, "series": run.series_count})
    return run


def _replay(run: ReplayRun, reporter: RunProgress) -> dict:
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    scope = as_scope(run.scope)
    levels = tuple(Decimal(level) for level in run.service_levels) or DEFAULT_SERVICE_LEVELS
    days = [run.date_from + timedelta(days=k) for k in range((run.date_to - run.date_from).days + 1)]
    try:
        history = load_history(scope, until=run.date_to)
    except NoHistory:
        return _empty(["No daily sales in the scope up to the end of the window: nothing to replay."], seconds)
    frame = history.frame
    window_rows = frame["date"] >= pd.Timestamp(run.date_from)
    series_keys = (frame.loc[window_rows, ["location", "product"]].astype(str).drop_duplicates()
                   .sort_values(["location", "product"], key=lambda s: s.astype(int)).itertuples(index=False))
    series = [(str(loc), str(prod)) for loc, prod in series_keys]
    if not series:
        return _empty(["No series sold anything inside the window: nothing to replay."], seconds)
    demand = _window_demand(frame, series, days)
    loc_ids = [int(loc) for loc, _ in series]
    prod_ids = [int(prod) for _, prod in series]
    items, values = _item_terms(loc_ids, prod_ids)
    initial = _recorded_initial_stock(loc_ids, prod_ids, run.date_from)
    stock, known = _stock_history(loc_ids, prod_ids, days, initial)
    seconds["load"] = round(time.perf_counter() - t0, 2)

    notes = []
    recorded = ~np.isnan(initial)
    initial_kind = "recorded" if recorded.all() else ("target" if not recorded.any() else "mixed")
    if initial_kind != "recorded":
        notes.append(
            f"No stock was recorded on the first morning for {int((~recorded).sum())} of {len(series)} series: "
            "each rule starts there at its own target level (the policy's order-up-to level, the min–max "
            "rule's max), so the replay shows steady-state behaviour, not the cost of a bad start."
        )
    notes.append("Sales that stock could not serve are counted as lost (no back orders).")
    if np.isnan(values).any():
        notes.append(f"{int(np.isnan(values).sum())} series have no price or purchase price: their stock value "
                     "counts as 0.")
    cut = HistoryCut(frame, series, days)
    overrides = {**REPLAY_ENGINE, "drivers": history.drivers,
                 "missing_policy_by_location": history.missing_policy_by_location or None}
    trainings: list[int] = []
    sources = {
        "model": model_source(cut, retrain_every_days=run.retrain_every_days, overrides=overrides,
                              on_train=trainings.append),
        "seasonal_naive": baseline_source(cut, "seasonal_naive"),
        "moving_average": baseline_source(cut, "moving_average"),
    }
    window = simulate.Window(days=days, demand=demand, initial_stock=initial)
    t1 = time.perf_counter()
    outcomes = simulate.replay(window, items, contenders_for(levels), sources, progress=reporter)
    seconds["replay"] = round(time.perf_counter() - t1, 2)
    notes.append(f"The model was re-trained {len(trainings)} times (every {run.retrain_every_days} days), each "
                 "time on the history known that morning.")
    if known.any():
        outcomes.append(simulate.actual_outcome(window, stock, known))
        notes.append(f"What actually happened comes from the recorded stock of {int(known.sum())} series "
                     "(lost sales were not recorded, so its fill rate is not known).")
    else:
        notes.append("No stock history in the ledger or synced snapshots: 'what actually happened' is not shown.")
    t2 = time.perf_counter()
    reporter("saving results", 0, 1)
    _store_items(run, outcomes, series, loc_ids, prod_ids, demand, values, known, headline_level(levels))
    seconds["store"] = round(time.perf_counter() - t2, 2)
    totals = [{"key": o.contender.key, "label": o.contender.label, "rule": o.contender.rule,
               "forecast": o.contender.forecast,
               "service_level": None if o.contender.service_level is None else level_text(o.contender.service_level),
               **o.totals(values)} for o in outcomes]
    return {"contenders": totals, "series_count": len(series), "initial_stock": initial_kind, "notes": notes,
            "seconds": seconds}


def _empty(notes: list[str], seconds: dict) -> dict:
    return {"contenders": [], "series_count": 0, "initial_stock": "", "notes": notes, "seconds": seconds}


def _window_demand(frame: pd.DataFrame, series: list[tuple[str, str]], days: list[date]) -> np.ndarray:
    """(series, days) actual demand; NaN where no row exists (closed or unknown: served as no demand)."""
    index = {key: i for i, key in enumerate(series)}
    start = pd.Timestamp(days[0])
    rows = frame[(frame["date"] >= start) & (frame["date"] <= pd.Timestamp(days[-1]))]
    out = np.full((len(series), len(days)), np.nan)
    if len(rows):
        keys = zip(rows["location"].astype(str), rows["product"].astype(str), strict=True)
        idx = np.array([index.get(k, -1) for k in keys])
        offset = (rows["date"] - start).dt.days.to_numpy()
        ok = idx >= 0
        out[idx[ok], offset[ok]] = rows["y"].to_numpy(np.float64)[ok]
    return out


def _item_terms(loc_ids: list[int], prod_ids: list[int]) -> tuple[list[simulate.ItemTerms], np.ndarray]:
    """Each series' planning settings (resolved as the nightly proposals resolve them) and unit value."""
    from branches.models import Location

    resolver = SettingsResolver.load()
    locations = Location.objects.in_bulk(set(loc_ids))
    products = Product.objects.in_bulk(set(prod_ids))
    last_price = dict(
        PurchaseOrderLine.objects.filter(product_id__in=set(prod_ids), unit_price__isnull=False)
        .values("product_id").annotate(last=Max("id")).values_list("product_id", "last")
    )
    prices = dict(PurchaseOrderLine.objects.filter(pk__in=last_price.values()).values_list("product_id",
                                                                                          "unit_price"))
    items, values = [], np.full(len(loc_ids), np.nan)
    for i, (loc, prod) in enumerate(zip(loc_ids, prod_ids, strict=True)):
        eff = resolver.resolve(locations[loc], products[prod])
        items.append(simulate.ItemTerms(policy.PolicySettings(
            service_level=eff.service_level, review_period_days=eff.review_period_days,
            lead_time_days=eff.lead_time_days, moq=eff.moq, pack_size=eff.pack_size, max_stock=eff.max_stock,
        )))
        price = prices.get(prod) or products[prod].list_price
        if price is not None:
            values[i] = float(price)
    return items, values


def _recorded_initial_stock(loc_ids: list[int], prod_ids: list[int], first_day: date) -> np.ndarray:
    """Stock on the first morning: the ledger balance after the last movement before it, else the newest
    synced snapshot of the week before (NaN where neither exists)."""
    out = np.full(len(loc_ids), np.nan)
    index = {key: i for i, key in enumerate(zip(loc_ids, prod_ids, strict=True))}
    cutoff = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    ledger = (StockMovement.objects.filter(location_id__in=set(loc_ids), product_id__in=set(prod_ids),
                                           created_at__lt=cutoff)
              .values("location_id", "product_id").annotate(last=Max("id")))
    balances = StockMovement.objects.filter(pk__in=Subquery(ledger.values("last")))
    for loc, prod, balance in balances.values_list("location_id", "product_id", "balance_after"):
        if (loc, prod) in index:
            out[index[(loc, prod)]] = float(balance)
    newest = StockLevel.objects.filter(location_id=OuterRef("location_id"), product_id=OuterRef("product_id"),
                                       as_of__lt=cutoff).order_by("-as_of").values("pk")[:1]
    snapshots = (StockLevel.objects.filter(location_id__in=set(loc_ids), product_id__in=set(prod_ids),
                                           as_of__lt=cutoff, as_of__gte=cutoff - timedelta(days=7))
                 .filter(pk=Subquery(newest)).values_list("location_id", "product_id", "on_hand"))
    for loc, prod, on_hand in snapshots:
        i = index.get((loc, prod))
        if i is not None and np.isnan(out[i]):
            out[i] = float(on_hand)
    return out


def _stock_history(loc_ids: list[int], prod_ids: list[int], days: list[date],
                   initial: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """End-of-day stock per series over the window from the ledger or synced snapshots (carried forward), and
    which series have such a history (a record in the window, or one before it carried in)."""
    n, W = len(loc_ids), len(days)
    stock = np.full((n, W), np.nan)
    if not n or not W:
        return stock, np.zeros(n, dtype=bool)
    index = {key: i for i, key in enumerate(zip(loc_ids, prod_ids, strict=True))}
    start = timezone.make_aware(datetime.combine(days[0], datetime.min.time()))
    end = timezone.make_aware(datetime.combine(days[-1] + timedelta(days=1), datetime.min.time()))
    events: list[tuple[int, int, float]] = []
    for loc, prod, at, balance in (StockMovement.objects
                                   .filter(location_id__in=set(loc_ids), product_id__in=set(prod_ids),
                                           created_at__gte=start, created_at__lt=end)
                                   .order_by("created_at", "id")
                                   .values_list("location_id", "product_id", "created_at", "balance_after")):
        i = index.get((loc, prod))
        if i is not None:
            events.append((i, (timezone.localtime(at).date() - days[0]).days, float(balance)))
    ledger_series = {i for i, _, _ in events}
    for loc, prod, at, on_hand in (StockLevel.objects
                                   .filter(location_id__in=set(loc_ids), product_id__in=set(prod_ids),
                                           as_of__gte=start, as_of__lt=end)
                                   .order_by("as_of").values_list("location_id", "product_id", "as_of", "on_hand")):
        i = index.get((loc, prod))
        if i is not None and i not in ledger_series:
            events.append((i, (timezone.localtime(at).date() - days[0]).days, float(on_hand)))
    for i, day, value in events:  # later records of a day overwrite earlier ones: the end of the day wins
        if 0 <= day < W:
            stock[i, day] = value
    known = ~np.isnan(stock).all(axis=1)
    first = np.where(np.isnan(stock[:, 0]), initial, stock[:, 0])
    stock[:, 0] = first
    # Carry the last record forward over days without one.
    frame = pd.DataFrame(stock.T).ffill()
    return frame.to_numpy().T, known


def _store_items(run: ReplayRun, outcomes: list[simulate.Outcome], series, loc_ids, prod_ids, demand, values,
                 known, headline: Decimal) -> None:
    kept = {f"model@{level_text(headline)}", f"seasonal_naive@{level_text(headline)}", "min_max", "actual"}
    fill = {o.contender.key: o.fill_rate() for o in outcomes}
    rows = []
    for i in range(len(series)):
        outcome_rows, trajectories = {}, {}
        for o in outcomes:
            key = o.contender.key
            if key == "actual" and not known[i]:
                continue
            rate = fill[key][i]
            outcome_rows[key] = {
                "fill_rate": None if np.isnan(rate) else round(float(rate), 4),
                "units_short": round(float(o.short[i]), 3) if o.fill_rate_known else None,
                "stockout_days": int(o.stockout_days[i]),
                "avg_stock": round(float(o.avg_stock[i]), 3),
                "peak_stock": round(float(o.peak_stock[i]), 3),
                "orders": int(o.orders[i]),
                "units_ordered": round(float(o.units_ordered[i]), 3),
                "initial_stock": round(float(o.initial_stock[i]), 3),
            }
            if key in kept:
                trajectories[key] = [round(float(v), 2) for v in o.stock[i]]
        day_demand = np.nan_to_num(demand[i], nan=0.0)
        rows.append(ReplayItem(
            run=run, location_id=loc_ids[i], product_id=prod_ids[i],
            unit_value=None if np.isnan(values[i]) else Decimal(repr(round(float(values[i]), 4))),
            demand_total=round(float(day_demand.sum()), 3), demand=[round(float(v), 3) for v in day_demand],
            outcomes=outcome_rows, trajectories=trajectories,
        ))
    ReplayItem.objects.bulk_create(rows, batch_size=500)
