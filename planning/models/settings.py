"""Suppliers and planning settings (a global default row plus overrides by location, category and product)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from planning.choices import MakeOrBuy

QTY = {"max_digits": 14, "decimal_places": 3}


class Supplier(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    email = models.CharField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")
    is_active = models.BooleanField(default=True, db_index=True)
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} [{self.code}]"


class PlanningSettings(models.Model):
    """One row of planning parameters for a scope; empty fields inherit from less specific rows.

    Scope: location (applies to its whole subtree), category (applies to its sub-categories' products) and
    product, each optional; all three empty is the global default. A product row never names a category
    too (the product already has one). Resolution, field by field, most specific first: the item dimension
    decides (product, then the product's category and its ancestors nearest first, then no item), and for
    the same item level the nearest location (the location itself, then its ancestors, then no location).
    See planning.services.settings.
    """

    location = models.ForeignKey(
        "branches.Location", null=True, blank=True, on_delete=models.CASCADE, related_name="planning_settings"
    )
    category = models.ForeignKey(
        "sales.ProductCategory", null=True, blank=True, on_delete=models.CASCADE, related_name="planning_settings"
    )
    product = models.ForeignKey(
        "sales.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="planning_settings"
    )
    service_level = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True,
        help_text="Probability of not running out during a protection period, 0.5–0.9999 (e.g. 0.95).",
    )
    review_period_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days between two order decisions for the item."
    )
    lead_time_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days from ordering (or starting production) to stock on hand."
    )
    moq = models.DecimalField(**QTY, null=True, blank=True, help_text="Minimum order quantity (0 = none).")
    pack_size = models.DecimalField(**QTY, null=True, blank=True, help_text="Orders are multiples of this.")
    max_stock = models.DecimalField(
        **QTY, null=True, blank=True, help_text="Upper limit of the inventory position after ordering (capacity)."
    )
    make_or_buy = models.CharField(max_length=4, choices=MakeOrBuy.choices, blank=True, default="")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    allow_negative_stock = models.BooleanField(
        null=True, blank=True, help_text="Let production consume components below zero (empty = inherit)."
    )
    notes = models.TextField(blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "planning settings"
        verbose_name_plural = "planning settings"
        ordering = ["location_id", "category_id", "product_id", "id"]
        constraints = [
            # One row per scope. Written out per combination because NULLs are distinct in a plain unique.
            models.UniqueConstraint(
                fields=["location", "product"],
                condition=Q(location__isnull=False, product__isnull=False),
                name="planning_settings_unique_location_product",
            ),
            models.UniqueConstraint(
                fields=["location", "category"],
                condition=Q(location__isnull=False, category__isnull=False),
                name="planning_settings_unique_location_category",
            ),
            models.UniqueConstraint(
                fields=["location"],
                condition=Q(location__isnull=False, category__isnull=True, product__isnull=True),
                name="planning_settings_unique_location",
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(location__isnull=True, product__isnull=False),
                name="planning_settings_unique_product",
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(location__isnull=True, category__isnull=False),
                name="planning_settings_unique_category",
            ),
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(location__isnull=True, category__isnull=True, product__isnull=True),
                name="planning_settings_unique_global",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(product__isnull=True),
                name="planning_settings_product_or_category",
            ),
            models.CheckConstraint(
                condition=Q(service_level__isnull=True) | Q(service_level__gte=0.5, service_level__lt=1),
                name="planning_settings_service_level_range",
            ),
            models.CheckConstraint(
                condition=Q(pack_size__isnull=True) | Q(pack_size__gt=0), name="planning_settings_pack_size_positive"
            ),
            models.CheckConstraint(condition=Q(moq__isnull=True) | Q(moq__gte=0), name="planning_settings_moq_gte_0"),
            models.CheckConstraint(
                condition=Q(max_stock__isnull=True) | Q(max_stock__gte=0), name="planning_settings_max_stock_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"Planning settings for {self.scope_label}"

    @property
    def scope_label(self) -> str:
        parts = []
        if self.product_id:
            parts.append(f"product {self.product}")
        if self.category_id:
            parts.append(f"category {self.category}")
        if self.location_id:
            parts.append(f"location {self.location}")
        return " at ".join(parts) if parts else "everything (global default)"
