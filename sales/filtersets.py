"""List filters of the sales API (and of exports, which take the same query parameters).

Shared vocabulary: `date_from`/`date_to` (inclusive), `location` (a location id: that location and its whole
subtree, via `Location.tree_path`), `product` (id), `sku`, `category` (a category id: it and its
subcategories), `channel` (orders). An unknown id or a malformed value is a 400 naming the parameter.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from branches.models import Location, subtree_q
from sales.choices import ImportJobStatus, ImportKind, OrderStatus, ProductKind
from sales.models import (
    Customer,
    DailySale,
    DemandDriver,
    ImportJob,
    Order,
    OrderLine,
    Product,
    ProductCategory,
    StockLevel,
)


def category_subtree_ids(category_id: int) -> list[int]:
    """The category and every category below it (the category table is small: one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in ProductCategory.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [category_id]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.append(node)
        stack.extend(children.get(node, []))
    return found


def location_subtree_q(location: Location, prefix: str = "location") -> Q:
    return subtree_q(location, prefix)


class _SubtreeFilters(django_filters.FilterSet):
    """`location` (subtree) and `category` (subtree) for models with location and product foreign keys."""

    location_prefix = "location"
    category_prefix = "product__category"

    location = django_filters.ModelChoiceFilter(
        queryset=Location.objects.all(), method="filter_location", label="Location id (includes its subtree)"
    )
    location_code = django_filters.CharFilter(field_name="location__code", label="Location code (exact)")
    category = django_filters.ModelChoiceFilter(
        queryset=ProductCategory.objects.all(), method="filter_category",
        label="Product category id (includes subcategories)",
    )

    def filter_location(self, queryset: QuerySet, name: str, value: Location) -> QuerySet:
        return queryset.filter(location_subtree_q(value, self.location_prefix)) if value else queryset

    def filter_category(self, queryset: QuerySet, name: str, value: ProductCategory) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(**{f"{self.category_prefix}__in": category_subtree_ids(value.pk)})


class ProductCategoryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search code or name")
    parent = django_filters.NumberFilter(field_name="parent_id", label="Direct children of this category id")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Top-level categories only")

    class Meta:
        model = ProductCategory
        fields = ["code", "parent"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)) if value.strip() else queryset


class ProductFilterSet(_SubtreeFilters):
    category_prefix = "category"
    # A product has no location: only the category filter of the base applies (these 500'd under fuzzing).
    location = None
    location_code = None

    q = django_filters.CharFilter(method="filter_q", label="Search SKU, name or barcode")
    kind = django_filters.MultipleChoiceFilter(choices=ProductKind.choices)
    barcode = django_filters.CharFilter(field_name="barcodes__barcode", label="Exact barcode")
    account = django_filters.NumberFilter(field_name="source_refs__account_id", distinct=True,
                                          label="Known to this integration account id")
    external_id = django_filters.CharFilter(field_name="source_refs__external_id", distinct=True,
                                            label="External id in any account")

    class Meta:
        model = Product
        fields = ["sku", "kind", "is_active", "unit", "lot_tracked", "requires_inspection"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        barcode_ids = Product.objects.filter(barcodes__barcode=value).values("pk")
        return queryset.filter(Q(sku__icontains=value) | Q(name__icontains=value) | Q(pk__in=barcode_ids))


class DailySaleFilterSet(_SubtreeFilters):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From this day (inclusive)")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="Up to this day (inclusive)")
    sku = django_filters.CharFilter(field_name="product__sku")

    class Meta:
        model = DailySale
        fields = ["product", "on_promotion", "date"]


class StockLevelFilterSet(_SubtreeFilters):
    date_from = django_filters.DateFilter(field_name="as_of", lookup_expr="date__gte",
                                          label="Snapshots from this day (inclusive)")
    date_to = django_filters.DateFilter(field_name="as_of", lookup_expr="date__lte",
                                        label="Snapshots up to this day (inclusive)")
    as_of_after = django_filters.IsoDateTimeFilter(field_name="as_of", lookup_expr="gte")
    as_of_before = django_filters.IsoDateTimeFilter(field_name="as_of", lookup_expr="lte")
    sku = django_filters.CharFilter(field_name="product__sku")
    latest = django_filters.BooleanFilter(method="filter_latest",
                                          label="Only the latest snapshot per location and product")

    class Meta:
        model = StockLevel
        fields = ["product", "source"]

    def filter_latest(self, queryset, name, value):
        if not value:
            return queryset
        from django.db.models import OuterRef, Subquery

        newest = StockLevel.objects.filter(location=OuterRef("location"), product=OuterRef("product")).order_by(
            "-as_of").values("as_of")[:1]
        return queryset.filter(as_of=Subquery(newest))


class OrderFilterSet(_SubtreeFilters):
    category_prefix = "lines__product__category"

    date_from = django_filters.DateFilter(field_name="business_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="business_date", lookup_expr="lte")
    channel = django_filters.CharFilter(field_name="channel")
    status = django_filters.MultipleChoiceFilter(choices=OrderStatus.choices)
    account = django_filters.NumberFilter(field_name="account_id")
    customer = django_filters.NumberFilter(field_name="customer_id")
    product = django_filters.NumberFilter(method="filter_product", label="Orders with a line of this product id")
    q = django_filters.CharFilter(method="filter_q", label="Search external id or customer name")

    class Meta:
        model = Order
        fields = ["channel", "status", "is_return", "currency"]

    def filter_product(self, queryset, name, value):
        return queryset.filter(pk__in=OrderLine.objects.filter(product_id=value).values("order_id"))

    def filter_category(self, queryset: QuerySet, name: str, value: ProductCategory) -> QuerySet:
        if not value:
            return queryset
        ids = category_subtree_ids(value.pk)
        return queryset.filter(pk__in=Order.objects.filter(lines__product__category__in=ids).values("pk"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(external_id__icontains=value) | Q(customer__name__icontains=value))


class CustomerFilterSet(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")
    channel = django_filters.CharFilter(method="filter_channel", label="Customers with orders in this channel")
    q = django_filters.CharFilter(method="filter_q", label="Search name, e-mail, phone or external id")

    class Meta:
        model = Customer
        fields = ["external_id"]

    def filter_channel(self, queryset, name, value):
        return queryset.filter(pk__in=Order.objects.filter(channel=value).values("customer_id"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value) | Q(phone__icontains=value)
                               | Q(external_id__iexact=value))


class DemandDriverFilterSet(_SubtreeFilters):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    all_products = django_filters.BooleanFilter(field_name="product", lookup_expr="isnull",
                                                label="Only drivers for all products of a location")
    sku = django_filters.CharFilter(field_name="product__sku")

    class Meta:
        model = DemandDriver
        fields = ["product", "is_promotion", "is_open", "is_holiday"]


class ImportJobFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ImportKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=ImportJobStatus.choices)

    class Meta:
        model = ImportJob
        fields = ["kind", "status"]
