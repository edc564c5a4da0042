"""Production tasks: every legal and illegal transition, completion through the ledger, kanban, concurrency."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from planning.choices import TASK_TRANSITIONS, TaskStatus
from planning.models import ProductionTask, StockBalance, StockMovement
from planning.services import production
from planning.services.ledger import InsufficientStock, verify_ledger

D = Decimal
TASKS_URL = "/api/v1/ppic/tasks/"
KANBAN_URL = "/api/v1/ppic/kanban/"
ACTIONS = {"approve": "approved", "start": "in_progress", "complete": "completed", "cancel": "cancelled"}


@pytest.fixture
def kitchen(build):
    """A pie made of 0.5 kg dough (2 % scrap) and 1 egg, at one kitchen; 6 kg dough and 10 eggs in stock."""
    kitchen = build.location("KITCHEN")
    pie = build.product("PIE", kind="dish")
    dough = build.product("DOUGH", kind="semi_finished", unit="kg")
    egg = build.product("EGG", kind="material")
    bom = build.bom(pie, [(dough, "0.5", "2"), (egg, "1")])
    build.stock(kitchen, dough, "6")
    build.stock(kitchen, egg, 10)
    return {"kitchen": kitchen, "pie": pie, "dough": dough, "egg": egg, "bom": bom}


def make_task(kitchen, quantity="4", status=TaskStatus.DRAFT) -> ProductionTask:
    task = production.create_task(product_id=kitchen["pie"].pk, quantity=D(quantity),
                                  location_id=kitchen["kitchen"].pk, due_date=date(2026, 3, 5))
    if status != TaskStatus.DRAFT:
        ProductionTask.objects.filter(pk=task.pk).update(status=status)
        task.refresh_from_db()
    return task


def on_hand(location, product) -> Decimal:
    row = StockBalance.objects.filter(location=location, product=product).first()
    return row.on_hand if row else D("0")


LEGAL = [(source, action) for source, targets in TASK_TRANSITIONS.items() for action, target in ACTIONS.items()
         if target in targets]
ILLEGAL = [(source, action) for source, targets in TASK_TRANSITIONS.items() for action, target in ACTIONS.items()
           if target not in targets]


def test_transition_table_is_complete():
    assert len(LEGAL) == 6 and len(ILLEGAL) == 14


@pytest.mark.parametrize(("source", "action"), LEGAL)
def test_every_legal_transition(kitchen, client_for, source, action):
    planner = client_for("planner")
    task = make_task(kitchen, status=source)
    response = planner.post(f"{TASKS_URL}{task.pk}/{action}", {"reason": "test"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == ACTIONS[action]
    by_field = {"approve": "approved_by", "start": "started_by", "complete": "completed_by",
                "cancel": "cancelled_by"}[action]
    assert body[by_field] == planner.user.pk and body[by_field.replace("_by", "_at")] is not None


@pytest.mark.parametrize(("source", "action"), ILLEGAL)
def test_every_illegal_transition_is_409_naming_the_current_state(kitchen, client_for, source, action):
    task = make_task(kitchen, status=source)
    response = client_for("planner").post(f"{TASKS_URL}{task.pk}/{action}", format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["current_status"] == source
    assert f"is {source}" in body["detail"]
    task.refresh_from_db()
    assert task.status == source
    assert not StockMovement.objects.filter(production_task=task).exists()


def test_complete_consumes_components_and_adds_the_product_in_one_go(kitchen, client_for):
    task = make_task(kitchen, quantity="4", status=TaskStatus.IN_PROGRESS)
    response = client_for("planner").post(f"{TASKS_URL}{task.pk}/complete", format="json")
    assert response.status_code == 200, response.content
    # dough: 4 × 0.5 × 1.02 = 2.04 ; eggs: 4
    assert on_hand(kitchen["kitchen"], kitchen["dough"]) == D("3.96")
    assert on_hand(kitchen["kitchen"], kitchen["egg"]) == D("6")
    assert on_hand(kitchen["kitchen"], kitchen["pie"]) == D("4")
    kinds = sorted(StockMovement.objects.filter(production_task=task).values_list("kind", "quantity"))
    assert kinds == [("production_consume", D("-4")), ("production_consume", D("-2.04")),
                     ("production_produce", D("4"))]
    assert verify_ledger() == []


def test_complete_is_refused_when_a_component_would_go_negative(kitchen, client_for):
    task = make_task(kitchen, quantity="11", status=TaskStatus.IN_PROGRESS)  # 11 eggs > 10
    response = client_for("planner").post(f"{TASKS_URL}{task.pk}/complete", format="json")
    assert response.status_code == 409
    shortages = response.json()["shortages"]
    assert [(s["product"], s["required"]) for s in shortages] == [(kitchen["egg"].pk, "11.000")]
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert not StockMovement.objects.filter(production_task=task).exists()
    assert on_hand(kitchen["kitchen"], kitchen["pie"]) == 0


def test_negative_stock_allowed_by_setting(kitchen, build):
    build.settings(product=kitchen["egg"], location=kitchen["kitchen"], allow_negative_stock=True)
    task = make_task(kitchen, quantity="10", status=TaskStatus.IN_PROGRESS)  # 5.1 kg dough (0.9 left), 10 eggs
    production.apply_action(task.pk, "complete")
    task2 = make_task(kitchen, quantity="2", status=TaskStatus.IN_PROGRESS)  # 1.02 kg dough, 2 eggs
    with pytest.raises(InsufficientStock) as info:  # eggs may go negative, dough may not
        production.apply_action(task2.pk, "complete")
    assert [s.product_id for s in info.value.shortages] == [kitchen["dough"].pk]
    build.settings(allow_negative_stock=True)  # global: now dough too
    production.apply_action(task2.pk, "complete")
    assert on_hand(kitchen["kitchen"], kitchen["egg"]) == D("-2")
    assert on_hand(kitchen["kitchen"], kitchen["dough"]) == D("-0.12")


def test_task_crud(kitchen, client_for, build):
    planner = client_for("planner")
    created = planner.post(TASKS_URL, {"product": kitchen["pie"].pk, "quantity": "3",
                                       "location": kitchen["kitchen"].pk, "due_date": "2026-03-05"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["bom"] == kitchen["bom"].pk and body["status"] == "draft" and body["created_by"] == planner.user.pk
    edited = planner.patch(f"{TASKS_URL}{body['id']}/", {"quantity": "5"}, format="json")
    assert edited.status_code == 200 and edited.json()["quantity"] == "5.000"
    planner.post(f"{TASKS_URL}{body['id']}/approve", format="json")
    locked = planner.patch(f"{TASKS_URL}{body['id']}/", {"quantity": "6"}, format="json")
    assert locked.status_code == 409 and locked.json()["current_status"] == "approved"
    assert planner.delete(f"{TASKS_URL}{body['id']}/").status_code == 409
    no_bom = planner.post(TASKS_URL, {"product": build.product().pk, "quantity": "1",
                                      "location": kitchen["kitchen"].pk, "due_date": "2026-03-05"}, format="json")
    assert no_bom.status_code == 409 and "default BOM" in no_bom.json()["detail"]
    wrong_bom = planner.post(TASKS_URL, {"product": kitchen["egg"].pk, "bom": kitchen["bom"].pk, "quantity": "1",
                                         "location": kitchen["kitchen"].pk, "due_date": "2026-03-05"}, format="json")
    assert wrong_bom.status_code == 400 and "bom" in wrong_bom.json()
    listing = planner.get(f"{TASKS_URL}?status=approved")
    assert listing.status_code == 200 and listing.json()["count"] == 1


# --- kanban ------------------------------------------------------------------------------------------------


def test_kanban_columns_in_board_order(kitchen, client_for):
    first, second, third = (make_task(kitchen) for _ in range(3))
    make_task(kitchen, status=TaskStatus.APPROVED)
    board = client_for("viewer").get(KANBAN_URL)
    assert board.status_code == 200
    columns = board.json()["columns"]
    assert [c["status"] for c in columns] == ["draft", "approved", "in_progress", "completed", "cancelled"]
    assert [t["id"] for t in columns[0]["tasks"]] == [first.pk, second.pk, third.pk]
    assert columns[1]["count"] == 1


def test_kanban_reorders_within_a_column(kitchen, client_for):
    tasks = [make_task(kitchen) for _ in range(4)]
    planner = client_for("planner")
    response = planner.put(f"{KANBAN_URL}{tasks[3].pk}", {"position": 0}, format="json")
    assert response.status_code == 200, response.content
    order = list(ProductionTask.objects.filter(status="draft").order_by("board_position").values_list("pk", flat=True))
    assert order == [tasks[3].pk, tasks[0].pk, tasks[1].pk, tasks[2].pk]
    assert list(ProductionTask.objects.filter(status="draft").order_by("board_position")
                .values_list("board_position", flat=True)) == [0, 1, 2, 3]


def test_kanban_moves_follow_the_transition_rules(kitchen, client_for):
    planner = client_for("planner")
    approved = [make_task(kitchen, status=TaskStatus.APPROVED) for _ in range(2)]
    ProductionTask.objects.filter(pk=approved[1].pk).update(board_position=1)
    task = make_task(kitchen)
    moved = planner.put(f"{KANBAN_URL}{task.pk}/", {"status": "approved", "position": 1}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "approved" and moved.json()["approved_by"] == planner.user.pk
    order = list(ProductionTask.objects.filter(status="approved").order_by("board_position").values_list("pk",
                                                                                                       flat=True))
    assert order == [approved[0].pk, task.pk, approved[1].pk]
    skip = planner.put(f"{KANBAN_URL}{task.pk}/", {"status": "completed"}, format="json")
    assert skip.status_code == 409 and skip.json()["current_status"] == "approved"
    back = planner.put(f"{KANBAN_URL}{task.pk}/", {"status": "draft"}, format="json")
    assert back.status_code == 409
    assert planner.put(f"{KANBAN_URL}{task.pk}/", {}, format="json").status_code == 400
    assert planner.put(f"{KANBAN_URL}{task.pk}/", {"status": "nowhere"}, format="json").status_code == 400
    assert planner.put(f"{KANBAN_URL}{task.pk}/", {"position": 2**40}, format="json").status_code == 400


def test_kanban_completing_posts_the_ledger(kitchen, client_for):
    task = make_task(kitchen, quantity="2", status=TaskStatus.IN_PROGRESS)
    response = client_for("planner").put(f"{KANBAN_URL}{task.pk}", {"status": "completed"}, format="json")
    assert response.status_code == 200
    assert on_hand(kitchen["kitchen"], kitchen["pie"]) == D("2")


def test_viewer_cannot_move_cards_or_act(kitchen, client_for):
    task = make_task(kitchen)
    viewer = client_for("viewer")
    assert viewer.put(f"{KANBAN_URL}{task.pk}", {"position": 0}, format="json").status_code == 403
    assert viewer.post(f"{TASKS_URL}{task.pk}/approve", format="json").status_code == 403


# --- concurrency -------------------------------------------------------------------------------------------


def test_sequential_completes_keep_the_ledger_consistent(kitchen):
    """The SQLite-safe variant: many completes in a row never overdraw and always balance."""
    tasks = [make_task(kitchen, quantity="3", status=TaskStatus.IN_PROGRESS) for _ in range(5)]
    done, refused = 0, 0
    for task in tasks:
        try:
            production.apply_action(task.pk, "complete")
            done += 1
        except InsufficientStock:
            refused += 1
    assert (done, refused) == (3, 2)  # 10 eggs → three tasks of 3
    assert on_hand(kitchen["kitchen"], kitchen["egg"]) == D("1")
    assert verify_ledger() == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_completes_never_overdraw_and_keep_the_ledger_consistent(build):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks across real connections; SQLite's in-memory test database is "
                    "shared-cache and serialises writers differently (see the sequential variant).")
    kitchen = build.location("KITCHEN")
    pie, egg = build.product("PIE", kind="dish"), build.product("EGG", kind="material")
    build.bom(pie, [(egg, "1")])
    build.stock(kitchen, egg, 10)
    tasks = [
        production.create_task(product_id=pie.pk, quantity=D("3"), location_id=kitchen.pk,
                                due_date=date(2026, 3, 5))
        for _ in range(8)
    ]
    ProductionTask.objects.filter(pk__in=[t.pk for t in tasks]).update(status=TaskStatus.IN_PROGRESS)
    clicks = 2
    barrier = threading.Barrier(len(tasks) + clicks)
    outcomes: list[str] = []
    lock = threading.Lock()

    def complete(task_id: int) -> None:
        try:
            connection.ensure_connection()  # connect first, so the threads collide at the barrier
            barrier.wait(timeout=30)
            production.apply_action(task_id, "complete")
            result = "done"
        except InsufficientStock:
            result = "refused"
        except Exception as exc:  # surfaced in the assertion below
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    def double_click(task_id: int) -> None:  # the same task completed twice at once must post once
        complete(task_id)

    threads = [threading.Thread(target=complete, args=(t.pk,)) for t in tasks]
    threads += [threading.Thread(target=double_click, args=(tasks[0].pk,)) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [o for o in outcomes if o.startswith("error")]
    # The double clicks on task 0 either complete it or find it already completed (IllegalTransition).
    assert all("IllegalTransition" in e for e in errors), errors
    assert outcomes.count("done") == 3
    assert on_hand(kitchen, egg) == D("1")
    assert on_hand(kitchen, pie) == D("9")
    assert ProductionTask.objects.filter(status=TaskStatus.COMPLETED).count() == 3
    assert StockMovement.objects.filter(kind="production_consume", production_task=tasks[0]).count() <= 1
    assert verify_ledger() == []
    assert not StockBalance.objects.filter(on_hand__lt=0).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_completing_one_task_from_many_threads_posts_once(build):
    """Eight simultaneous "complete" clicks on one task: one wins, seven get 409, stock moves once."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks across real connections (SQLite: see the sequential tests).")
    kitchen = build.location("KITCHEN")
    pie, egg = build.product("PIE", kind="dish"), build.product("EGG", kind="material")
    build.bom(pie, [(egg, "1")])
    build.stock(kitchen, egg, 10)
    task = production.create_task(product_id=pie.pk, quantity=D("2"), location_id=kitchen.pk,
                                  due_date=date(2026, 3, 5))
    ProductionTask.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def click() -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            production.apply_action(task.pk, "complete")
            outcomes.append("done")
        except production.IllegalTransition:
            outcomes.append("409")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["409"] * 7 + ["done"]
    assert (on_hand(kitchen, egg), on_hand(kitchen, pie)) == (D("8"), D("2"))
    assert StockMovement.objects.filter(production_task=task).count() == 2
    assert verify_ledger() == []
