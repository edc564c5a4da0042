"""Stock ledger: movements drive balances; adjustments need a reason; sync snapshots reconcile."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from planning.models import StockBalance, StockMovement
from planning.services.ledger import (
    InsufficientStock,
    InvalidMovement,
    MovementSpec,
    post_movements,
    reconcile_stock_levels,
    transfer_stock,
    verify_ledger,
)
from sales.models import StockLevel

D = Decimal
STOCK_URL = "/api/v1/warehouse/stock/"
MOVES_URL = "/api/v1/warehouse/movements/"


@pytest.fixture
def item(build):
    return build.location("WH"), build.product("APPLE", unit="kg")


def balance(location, product) -> Decimal:
    return StockBalance.objects.get(location=location, product=product).on_hand


def test_movements_move_the_balance_and_record_balance_after(item):
    loc, prod = item
    post_movements([MovementSpec(loc.pk, prod.pk, "receipt", D("10")),
                    MovementSpec(loc.pk, prod.pk, "production_consume", D("-3.5"))])
    assert balance(loc, prod) == D("6.5")
    assert list(StockMovement.objects.order_by("id").values_list("balance_after", flat=True)) == [D("10"), D("6.5")]
    assert verify_ledger() == []


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [("receipt", "-1"), ("production_produce", "-1"), ("transfer_in", "-1"), ("production_consume", "1"),
     ("transfer_out", "2"), ("adjustment", "0"), ("teleport", "1")],
)
def test_the_sign_of_each_kind_is_enforced(item, kind, quantity):
    loc, prod = item
    with pytest.raises(InvalidMovement):
        post_movements([MovementSpec(loc.pk, prod.pk, kind, D(quantity))])
    assert not StockMovement.objects.exists()


def test_going_negative_is_refused_atomically_unless_allowed(item, build):
    loc, prod = item
    other = build.product("PEAR")
    build.stock(loc, prod, 5)
    specs = [MovementSpec(loc.pk, other.pk, "receipt", D("1")),
             MovementSpec(loc.pk, prod.pk, "production_consume", D("-6"))]
    with pytest.raises(InsufficientStock) as info:
        post_movements(specs)
    assert info.value.shortages[0].required == D("6")
    assert "on hand 5" in str(info.value)
    assert StockMovement.objects.count() == 1 and balance(loc, prod) == D("5")  # nothing of the failed batch
    post_movements(specs, allow_negative=lambda loc_id, prod_id: prod_id == prod.pk)
    assert balance(loc, prod) == D("-1")
    assert verify_ledger() == []


def test_transfer_moves_stock_between_locations(item, build):
    loc, prod = item
    shop = build.location("SHOP")
    build.stock(loc, prod, 8)
    transfer_stock(loc.pk, shop.pk, prod.pk, D("3"), reason="restock")
    assert (balance(loc, prod), balance(shop, prod)) == (D("5"), D("3"))
    with pytest.raises(InsufficientStock):
        transfer_stock(loc.pk, shop.pk, prod.pk, D("6"))


def test_reconcile_posts_a_correction_and_keeps_movements_after_the_snapshot(item, build):
    loc, prod = item
    snapshot_at = timezone.now() - timedelta(hours=2)
    build.stock(loc, prod, 10)  # ledger says 10 (posted now, i.e. after the snapshot)
    StockLevel.objects.create(location=loc, product=prod, as_of=snapshot_at, on_hand=D("7"), reserved=D("2"),
                              in_transit=D("4"))
    # At the snapshot time the ledger had 0 (the receipt came later); the source says 7 → +7.
    summary = reconcile_stock_levels()
    assert (summary.corrections, summary.total_correction) == (1, D("7"))
    assert balance(loc, prod) == D("17")
    correction = StockMovement.objects.get(kind="sync_correction")
    assert correction.quantity == D("7") and correction.occurred_at == snapshot_at
    b = StockBalance.objects.get(location=loc, product=prod)
    assert (b.reserved, b.in_transit, b.last_synced_as_of) == (D("2"), D("4"), snapshot_at)
    again = reconcile_stock_levels()  # same snapshot: nothing to do
    assert (again.corrections, again.skipped_older) == (0, 1)
    StockLevel.objects.create(location=loc, product=prod, as_of=timezone.now() + timedelta(minutes=1),
                              on_hand=D("15"))
    reconcile_stock_levels()
    assert balance(loc, prod) == D("15")
    assert verify_ledger() == []


def test_reconcile_creates_balances_for_new_items_and_allows_negative_source_stock(build):
    loc, prod = build.location(), build.product()
    StockLevel.objects.create(location=loc, product=prod, as_of=timezone.now(), on_hand=D("-2"))
    reconcile_stock_levels()
    assert balance(loc, prod) == D("-2")


def test_reconcile_command(item, build):
    loc, prod = item
    StockLevel.objects.create(location=loc, product=prod, as_of=timezone.now(), on_hand=D("3"))
    call_command("reconcile_stock", "--location", "WH", "--no-progress")
    assert balance(loc, prod) == D("3")
    call_command("check_stock_ledger")


def test_check_stock_ledger_fails_on_a_hand_edited_balance(item, build):
    loc, prod = item
    build.stock(loc, prod, 3)
    StockBalance.objects.filter(location=loc).update(on_hand=D("99"))  # what the app never does
    assert len(verify_ledger()) == 1
    with pytest.raises(CommandError):
        call_command("check_stock_ledger")


# --- API ---------------------------------------------------------------------------------------------------


def test_stock_list_get_and_put_adjustment(item, build, client_for):
    loc, prod = item
    build.stock(loc, prod, 10)
    planner = client_for("planner")
    listing = planner.get(f"{STOCK_URL}?sku=APPLE")
    assert listing.status_code == 200 and listing.json()["count"] == 1
    stock_id = listing.json()["results"][0]["id"]
    assert planner.get(f"{STOCK_URL}{stock_id}").json()["on_hand"] == "10.000"

    missing_reason = planner.put(f"{STOCK_URL}{stock_id}", {"on_hand": "7"}, format="json")
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()
    blank_reason = planner.put(f"{STOCK_URL}{stock_id}", {"on_hand": "7", "reason": "  "}, format="json")
    assert blank_reason.status_code == 400 and "reason" in blank_reason.json()
    negative = planner.put(f"{STOCK_URL}{stock_id}", {"on_hand": "-1", "reason": "count"}, format="json")
    assert negative.status_code == 400 and "on_hand" in negative.json()

    adjusted = planner.put(f"{STOCK_URL}{stock_id}/", {"on_hand": "7", "reason": "stock count"}, format="json")
    assert adjusted.status_code == 200, adjusted.content
    assert adjusted.json()["on_hand"] == "7.000"
    movement = StockMovement.objects.get(kind="adjustment")
    assert (movement.quantity, movement.reason, movement.created_by) == (D("-3"), "stock count", planner.user)
    assert planner.patch(f"{STOCK_URL}{stock_id}", {"on_hand": "1"}, format="json").status_code == 405
    assert planner.get(f"{STOCK_URL}999999").status_code == 404


def test_movement_list_and_manual_movements(item, build, client_for):
    loc, prod = item
    shop = build.location("SHOP")
    planner = client_for("planner")
    created = planner.post(MOVES_URL, {"kind": "adjustment", "location": loc.pk, "product": prod.pk,
                                       "quantity": "12", "reason": "opening stock"}, format="json")
    assert created.status_code == 201, created.content
    moved = planner.post(MOVES_URL, {"kind": "transfer_out", "location": loc.pk, "to_location": shop.pk,
                                     "product": prod.pk, "quantity": "5", "reason": "restock"}, format="json")
    assert moved.status_code == 201 and [m["kind"] for m in moved.json()] == ["transfer_out", "transfer_in"]
    too_much = planner.post(MOVES_URL, {"kind": "transfer_out", "location": loc.pk, "to_location": shop.pk,
                                        "product": prod.pk, "quantity": "50", "reason": "x"}, format="json")
    assert too_much.status_code == 409 and too_much.json()["shortages"][0]["required"] == "50.000"
    no_target = planner.post(MOVES_URL, {"kind": "transfer_out", "location": loc.pk, "product": prod.pk,
                                         "quantity": "1", "reason": "x"}, format="json")
    assert no_target.status_code == 400 and "to_location" in no_target.json()
    receipt = planner.post(MOVES_URL, {"kind": "receipt", "location": loc.pk, "product": prod.pk, "quantity": "1",
                                       "reason": "x"}, format="json")
    assert receipt.status_code == 400 and "kind" in receipt.json()
    listing = planner.get(f"{MOVES_URL}?kind=transfer_in&kind=transfer_out")
    assert listing.json()["count"] == 2
    assert planner.get(f"{MOVES_URL}?location={shop.pk}").json()["results"][0]["balance_after"] == "5.000"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_consumption_never_loses_an_update_or_overdraws(build):
    """24 threads take 1 each from a stock of 10 at the same instant: exactly 10 succeed, 0 remain.

    Without the balance row lock this fails (every thread reads 10 and writes 9: a lost update and an
    overdraft), which is what it is here to catch.
    """
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks across real connections; SQLite serialises every writer with "
                    "BEGIN IMMEDIATE (covered by the sequential tests).")
    loc, egg = build.location(), build.product()
    build.stock(loc, egg, 10)
    barrier = threading.Barrier(24)
    outcomes: list[str] = []

    def consume() -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            post_movements([MovementSpec(loc.pk, egg.pk, "production_consume", D("-1"))])
            outcomes.append("done")
        except InsufficientStock:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=consume) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert (outcomes.count("done"), outcomes.count("refused")) == (10, 14)
    assert balance(loc, egg) == 0
    assert sorted(StockMovement.objects.filter(kind="production_consume").values_list("balance_after", flat=True)) \
        == [D(n) for n in range(10)]
    assert verify_ledger() == []
