"""Item master and demand history: what is sold, where, when, and at what price.

`DailySale` is the forecasting input; day-level sources write it directly, order-level sources write
`Order`/`OrderLine` and a service derives daily sales from them. Money is Decimal; quantities allow
three decimals (kg, litres).
"""

import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from core.jobs import JobRun
from sales.choices import ImportJobStatus, ImportKind, OrderStatus, ProductKind

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}


class ProductCategory(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "product categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    sku = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=ProductKind.choices, default=ProductKind.GOODS)
    category = models.ForeignKey(
        ProductCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    unit = models.CharField(max_length=20, default="pcs")
    list_price = models.DecimalField(**MONEY, null=True, blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    lot_tracked = models.BooleanField(
        default=False, help_text="Stock of this product is kept per lot (receipts and production create lots)."
    )
    requires_inspection = models.BooleanField(
        default=False, help_text="Receipts and production output arrive in quarantine until quality releases them."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class ProductBarcode(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="barcodes")
    barcode = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.barcode


class ProductSourceRef(models.Model):
    """How one integration account names a product (iiko UUID, WB nmID, Sentos id…)."""

    account = models.ForeignKey("integrations.IntegrationAccount", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=100)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="source_refs")
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="product_ref_unique_account_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.external_id} → {self.product_id}"


class Customer(models.Model):
    account = models.ForeignKey(
        "integrations.IntegrationAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(max_length=100)
    name = models.CharField(max_length=255, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="customer_unique_account_external_id")
        ]

    def __str__(self) -> str:
        return self.name or self.external_id


class Order(models.Model):
    account = models.ForeignKey(
        "integrations.IntegrationAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(max_length=100)
    channel = models.CharField(max_length=50, blank=True, default="", db_index=True, help_text="Marketplace/shop.")
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.NEW)
    source_status = models.CharField(max_length=50, blank=True, default="", help_text="Status as the source says.")
    location = models.ForeignKey(
        "branches.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")
    ordered_at = models.DateTimeField(db_index=True)
    business_date = models.DateField(db_index=True, help_text="Local business day of the order.")
    currency = models.CharField(max_length=3, default="RUB")
    total = models.DecimalField(**MONEY, default=0)
    discount_total = models.DecimalField(**MONEY, default=0)
    commission_total = models.DecimalField(**MONEY, default=0)
    is_return = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ordered_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="order_unique_account_external_id")
        ]

    def __str__(self) -> str:
        return f"Order {self.external_id}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.DecimalField(**QTY, help_text="Negative for returns.")
    price = models.DecimalField(**MONEY, default=0)
    discount = models.DecimalField(**MONEY, default=0)
    amount = models.DecimalField(**MONEY, default=0, help_text="Line total after discount; negative for returns.")
    commission = models.DecimalField(**MONEY, default=0)

    class Meta:
        ordering = ["order_id", "line_no"]
        constraints = [models.UniqueConstraint(fields=["order", "line_no"], name="order_line_unique_no")]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.line_no}"


class DailySale(models.Model):
    """Demand of one product at one location on one business day: the forecasting input."""

    # No single-column indexes on the foreign keys: the unique (location, product, date) index serves location
    # lookups and (product, date) serves product lookups; two more indexes would only slow down every ingest.
    location = models.ForeignKey(
        "branches.Location", on_delete=models.PROTECT, related_name="daily_sales", db_index=False
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="daily_sales", db_index=False)
    date = models.DateField()
    quantity = models.DecimalField(**QTY, default=0)
    revenue = models.DecimalField(**MONEY, default=0)
    discount = models.DecimalField(**MONEY, default=0)
    returns = models.DecimalField(**QTY, default=0, help_text="Returned quantity (positive number).")
    price_paid = models.DecimalField(**MONEY, null=True, blank=True, help_text="Average price paid per unit.")
    on_promotion = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "product", "date"], name="daily_sale_unique_loc_product_date")
        ]
        indexes = [
            # date ranges, and the API's newest-first page (date DESC, location, product) read straight off the
            # index: on (date) alone a 50-row page sorted a whole day (2,000 rows fetched at random from the
            # heap, 8 ms of PostgreSQL per page at 1 M rows). It replaces (date): still one index per ingest.
            models.Index(fields=["-date", "location", "product"], name="daily_sale_date_loc_prod_idx"),
            models.Index(fields=["product", "date"], name="daily_sale_product_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.location_id}/{self.product_id}/{self.date}: {self.quantity}"


class StockLevel(models.Model):
    """A stock snapshot as a source reported it (on hand, reserved, in transit) at a point in time."""

    location = models.ForeignKey(  # served by the unique (location, product, as_of) index
        "branches.Location", on_delete=models.PROTECT, related_name="stock_levels", db_index=False
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock_levels")
    as_of = models.DateTimeField()
    on_hand = models.DecimalField(**QTY, default=0)
    reserved = models.DecimalField(**QTY, default=0)
    in_transit = models.DecimalField(**QTY, default=0)
    source = models.ForeignKey(
        "integrations.IntegrationAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "product", "as_of"], name="stock_level_unique_loc_product_at")
        ]
        indexes = [models.Index(fields=["as_of"], name="stock_level_as_of_idx")]

    def __str__(self) -> str:
        return f"{self.location_id}/{self.product_id}@{self.as_of}: {self.on_hand}"


class DemandDriver(models.Model):
    """Known-in-advance drivers for a location (and one product, or all when product is empty) on a day."""

    location = models.ForeignKey("branches.Location", on_delete=models.CASCADE, related_name="demand_drivers")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="demand_drivers"
    )
    date = models.DateField()
    is_promotion = models.BooleanField(null=True, blank=True)
    is_open = models.BooleanField(null=True, blank=True)
    is_holiday = models.BooleanField(null=True, blank=True)
    planned_price = models.DecimalField(**MONEY, null=True, blank=True)
    is_advertised = models.BooleanField(
        null=True, blank=True, help_text="Featured in the retailer's advertising (a flyer, an ad) that day."
    )
    is_extended_promotion = models.BooleanField(
        null=True, blank=True,
        help_text="A long-running promotion (coupon or loyalty campaign) beside the day's own promotion.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "product", "date"],
                condition=Q(product__isnull=False),
                name="driver_unique_loc_product_date",
            ),
            models.UniqueConstraint(
                fields=["location", "date"], condition=Q(product__isnull=True), name="driver_unique_loc_all_date"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="driver_date_idx")]

    def __str__(self) -> str:
        return f"{self.location_id}/{self.product_id or 'ALL'}/{self.date}"


class ImportsStorage(FileSystemStorage):
    """Uploaded import files live under IMPORTS_ROOT (outside MEDIA_ROOT: they are never served).

    The root is read on every access rather than once at start-up, so a changed setting (tests) takes effect.
    """

    @property
    def base_location(self) -> str:
        return str(settings.IMPORTS_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _save(self, name: str, content) -> str:
        """Write to a hidden staging file next to the target, then rename it into place.

        FileSystemStorage writes straight into the final file and leaves what it managed to write when the
        disk fills up (ENOSPC): a truncated "upload" that also keeps the space. Staging makes a stored file
        complete or absent.
        """
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        handle, staging = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
            return super()._save(name, _StagedFile(staging))
        finally:
            if os.path.exists(staging):  # not moved into place: the save failed
                os.remove(staging)


class _StagedFile(File):
    """A complete file on the target filesystem; FileSystemStorage moves it (rename) instead of copying."""

    def __init__(self, path: str) -> None:
        super().__init__(None, name=path)
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def imports_storage() -> FileSystemStorage:
    return ImportsStorage()


class ImportJob(JobRun):
    """One uploaded file and what importing it did: status, progress and the report (row, column, reason).

    Status, stage, progress, error, task id, timestamps and heartbeat come from :class:`core.jobs.JobRun`;
    progress counts tenths of a percent of the file read (``progress_total`` = 1000).
    """

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file = models.FileField(storage=imports_storage, upload_to="%Y/%m/", max_length=500)
    original_name = models.CharField(max_length=255, blank=True, default="")
    size_bytes = models.PositiveBigIntegerField(default=0)
    create_missing = models.BooleanField(default=False, help_text="Create unknown locations and products.")
    dry_run = models.BooleanField(default=False, help_text="Validate only (a large /validate/): nothing is written.")
    status = models.CharField(
        max_length=20, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED, db_index=True
    )
    rows_processed = models.PositiveBigIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True, help_text="Counts and errors [{row, column, message}].")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} {self.kind} {self.original_name} ({self.status})"

    @property
    def progress(self) -> float:
        """Percent of the file read (0–100), as the API has always shown it."""
        return self.progress_percent or 0.0
