"""The only writer of stock: post movements and move the balance with them, atomically.

Concurrency: for every item touched, the StockBalance row is created if missing (INSERT … ON CONFLICT DO
NOTHING, so two first movements of an item cannot collide) and then locked with SELECT … FOR UPDATE in
(location, product) order. Two transactions touching overlapping items therefore queue on the first shared
row instead of deadlocking, and the "would this go negative?" check sees the committed balance of the
other. On SQLite (no row locks) the project opens write transactions with BEGIN IMMEDIATE, which
serialises writers for the whole database: same guarantee, coarser.

Lots and statuses: every movement names a lot (or none) and a status (available by default), and moves the
matching `StockBucket` with the item's balance. The buckets of an item are only written under its locked
balance row, so they need no locks of their own. Allowing negative stock (a setting) applies to the item's
available stock without a lot only: a lot, or a quarantined or blocked quantity, never goes below zero.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, DomainError, InvalidInput
from planning.choices import MOVEMENT_SIGN, MovementKind, StockStatus
from planning.models import StockBalance, StockBucket, StockMovement
from sales.models import StockLevel

logger = logging.getLogger("planning")
ZERO = Decimal("0")
LOCK_GROUPS_PER_QUERY = 100


class LedgerError(DomainError):
    """Base of ledger refusals; `field` names the request field to point at, when there is one."""

    field = "quantity"


class InsufficientStock(LedgerError, Conflict):
    """Posting would take one or more items (or a lot / status of one) below zero and that is not allowed.

    A 409 that names the status: "available 2, needs 5; 10 in quarantine and 3 blocked cannot be used".
    """

    code = "insufficient_stock"

    def __init__(self, shortages: list[Shortage]) -> None:
        self.shortages = shortages
        message = gettext("Not enough stock (%(shortages)s). Receive, release or adjust stock first, or allow "
                          "negative stock.") % {"shortages": "; ".join(s.describe() for s in shortages)}
        Conflict.__init__(self, message, extra={"shortages": [s.as_dict() for s in shortages]})


class InvalidMovement(LedgerError, InvalidInput):
    def __init__(self, message: str, field: str = "quantity") -> None:
        InvalidInput.__init__(self, message, field=field)


@dataclass(frozen=True)
class Shortage:
    location_id: int
    product_id: int
    on_hand: Decimal
    required: Decimal
    status: str = ""  # "" = the item as a whole; otherwise the status (and lot) that ran short
    lot_id: int | None = None
    quarantine: Decimal = ZERO
    blocked: Decimal = ZERO

    def describe(self) -> str:
        where = gettext("product %(product_id)s at location %(location_id)s") % {
            "product_id": self.product_id, "location_id": self.location_id}
        if self.lot_id is not None:
            where += gettext(", lot %(lot_id)s") % {"lot_id": self.lot_id}
        have = gettext("on hand %(on_hand)s") % {"on_hand": f"{self.on_hand:f}"} + (
            f" {self.status}" if self.status else "")
        text = gettext("%(where)s: %(have)s, needs %(required)s") % {
            "where": where, "have": have, "required": f"{self.required:f}"}
        held = [gettext("%(quantity)s in quarantine") % {"quantity": f"{q:f}"} for q in [self.quarantine] if q > 0]
        held += [gettext("%(quantity)s blocked") % {"quantity": f"{b:f}"} for b in [self.blocked] if b > 0]
        if held:
            text += " " + gettext("(%(held)s cannot be used)") % {"held": gettext(" and ").join(held)}
        return text

    def as_dict(self) -> dict:
        return {"location": self.location_id, "product": self.product_id, "lot": self.lot_id,
                "status": self.status or None, "on_hand": str(self.on_hand), "required": str(self.required),
                "quarantine": str(self.quarantine), "blocked": str(self.blocked)}


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
    lot_id: int | None = None
    status: str = StockStatus.AVAILABLE

    @property
    def bucket_key(self) -> BucketKey:
        return (self.location_id, self.product_id, self.lot_id, self.status)


BucketKey = tuple[int, int, int | None, str]
AllowNegative = bool | Callable[[int, int], bool]


def _check_spec(spec: MovementSpec) -> None:
    if spec.kind not in MOVEMENT_SIGN:
        raise InvalidMovement(gettext("Unknown movement kind %(kind)r; use one of %(MOVEMENT_SIGN)s.") % {
                                  "kind": spec.kind,
                                  "MOVEMENT_SIGN": ', '.join(MOVEMENT_SIGN),
                              }, "kind")
    if spec.status not in StockStatus.values:
        raise InvalidMovement(
            gettext("Unknown stock status %(status)r; use one of %(values)s.") % {
                "status": spec.status,
                "values": ', '.join(StockStatus.values),
            }, "status"
        )
    if spec.quantity == 0:
        raise InvalidMovement(gettext("A %(kind)s movement of product %(product_id)s must not be zero.") % {
                                  "kind": spec.kind,
                                  "product_id": spec.product_id,
                              })
    sign = MOVEMENT_SIGN[spec.kind]
    if sign and (spec.quantity > 0) != (sign > 0):
        word = "positive" if sign > 0 else "negative"
        raise InvalidMovement(gettext("A %(kind)s movement must be %(word)s; got %(quantity)s.") % {
                                  "kind": spec.kind,
                                  "word": word,
                                  "quantity": format(spec.quantity, "f"),
                              })


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
        buckets = _load_buckets(balances)
        running = {key: b.on_hand for key, b in balances.items()}
        running_bucket = {key: b.quantity for key, b in buckets.items()}
        decreased: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        decreased_bucket: dict[BucketKey, Decimal] = defaultdict(lambda: ZERO)
        movements: list[StockMovement] = []
        for spec in specs:
            key = (spec.location_id, spec.product_id)
            bkey = spec.bucket_key
            running[key] += spec.quantity
            running_bucket[bkey] = running_bucket.get(bkey, ZERO) + spec.quantity
            if spec.quantity < 0:
                decreased[key] += -spec.quantity
                decreased_bucket[bkey] += -spec.quantity
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
                    lot_id=spec.lot_id,
                    status=spec.status,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                )
            )
        shortages = _shortages(balances, buckets, running, running_bucket, decreased, decreased_bucket,
                               allow_negative)
        if shortages:
            raise InsufficientStock(shortages)
        created = StockMovement.objects.bulk_create(movements)
        last_at: dict[tuple[int, int], datetime] = {}
        for movement in created:
            key = (movement.location_id, movement.product_id)
            last_at[key] = max(last_at.get(key, movement.occurred_at), movement.occurred_at)
        held: dict[tuple[int, int, str], Decimal] = {}
        for (loc, prod, _lot, status), quantity in running_bucket.items():
            held[(loc, prod, status)] = held.get((loc, prod, status), ZERO) + quantity
        for key, balance in balances.items():
            balance.on_hand = running[key]
            balance.quarantine = held.get((*key, StockStatus.QUARANTINE), ZERO)
            balance.blocked = held.get((*key, StockStatus.BLOCKED), ZERO)
            balance.last_movement_at = max(filter(None, [balance.last_movement_at, last_at[key]]))
            balance.updated_at = now
        StockBalance.objects.bulk_update(
            list(balances.values()), ["on_hand", "quarantine", "blocked", "last_movement_at", "updated_at"]
        )
        _save_buckets(buckets, running_bucket, now)
    return created


def _load_buckets(balances: dict[tuple[int, int], StockBalance]) -> dict[BucketKey, StockBucket]:
    """Every bucket of the locked items (no lock of their own: the balance rows serialise them)."""
    by_location: dict[int, list[int]] = defaultdict(list)
    for loc, prod in balances:
        by_location[loc].append(prod)
    condition = Q()
    for loc, prods in by_location.items():
        condition |= Q(location_id=loc, product_id__in=prods)
    return {(b.location_id, b.product_id, b.lot_id, b.status): b for b in StockBucket.objects.filter(condition)}


def _save_buckets(buckets: dict[BucketKey, StockBucket], running: dict[BucketKey, Decimal], now: datetime) -> None:
    changed = []
    for key, quantity in running.items():
        bucket = buckets.get(key)
        if bucket is not None and bucket.quantity != quantity:
            bucket.quantity, bucket.updated_at = quantity, now
            changed.append(bucket)
    StockBucket.objects.bulk_update(changed, ["quantity", "updated_at"])
    StockBucket.objects.bulk_create(
        StockBucket(location_id=loc, product_id=prod, lot_id=lot, status=status, quantity=quantity)
        for (loc, prod, lot, status), quantity in running.items()
        if (loc, prod, lot, status) not in buckets
    )


def _shortages(balances, buckets, running, running_bucket, decreased, decreased_bucket,
               allow_negative: AllowNegative) -> list[Shortage]:
    """What would go below zero and may not: a bucket (lot, quarantine, blocked: never), or the item."""
    def held(key: tuple[int, int], status: str) -> Decimal:
        return sum((q for (loc, prod, _lot, st), q in running_bucket.items() if (loc, prod) == key and st == status),
                   ZERO)

    shortages: list[Shortage] = []
    short_items: set[tuple[int, int]] = set()
    for bkey, required in sorted(decreased_bucket.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0,
                                                                           kv[0][3])):
        if running_bucket[bkey] >= 0:
            continue
        loc, prod, lot, status = bkey
        unlotted_available = lot is None and status == StockStatus.AVAILABLE
        if unlotted_available and _allowed(allow_negative, (loc, prod)):
            continue
        before = buckets[bkey].quantity if bkey in buckets else ZERO
        # Running short of available stock: say how much is held back by quality (it is why, often).
        available = status == StockStatus.AVAILABLE
        shortages.append(Shortage(
            loc, prod, before, required, status=status, lot_id=lot,
            quarantine=held((loc, prod), StockStatus.QUARANTINE) if available else ZERO,
            blocked=held((loc, prod), StockStatus.BLOCKED) if available else ZERO,
        ))
        short_items.add((loc, prod))
    for key, required in sorted(decreased.items()):
        if key not in short_items and running[key] < 0 and not _allowed(allow_negative, key):
            shortages.append(Shortage(key[0], key[1], balances[key].on_hand, required))
    return shortages


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
    lot_id: int | None = None,
    status: str = StockStatus.AVAILABLE,
) -> StockMovement | None:
    """Set on-hand to a counted value through an adjustment movement; None when it already matches.

    The count is of one bucket: the item's available stock without a lot unless `lot_id`/`status` say
    otherwise (for an item without lots or quality holds that is all of its stock).
    """
    if not reason or not reason.strip():
        raise InvalidMovement(gettext("An adjustment needs a reason (e.g. 'stock count 2026-03-01')."), field="reason")
    if new_on_hand < 0:
        raise InvalidMovement(gettext("A counted on-hand cannot be negative; got %(new_on_hand)s.") % {
                                  "new_on_hand": format(new_on_hand, "f"),
                              }, field="on_hand")
    with transaction.atomic():
        lock_balances([(location_id, product_id)])
        current = bucket_quantity(location_id, product_id, lot_id, status)
        delta = new_on_hand - current
        if delta == 0:
            return None
        spec = MovementSpec(
            location_id, product_id, MovementKind.ADJUSTMENT, delta, reason=reason.strip(), reference=reference,
            lot_id=lot_id, status=status,
        )
        return post_movements([spec], user=user, allow_negative=False)[0]


def bucket_quantity(location_id: int, product_id: int, lot_id: int | None, status: str) -> Decimal:
    """On-hand of one bucket (0 when it never had a movement)."""
    return StockBucket.objects.filter(
        location_id=location_id, product_id=product_id, lot_id=lot_id, status=status
    ).values_list("quantity", flat=True).first() or ZERO


def change_stock_status(
    location_id: int,
    product_id: int,
    quantity: Decimal,
    *,
    from_status: str,
    to_status: str,
    reason: str,
    lot_id: int | None = None,
    reference: str = "",
    user=None,
) -> list[StockMovement]:
    """Move a quantity from one status to another (quarantine → available, → blocked…): a pair of
    status_change movements that nets to zero on the item, refused when the source status has too little."""
    if quantity <= 0:
        raise InvalidMovement(gettext("A status change quantity must be positive; got %(quantity)s.") % {
                                  "quantity": format(quantity, "f"),
                              })
    if from_status == to_status:
        raise InvalidMovement(gettext("The stock is already %(to_status)s.") % {"to_status": to_status}, field="status")
    if not reason or not reason.strip():
        raise InvalidMovement(gettext("A status change needs a reason."), field="reason")
    common = {"reason": reason.strip(), "reference": reference, "lot_id": lot_id}
    return post_movements(
        [
            MovementSpec(location_id, product_id, MovementKind.STATUS_CHANGE, -quantity, status=from_status, **common),
            MovementSpec(location_id, product_id, MovementKind.STATUS_CHANGE, quantity, status=to_status, **common),
        ],
        user=user,
    )


def scrap_stock(
    location_id: int,
    product_id: int,
    quantity: Decimal,
    *,
    reason: str,
    status: str = StockStatus.AVAILABLE,
    lot_id: int | None = None,
    reference: str = "",
    production_task_id: int | None = None,
    kind: str = MovementKind.SCRAP,
    user=None,
) -> StockMovement:
    """Write stock off (scrap, or out to rework) from one bucket; a reason is required."""
    if kind not in (MovementKind.SCRAP, MovementKind.REWORK):
        raise InvalidMovement(gettext("Stock is written off as scrap or rework, not %(kind)r.") % {"kind": kind},
                              field="kind")
    if quantity <= 0:
        raise InvalidMovement(gettext("A scrap quantity must be positive; got %(quantity)s.") % {
                                  "quantity": format(quantity, "f"),
                              })
    if not reason or not reason.strip():
        raise InvalidMovement(gettext("Scrapping stock needs a reason."), field="reason")
    spec = MovementSpec(location_id, product_id, kind, -quantity, reason=reason.strip(), reference=reference,
                        lot_id=lot_id, status=status, production_task_id=production_task_id)
    return post_movements([spec], user=user)[0]


def allocate_available(location_id: int, product_id: int, quantity: Decimal) -> list[tuple[int | None, Decimal]]:
    """Which available stock a consumption of `quantity` takes: (lot or None, quantity) pairs.

    Stock without a lot first, then available lots, first to expire first (then oldest, then by id). What
    no available stock covers is left on "no lot", so the ledger refuses it (naming what is held in
    quarantine or blocked) or, where negative stock is allowed, takes it below zero. Quarantined and
    blocked stock is never allocated. Call with the item's balance locked (inside post_movements' caller).
    """
    rows = list(
        StockBucket.objects.filter(location_id=location_id, product_id=product_id, status=StockStatus.AVAILABLE,
                                   quantity__gt=0)
        .select_related("lot")
    )
    left = quantity
    taken: list[tuple[int | None, Decimal]] = []
    unlotted = next((r for r in rows if r.lot_id is None), None)
    ordered = ([unlotted] if unlotted else []) + sorted(
        (r for r in rows if r.lot_id is not None),
        key=lambda r: (r.lot.expires_on is None, r.lot.expires_on or date.min, r.lot.produced_on is None,
                       r.lot.produced_on or date.min, r.lot_id),
    )
    for row in ordered:
        if left <= 0:
            break
        part = min(left, row.quantity)
        taken.append((row.lot_id, part))
        left -= part
    if left > 0:
        for index, (lot, part) in enumerate(taken):
            if lot is None:
                taken[index] = (None, part + left)
                break
        else:
            taken.insert(0, (None, left))
    return taken


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
        raise InvalidMovement(gettext("A transfer quantity must be positive; got %(quantity)s.") % {
                                  "quantity": format(quantity, "f"),
                              })
    if from_location_id == to_location_id:
        raise InvalidMovement(gettext("A transfer needs two different locations."), field="to_location")
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
    what: str = "balance"  # or "bucket lot <id|none> <status>", "quarantine", "blocked"

    def describe(self) -> str:
        return (f"location {self.location_id} product {self.product_id} {self.what}: {self.balance:f}, "
                f"movements {self.movements_total:f}")


def verify_ledger(location_ids: Iterable[int] | None = None) -> list[LedgerDrift]:
    """Items whose balance differs from the sum of their movements (should always be empty)."""
    balances = StockBalance.objects.all()
    movements = StockMovement.objects.all()
    ids = None
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
    drifts.extend(_bucket_drifts(ids, balances, movements))
    return drifts


def _bucket_drifts(ids: list[int] | None, balances, movements) -> list[LedgerDrift]:
    """Each bucket = Σ movements of its lot and status; each balance's quarantine/blocked = Σ of its buckets."""
    totals = {
        (row["location_id"], row["product_id"], row["lot_id"], row["status"]): row["total"]
        for row in movements.values("location_id", "product_id", "lot_id", "status").annotate(total=Sum("quantity"))
    }
    buckets = StockBucket.objects.all() if ids is None else StockBucket.objects.filter(location_id__in=ids)
    drifts = []
    held: dict[tuple[int, int, str], Decimal] = defaultdict(lambda: ZERO)
    for loc, prod, lot, status, quantity in buckets.values_list(
        "location_id", "product_id", "lot_id", "status", "quantity"
    ):
        held[(loc, prod, status)] += quantity
        total = totals.pop((loc, prod, lot, status), ZERO)
        if total != quantity:
            drifts.append(LedgerDrift(loc, prod, quantity, total, f"lot {lot or 'none'} {status}"))
    for (loc, prod, lot, status), total in totals.items():
        if total != 0:
            drifts.append(LedgerDrift(loc, prod, ZERO, total, f"lot {lot or 'none'} {status}"))
    for loc, prod, quarantine, blocked in balances.values_list("location_id", "product_id", "quarantine", "blocked"):
        for what, value in (("quarantine", quarantine), ("blocked", blocked)):
            expected = held[(loc, prod, what)]
            if value != expected:
                drifts.append(LedgerDrift(loc, prod, value, expected, what))
    return drifts


def available_map(
    location_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], tuple[Decimal, Decimal, Decimal, Decimal, Decimal]]:
    """(location, product) → (available, reserved, in transit, quarantine, blocked) from the ledger balances.

    What planning counts as on hand: quarantined and blocked stock can be neither sold nor consumed.
    """
    qs = StockBalance.objects.all()
    if location_ids is not None:
        qs = qs.filter(location_id__in=list(location_ids))
    return {
        (loc, prod): (on_hand - quarantine - blocked, reserved, in_transit, quarantine, blocked)
        for loc, prod, on_hand, reserved, in_transit, quarantine, blocked in qs.values_list(
            "location_id", "product_id", "on_hand", "reserved", "in_transit", "quarantine", "blocked"
        )
    }


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
