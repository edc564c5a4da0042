"""The stock ledger: every change of stock is a movement; the balance is derived from movements only.

Why a maintained balance table and not SUM() on demand: planning reads on-hand for every location × product
every night and the API lists it, so it must be one indexed row per item; and a check "would this make stock
negative?" is only correct when concurrent writers of the same item are serialised. The balance row is that
serialisation point: planning.services.ledger locks it (`select_for_update`, in a stable order to avoid
deadlocks), writes the movements and the new balance in the same transaction. Nothing else writes
`StockBalance.on_hand`; `verify_ledger()` proves balance = Σ movements.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from planning.choices import MovementKind, StockStatus

QTY = {"max_digits": 14, "decimal_places": 3}


class StockBalance(models.Model):
    """On-hand per location × product as of the last movement (derived; never edited directly)."""

    location = models.ForeignKey("branches.Location", on_delete=models.PROTECT, related_name="stock_balances")
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="stock_balances")
    on_hand = models.DecimalField(**QTY, default=0, editable=False)
    # Not ledger quantities: what the source last reported as reserved / in transit (set by reconciliation).
    reserved = models.DecimalField(**QTY, default=0, editable=False)
    in_transit = models.DecimalField(**QTY, default=0, editable=False)
    # Parts of on_hand that are not available (Σ of the item's buckets in that status; kept by the ledger).
    quarantine = models.DecimalField(**QTY, default=0, editable=False)
    blocked = models.DecimalField(**QTY, default=0, editable=False)
    last_movement_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_synced_as_of = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="as_of of the last source snapshot reconciled into the ledger."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["location_id", "product_id"]
        constraints = [
            models.UniqueConstraint(fields=["location", "product"], name="stock_balance_unique_location_product")
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.location}: {self.on_hand}"

    @property
    def available(self):
        return self.on_hand - self.quarantine - self.blocked


class StockMovement(models.Model):
    location = models.ForeignKey("branches.Location", on_delete=models.PROTECT, related_name="stock_movements")
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="stock_movements")
    kind = models.CharField(max_length=20, choices=MovementKind.choices, db_index=True)
    quantity = models.DecimalField(**QTY, help_text="Signed: positive adds stock, negative removes it.")
    balance_after = models.DecimalField(**QTY, help_text="On-hand of the item right after this movement.")
    lot = models.ForeignKey(
        "planning.StockLot", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    status = models.CharField(
        max_length=20, choices=StockStatus.choices, default=StockStatus.AVAILABLE,
        help_text="The status of the quantity moved (a status change is a pair: out of one, into another).",
    )
    reason = models.CharField(max_length=500, blank=True, default="")
    reference = models.CharField(
        max_length=100, blank=True, default="", db_index=True, help_text="What caused it: 'PO 12', 'task 7'…"
    )
    purchase_order_line = models.ForeignKey(
        "planning.PurchaseOrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    production_task = models.ForeignKey(
        "planning.ProductionTask", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    source_stock_level = models.ForeignKey(
        "sales.StockLevel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The source snapshot a sync correction reconciled.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(db_index=True, help_text="When the stock physically changed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["location", "product", "occurred_at"], name="movement_item_time_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_quantity_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind__in=[MovementKind.RECEIPT, MovementKind.PRODUCTION_PRODUCE, MovementKind.TRANSFER_IN])
                | Q(quantity__gt=0),
                name="movement_inbound_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[MovementKind.PRODUCTION_CONSUME, MovementKind.TRANSFER_OUT,
                                       MovementKind.SCRAP, MovementKind.REWORK])
                | Q(quantity__lt=0),
                name="movement_outbound_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+} {self.product_id}@{self.location_id}"
