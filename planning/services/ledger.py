"""The only writer of stock: post movements and move the balance with them, atomically.

Concurrency: for every item touched, the StockBalance row is created if missing (INSERT … ON CONFLICT DO
NOTHING, so two first movements of an item cannot collide) and then locked with SELECT … FOR UPDATE in
(location, product) order. Two transactions touching overlapping items therefore queue on the first shared
row instead of deadlocking, and the "would this go negative?" check sees the committed balance of the
other. On SQLite (no row locks) the project opens write transactions with BEGIN IMMEDIATE, which
serialises writers for the whole database: same guarantee, coarser.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from core.errors import DomainError
from planning.choices import MOVEMENT_SIGN, MovementKind
from planning.models import StockBalance, StockMovement
from sales.models import StockLevel

logger = logging.getLogger("planning")
ZERO = Decimal("0")
LOCK_GROUPS_PER_QUERY = 100


class LedgerError(DomainError):
    """Base of ledger refusals; `field` names the request field to point at, when there is one."""

    field = "quantity"


class InsufficientStock(LedgerError):
    """Posting would take one or more items below zero and that is not allowed for them."""

    def __init__(self, shortages: list[Shortage]) -> None:
        self.shortages = shortages
        lines = "; ".join(
            f"product {s.product_id} at location {s.location_id}: on hand {s.on_hand:f}, needs {s.required:f}"
            for s in shortages
        )
        super().__init__(
            f"Not enough stock ({lines}). Receive or adjust stock first, or allow negative stock.",
            status=409, code="insufficient_stock",
            extra={"shortages": [{"location": s.location_id, "product": s.product_id, "on_hand": str(s.on_hand),
                                  "required": str(s.required)} for s in shortages]},
        )
        self.field = None


class InvalidMovement(LedgerError):
    def __init__(self, message: str, field: str = "quantity") -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class Shortage:
    location_id: int
    product_id: int
    on_hand: Decimal
    required: Decimal


@dataclass(frozen=True)
class MovementSpec:
    """One movement to post. `quantity` is signed (see MOVEMENT_SIGN for what each kind allows)."""

    location_id: int
    product_id: int
    kind: str
    quantity: Decimal
    reason: str = ""
    reference: str = ""
    occurred_at: datetime | None = None
    purchase_order_line_id: int | None = None
    production_task_id: int | None = None
    source_stock_level_id: int | None = None


AllowNegative = bool | Callable[[int, int], bool]


def _check_spec(spec: MovementSpec) -> None:
    if spec.kind not in MOVEMENT_SIGN:
        raise InvalidMovement(f"Unknown movement kind {spec.kind!r}; use one of {', '.join(MOVEMENT_SIGN)}.", "kind")
    if spec.quantity == 0:
        raise InvalidMovement(f"A {spec.kind} movement of product {spec.product_id} must not be zero.")
    sign = MOVEMENT_SIGN[spec.kind]
    if sign and (spec.quantity > 0) != (sign > 0):
        word = "positive" if sign > 0 else "negative"
        raise InvalidMovement(f"A {spec.kind} movement must be {word}; got {spec.quantity:f}.")


def lock_balances(items: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockBalance]:
    """Create missing balance rows and lock all of them, in a stable order. Call inside a transaction.

    Rows are selected per location (`location = L AND product IN (…)`), at most LOCK_GROUPS_PER_QUERY
    locations per statement, in ascending (location, product) order across statements, so the lock order is
    global and the SQL stays small for big batches.
    """
    keys = sorted(set(items))
    if not keys:
        return {}
    StockBalance.objects.bulk_create(
        [StockBalance(location_id=loc, product_id=prod) for loc, prod in keys], ignore_conflicts=True, batch_size=1000
    )
    by_location: dict[int, list[int]] = defaultdict(list)
    for loc, prod in keys:
        by_location[loc].append(prod)
    locations = sorted(by_location)
    locked: dict[tuple[int, int], StockBalance] = {}
    for start in range(0, len(locations), LOCK_GROUPS_PER_QUERY):
        condition = Q()
        for loc in locations[start:start + LOCK_GROUPS_PER_QUERY]:
            condition |= Q(location_id=loc, product_id__in=by_location[loc])
        rows = StockBalance.objects.select_for_update().filter(condition).order_by("location_id", "product_id")
        locked.update({(b.location_id, b.product_id): b for b in rows})
    return locked


def post_movements(
    specs: Sequence[MovementSpec],
    *,
    user=None,
    allow_negative: AllowNegative = False,
) -> list[StockMovement]:
    """Write the movements and their balances in one transaction; refuse if an item would go negative.

    `allow_negative` is a bool for all items or a function (location id, product id) → bool. Only items that
    a movement here decreases are checked, so a receipt never fails on an already negative balance.
    """
    for spec in specs:
        _check_spec(spec)
    if not specs:
        return []
    now = timezone.now()
    with transaction.atomic():
        balances = lock_balances((s.location_id, s.product_id) for s in specs)
        running = {key: b.on_hand for key, b in balances.items()}
        decreased: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        movements: list[StockMovement] = []
        for spec in specs:
            key = (spec.location_id, spec.product_id)
            running[key] += spec.quantity
            if spec.quantity < 0:
                decreased[key] += -spec.quantity
            movements.append(
                StockMovement(
                    location_id=spec.location_id,
                    product_id=spec.product_id,
                    kind=spec.kind,
                    quantity=spec.quantity,
                    balance_after=running[key],
                    reason=spec.reason[:500],
                    reference=spec.reference[:100],
                    occurred_at=spec.occurred_at or now,
                    purchase_order_line_id=spec.purchase_order_line_id,
                    production_task_id=spec.production_task_id,
                    source_stock_level_id=spec.source_stock_level_id,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                )
            )
        shortages = [
            Shortage(key[0], key[1], balances[key].on_hand, required)
            for key, required in sorted(decreased.items())
            if running[key] < 0 and not _allowed(allow_negative, key)
        ]
        if shortages:
            raise InsufficientStock(shortages)
        created = StockMovement.objects.bulk_create(movements)
        last_at: dict[tuple[int, int], datetime] = {}
        for movement in created:
            key = (movement.location_id, movement.product_id)
            last_at[key] = max(last_at.get(key, movement.occurred_at), movement.occurred_at)
        for key, balance in balances.items():
            balance.on_hand = running[key]
            balance.last_movement_at = max(filter(None, [balance.last_movement_at, last_at[key]]))
            balance.updated_at = now
        StockBalance.objects.bulk_update(list(balances.values()), ["on_hand", "last_movement_at", "updated_at"])
    return created


def _allowed(allow_negative: AllowNegative, key: tuple[int, int]) -> bool:
    return allow_negative(*key) if callable(allow_negative) else bool(allow_negative)


def adjust_stock(
    location_id: int,
    product_id: int,
    *,
    new_on_hand: Decimal,
    reason: str,
    user=None,
    reference: str = "",
) -> StockMovement | None:
    """Set on-hand to a counted value through an adjustment movement; None when it already matches."""
    if not reason or not reason.strip():
        raise InvalidMovement("An adjustment needs a reason (e.g. 'stock count 2026-03-01').", field="reason")
    if new_on_hand < 0:
        raise InvalidMovement(f"A counted on-hand cannot be negative; got {new_on_hand:f}.", field="on_hand")
    with transaction.atomic():
        balance = lock_balances([(location_id, product_id)])[(location_id, product_id)]
        delta = new_on_hand - balance.on_hand
        if delta == 0:
            return None
        spec = MovementSpec(
            location_id, product_id, MovementKind.ADJUSTMENT, delta, reason=reason.strip(), reference=reference
        )
        return post_movements([spec], user=user, allow_negative=False)[0]


def transfer_stock(
    from_location_id: int,
    to_location_id: int,
    product_id: int,
    quantity: Decimal,
    *,
    reason: str = "",
    reference: str = "",
    user=None,
    allow_negative: bool = False,
) -> list[StockMovement]:
    """Move stock between locations: a transfer_out and a transfer_in in one transaction."""
    if quantity <= 0:
        raise InvalidMovement(f"A transfer quantity must be positive; got {quantity:f}.")
    if from_location_id == to_location_id:
        raise InvalidMovement("A transfer needs two different locations.", field="to_location")
    reference = reference or f"transfer {from_location_id}->{to_location_id}"
    return post_movements(
        [
            MovementSpec(from_location_id, product_id, MovementKind.TRANSFER_OUT, -quantity, reason, reference),
            MovementSpec(to_location_id, product_id, MovementKind.TRANSFER_IN, quantity, reason, reference),
        ],
        user=user,
        allow_negative=allow_negative,
    )


@dataclass
class ReconcileSummary:
    snapshots_seen: int = 0
    corrections: int = 0
    unchanged: int = 0
    skipped_older: int = 0
    total_correction: Decimal = ZERO


def reconcile_stock_levels(
    location_ids: Iterable[int] | None = None,
    *,
    user=None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ReconcileSummary:
    """Bring the ledger in line with the latest source snapshot (sales.StockLevel) of every item.

    The snapshot was true at its `as_of`, and movements posted after it (a receipt at 10:00 when the
    09:00 snapshot arrives at 11:00) must survive. So the correction is
        snapshot.on_hand − (ledger on-hand − Σ movements after as_of),
    posted as one sync_correction movement dated at as_of. A snapshot not newer than the last reconciled
    one of the item is skipped, so running this twice changes nothing. Reserved and in-transit quantities
    are copied onto the balance (they are the source's figures, not ledger quantities).
    """
    latest = StockLevel.objects.filter(
        as_of=Subquery(
            StockLevel.objects.filter(location_id=OuterRef("location_id"), product_id=OuterRef("product_id"))
            .order_by("-as_of")
            .values("as_of")[:1]
        )
    )
    if location_ids is not None:
        latest = latest.filter(location_id__in=list(location_ids))
    snapshots = list(latest.order_by("location_id", "product_id"))
    summary = ReconcileSummary(snapshots_seen=len(snapshots))
    for index, snapshot in enumerate(snapshots, start=1):
        outcome = reconcile_snapshot(snapshot, user=user)
        if outcome is None:
            summary.skipped_older += 1
        elif outcome == ZERO:
            summary.unchanged += 1
        else:
            summary.corrections += 1
            summary.total_correction += outcome
        if progress is not None:
            progress("stock reconciliation", index, len(snapshots))
    logger.info(
        "stock snapshots reconciled",
        extra={"snapshots": summary.snapshots_seen, "corrections": summary.corrections},
    )
    return summary


def reconcile_snapshot(snapshot: StockLevel, *, user=None) -> Decimal | None:
    """Reconcile one snapshot; returns the correction posted (0 when none), None when it was not newer."""
    key = (snapshot.location_id, snapshot.product_id)
    with transaction.atomic():
        balance = lock_balances([key])[key]
        if balance.last_synced_as_of is not None and snapshot.as_of <= balance.last_synced_as_of:
            return None
        after = StockMovement.objects.filter(
            location_id=key[0], product_id=key[1], occurred_at__gt=snapshot.as_of
        ).aggregate(total=Sum("quantity"))["total"] or ZERO
        ledger_at_snapshot = balance.on_hand - after
        correction = snapshot.on_hand - ledger_at_snapshot
        if correction != 0:
            spec = MovementSpec(
                key[0],
                key[1],
                MovementKind.SYNC_CORRECTION,
                correction,
                reason=f"source snapshot of {snapshot.as_of.isoformat()} says {snapshot.on_hand:f}",
                reference=f"stock level {snapshot.pk}",
                occurred_at=snapshot.as_of,
                source_stock_level_id=snapshot.pk,
            )
            post_movements([spec], user=user, allow_negative=True)
        StockBalance.objects.filter(pk=balance.pk).update(
            last_synced_as_of=snapshot.as_of,
            reserved=snapshot.reserved,
            in_transit=snapshot.in_transit,
            updated_at=timezone.now(),
        )
    return correction


@dataclass(frozen=True)
class LedgerDrift:
    location_id: int
    product_id: int
    balance: Decimal
    movements_total: Decimal


def verify_ledger(location_ids: Iterable[int] | None = None) -> list[LedgerDrift]:
    """Items whose balance differs from the sum of their movements (should always be empty)."""
    balances = StockBalance.objects.all()
    movements = StockMovement.objects.all()
    if location_ids is not None:
        ids = list(location_ids)
        balances = balances.filter(location_id__in=ids)
        movements = movements.filter(location_id__in=ids)
    totals = {
        (row["location_id"], row["product_id"]): row["total"]
        for row in movements.values("location_id", "product_id").annotate(total=Sum("quantity"))
    }
    drifts = []
    for location_id, product_id, on_hand in balances.values_list("location_id", "product_id", "on_hand"):
        total = totals.pop((location_id, product_id), ZERO)
        if total != on_hand:
            drifts.append(LedgerDrift(location_id, product_id, on_hand, total))
    drifts.extend(LedgerDrift(loc, prod, ZERO, total) for (loc, prod), total in totals.items())
    return drifts


def on_hand_map(
    location_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], tuple[Decimal, Decimal, Decimal]]:
    """(location, product) → (on hand, reserved, in transit) from the ledger balances."""
    qs = StockBalance.objects.all()
    if location_ids is not None:
        qs = qs.filter(location_id__in=list(location_ids))
    return {
        (loc, prod): (on_hand, reserved, in_transit)
        for loc, prod, on_hand, reserved, in_transit in qs.values_list(
            "location_id", "product_id", "on_hand", "reserved", "in_transit"
        )
    }


def latest_snapshot_map(
    location_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], tuple[Decimal, Decimal, Decimal]]:
    """(location, product) → (on hand, reserved, in transit) of the newest source snapshot of each item."""
    qs = StockLevel.objects.filter(
        as_of=Subquery(
            StockLevel.objects.filter(location_id=OuterRef("location_id"), product_id=OuterRef("product_id"))
            .order_by("-as_of")
            .values("as_of")[:1]
        )
    )
    if location_ids is not None:
        qs = qs.filter(location_id__in=list(location_ids))
    return {
        (loc, prod): (on_hand, reserved, in_transit)
        for loc, prod, on_hand, reserved, in_transit in qs.values_list(
            "location_id", "product_id", "on_hand", "reserved", "in_transit"
        )
    }
