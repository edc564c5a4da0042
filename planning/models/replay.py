"""Policy replays: what the replenishment policy (and simpler rules) would have done on a past window."""

from django.conf import settings
from django.db import models

from core.jobs import JobRun


class ReplayRun(JobRun):
    """One replay over a past window and scope; its totals per contender and how it started are kept here."""

    date_from = models.DateField()
    date_to = models.DateField()
    scope = models.JSONField(default=dict, blank=True, help_text="Location subtree and product category ids.")
    service_levels = models.JSONField(default=list, blank=True, help_text="Service levels replayed, e.g. 0.95.")
    retrain_every_days = models.PositiveSmallIntegerField(default=28)
    series_count = models.PositiveIntegerField(default=0)
    initial_stock = models.CharField(
        max_length=20, blank=True, default="",
        help_text="recorded: actual stock on the first morning; target: each rule's own target level; mixed.",
    )
    contenders = models.JSONField(default=list, blank=True, help_text="Totals per contender, in display order.")
    notes = models.JSONField(default=list, blank=True, help_text="What a reader must know to trust the figures.")
    seconds = models.JSONField(default=dict, blank=True, help_text="Wall time per stage.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "policy replay"

    def __str__(self) -> str:
        return f"Replay #{self.pk} {self.date_from} … {self.date_to} ({self.get_status_display()})"


class ReplayItem(models.Model):
    """One location × product of a replay: its demand and, per contender, the figures (and stock trajectory)."""

    run = models.ForeignKey(ReplayRun, on_delete=models.CASCADE, related_name="items")
    location = models.ForeignKey("branches.Location", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("sales.Product", on_delete=models.CASCADE, related_name="+")
    unit_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    demand_total = models.FloatField(default=0)
    demand = models.JSONField(default=list, blank=True, help_text="Actual demand per day of the window.")
    outcomes = models.JSONField(default=dict, blank=True, help_text="Figures per contender key.")
    trajectories = models.JSONField(default=dict, blank=True, help_text="End-of-day stock per day, per contender.")

    class Meta:
        ordering = ["run_id", "-demand_total", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "location", "product"], name="replay_item_unique_series"),
        ]

    def __str__(self) -> str:
        return f"Replay #{self.run_id}: {self.location_id} × {self.product_id}"
