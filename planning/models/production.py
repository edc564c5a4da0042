"""Production tasks (PPIC): make a quantity of a product from a BOM at a location by a due date."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from planning.choices import TaskStatus

QTY = {"max_digits": 14, "decimal_places": 3}


class ProductionTask(models.Model):
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="production_tasks")
    bom = models.ForeignKey("planning.BillOfMaterials", on_delete=models.PROTECT, related_name="production_tasks")
    quantity = models.DecimalField(**QTY)
    location = models.ForeignKey("branches.Location", on_delete=models.PROTECT, related_name="production_tasks")
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.DRAFT, db_index=True)
    board_position = models.PositiveIntegerField(default=0, help_text="Order within its kanban column (0 = top).")
    proposal = models.OneToOneField(
        "planning.OrderProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="production_task"
    )
    notes = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
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
        ordering = ["status", "board_position", "due_date", "id"]
        indexes = [models.Index(fields=["status", "board_position"], name="task_board_idx")]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="task_quantity_positive")]

    def __str__(self) -> str:
        return f"Task {self.pk}: {self.quantity} × {self.product} ({self.get_status_display()})"
