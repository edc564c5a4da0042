"""The order-up-to policy against hand-computed cases (pure functions: no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from planning.services.policy import (
    DemandDay,
    OpenSupply,
    PolicyInput,
    PolicyInputError,
    PolicySettings,
    compute_order_proposal,
    z_for_service_level,
)

D = Decimal
START = date(2026, 3, 2)


def settings(**overrides) -> PolicySettings:
    values = {"service_level": D("0.95"), "review_period_days": 7, "lead_time_days": 3}
    values.update(overrides)
    return PolicySettings(**values)


def flat(value, days: int = 10, start: date = START) -> list[DemandDay]:
    return [DemandDay(start + timedelta(days=i), D(str(value))) for i in range(days)]


def band(p10, p50, p90, days: int) -> list[DemandDay]:
    return [DemandDay(START + timedelta(days=i), D(str(p50)), D(str(p10)), D(str(p90))) for i in range(days)]


def compute(demand, on_hand="0", reserved="0", open_supply=(), **setting_overrides):
    return compute_order_proposal(PolicyInput(
        planning_date=START, settings=settings(**setting_overrides), demand=demand, on_hand=D(on_hand),
        reserved=D(reserved), open_supply=list(open_supply), unit="pcs",
    ))


def test_zero_demand_orders_nothing():
    result = compute(flat(0))
    assert (result.demand, result.safety_stock, result.inventory_position) == (0, 0, 0)
    assert result.raw_need == 0 and result.quantity == 0
    assert result.rounding == ()
    assert result.explanation.startswith("No order needed")


def test_stock_above_target_orders_nothing():
    # P = 3 + 7 = 10 days × 10/day = 100; no uncertainty given → SS 0; IP 150 > 100.
    result = compute(flat(10), on_hand="150")
    assert result.protection_days == 10
    assert result.demand == D("100")
    assert result.safety_stock == 0
    assert result.target_level == D("100")
    assert result.inventory_position == D("150")
    assert result.quantity == 0
    assert "covers the order-up-to level 100" in result.explanation


def test_raw_need_is_target_minus_inventory_position():
    result = compute(flat(10), on_hand="63")
    assert result.raw_need == D("37") and result.quantity == D("37")
    assert result.explanation.startswith("Order 37 pcs on 2026-03-02 to arrive 2026-03-05")


def test_pack_rounding_rounds_up_to_whole_packs():
    result = compute(flat(10), on_hand="63", pack_size=D("12"))
    assert result.raw_need == D("37")
    assert result.quantity == D("48")  # ceil(37 / 12) = 4 packs
    assert [(s.rule, s.before, s.after) for s in result.rounding] == [("pack_size", D("37"), D("48"))]


def test_moq_raises_small_orders_after_pack_rounding():
    result = compute(flat(10), on_hand="63", pack_size=D("12"), moq=D("60"))
    assert result.quantity == D("60")  # 37 → 48 (packs) → 60 (MOQ, a multiple of 12)
    assert [s.rule for s in result.rounding] == ["pack_size", "moq"]


def test_moq_that_is_not_a_pack_multiple_is_rounded_up_to_packs():
    result = compute(flat(10), on_hand="63", pack_size=D("12"), moq=D("50"))
    assert result.quantity == D("60")  # MOQ 50 → 5 packs of 12
    assert "whole packs of 12: 60" in result.rounding[-1].note


def test_moq_does_not_apply_when_nothing_is_needed():
    assert compute(flat(10), on_hand="100", moq=D("60")).quantity == 0


def test_fractional_pack_sizes_round_exactly():
    result = compute(flat("0.7", days=10), on_hand="0", pack_size=D("2.5"))
    assert result.raw_need == D("7")
    assert result.quantity == D("7.5")


def test_open_orders_outside_the_protection_period_are_ignored():
    # P covers 2026-03-02 .. 2026-03-11. Due 03-05 counts; due 03-12 (first day after P) and 03-20 do not.
    supply = [
        OpenSupply(D("40"), date(2026, 3, 5), "PO 1"),
        OpenSupply(D("30"), date(2026, 3, 12), "PO 2"),
        OpenSupply(D("20"), date(2026, 3, 20), "PO 3"),
    ]
    result = compute(flat(10), on_hand="20", reserved="5", open_supply=supply)
    assert result.open_supply_within == D("40")
    assert result.open_supply_ignored == D("50")
    assert result.inventory_position == D("55")  # 20 + 40 − 5
    assert result.raw_need == D("45")  # 100 − 55
    assert "50 on order arrives after the period and is not counted" in result.explanation


def test_overdue_open_orders_still_count():
    result = compute(flat(10), on_hand="0", open_supply=[OpenSupply(D("30"), date(2026, 2, 20))])
    assert result.open_supply_within == D("30")


def test_reserved_stock_reduces_the_inventory_position():
    assert compute(flat(10), on_hand="100", reserved="30").raw_need == D("30")


# σ_d = (p90 − p10) / (2 · 1.2815515655) = 4 / 2.563103131 = 1.5606 per day; over P = 4 days
# σ_P = √4 · 1.5606 = 3.121 ; z(0.99) = 2.3263 → SS = 7.261 ; z(0.5) = 0 → SS = 0.
SIGMA_P = 2 * 4 / (2 * 1.2815515655446004)


def test_service_level_50_percent_needs_no_safety_stock():
    result = compute(band(8, 10, 12, days=4), lead_time_days=1, review_period_days=3, service_level=D("0.5"))
    assert result.z == 0
    assert result.sigma_protection == D(f"{SIGMA_P:.3f}")
    assert result.safety_stock == 0
    assert result.quantity == D("40")


def test_service_level_99_percent_adds_z_times_sigma():
    result = compute(band(8, 10, 12, days=4), lead_time_days=1, review_period_days=3, service_level=D("0.99"))
    assert result.z == D("2.3263")
    assert result.safety_stock == D(f"{2.3263 * SIGMA_P:.3f}") == D("7.261")
    assert result.target_level == D("47.261")
    assert result.raw_need == D("47.261")
    assert result.quantity == D("48")  # the default pack size is 1 unit


def test_higher_service_level_means_more_safety_stock():
    levels = [D("0.5"), D("0.8"), D("0.9"), D("0.95"), D("0.99"), D("0.999")]
    stocks = [compute(band(5, 10, 20, 10), service_level=sl).safety_stock for sl in levels]
    assert stocks == sorted(stocks) and stocks[0] == 0 and stocks[-1] > stocks[-2]


def test_explicit_daily_sigma_is_aggregated_as_root_sum_of_squares():
    demand = [DemandDay(START + timedelta(days=i), D("10"), sigma=D("3")) for i in range(9)]
    result = compute(demand, lead_time_days=2, review_period_days=7, service_level=D("0.95"))
    assert result.sigma_protection == D("9.000")  # √9 · 3
    assert result.safety_stock == D(f"{float(z_for_service_level(D('0.95'))) * 9:.3f}")


def test_max_stock_caps_the_order_in_whole_packs():
    result = compute(flat(10), on_hand="10", pack_size=D("12"), max_stock=D("60"))
    # raw 90 → 96 (packs); room under the cap = 60 − 10 = 50 → 48 (4 packs)
    assert result.raw_need == D("90")
    assert result.quantity == D("48")
    assert result.capped is True
    assert [s.rule for s in result.rounding] == ["pack_size", "max_stock"]
    assert any("exceeds max stock 60" in w for w in result.warnings)


def test_cap_below_the_moq_orders_nothing_and_says_why():
    result = compute(flat(10), on_hand="40", moq=D("30"), max_stock=D("60"))
    assert result.raw_need == D("60")
    assert result.quantity == 0 and result.capped
    assert "below the MOQ 30" in result.explanation
    assert result.explanation.startswith("No order although 60 pcs is short")


def test_order_date_arrival_and_next_review():
    result = compute(flat(10), on_hand="0", lead_time_days=4, review_period_days=7)
    assert result.order_date == START
    assert result.expected_arrival == START + timedelta(days=4)
    assert result.next_review_date == START + timedelta(days=7)


def test_demand_outside_the_period_is_not_summed_and_short_demand_warns():
    demand = flat(10, days=5) + flat(99, days=3, start=START + timedelta(days=20))
    result = compute(demand)
    assert result.demand == D("50") and result.demand_days == 5
    assert any("covers 5 of the 10 days" in w for w in result.warnings)


def test_dependent_demand_adds_to_d_and_is_explained():
    result = compute_order_proposal(PolicyInput(
        planning_date=START, settings=settings(), demand=flat(1), dependent_demand=D("15"), unit="kg",
    ))
    assert result.demand == D("25") and result.forecast_demand == D("10") and result.dependent_demand == D("15")
    assert "(10 forecast + 15 for production)" in result.explanation


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_level": D("0.3")}, "service_level"),
        ({"service_level": D("1")}, "service_level"),
        ({"pack_size": D("0")}, "pack_size"),
        ({"moq": D("-1")}, "moq"),
        ({"max_stock": D("-5")}, "max_stock"),
        ({"lead_time_days": 0, "review_period_days": 0}, "review_period_days"),
    ],
)
def test_out_of_range_settings_name_the_field(overrides, field):
    with pytest.raises(PolicyInputError) as info:
        compute(flat(1), **overrides)
    assert info.value.field == field


def test_negative_reserved_and_duplicate_days_are_refused():
    with pytest.raises(PolicyInputError) as info:
        compute(flat(1), reserved="-1")
    assert info.value.field == "reserved"
    with pytest.raises(PolicyInputError) as info:
        compute(flat(1, days=2) + flat(1, days=1))
    assert info.value.field == "demand"


def test_as_dict_keeps_exact_decimals():
    terms = compute(flat("0.1", days=10), on_hand="0").as_dict()
    assert terms["demand"] == "1.000"
    assert terms["rounding"] == []
    assert terms["order_date"] == "2026-03-02"
