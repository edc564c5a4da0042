"""Embroidery jobs: planned → in_progress → done, or cancelled from an open state; and the lead time planning sees.

Stock moves only through the ledger (planning.services.ledger.post_movements):
- start (only for an approved or running task): the parts go from the production task's location to the
  embroidery location (transfer out/in);
- complete: the good pieces come back (transfer out/in), the scrap is written off at the embroidery location
  (a negative adjustment with the job as reason); output + scrap must account for every piece sent;
- cancel while in progress: every piece sent comes back.
Each step locks the job row first, so two clicks cannot both pass the status check and move stock twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from planning.choices import OPEN_TASK_STATUSES, MovementKind, TaskStatus
from planning.models import ProductionTask
from planning.services.lead_time import LeadTimeExtra
from planning.services.ledger import MovementSpec, post_movements
from shopfloor.choices import JOB_TRANSITIONS, JobStatus
from shopfloor.models import EmbroideryDesign, EmbroideryJob, EmbroideryStep
from shopfloor.services.refusals import planning_refusals

ZERO = Decimal("0")
# A draft task may still be deleted by planning; parts leave only for an approved or running one.
STARTABLE_TASK_STATUSES = (TaskStatus.APPROVED, TaskStatus.IN_PROGRESS)
EDITABLE_FIELDS = ("production_task_id", "design_id", "part_id", "quantity", "machine", "subcontractor_id",
                   "embroidery_location_id", "planned_date", "notes")


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


@dataclass(frozen=True)
class JobInput:
    production_task_id: int
    design_id: int
    part_id: int
    quantity: Decimal
    embroidery_location_id: int
    planned_date: date
    machine: str = ""
    subcontractor_id: int | None = None
    notes: str = ""


def validate_job(job: EmbroideryJob) -> None:
    """The rules of a planned job's fields (create, edit and the admin form share them)."""
    if job.quantity is None or job.quantity <= 0:
        raise InvalidInput(gettext("Quantity must be greater than 0; got %(quantity)s.") % {
                               "quantity": job.quantity,
                           }, field="quantity")
    machine = (job.machine or "").strip()
    if bool(machine) == (job.subcontractor_id is not None):
        raise InvalidInput(gettext("Name exactly one of machine (in-house) and subcontractor."), field="machine",
                           hint=gettext("Send machine for an in-house job, or subcontractor for one sent out."))
    job.machine = machine
    task = ProductionTask.objects.filter(pk=job.production_task_id).only("status", "location_id").first()
    if task is None:
        raise NotFound(gettext("Production task %(production_task_id)s does not exist.") % {
                           "production_task_id": job.production_task_id,
                       }, field="production_task")
    if task.status not in OPEN_TASK_STATUSES:
        raise Conflict(gettext("Production task %(task_id)s is %(status)s; embroidery can only be planned "
                               "for an open task.") % {"task_id": task.pk, "status": task.status},
                       field="production_task", extra={"current_status": task.status})
    if task.location_id == job.embroidery_location_id:
        raise InvalidInput(gettext("The embroidery location must differ from the production task's location "
                                   "(the parts travel between them)."), field="embroidery_location")
    design = EmbroideryDesign.objects.filter(pk=job.design_id).only("is_active", "code").first()
    if design is None:
        raise NotFound(gettext("Design %(design_id)s does not exist.") % {"design_id": job.design_id}, field="design")
    if not design.is_active:
        raise InvalidInput(gettext("Design %(code)s is inactive; activate it or choose another.") % {
                               "code": design.code,
                           }, field="design")


@transaction.atomic
def create_job(data: JobInput, *, user=None) -> EmbroideryJob:
    """A planned job for a production task (no stock moves until it starts)."""
    job = EmbroideryJob(
        production_task_id=data.production_task_id, design_id=data.design_id, part_id=data.part_id,
        quantity=data.quantity, machine=data.machine, subcontractor_id=data.subcontractor_id,
        embroidery_location_id=data.embroidery_location_id, planned_date=data.planned_date, notes=data.notes,
        status=JobStatus.PLANNED, created_by=_user(user),
    )
    validate_job(job)
    job.save()
    return job


def _lock(job_id: int) -> EmbroideryJob:
    job = (EmbroideryJob.objects.select_for_update().select_related("production_task")
           .filter(pk=job_id).first())
    if job is None:
        raise NotFound(gettext("Embroidery job %(job_id)s does not exist.") % {"job_id": job_id})
    return job


def _require(job: EmbroideryJob, target: str, verb: str) -> None:
    if target not in JOB_TRANSITIONS[job.status]:
        allowed = [s for s, targets in JOB_TRANSITIONS.items() if target in targets]
        raise IllegalTransition(
            gettext("Embroidery job %(job_id)s is %(status)s; it cannot be %(verb)s (allowed when: "
                    "%(allowed)s).") % {
                "job_id": job.pk,
                "status": job.status,
                "verb": verb,
                "allowed": ', '.join(allowed),
            },
            current=job.status,
        )


@transaction.atomic
def update_job(job_id: int, changes: dict[str, Any]) -> EmbroideryJob:
    """Edit a planned job (any other state is a 409: its stock is already out)."""
    job = _lock(job_id)
    if job.status != JobStatus.PLANNED:
        raise IllegalTransition(gettext("Embroidery job %(job_id)s is %(status)s; only a planned job can be "
                                        "edited.") % {"job_id": job.pk, "status": job.status},
                                current=job.status)
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise InvalidInput(gettext("%(name)s cannot be edited.") % {"name": name}, field=name)
        setattr(job, name, value)
    validate_job(job)
    job.save()
    return job


@transaction.atomic
def delete_job(job_id: int) -> None:
    job = _lock(job_id)
    if job.status != JobStatus.PLANNED:
        raise IllegalTransition(gettext("Embroidery job %(job_id)s is %(status)s; only a planned job can be "
                                        "deleted (cancel it instead).") % {
                                    "job_id": job.pk,
                                    "status": job.status,
                                }, current=job.status)
    job.delete()


def _transfer(job: EmbroideryJob, from_id: int, to_id: int, quantity: Decimal, why: str) -> list[MovementSpec]:
    common = {"reason": f"{why} ({job.reference})", "reference": job.reference,
              "production_task_id": job.production_task_id}
    return [
        MovementSpec(from_id, job.part_id, MovementKind.TRANSFER_OUT, -quantity, **common),
        MovementSpec(to_id, job.part_id, MovementKind.TRANSFER_IN, quantity, **common),
    ]


def start_job(job_id: int, *, user=None) -> EmbroideryJob:
    """planned → in_progress: send the parts from the task's location to the embroidery location."""
    with planning_refusals(), transaction.atomic():
        job = _lock(job_id)
        _require(job, JobStatus.IN_PROGRESS, "started")
        task_status = job.production_task.status
        if task_status not in STARTABLE_TASK_STATUSES:
            raise Conflict(gettext("Production task %(production_task_id)s is %(task_status)s; parts go to "
                                   "embroidery only for an %(STARTABLE_TASK_STATUSES)s task.") % {
                               "production_task_id": job.production_task_id,
                               "task_status": task_status,
                               "STARTABLE_TASK_STATUSES": ' or '.join(STARTABLE_TASK_STATUSES),
                           }, field="production_task",
                           extra={"current_status": task_status})
        origin = job.production_task.location_id
        post_movements(_transfer(job, origin, job.embroidery_location_id, job.quantity, "sent to embroidery"),
                       user=user)
        job.status = JobStatus.IN_PROGRESS
        job.started_by, job.started_at = _user(user), timezone.now()
        job.save()
    return job


def complete_job(job_id: int, *, output_quantity: Decimal, scrap_quantity: Decimal = ZERO,
                 user=None) -> EmbroideryJob:
    """in_progress → done: the good pieces come back, the scrap is written off; together they are all sent."""
    if output_quantity < 0 or scrap_quantity < 0:
        raise InvalidInput(gettext("Output and scrap cannot be negative."), field="output_quantity")
    with planning_refusals(), transaction.atomic():
        job = _lock(job_id)
        _require(job, JobStatus.DONE, "completed")
        if output_quantity + scrap_quantity != job.quantity:
            raise InvalidInput(
                gettext("Output %(output_quantity)s + scrap %(scrap_quantity)s must equal the %(quantity)s "
                        "pieces sent out on embroidery job %(job_id)s.") % {
                    "output_quantity": format(output_quantity, "f"),
                    "scrap_quantity": format(scrap_quantity, "f"),
                    "quantity": format(job.quantity, "f"),
                    "job_id": job.pk,
                }, field="output_quantity")
        specs: list[MovementSpec] = []
        if output_quantity > 0:
            specs += _transfer(job, job.embroidery_location_id, job.production_task.location_id, output_quantity,
                               "embroidered, back from embroidery")
        if scrap_quantity > 0:
            specs.append(MovementSpec(
                job.embroidery_location_id, job.part_id, MovementKind.ADJUSTMENT, -scrap_quantity,
                reason=f"scrap of {job.reference}", reference=job.reference,
                production_task_id=job.production_task_id))
        post_movements(specs, user=user)
        job.status = JobStatus.DONE
        job.output_quantity, job.scrap_quantity = output_quantity, scrap_quantity
        job.completed_by, job.completed_at = _user(user), timezone.now()
        job.save()
    return job


def cancel_job(job_id: int, *, reason: str = "", user=None) -> EmbroideryJob:
    """planned/in_progress → cancelled; a started job's pieces come back to the task's location."""
    with planning_refusals(), transaction.atomic():
        job = _lock(job_id)
        _require(job, JobStatus.CANCELLED, "cancelled")
        if job.status == JobStatus.IN_PROGRESS:
            post_movements(_transfer(job, job.embroidery_location_id, job.production_task.location_id,
                                     job.quantity, "embroidery cancelled, back unembroidered"), user=user)
        job.status = JobStatus.CANCELLED
        job.cancel_reason = reason[:500]
        job.cancelled_by, job.cancelled_at = _user(user), timezone.now()
        job.save()
    return job


@transaction.atomic
def delete_design(design_id: int) -> None:
    """Delete a design nobody uses; one used by a job or a BOM step is deactivated instead (409 says so)."""
    design = EmbroideryDesign.objects.select_for_update().filter(pk=design_id).first()
    if design is None:
        raise NotFound(gettext("Design %(design_id)s does not exist.") % {"design_id": design_id})
    jobs, steps = design.jobs.count(), design.steps.count()
    if jobs or steps:
        raise Conflict(gettext("Design %(code)s is used by %(jobs)s job(s) and %(steps)s BOM step(s); "
                               "deactivate it instead (is_active = false).") % {
                           "code": design.code,
                           "jobs": jobs,
                           "steps": steps,
                       }, hint=gettext("PATCH is_active=false keeps its history."))
    design.delete()


def embroidery_lead_times(product_ids: set[int]) -> dict[int, LeadTimeExtra]:
    """Registered with planning: a product whose default BOM has embroidery steps waits for the longest one.

    The steps of one BOM are sent out together (parts travel in one batch), so the longest step counts, not
    the sum. Steps are few, so all default BOMs' steps are read in one query and filtered here.
    """
    longest: dict[int, tuple[int, str]] = {}
    rows = EmbroideryStep.objects.filter(bom__is_default=True, bom__is_active=True).values_list(
        "bom__product_id", "lead_time_days", "design__code")
    for product_id, days, code in rows:
        if product_id in product_ids and days > longest.get(product_id, (-1, ""))[0]:
            longest[product_id] = (days, code)
    return {pid: LeadTimeExtra(days, f"embroidery {days} d (design {code})") for pid, (days, code) in longest.items()}
