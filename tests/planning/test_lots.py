"""Lots and stock status in the ledger: receipts and production output in quarantine, only available stock
consumed, lot decisions as legal transitions, planning counting available stock only, invariants after each step."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from core.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from planning.choices import LotStatus, MovementKind, StockStatus, TaskStatus
from planning.models import OrderProposal, ProductionTask, StockBalance, StockBucket, StockLot, StockMovement
from planning.services import production, purchasing
from planning.services.ledger import (
    InsufficientStock,
    MovementSpec,
    adjust_stock,
    change_stock_status,
    post_movements,
    scrap_stock,
    verify_ledger,
)
from planning.services.lots import create_lot, get_lot_by_number, set_lot_status
from planning.services.proposals import propose_orders

from .conftest import TODAY

D = Decimal


def bucket(location, product, status=StockStatus.AVAILABLE, lot=None) -> Decimal:
    row = StockBucket.objects.filter(location=location, product=product, lot=lot, status=status).first()
    return row.quantity if row else D(0)


def balance(location, product) -> StockBalance:
    return StockBalance.objects.get(location=location, product=product)


@pytest.fixture
def factory(build):
    """A soft-toy workshop: a bear made of 1 fabric (lot-tracked, inspected on receipt) and 2 filling."""
    floor = build.location("FLOOR")
    bear = build.product("BEAR", kind="goods", lot_tracked=True, requires_inspection=True)
    fabric = build.product("FABRIC", kind="material", lot_tracked=True, requires_inspection=True)
    filling = build.product("FILLING", kind="material")
    bom = build.bom(bear, [(fabric, "1"), (filling, "2")])
    build.stock(floor, filling, 100)
    return {"floor": floor, "bear": bear, "fabric": fabric, "filling": filling, "bom": bom,
            "supplier": build.supplier("WOOL")}


def receive(factory, quantity, lot_number="", expires_on=None):
    order = purchasing.create_purchase_order(
        location_id=factory["floor"].pk, supplier_id=factory["supplier"].pk,
        lines=[purchasing.LineInput(factory["fabric"].pk, D(quantity))])
    purchasing.send_purchase_order(order.pk)
    line = order.lines.get()
    return purchasing.receive_purchase_order(
        order.pk, lines=[purchasing.ReceiveInput(line.pk, D(quantity), lot_number, expires_on)])


def task(factory, quantity="5") -> ProductionTask:
    t = production.create_task(product_id=factory["bear"].pk, quantity=D(quantity),
                               location_id=factory["floor"].pk, due_date=date(2026, 3, 5))
    production.transition_task(t.pk, TaskStatus.APPROVED)
    production.transition_task(t.pk, TaskStatus.IN_PROGRESS)
    return t


def test_stock_without_lots_is_available_and_unchanged(factory):
    floor, filling = factory["floor"], factory["filling"]
    assert bucket(floor, filling) == D(100)
    b = balance(floor, filling)
    assert (b.on_hand, b.quarantine, b.blocked, b.available) == (D(100), 0, 0, D(100))
    assert StockMovement.objects.get(product=filling).status == StockStatus.AVAILABLE
    assert verify_ledger() == []


def test_receipt_of_a_lot_tracked_inspected_product_arrives_in_quarantine(factory):
    receipt = receive(factory, 10, "SUP-77", date(2027, 1, 1))
    lot = get_lot_by_number(factory["fabric"], "SUP-77")
    assert (lot.status, lot.origin, lot.purchase_receipt_id, lot.expires_on) == (
        LotStatus.QUARANTINE, "receipt", receipt.pk, date(2027, 1, 1))
    assert bucket(factory["floor"], factory["fabric"], StockStatus.QUARANTINE, lot) == D(10)
    b = balance(factory["floor"], factory["fabric"])
    assert (b.on_hand, b.quarantine, b.available) == (D(10), D(10), D(0))
    assert verify_ledger() == []
    # Without a number, one is made up from the receipt and line.
    second = receive(factory, 3)
    assert StockLot.objects.get(purchase_receipt=second).number.startswith(f"R{second.pk}-")


def test_a_duplicate_lot_number_is_a_409_and_writes_nothing(factory):
    receive(factory, 10, "SUP-1")
    movements = StockMovement.objects.count()
    with pytest.raises(Conflict, match="already has a lot SUP-1"):
        receive(factory, 5, "SUP-1")
    assert StockMovement.objects.count() == movements
    assert StockLot.objects.filter(product=factory["fabric"]).count() == 1


def test_quarantined_stock_is_never_consumed_and_the_409_names_it(factory):
    receive(factory, 10, "Q1")
    t = task(factory, "5")
    with pytest.raises(InsufficientStock) as info:
        production.transition_task(t.pk, TaskStatus.COMPLETED)
    assert info.value.status == 409 and "10.000 in quarantine cannot be used" in str(info.value)
    t.refresh_from_db()
    assert t.status == TaskStatus.IN_PROGRESS and bucket(factory["floor"], factory["filling"]) == D(100)
    assert verify_ledger() == []


def test_released_stock_is_consumed_first_to_expire_first_and_output_gets_a_quarantined_lot(factory):
    receive(factory, 4, "LATE", date(2027, 6, 1))
    receive(factory, 4, "EARLY", date(2027, 1, 1))
    for number in ("LATE", "EARLY"):
        set_lot_status(get_lot_by_number(factory["fabric"], number).pk, LotStatus.AVAILABLE, note="lab ok")
    assert balance(factory["floor"], factory["fabric"]).available == D(8)
    t = task(factory, "5")
    production.transition_task(t.pk, TaskStatus.COMPLETED)
    early, late = (get_lot_by_number(factory["fabric"], n) for n in ("EARLY", "LATE"))
    assert bucket(factory["floor"], factory["fabric"], lot=early) == D(0)
    assert bucket(factory["floor"], factory["fabric"], lot=late) == D(3)
    consumed = StockMovement.objects.filter(production_task=t, kind=MovementKind.PRODUCTION_CONSUME,
                                            product=factory["fabric"])
    assert sorted((m.lot.number, m.quantity) for m in consumed) == [("EARLY", D(-4)), ("LATE", D(-1))]
    output = StockLot.objects.get(production_task=t)
    assert (output.number, output.status, output.origin) == (f"T{t.pk}", LotStatus.QUARANTINE, "production")
    assert bucket(factory["floor"], factory["bear"], StockStatus.QUARANTINE, output) == D(5)
    assert balance(factory["floor"], factory["bear"]).available == D(0)
    assert verify_ledger() == []


def test_a_blocked_lot_is_never_consumed(factory):
    receive(factory, 4, "GOOD")
    receive(factory, 10, "BAD")
    set_lot_status(get_lot_by_number(factory["fabric"], "GOOD").pk, LotStatus.AVAILABLE)
    bad = set_lot_status(get_lot_by_number(factory["fabric"], "BAD").pk, LotStatus.BLOCKED, note="mould")
    assert bucket(factory["floor"], factory["fabric"], StockStatus.BLOCKED, bad) == D(10)
    t = task(factory, "5")
    with pytest.raises(InsufficientStock, match="10.000 blocked cannot be used"):
        production.transition_task(t.pk, TaskStatus.COMPLETED)
    t2 = task(factory, "4")
    production.transition_task(t2.pk, TaskStatus.COMPLETED)
    assert bucket(factory["floor"], factory["fabric"], StockStatus.BLOCKED, bad) == D(10)
    assert not StockMovement.objects.filter(lot=bad, kind=MovementKind.PRODUCTION_CONSUME).exists()
    assert verify_ledger() == []


def test_negative_stock_setting_never_reaches_lots_or_held_stock(factory, build):
    receive(factory, 3, "Q")
    lot = get_lot_by_number(factory["fabric"], "Q")
    spec = MovementSpec(factory["floor"].pk, factory["fabric"].pk, MovementKind.ADJUSTMENT, D(-5),
                        lot_id=lot.pk, status=StockStatus.QUARANTINE, reason="count")
    with pytest.raises(InsufficientStock):
        post_movements([spec], allow_negative=True)
    assert verify_ledger() == []


def test_lot_decisions_are_legal_transitions_with_notes(factory):
    receive(factory, 6, "L1")
    lot = get_lot_by_number(factory["fabric"], "L1")
    with pytest.raises(InvalidInput, match="needs a note"):
        set_lot_status(lot.pk, LotStatus.BLOCKED)
    set_lot_status(lot.pk, LotStatus.BLOCKED, note="failed lab test")
    with pytest.raises(InvalidInput, match="needs a note"):
        set_lot_status(lot.pk, LotStatus.AVAILABLE)
    lot = set_lot_status(lot.pk, LotStatus.SCRAPPED, note="destroyed")
    assert lot.status == LotStatus.SCRAPPED and lot.status_note == "destroyed"
    assert balance(factory["floor"], factory["fabric"]).on_hand == D(0)
    scrap = StockMovement.objects.get(lot=lot, kind=MovementKind.SCRAP)
    assert (scrap.quantity, scrap.status, scrap.reason) == (D(-6), StockStatus.BLOCKED, "destroyed")
    with pytest.raises(IllegalTransition) as info:
        set_lot_status(lot.pk, LotStatus.AVAILABLE, note="oops")
    assert info.value.current == LotStatus.SCRAPPED and info.value.status == 409
    assert "is scrapped" in str(info.value)
    assert verify_ledger() == []


def test_status_change_and_scrap_keep_the_balance_invariant(factory):
    floor, filling = factory["floor"], factory["filling"]
    change_stock_status(floor.pk, filling.pk, D(30), from_status=StockStatus.AVAILABLE,
                        to_status=StockStatus.BLOCKED, reason="wet")
    b = balance(floor, filling)
    assert (b.on_hand, b.blocked, b.available) == (D(100), D(30), D(70))
    with pytest.raises(InsufficientStock):
        change_stock_status(floor.pk, filling.pk, D(31), from_status=StockStatus.BLOCKED,
                            to_status=StockStatus.AVAILABLE, reason="dried")
    scrap_stock(floor.pk, filling.pk, D(30), status=StockStatus.BLOCKED, reason="wet beyond repair")
    b = balance(floor, filling)
    assert (b.on_hand, b.blocked, b.available) == (D(70), D(0), D(70))
    with pytest.raises(InvalidInput):
        scrap_stock(floor.pk, filling.pk, D(1), reason=" ")
    assert adjust_stock(floor.pk, filling.pk, new_on_hand=D(60), reason="count").quantity == D(-10)
    assert verify_ledger() == []


def test_verify_ledger_finds_a_drifted_bucket(factory):
    StockBucket.objects.filter(product=factory["filling"]).update(quantity=D(1))
    drifts = verify_ledger()
    assert [d.what for d in drifts] == ["lot none available"]


def test_lot_lookup_and_creation_rules(factory):
    with pytest.raises(NotFound):
        get_lot_by_number(factory["fabric"], "NOPE")
    with pytest.raises(InvalidInput):
        create_lot(factory["fabric"], number="A", produced_on=date(2026, 3, 2), expires_on=date(2026, 3, 1))
    lot = create_lot(factory["filling"], number=" X-1 ")
    assert get_lot_by_number(factory["filling"].pk, "X-1") == lot and lot.status == LotStatus.AVAILABLE


def test_planning_counts_available_stock_only_and_says_so(factory, build):
    build.settings(service_level=D("0.5"), review_period_days=7, lead_time_days=3)
    build.run({(factory["floor"], factory["filling"]): [1] * 28})
    change_stock_status(factory["floor"].pk, factory["filling"].pk, D(40), from_status=StockStatus.AVAILABLE,
                        to_status=StockStatus.QUARANTINE, reason="inspection")
    propose_orders(planning_date=TODAY)
    proposal = OrderProposal.objects.get(product=factory["filling"], location=factory["floor"])
    assert proposal.on_hand == D(60)
    assert "available stock only: 40 in quarantine" in proposal.explanation
    assert proposal.terms["not_available"] == {"quarantine": "40.000", "blocked": "0.000"}


def test_receiving_lots_through_the_api(factory, client_for):
    client = client_for("planner")
    order = purchasing.create_purchase_order(
        location_id=factory["floor"].pk, supplier_id=factory["supplier"].pk,
        lines=[purchasing.LineInput(factory["fabric"].pk, D(5))])
    purchasing.send_purchase_order(order.pk)
    line = order.lines.get()
    response = client.post(f"/api/v1/purchasing/orders/{order.pk}/receive/", {
        "lines": [{"line": line.pk, "quantity": "5", "lot_number": "API-1",
                   "expires_on": str(timezone.localdate() + timedelta(days=90))}]}, format="json")
    assert response.status_code == 200, response.content
    lot = get_lot_by_number(factory["fabric"], "API-1")
    stock = client.get("/api/v1/warehouse/stock/", {"product": factory["fabric"].pk}).json()["results"][0]
    assert (stock["on_hand"], stock["quarantine"]) == ("5.000", "5.000")
    movement = client.get("/api/v1/warehouse/movements/", {"product": factory["fabric"].pk}).json()["results"][0]
    assert (movement["lot"], movement["status"]) == (lot.pk, "quarantine")
    assert client.get("/api/v1/warehouse/movements/", {"lot": lot.pk, "status": "quarantine"}).json()["count"] == 1
    assert client.get("/api/v1/warehouse/movements/", {"lot": lot.pk, "status": "blocked"}).json()["count"] == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_consumption_and_blocking_of_a_lot_never_overdraw_it(build):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks across real connections.")
    floor = build.location("FLOOR")
    bear = build.product("BEAR")
    fabric = build.product("FABRIC", kind="material", lot_tracked=True)
    build.bom(bear, [(fabric, "1")])
    lot = create_lot(fabric, number="F-1")
    post_movements([MovementSpec(floor.pk, fabric.pk, MovementKind.RECEIPT, D(10), lot_id=lot.pk, reason="in")])
    tasks = []
    for _ in range(4):
        t = production.create_task(product_id=bear.pk, quantity=D(3), location_id=floor.pk,
                                   due_date=date(2026, 3, 5))
        ProductionTask.objects.filter(pk=t.pk).update(status=TaskStatus.IN_PROGRESS)
        tasks.append(t)
    barrier = threading.Barrier(len(tasks) + 1)
    outcomes: list[str] = []
    guard = threading.Lock()

    def run(call) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            call()
            result = "done"
        except InsufficientStock:
            result = "refused"
        except Exception as exc:  # surfaced in the assertion below
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with guard:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(lambda t=t: production.transition_task(t.pk, "completed"),))
               for t in tasks]
    threads.append(threading.Thread(target=run, args=(
        lambda: set_lot_status(lot.pk, LotStatus.BLOCKED, note="lab failed"),)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    consumed = -sum(m.quantity for m in StockMovement.objects.filter(lot=lot, kind=MovementKind.PRODUCTION_CONSUME))
    blocked = bucket(floor, fabric, StockStatus.BLOCKED, lot)
    assert consumed + blocked == D(10) and consumed <= D(9) and blocked >= 0
    assert bucket(floor, fabric, StockStatus.AVAILABLE, lot) == D(0)
    assert consumed == D(3) * ProductionTask.objects.filter(status=TaskStatus.COMPLETED).count()
    assert verify_ledger() == []


@pytest.mark.parametrize("current", LotStatus.values)
@pytest.mark.parametrize("target", LotStatus.values)
def test_every_lot_transition_is_legal_or_a_409_naming_the_status(factory, current, target):
    from planning.choices import LOT_TRANSITIONS
    from planning.services.lots import LOT_STOCK_STATUS

    lot = create_lot(factory["filling"], number="L", status=current)
    if current != LotStatus.SCRAPPED:
        post_movements([MovementSpec(factory["floor"].pk, factory["filling"].pk, MovementKind.RECEIPT, D(4),
                                     lot_id=lot.pk, status=LOT_STOCK_STATUS[current], reason="in")])
    if target in LOT_TRANSITIONS[current]:
        set_lot_status(lot.pk, target, note="decided")
        lot.refresh_from_db()
        assert lot.status == target
        expected = D(0) if target == LotStatus.SCRAPPED else D(4)
        if target != LotStatus.SCRAPPED:
            assert bucket(factory["floor"], factory["filling"], LOT_STOCK_STATUS[target], lot) == expected
        assert sum(b.quantity for b in StockBucket.objects.filter(lot=lot)) == expected
    else:
        with pytest.raises(IllegalTransition) as info:
            set_lot_status(lot.pk, target, note="decided")
        assert info.value.current == current and f"is {current}" in str(info.value)
    assert verify_ledger() == []
