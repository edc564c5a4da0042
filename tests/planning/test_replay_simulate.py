"""Known-answer replays on hand-made series (no database): the simulation and the policy it calls."""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from planning.services import policy
from planning.services.replay import simulate
from planning.services.replay.simulate import (
    Contender,
    ForecastBlock,
    ItemTerms,
    LookAheadError,
    Window,
    replay,
)

D = Decimal
START = date(2026, 1, 5)


def window(demand: np.ndarray, initial: np.ndarray | None = None) -> Window:
    demand = np.atleast_2d(np.asarray(demand, dtype=float))
    return Window(days=[START + timedelta(days=k) for k in range(demand.shape[1])], demand=demand,
                  initial_stock=initial)


def terms(service_level="0.95", review=7, lead=2, moq="0", pack="1", max_stock=None) -> ItemTerms:
    return ItemTerms(policy.PolicySettings(service_level=D(service_level), review_period_days=review,
                                           lead_time_days=lead, moq=D(moq), pack_size=D(pack),
                                           max_stock=None if max_stock is None else D(max_stock)), unit_value=2.0)


def flat_source(rate: float, spread: float = 0.0):
    """Forecasts a constant rate with a symmetric p10–p90 band; knows nothing of the days ahead."""

    def source(origin: int, steps: int) -> ForecastBlock:
        p50 = np.full((1, steps), rate)
        return ForecastBlock(origin, np.maximum(p50 - spread, 0), p50, p50 + spread)

    return source


def yesterday_source(actual: np.ndarray, before: np.ndarray):
    """A naive forecast: yesterday's demand, from the history known on the morning of the review only."""

    def source(origin: int, steps: int) -> ForecastBlock:
        known = np.concatenate([before, actual[:origin]])
        p50 = np.full((1, steps), known[-1])
        return ForecastBlock(origin, p50, p50, p50)

    return source


POLICY = Contender("policy", "Policy", simulate.RULE_POLICY, forecast="f")


def test_constant_demand_has_no_stockouts_and_holds_safety_plus_cycle_stock():
    rate, spread, review, lead = 10.0, 4.0, 7, 2
    days = 7 * 26
    item = terms(review=review, lead=lead)
    [out] = replay(window(np.full(days, rate)), [item], [POLICY], {"f": flat_source(rate, spread)})
    assert out.short.sum() == 0 and out.stockout_days.sum() == 0
    assert out.sold.sum() == pytest.approx(rate * days)
    # Safety stock by the product's own formula; the cycle stock at the end of the day averages d·(R−1)/2.
    sigma_day = D(str(2 * spread)) / (2 * policy.Z_90)
    safety = float(policy.z_for_service_level(D("0.95")) * (sigma_day**2 * (review + lead)).sqrt())
    expected = safety + rate * (review - 1) / 2
    assert out.avg_stock[0] == pytest.approx(expected, rel=0.05)
    assert out.orders[0] == days // review - 1  # the first review finds the target already held


def test_a_demand_jump_short_only_until_the_next_review_plus_lead_time():
    before = np.full(60, 10.0)
    actual = np.concatenate([np.full(24, 10.0), np.full(60, 30.0)])  # reviews on days 0, 7, … 21, 28
    [out] = replay(window(actual), [terms(review=7, lead=2, service_level="0.5")], [POLICY],
                   {"f": yesterday_source(actual, before)})
    short_days = np.flatnonzero(out.lost[0] > 0)
    assert len(short_days) > 0, "a jump nobody could foresee must cause stock-outs"
    next_review_after_jump = 28
    assert short_days.max() <= next_review_after_jump + 2  # covered once the order placed then arrives
    assert out.short.sum() > 0


def test_a_replay_that_sees_the_future_would_not_pass_the_jump_test():
    """The jump test discriminates: handed the actual future, the same policy never runs out."""
    actual = np.concatenate([np.full(24, 10.0), np.full(60, 30.0)])

    def clairvoyant(origin: int, steps: int) -> ForecastBlock:
        future = np.zeros((1, steps))
        seen = actual[origin: origin + steps]
        future[0, : len(seen)] = seen
        return ForecastBlock(origin, future, future, future)

    [out] = replay(window(actual), [terms(review=7, lead=2, service_level="0.5")], [POLICY], {"f": clairvoyant})
    assert out.short.sum() == 0


def test_a_source_answering_for_another_day_is_refused_as_look_ahead():
    def leaky(origin: int, steps: int) -> ForecastBlock:
        p50 = np.ones((1, steps))
        return ForecastBlock(origin + 7, p50, p50, p50)  # "made" a week later than asked

    with pytest.raises(LookAheadError, match="asked for the morning of day 0"):
        replay(window(np.ones(14)), [terms()], [POLICY], {"f": leaky})


def test_moq_and_pack_rounding_are_respected_in_every_order():
    rng = np.random.default_rng(3)
    actual = rng.poisson(7, size=140).astype(float)
    item = terms(review=7, lead=3, moq="40", pack="12")
    [out] = replay(window(actual), [item], [POLICY], {"f": flat_source(7.0, 3.0)})
    placed = out.arrivals[out.arrivals > 0]
    assert len(placed) > 0
    assert all(q >= 40 and q % 12 == 0 for q in placed)


def test_the_policy_called_is_the_products_own_and_decides_the_same_order():
    assert simulate.policy is policy and simulate.policy.compute_order_proposal is policy.compute_order_proposal
    item = terms(review=7, lead=2)
    [out] = replay(window(np.full(14, 10.0), initial=np.array([5.0])), [item], [POLICY], {"f": flat_source(10.0)})
    direct = policy.compute_order_proposal(policy.PolicyInput(
        planning_date=START, settings=item.settings,
        demand=[policy.DemandDay(START + timedelta(days=k), D("10"), D("10"), D("10")) for k in range(9)],
        on_hand=D("5")))
    assert out.arrivals[0, 2] == float(direct.quantity) == 85.0


def test_min_max_orders_up_to_max_when_the_position_falls_to_min():
    item = terms(review=7, lead=2)
    low, high = simulate.min_max_levels(item.settings, 10.0)
    assert (low, high) == (90.0, 160.0)
    minmax = Contender("min_max", "Min–max", simulate.RULE_MIN_MAX, forecast="f")
    [out] = replay(window(np.full(70, 10.0)), [item], [minmax], {"f": flat_source(10.0)})
    assert out.initial_stock[0] == high and out.short.sum() == 0
    placed = out.arrivals[out.arrivals > 0]
    assert len(placed) > 0 and all(q > 0 for q in placed)


def test_service_levels_trade_stock_for_fill_rate():
    rng = np.random.default_rng(7)
    actual = rng.poisson(20, size=(30, 182)).astype(float)
    items = [terms(review=7, lead=3) for _ in range(30)]

    def source(origin: int, steps: int) -> ForecastBlock:
        p50 = np.full((30, steps), 20.0)
        return ForecastBlock(origin, p50 - 5.7, p50, p50 + 5.7)

    contenders = [Contender(f"p{sl}", sl, simulate.RULE_POLICY, "f", D(sl)) for sl in ("0.80", "0.95", "0.99")]
    outs = replay(window(actual), items, contenders, {"f": source})
    values = np.full(30, 2.0)
    fill = [o.totals(values)["fill_rate"] for o in outs]
    stock = [o.totals(values)["avg_stock_value"] for o in outs]
    assert fill[0] < fill[1] < fill[2] and stock[0] < stock[1] < stock[2]
    assert fill[1] > 0.97


def test_actual_outcome_reports_stock_held_and_no_fill_rate():
    actual = np.full((2, 5), 3.0)
    stock = np.array([[5, 2, 0, 4, 1], [0, 0, 0, 0, 0]], dtype=float)
    out = simulate.actual_outcome(window(actual), stock, known=np.array([True, False]))
    totals = out.totals(np.array([1.0, 1.0]))
    assert totals["fill_rate"] is None and totals["stockout_days"] == 1
    assert totals["avg_stock_units"] == pytest.approx(12 / 5)


def test_the_calendar_must_be_consecutive_days():
    with pytest.raises(ValueError, match="consecutive"):
        Window(days=[START, START + timedelta(days=2)], demand=np.ones((1, 2)))
