"""The replenishment policy: periodic review, order-up-to, as plain functions (no ORM, no I/O).

At each review (every R days) we order enough to cover demand until the order after next could arrive:

    P   = lead time L + review period R                                 (protection period, days)
    D   = Σ p50(d) for planning date ≤ d < planning date + P               (+ dependent demand from MRP)
    σ_d = (p90(d) − p10(d)) / (2 · z₀.₉)      per day, z₀.₉ = Φ⁻¹(0.9) ≈ 1.2816: for a normal forecast error
                                               the p10–p90 band is ±z₀.₉·σ around the median; a given
                                               per-day σ (e.g. from backtest residuals) is used as is
    σ_P = √(Σ σ_d²)                            errors of different days taken as independent
    SS  = Φ⁻¹(service level) · σ_P             z = 0 at 50 % (no safety stock), 2.326 at 99 %
    IP  = on hand + open supply due before the end of P − reserved   (later arrivals cannot help within P)
    raw need = max(0, D + SS − IP)
    quantity = raw need rounded up to a multiple of the pack size, then raised to at least the MOQ
               (the MOQ itself rounded up to whole packs); then capped so that IP + quantity ≤ max stock,
               rounded down to whole packs, and dropped to 0 if what fits is below the MOQ.

The cap bites when the order-up-to level D + SS exceeds the max stock (demand over P is more than the
space holds: review more often or shorten the lead time), or when pack/MOQ rounding pushes the position
over it. Orders are placed on the review day (planning date) and arrive L days later.

Independence of daily errors understates σ_P when errors are correlated (a whole week over-forecast);
the conformal p10/p90 of the forecasting engine are per-day, so this is the honest aggregation available.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from statistics import NormalDist

from django.utils.translation import gettext

from core.errors import DomainError

ZERO = Decimal("0")
QUANTUM = Decimal("0.001")
Z_90 = Decimal(repr(NormalDist().inv_cdf(0.9)))
MIN_SERVICE_LEVEL = Decimal("0.5")
MAX_SERVICE_LEVEL = Decimal("0.9999")


class PolicyInputError(DomainError, ValueError):
    """An input of the policy is out of range; `field` names it (400)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}", field=field_name)
        self.message = message  # the API shows the message under the field, without repeating its name


def q3(value: Decimal) -> Decimal:
    return value.quantize(QUANTUM, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


@dataclass(frozen=True)
class PolicySettings:
    service_level: Decimal
    review_period_days: int
    lead_time_days: int
    moq: Decimal = ZERO
    pack_size: Decimal = Decimal("1")
    max_stock: Decimal | None = None

    @property
    def protection_days(self) -> int:
        return self.lead_time_days + self.review_period_days


@dataclass(frozen=True)
class DemandDay:
    """Forecast of one day: the median and either the p10/p90 band or an explicit standard deviation."""

    day: date
    p50: Decimal
    p10: Decimal | None = None
    p90: Decimal | None = None
    sigma: Decimal | None = None

    @property
    def daily_sigma(self) -> Decimal:
        if self.sigma is not None:
            return max(ZERO, self.sigma)
        if self.p10 is not None and self.p90 is not None:
            return max(ZERO, self.p90 - self.p10) / (2 * Z_90)
        return ZERO


@dataclass(frozen=True)
class OpenSupply:
    quantity: Decimal
    due_date: date
    reference: str = ""


@dataclass(frozen=True)
class PolicyInput:
    planning_date: date
    settings: PolicySettings
    demand: Sequence[DemandDay]
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    open_supply: Sequence[OpenSupply] = ()
    dependent_demand: Decimal = ZERO
    unit: str = ""


@dataclass(frozen=True)
class RoundingStep:
    rule: str  # pack_size | moq | max_stock
    before: Decimal
    after: Decimal
    note: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "before": str(self.before), "after": str(self.after), "note": self.note}


@dataclass(frozen=True)
class PolicyResult:
    planning_date: date
    protection_days: int
    demand_days: int
    forecast_demand: Decimal
    dependent_demand: Decimal
    demand: Decimal
    sigma_protection: Decimal
    z: Decimal
    service_level: Decimal
    safety_stock: Decimal
    on_hand: Decimal
    open_supply_within: Decimal
    open_supply_ignored: Decimal
    reserved: Decimal
    inventory_position: Decimal
    target_level: Decimal
    raw_need: Decimal
    quantity: Decimal
    rounding: tuple[RoundingStep, ...]
    capped: bool
    order_date: date
    expected_arrival: date
    next_review_date: date
    explanation: str
    warnings: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        """JSON-ready terms (decimals as strings, to keep their exact value)."""
        return {
            "planning_date": self.planning_date.isoformat(),
            "protection_days": self.protection_days,
            "demand_days": self.demand_days,
            "forecast_demand": str(self.forecast_demand),
            "dependent_demand": str(self.dependent_demand),
            "demand": str(self.demand),
            "sigma_protection": str(self.sigma_protection),
            "z": str(self.z),
            "service_level": str(self.service_level),
            "safety_stock": str(self.safety_stock),
            "on_hand": str(self.on_hand),
            "open_supply_within": str(self.open_supply_within),
            "open_supply_ignored": str(self.open_supply_ignored),
            "reserved": str(self.reserved),
            "inventory_position": str(self.inventory_position),
            "target_level": str(self.target_level),
            "raw_need": str(self.raw_need),
            "quantity": str(self.quantity),
            "rounding": [step.as_dict() for step in self.rounding],
            "capped": self.capped,
            "order_date": self.order_date.isoformat(),
            "expected_arrival": self.expected_arrival.isoformat(),
            "next_review_date": self.next_review_date.isoformat(),
            "explanation": self.explanation,
            "warnings": list(self.warnings),
        }


def z_for_service_level(service_level: Decimal) -> Decimal:
    """Inverse standard normal Φ⁻¹(service level), to 4 decimals."""
    return Decimal(repr(NormalDist().inv_cdf(float(service_level)))).quantize(Decimal("0.0001"))


def validate_settings(settings: PolicySettings) -> None:
    if not MIN_SERVICE_LEVEL <= settings.service_level <= MAX_SERVICE_LEVEL:
        raise PolicyInputError(
            "service_level",
            gettext("must be between %(MIN_SERVICE_LEVEL)s and %(MAX_SERVICE_LEVEL)s, got %(service_level)s.") % {
                "MIN_SERVICE_LEVEL": MIN_SERVICE_LEVEL,
                "MAX_SERVICE_LEVEL": MAX_SERVICE_LEVEL,
                "service_level": settings.service_level,
            },
        )
    if settings.review_period_days < 0:
        raise PolicyInputError("review_period_days", gettext("must be 0 or more."))
    if settings.lead_time_days < 0:
        raise PolicyInputError("lead_time_days", gettext("must be 0 or more."))
    if settings.protection_days < 1:
        raise PolicyInputError("review_period_days", gettext("lead time + review period must be at least one "
                                                             "day."))
    if settings.pack_size <= 0:
        raise PolicyInputError("pack_size", gettext("must be greater than 0, got %(pack_size)s.") % {
                                                "pack_size": settings.pack_size,
                                            })
    if settings.moq < 0:
        raise PolicyInputError("moq", gettext("must be 0 or more, got %(moq)s.") % {"moq": settings.moq})
    if settings.max_stock is not None and settings.max_stock < 0:
        raise PolicyInputError("max_stock", gettext("must be 0 or more, got %(max_stock)s.") % {
                                                "max_stock": settings.max_stock,
                                            })


def round_up_to_pack(quantity: Decimal, pack_size: Decimal) -> Decimal:
    return (quantity / pack_size).to_integral_value(rounding=ROUND_CEILING) * pack_size


def round_down_to_pack(quantity: Decimal, pack_size: Decimal) -> Decimal:
    return (quantity / pack_size).to_integral_value(rounding=ROUND_FLOOR) * pack_size


def apply_order_rules(
    raw_need: Decimal, inventory_position: Decimal, settings: PolicySettings
) -> tuple[Decimal, list[RoundingStep], bool]:
    """Pack rounding, MOQ, max-stock cap, in that order. Returns (quantity, steps, capped)."""
    steps: list[RoundingStep] = []
    quantity = raw_need
    pack, moq = settings.pack_size, settings.moq
    if quantity > 0:
        packed = round_up_to_pack(quantity, pack)
        if packed != quantity:
            note = "rounded up to whole units" if pack == 1 else f"rounded up to whole packs of {_fmt(pack)}"
            steps.append(RoundingStep("pack_size", quantity, packed, note))
            quantity = packed
        if quantity < moq:
            raised = round_up_to_pack(moq, pack)
            note = f"raised to the minimum order quantity {_fmt(moq)}"
            if raised != moq:
                note += f" (in whole packs of {_fmt(pack)}: {_fmt(raised)})"
            steps.append(RoundingStep("moq", quantity, raised, note))
            quantity = raised
    capped = False
    if settings.max_stock is not None and quantity > 0 and inventory_position + quantity > settings.max_stock:
        room = max(ZERO, settings.max_stock - inventory_position)
        fitting = round_down_to_pack(room, pack)
        note = f"capped so the inventory position stays within max stock {_fmt(settings.max_stock)}"
        if 0 < fitting < moq:
            note += f"; what fits ({_fmt(fitting)}) is below the MOQ {_fmt(moq)}, so nothing is ordered"
            fitting = ZERO
        steps.append(RoundingStep("max_stock", quantity, fitting, note))
        quantity, capped = fitting, True
    return quantity, steps, capped


def compute_order_proposal(inp: PolicyInput) -> PolicyResult:
    """All terms of the order-up-to decision for one item at one location (see the module docstring)."""
    settings = inp.settings
    validate_settings(settings)
    for name in ("on_hand", "reserved", "dependent_demand"):
        if not isinstance(getattr(inp, name), Decimal):
            raise PolicyInputError(name, gettext("must be a Decimal."))
    if inp.reserved < 0:
        raise PolicyInputError("reserved", gettext("must be 0 or more."))
    if inp.dependent_demand < 0:
        raise PolicyInputError("dependent_demand", gettext("must be 0 or more."))
    warnings: list[str] = []
    start = inp.planning_date
    p_days = settings.protection_days
    end = start + timedelta(days=p_days)  # exclusive

    window = [d for d in inp.demand if start <= d.day < end]
    seen_days = {d.day for d in window}
    if len(seen_days) != len(window):
        raise PolicyInputError("demand", gettext("a day appears twice in the demand."))
    for d in window:
        if d.p50 < 0:
            raise PolicyInputError("demand", gettext("p50 of %(day)s is negative (%(p50)s).") % {
                                                 "day": d.day,
                                                 "p50": d.p50,
                                             })
    if len(window) < p_days:
        warnings.append(
            f"demand covers {len(window)} of the {p_days} days of the protection period; "
            "missing days count as zero demand"
        )
    forecast_demand = sum((d.p50 for d in window), ZERO)
    variance = sum((d.daily_sigma**2 for d in window), ZERO)
    sigma_p = variance.sqrt() if variance > 0 else ZERO
    z = z_for_service_level(settings.service_level)
    safety_stock = q3(max(ZERO, z * sigma_p))
    demand = q3(forecast_demand + inp.dependent_demand)

    within = sum((o.quantity for o in inp.open_supply if o.due_date < end), ZERO)
    ignored = sum((o.quantity for o in inp.open_supply if o.due_date >= end), ZERO)
    if inp.on_hand < 0:
        warnings.append(f"on hand is negative ({_fmt(inp.on_hand)}): the source recorded sales before receipts")
    inventory_position = q3(inp.on_hand + within - inp.reserved)
    target = q3(demand + safety_stock)
    raw_need = q3(max(ZERO, target - inventory_position))
    quantity, steps, capped = apply_order_rules(raw_need, inventory_position, settings)
    quantity = q3(quantity)
    if settings.max_stock is not None and target > settings.max_stock:
        warnings.append(
            f"the order-up-to level {_fmt(target)} exceeds max stock {_fmt(settings.max_stock)}: "
            "shorten the review period or the lead time"
        )

    order_date = start
    result = PolicyResult(
        planning_date=start,
        protection_days=p_days,
        demand_days=len(window),
        forecast_demand=q3(forecast_demand),
        dependent_demand=q3(inp.dependent_demand),
        demand=demand,
        sigma_protection=q3(sigma_p),
        z=z,
        service_level=settings.service_level,
        safety_stock=safety_stock,
        on_hand=q3(inp.on_hand),
        open_supply_within=q3(within),
        open_supply_ignored=q3(ignored),
        reserved=q3(inp.reserved),
        inventory_position=inventory_position,
        target_level=target,
        raw_need=raw_need,
        quantity=quantity,
        rounding=tuple(steps),
        capped=capped,
        order_date=order_date,
        expected_arrival=order_date + timedelta(days=settings.lead_time_days),
        next_review_date=start + timedelta(days=settings.review_period_days),
        explanation="",
        warnings=tuple(warnings),
    )
    return _with_explanation(result, settings, inp.unit)


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{q3(value).normalize():f}"
    return "0" if text in ("-0", "0E-3") else text


def _with_explanation(result: PolicyResult, settings: PolicySettings, unit: str) -> PolicyResult:
    u = f" {unit}" if unit else ""
    pct = _fmt(settings.service_level * 100)
    demand_part = f"expected demand over the {result.protection_days}-day protection period "
    demand_part += f"({settings.lead_time_days} d lead time + {settings.review_period_days} d review) is "
    demand_part += f"{_fmt(result.demand)}{u}"
    if result.dependent_demand > 0:
        demand_part += (
            f" ({_fmt(result.forecast_demand)} forecast + {_fmt(result.dependent_demand)} for production)"
        )
    ss_part = f"safety stock {_fmt(result.safety_stock)}{u} for a {pct}% service level"
    ip_part = (
        f"inventory position {_fmt(result.inventory_position)}{u} (on hand {_fmt(result.on_hand)} + on order "
        f"{_fmt(result.open_supply_within)} − reserved {_fmt(result.reserved)})"
    )
    if result.open_supply_ignored > 0:
        ip_part += f"; {_fmt(result.open_supply_ignored)} on order arrives after the period and is not counted"
    if result.quantity > 0:
        head = f"Order {_fmt(result.quantity)}{u} on {result.order_date.isoformat()} to arrive "
        head += f"{result.expected_arrival.isoformat()}"
        if result.rounding:
            head += f" (need {_fmt(result.raw_need)}; " + "; ".join(s.note for s in result.rounding) + ")"
        text = f"{head}: {demand_part} and {ss_part}, against an {ip_part}."
    elif result.raw_need > 0:
        notes = "; ".join(s.note for s in result.rounding)
        text = (
            f"No order although {_fmt(result.raw_need)}{u} is short ({notes}): {demand_part} and {ss_part}, "
            f"against an {ip_part}."
        )
    else:
        text = (
            f"No order needed: the {ip_part} covers the order-up-to level {_fmt(result.target_level)}{u} "
            f"({demand_part}, plus {ss_part}). Next review {result.next_review_date.isoformat()}."
        )
    return PolicyResult(**{**result.__dict__, "explanation": text})


__all__ = [
    "DemandDay",
    "OpenSupply",
    "PolicyInput",
    "PolicyInputError",
    "PolicyResult",
    "PolicySettings",
    "RoundingStep",
    "apply_order_rules",
    "compute_order_proposal",
    "z_for_service_level",
]
