"""Embroidery job lifecycle: legal and illegal transitions, the ledger after each step, no half-writes."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import Conflict, IllegalTransition, InvalidInput
from planning.models import StockMovement
from planning.services import production
from shopfloor.models import EmbroideryJob
from shopfloor.services import embroidery

D = Decimal


def plan(floor, quantity="10", **extra) -> EmbroideryJob:
    fields = {"machine": "Tajima 1"} if "subcontractor_id" not in extra else {}
    fields.update(extra)
    return embroidery.create_job(embroidery.JobInput(
        production_task_id=floor.task.pk, design_id=floor.design.pk, part_id=floor.blank.pk, quantity=D(quantity),
        embroidery_location_id=floor.embroidery_room.pk, planned_date=date(2026, 3, 5), **fields))


def test_full_lifecycle_moves_parts_out_and_back_through_the_ledger(floor):
    job = plan(floor)
    assert job.status == "planned"
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (20, 0)

    job = embroidery.start_job(job.pk)
    assert job.status == "in_progress" and job.started_at is not None
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (10, 10)

    job = embroidery.complete_job(job.pk, output_quantity=D(9), scrap_quantity=D(1))
    assert (job.status, job.output_quantity, job.scrap_quantity) == ("done", 9, 1)
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (19, 0)
    moves = StockMovement.objects.filter(reference=f"embroidery job {job.pk}")
    assert sorted(moves.values_list("kind", "quantity")) == sorted([
        ("transfer_out", D(-10)), ("transfer_in", D(10)), ("transfer_out", D(-9)), ("transfer_in", D(9)),
        ("adjustment", D(-1))])
    assert set(moves.values_list("production_task", flat=True)) == {floor.task.pk}
    floor.assert_ledger_consistent()


def test_a_subcontracted_job_is_planned_with_a_subcontractor_instead_of_a_machine(floor):
    job = plan(floor, subcontractor_id=floor.supplier.pk)
    assert job.machine == "" and job.subcontractor_id == floor.supplier.pk


@pytest.mark.parametrize("extra", [{"machine": ""}, {"machine": "M1", "subcontractor_id": "supplier"}])
def test_exactly_one_of_machine_and_subcontractor(floor, extra):
    extra = {k: (floor.supplier.pk if v == "supplier" else v) for k, v in extra.items()}
    with pytest.raises(InvalidInput) as refused:
        plan(floor, **extra)
    assert refused.value.field == "machine"
    assert not EmbroideryJob.objects.exists()


def test_a_job_for_a_closed_task_is_refused_naming_the_task_state(floor):
    production.apply_action(floor.task.pk, "cancel")
    with pytest.raises(Conflict) as refused:
        plan(floor)
    assert refused.value.extra["current_status"] == "cancelled" and refused.value.status == 409


def test_the_embroidery_location_must_differ_from_the_task_location(floor):
    with pytest.raises(InvalidInput):
        embroidery.create_job(embroidery.JobInput(
            production_task_id=floor.task.pk, design_id=floor.design.pk, part_id=floor.blank.pk, quantity=D(1),
            embroidery_location_id=floor.workshop.pk, planned_date=date(2026, 3, 5), machine="M"))


@pytest.mark.parametrize(
    ("steps", "action", "current"),
    [
        ([], "complete", "planned"),
        (["start"], "start", "in_progress"),
        (["start", "complete"], "start", "done"),
        (["start", "complete"], "cancel", "done"),
        (["cancel"], "start", "cancelled"),
        (["cancel"], "cancel", "cancelled"),
    ],
)
def test_illegal_transitions_are_409_naming_the_state_and_move_nothing(floor, steps, action, current):
    job = plan(floor)
    run = {
        "start": lambda: embroidery.start_job(job.pk),
        "complete": lambda: embroidery.complete_job(job.pk, output_quantity=D(10)),
        "cancel": lambda: embroidery.cancel_job(job.pk, reason="test"),
    }
    for step in steps:
        run[step]()
    movements = StockMovement.objects.count()
    with pytest.raises(IllegalTransition) as refused:
        run[action]()
    assert refused.value.current == current and refused.value.status == 409
    assert current in str(refused.value)
    assert StockMovement.objects.count() == movements
    assert EmbroideryJob.objects.get(pk=job.pk).status == current


def test_cancelling_a_started_job_brings_every_piece_back(floor):
    job = embroidery.start_job(plan(floor, quantity="4").pk)
    assert floor.on_hand(floor.embroidery_room) == 4
    job = embroidery.cancel_job(job.pk, reason="machine broke")
    assert (job.status, job.cancel_reason) == ("cancelled", "machine broke")
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (20, 0)
    floor.assert_ledger_consistent()


def test_output_and_scrap_must_account_for_every_piece_sent(floor):
    job = embroidery.start_job(plan(floor).pk)
    with pytest.raises(InvalidInput) as refused:
        embroidery.complete_job(job.pk, output_quantity=D(8), scrap_quantity=D(1))
    assert refused.value.field == "output_quantity"
    assert EmbroideryJob.objects.get(pk=job.pk).status == "in_progress"
    assert floor.on_hand(floor.embroidery_room) == 10


def test_starting_without_enough_parts_is_a_409_and_leaves_the_job_planned(build):
    from tests.shopfloor.conftest import make_floor

    floor = make_floor(build, blanks=3)
    job = plan(floor, quantity="5")
    with pytest.raises(Conflict) as refused:
        embroidery.start_job(job.pk)
    assert refused.value.code == "insufficient_stock"
    assert EmbroideryJob.objects.get(pk=job.pk).status == "planned"
    assert (floor.on_hand(floor.workshop), floor.on_hand(floor.embroidery_room)) == (3, 0)


def test_only_a_planned_job_is_edited_or_deleted(floor):
    job = plan(floor)
    job = embroidery.update_job(job.pk, {"quantity": D(6), "notes": "rush"})
    assert (job.quantity, job.notes) == (6, "rush")
    embroidery.start_job(job.pk)
    with pytest.raises(IllegalTransition):
        embroidery.update_job(job.pk, {"quantity": D(7)})
    with pytest.raises(IllegalTransition):
        embroidery.delete_job(job.pk)
    other = plan(floor)
    embroidery.delete_job(other.pk)
    assert not EmbroideryJob.objects.filter(pk=other.pk).exists()


def test_parts_leave_only_for_an_approved_or_running_task(build):
    from tests.shopfloor.conftest import make_floor

    floor = make_floor(build)
    draft = production.create_task(product_id=floor.shirt.pk, quantity=D(2), location_id=floor.workshop.pk,
                                   due_date=date(2026, 3, 12))
    job = embroidery.create_job(embroidery.JobInput(
        production_task_id=draft.pk, design_id=floor.design.pk, part_id=floor.blank.pk, quantity=D(2),
        embroidery_location_id=floor.embroidery_room.pk, planned_date=date(2026, 3, 5), machine="M"))
    with pytest.raises(Conflict) as refused:
        embroidery.start_job(job.pk)
    assert refused.value.extra["current_status"] == "draft"
    assert floor.on_hand(floor.embroidery_room) == 0
    # Planning may still delete the draft task: its planned jobs go with it.
    draft.delete()
    assert not EmbroideryJob.objects.filter(pk=job.pk).exists()
