"""Bills of materials: what one batch of a product consumes. A product may have several variants/versions;
exactly one active default is used by explosion, MRP and new production tasks."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

QTY = {"max_digits": 14, "decimal_places": 3}


class BillOfMaterials(models.Model):
    product = models.ForeignKey("sales.Product", on_delete=models.CASCADE, related_name="boms")
    variant = models.CharField(
        max_length=64, default="main", help_text="Alternative recipe name, e.g. 'main', 'summer', 'no-dairy'."
    )
    version = models.PositiveIntegerField(default=1)
    is_default = models.BooleanField(default=False, help_text="The BOM used for this product by MRP and production.")
    is_active = models.BooleanField(default=True)
    output_quantity = models.DecimalField(
        **QTY, default=Decimal("1"), help_text="How much of the product one batch of these lines yields."
    )
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bill of materials"
        verbose_name_plural = "bills of materials"
        ordering = ["product_id", "variant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "variant", "version"], name="bom_unique_product_variant_version"
            ),
            models.UniqueConstraint(
                fields=["product"], condition=Q(is_default=True), name="bom_one_default_per_product"
            ),
            models.CheckConstraint(condition=Q(output_quantity__gt=0), name="bom_output_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"BOM {self.product} {self.variant} v{self.version}{' (default)' if self.is_default else ''}"


class BomLine(models.Model):
    bom = models.ForeignKey(BillOfMaterials, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField(default=0)
    component = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="used_in_bom_lines")
    quantity = models.DecimalField(**QTY, help_text="Per batch of the BOM, in the component's unit.")
    unit = models.CharField(max_length=20, help_text="Must equal the component's unit.")
    scrap_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"),
        help_text="Extra consumption for losses: required = quantity × (1 + scrap% / 100).",
    )
    notes = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["bom_id", "line_no", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bom_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(scrap_percent__gte=0, scrap_percent__lt=100), name="bom_line_scrap_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} {self.component_id}"
