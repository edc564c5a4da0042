"""Quality: defect codes, finished-goods inspections, test methods, specifications, lab tests, lot decisions.

Stock never changes here: every quantity moves through planning's ledger (planning.services.ledger / lots),
called by quality.services. Quantities follow the ledger's precision.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from quality.choices import InspectionStatus, LabTestStatus, LotAction, MethodKind

QTY = {"max_digits": 14, "decimal_places": 3}
VALUE = {"max_digits": 18, "decimal_places": 6}
USER = {"null": True, "blank": True, "on_delete": models.SET_NULL, "related_name": "+"}


class DefectCode(models.Model):
    """The maintained list of defects an inspector can name (open seam, missing eye, stain…)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Inspection(models.Model):
    """Inspection of a completed production task's output: inspected = passed + failed + rework."""

    production_task = models.ForeignKey("planning.ProductionTask", on_delete=models.PROTECT,
                                        related_name="inspections")
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="inspections")
    location = models.ForeignKey("branches.Location", on_delete=models.PROTECT, related_name="inspections")
    lot = models.ForeignKey("planning.StockLot", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="inspections")
    status = models.CharField(max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.OPEN,
                              db_index=True)
    inspected_quantity = models.DecimalField(**QTY)
    passed_quantity = models.DecimalField(**QTY)
    failed_quantity = models.DecimalField(**QTY, help_text="Scrapped on release.")
    rework_quantity = models.DecimalField(**QTY, help_text="Sent to a rework production task on release.")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, **USER)
    inspected_at = models.DateTimeField()
    notes = models.TextField(blank=True, default="")
    rework_task = models.ForeignKey("planning.ProductionTask", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="rework_of")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, **USER)
    released_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, **USER)
    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-inspected_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(inspected_quantity__gt=0), name="inspection_inspected_positive"),
            models.CheckConstraint(
                condition=Q(passed_quantity__gte=0, failed_quantity__gte=0, rework_quantity__gte=0),
                name="inspection_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(inspected_quantity=F("passed_quantity") + F("failed_quantity") + F("rework_quantity")),
                name="inspection_parts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"Inspection {self.pk} of task {self.production_task_id} ({self.status})"


class InspectionDefect(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="defects")
    defect_code = models.ForeignKey(DefectCode, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QTY)

    class Meta:
        ordering = ["inspection_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "defect_code"], name="inspection_defect_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inspection_defect_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.defect_code_id}"


class TestMethod(models.Model):
    """How a property is measured: a value in a unit within min/max, or a pass/fail observation."""

    __test__ = False  # not a pytest test class, despite its name

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=MethodKind.choices, default=MethodKind.NUMERIC)
    unit = models.CharField(max_length=20, blank=True, default="")
    min_value = models.DecimalField(**VALUE, null=True, blank=True, help_text="Default lower limit (numeric).")
    max_value = models.DecimalField(**VALUE, null=True, blank=True, help_text="Default upper limit (numeric).")
    description = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(min_value__lte=F("max_value")),
                name="test_method_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Specification(models.Model):
    """A method's limits for one product or for a whole category (the product's own spec wins)."""

    method = models.ForeignKey(TestMethod, on_delete=models.PROTECT, related_name="specifications")
    product = models.ForeignKey("sales.Product", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="specifications")
    category = models.ForeignKey("sales.ProductCategory", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="specifications")
    min_value = models.DecimalField(**VALUE, null=True, blank=True)
    max_value = models.DecimalField(**VALUE, null=True, blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    notes = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["method_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(category__isnull=True))
                | (Q(product__isnull=True) & Q(category__isnull=False)),
                name="specification_product_xor_category",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(min_value__lte=F("max_value")),
                name="specification_min_le_max",
            ),
            models.UniqueConstraint(fields=["method", "product"], condition=Q(product__isnull=False),
                                    name="specification_unique_method_product"),
            models.UniqueConstraint(fields=["method", "category"], condition=Q(category__isnull=False),
                                    name="specification_unique_method_category"),
        ]

    def __str__(self) -> str:
        scope = f"product {self.product_id}" if self.product_id else f"category {self.category_id}"
        return f"{self.method_id} for {scope}"


class LabTest(models.Model):
    """A lab test of a lot: one result per specified method; the verdict is computed against the spec."""

    __test__ = False

    lot = models.ForeignKey("planning.StockLot", on_delete=models.PROTECT, related_name="lab_tests")
    status = models.CharField(max_length=20, choices=LabTestStatus.choices, default=LabTestStatus.OPEN,
                              db_index=True)
    notes = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, **USER)
    created_at = models.DateTimeField(auto_now_add=True)
    verdict_by = models.ForeignKey(settings.AUTH_USER_MODEL, **USER)
    verdict_at = models.DateTimeField(null=True, blank=True)
    verdict_summary = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Lab test {self.pk} of lot {self.lot_id} ({self.status})"


class LabResult(models.Model):
    lab_test = models.ForeignKey(LabTest, on_delete=models.CASCADE, related_name="results")
    method = models.ForeignKey(TestMethod, on_delete=models.PROTECT, related_name="+")
    # The limits in force when the test was opened (a later spec change does not rewrite old verdicts).
    min_value = models.DecimalField(**VALUE, null=True, blank=True)
    max_value = models.DecimalField(**VALUE, null=True, blank=True)
    value = models.DecimalField(**VALUE, null=True, blank=True, help_text="Numeric methods.")
    passed = models.BooleanField(null=True, blank=True, help_text="Pass/fail methods: the observation.")
    within_spec = models.BooleanField(null=True, blank=True, help_text="Empty until recorded.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, **USER)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lab_test_id", "id"]
        constraints = [models.UniqueConstraint(fields=["lab_test", "method"], name="lab_result_unique_method")]

    def __str__(self) -> str:
        return f"{self.method_id}: {self.value if self.value is not None else self.passed}"


class LotDecision(models.Model):
    """Who decided what about a lot, and why (release, block, unblock, scrap)."""

    lot = models.ForeignKey("planning.StockLot", on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(max_length=20, choices=LotAction.choices)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=500, blank=True, default="")
    lab_test = models.ForeignKey(LabTest, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, **USER)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} lot {self.lot_id}: {self.from_status} → {self.to_status}"
