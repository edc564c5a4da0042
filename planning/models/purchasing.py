"""Purchase orders, their lines and receipts. Receiving posts receipt movements to the stock ledger."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from planning.choices import PurchaseOrderStatus

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}


class PurchaseOrder(models.Model):
    supplier = models.ForeignKey(
        "planning.Supplier", null=True, blank=True, on_delete=models.PROTECT, related_name="purchase_orders",
        help_text="Required before sending; drafts from proposals without a supplier leave it empty.",
    )
    location = models.ForeignKey(
        "branches.Location", on_delete=models.PROTECT, related_name="purchase_orders", help_text="Deliver to."
    )
    status = models.CharField(
        max_length=20, choices=PurchaseOrderStatus.choices, default=PurchaseOrderStatus.DRAFT, db_index=True
    )
    order_date = models.DateField(null=True, blank=True, help_text="Set when sent.")
    expected_date = models.DateField(null=True, blank=True, help_text="Default arrival of lines without their own.")
    supplier_reference = models.CharField(max_length=100, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True, help_text="When the last outstanding quantity arrived.")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["supplier", "location", "status"], name="po_supplier_location_status")]

    def __str__(self) -> str:
        return f"PO {self.pk} ({self.get_status_display()})"


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="purchase_order_lines")
    quantity = models.DecimalField(**QTY)
    received_quantity = models.DecimalField(**QTY, default=Decimal("0"), editable=False)
    unit_price = models.DecimalField(**MONEY, null=True, blank=True)
    expected_date = models.DateField(null=True, blank=True, help_text="Empty = the order's expected date.")
    proposal = models.OneToOneField(
        "planning.OrderProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="purchase_order_line"
    )
    notes = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["order_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0) & Q(received_quantity__lte=F("quantity")),
                name="po_line_received_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"PO {self.order_id} line {self.pk}: {self.quantity} × {self.product_id}"

    @property
    def outstanding_quantity(self) -> Decimal:
        return max(Decimal("0"), self.quantity - self.received_quantity)


class PurchaseReceipt(models.Model):
    """One delivery against an order (a delivery note); its lines each post one receipt movement."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(max_length=100, blank=True, default="", help_text="Delivery note number.")
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"Receipt {self.pk} of PO {self.order_id}"


class PurchaseReceiptLine(models.Model):
    receipt = models.ForeignKey(PurchaseReceipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    quantity = models.DecimalField(**QTY)
    movement = models.OneToOneField(
        "planning.StockMovement", on_delete=models.PROTECT, related_name="receipt_line"
    )

    class Meta:
        ordering = ["receipt_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} of PO line {self.order_line_id}"
