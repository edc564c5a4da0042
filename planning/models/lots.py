"""Lots and per-status stock: the ledger's finer key.

A lot is optional per product (`sales.Product.lot_tracked`). Every quantity of stock carries a status
(`StockStatus`): only *available* stock is consumed by production, released or counted by planning;
*quarantine* waits for quality control, *blocked* waits for a decision with a note.

`StockBucket` is the maintained balance per location × product × lot × status. It is written only by
`planning.services.ledger.post_movements`, under the lock of the item's `StockBalance` row (the item's
serialisation point), so bucket rows need no lock order of their own. Invariants, checked by
`verify_ledger()`: bucket = Σ movements of its key; Σ buckets of an item = `StockBalance.on_hand`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from planning.choices import LotOrigin, LotStatus, StockStatus

QTY = {"max_digits": 14, "decimal_places": 3}


class StockLot(models.Model):
    """A lot of one product: where it came from, when, until when it is good, and its quality standing."""

    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="stock_lots")
    number = models.CharField(max_length=64, help_text="Lot number, unique per product (printed on the label).")
    status = models.CharField(max_length=20, choices=LotStatus.choices, default=LotStatus.AVAILABLE, db_index=True)
    origin = models.CharField(max_length=20, choices=LotOrigin.choices, default=LotOrigin.OTHER)
    produced_on = models.DateField(null=True, blank=True, help_text="Produced or received on.")
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    purchase_receipt = models.ForeignKey(
        "planning.PurchaseReceipt", null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    production_task = models.ForeignKey(
        "planning.ProductionTask", null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    status_note = models.CharField(max_length=500, blank=True, default="", help_text="Why the status last changed.")
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="stock_lot_unique_product_number"),
            models.CheckConstraint(
                condition=Q(purchase_receipt__isnull=True) | Q(production_task__isnull=True),
                name="stock_lot_one_origin",
            ),
        ]

    def __str__(self) -> str:
        return f"lot {self.number} of {self.product_id} ({self.status})"


class StockBucket(models.Model):
    """On-hand of one location × product × lot (or none) × status, as of the last movement (derived)."""

    location = models.ForeignKey("branches.Location", on_delete=models.PROTECT, related_name="stock_buckets")
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="stock_buckets")
    lot = models.ForeignKey(StockLot, null=True, blank=True, on_delete=models.PROTECT, related_name="buckets")
    status = models.CharField(max_length=20, choices=StockStatus.choices, default=StockStatus.AVAILABLE)
    quantity = models.DecimalField(**QTY, default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["location_id", "product_id", "lot_id", "status"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "product", "lot", "status"], condition=Q(lot__isnull=False),
                name="stock_bucket_unique_with_lot",
            ),
            models.UniqueConstraint(
                fields=["location", "product", "status"], condition=Q(lot__isnull=True),
                name="stock_bucket_unique_without_lot",
            ),
        ]

    def __str__(self) -> str:
        lot = f" lot {self.lot_id}" if self.lot_id else ""
        return f"{self.product_id}@{self.location_id}{lot} {self.status}: {self.quantity}"
