"""Order proposals computed by the replenishment policy, and the batch runs that produced them."""

from django.conf import settings
from django.db import models

from core.jobs import JobRun
from planning.choices import ProposalKind, ProposalRunStatus, ProposalStatus

QTY = {"max_digits": 14, "decimal_places": 3}


class ProposalRun(JobRun):
    """One execution of propose_orders: answers "what happened at 04:30 and why" from the admin.

    Status, stage, progress, error, task id, timestamps and heartbeat come from :class:`core.jobs.JobRun`.
    """

    status = models.CharField(
        max_length=20, choices=ProposalRunStatus.choices, default=ProposalRunStatus.RUNNING, db_index=True
    )
    forecast_run = models.ForeignKey(
        "forecasting.ModelRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal_runs"
    )
    planning_date = models.DateField(null=True, blank=True)
    scope = models.JSONField(default=dict, blank=True, help_text="Location ids planned (empty = all active).")
    trigger = models.CharField(max_length=20, default="manual", help_text="manual, schedule, command, api.")
    counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Proposal run {self.pk} ({self.get_status_display()})"


class OrderProposal(models.Model):
    """What to order (buy) or produce (make) for one location × product, with every term of the policy."""

    proposal_run = models.ForeignKey(
        ProposalRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    forecast_run = models.ForeignKey(
        "forecasting.ModelRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_proposals"
    )
    location = models.ForeignKey("branches.Location", on_delete=models.CASCADE, related_name="order_proposals")
    product = models.ForeignKey("sales.Product", on_delete=models.CASCADE, related_name="order_proposals")
    kind = models.CharField(max_length=4, choices=ProposalKind.choices)
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED, db_index=True
    )
    quantity = models.DecimalField(**QTY, help_text="Proposed order/production quantity after rounding and caps.")
    supplier = models.ForeignKey(
        "planning.Supplier", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_proposals"
    )
    planning_date = models.DateField()
    order_date = models.DateField()
    expected_arrival = models.DateField()
    # The policy's terms (see planning.services.policy for the formulas).
    protection_days = models.PositiveSmallIntegerField()
    forecast_demand = models.DecimalField(**QTY, help_text="Σ forecast p50 over the protection period.")
    dependent_demand = models.DecimalField(
        **QTY, default=0, help_text="Component requirements of make proposals and open production tasks (MRP)."
    )
    demand = models.DecimalField(**QTY, help_text="D = forecast demand + dependent demand.")
    safety_stock = models.DecimalField(**QTY)
    on_hand = models.DecimalField(**QTY)
    open_supply = models.DecimalField(**QTY, help_text="Open purchase/production quantities due within P.")
    reserved = models.DecimalField(**QTY)
    inventory_position = models.DecimalField(**QTY)
    target_level = models.DecimalField(**QTY, help_text="D + SS: the order-up-to level.")
    raw_need = models.DecimalField(**QTY, help_text="max(0, D + SS − IP) before rounding.")
    service_level = models.DecimalField(max_digits=5, decimal_places=4)
    terms = models.JSONField(
        default=dict, blank=True, help_text="Every input and step, incl. where settings came from."
    )
    explanation = models.TextField()
    stock_source = models.CharField(max_length=20, default="ledger", help_text="ledger, snapshot or none.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_quantity = models.DecimalField(
        **QTY, null=True, blank=True, help_text="Quantity approved (may differ from the proposal)."
    )
    decision_note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "location_id", "product_id"]
        indexes = [
            models.Index(fields=["location", "product", "status"], name="proposal_item_status_idx"),
            models.Index(fields=["status", "kind"], name="proposal_status_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} × {self.product} @ {self.location} ({self.status})"
