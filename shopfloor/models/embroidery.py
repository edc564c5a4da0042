"""Embroidery: designs, the embroidery steps of a BOM (its routing), and jobs that embroider parts for a task.

A job's parts physically leave the task's location for the embroidery location (the machine room or the
subcontractor) and come back embroidered; both trips are ledger transfers, scrap is an adjustment at the
embroidery location. The job rows keep the quantities; the ledger keeps the stock.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from shopfloor.choices import JobStatus

QTY = {"max_digits": 14, "decimal_places": 3}


class EmbroideryDesign(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    stitch_count = models.PositiveIntegerField(help_text="Stitches per piece.")
    colours = models.JSONField(default=list, blank=True, help_text="Thread colours in stitching order.")
    machine_minutes_per_piece = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), help_text="Machine time to embroider one piece."
    )
    picture = models.ImageField(upload_to="embroidery/designs/", blank=True, default="")
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(machine_minutes_per_piece__gte=0), name="design_minutes_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EmbroideryStep(models.Model):
    """A BOM's embroidery step: this part is embroidered with this design before the product is made.

    Planning adds the longest step's lead time to a make proposal of the BOM's product (see
    shopfloor.services.embroidery.embroidery_lead_times).
    """

    bom = models.ForeignKey("planning.BillOfMaterials", on_delete=models.CASCADE, related_name="embroidery_steps")
    design = models.ForeignKey(EmbroideryDesign, on_delete=models.PROTECT, related_name="steps")
    part = models.ForeignKey(
        "sales.Product", on_delete=models.PROTECT, related_name="embroidery_steps",
        help_text="The component that is embroidered (usually a line of the BOM).",
    )
    lead_time_days = models.PositiveSmallIntegerField(
        default=1, help_text="Days from sending the parts out to having them back."
    )
    notes = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["bom_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bom", "part", "design"], name="embroidery_step_unique_bom_part_design")
        ]

    def __str__(self) -> str:
        return f"BOM {self.bom_id}: embroider {self.part_id} with {self.design_id} ({self.lead_time_days} d)"


class EmbroideryJob(models.Model):
    # CASCADE: planning deletes only draft tasks, and a job starts only for an approved or running task, so what
    # goes with a deleted task is planned jobs that moved nothing.
    production_task = models.ForeignKey(
        "planning.ProductionTask", on_delete=models.CASCADE, related_name="embroidery_jobs"
    )
    design = models.ForeignKey(EmbroideryDesign, on_delete=models.PROTECT, related_name="jobs")
    part = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="embroidery_jobs")
    quantity = models.DecimalField(**QTY, help_text="Pieces sent out to embroider.")
    machine = models.CharField(max_length=100, blank=True, default="", help_text="In-house machine, or…")
    subcontractor = models.ForeignKey(
        "planning.Supplier", null=True, blank=True, on_delete=models.PROTECT, related_name="embroidery_jobs",
        help_text="…the subcontractor who embroiders (exactly one of machine and subcontractor).",
    )
    embroidery_location = models.ForeignKey(
        "branches.Location", on_delete=models.PROTECT, related_name="embroidery_jobs",
        help_text="Where the parts are while embroidered (machine room or subcontractor's stock location).",
    )
    planned_date = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.PLANNED, db_index=True)
    output_quantity = models.DecimalField(**QTY, default=Decimal("0"), editable=False)
    scrap_quantity = models.DecimalField(**QTY, default=Decimal("0"), editable=False)
    notes = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["planned_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="embroidery_job_quantity_positive"),
            models.CheckConstraint(
                condition=(Q(machine="") & Q(subcontractor__isnull=False))
                | (~Q(machine="") & Q(subcontractor__isnull=True)),
                name="embroidery_job_machine_xor_subcontractor",
            ),
            models.CheckConstraint(
                condition=Q(output_quantity__gte=0) & Q(scrap_quantity__gte=0),
                name="embroidery_job_output_scrap_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Embroidery job {self.pk}: {self.quantity} × {self.part_id} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return f"embroidery job {self.pk}"
