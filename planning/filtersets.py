"""django-filter sets of the planning API."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from branches.models import Location, subtree_q
from planning.choices import MovementKind, ProposalKind, ProposalStatus, PurchaseOrderStatus, TaskStatus
from planning.models import (
    BillOfMaterials,
    OrderProposal,
    PlanningSettings,
    ProductionTask,
    ProposalRun,
    PurchaseOrder,
    PurchaseReceipt,
    StockBalance,
    StockMovement,
    Supplier,
)


class LocationSubtreeFilter(django_filters.NumberFilter):
    """`?location_tree=<id>`: the location and everything below it (materialised path, one query)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        location = Location.objects.filter(pk=value).only("tree_path").first()
        if location is None:
            return qs.none()
        return qs.filter(subtree_q(location, self.field_name))


class SupplierFilterSet(django_filters.FilterSet):
    class Meta:
        model = Supplier
        fields = ["is_active", "code"]


class PlanningSettingsFilterSet(django_filters.FilterSet):
    is_global = django_filters.BooleanFilter(method="filter_global")

    class Meta:
        model = PlanningSettings
        fields = ["location", "category", "product", "make_or_buy", "supplier"]

    def filter_global(self, qs, name, value):
        condition = Q(location__isnull=True, category__isnull=True, product__isnull=True)
        if value is None:
            return qs
        return qs.filter(condition) if value else qs.exclude(condition)


class ProposalRunFilterSet(django_filters.FilterSet):
    class Meta:
        model = ProposalRun
        fields = ["status", "forecast_run", "trigger"]


class OrderProposalFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ProposalStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ProposalKind.choices)
    location_tree = LocationSubtreeFilter(field_name="location")
    needs_order = django_filters.BooleanFilter(method="filter_needs_order", label="Quantity greater than 0")
    is_component = django_filters.BooleanFilter(method="filter_component", label="Has dependent (MRP) demand")
    sku = django_filters.CharFilter(field_name="product__sku")

    class Meta:
        model = OrderProposal
        fields = ["location", "product", "supplier", "proposal_run", "forecast_run", "planning_date"]

    def filter_needs_order(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(quantity__gt=0) if value else qs.filter(quantity__lte=0)

    def filter_component(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(dependent_demand__gt=0) if value else qs.filter(dependent_demand__lte=0)


class StockBalanceFilterSet(django_filters.FilterSet):
    location_tree = LocationSubtreeFilter(field_name="location")
    negative = django_filters.BooleanFilter(method="filter_negative")
    sku = django_filters.CharFilter(field_name="product__sku")

    class Meta:
        model = StockBalance
        fields = ["location", "product"]

    def filter_negative(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(on_hand__lt=0) if value else qs.filter(on_hand__gte=0)


class StockMovementFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=MovementKind.choices)
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")
    location_tree = LocationSubtreeFilter(field_name="location")

    class Meta:
        model = StockMovement
        fields = ["location", "product", "reference", "production_task", "purchase_order_line", "lot", "status"]


class PurchaseOrderFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PurchaseOrderStatus.choices)
    expected_before = django_filters.DateFilter(field_name="expected_date", lookup_expr="lte")
    product = django_filters.NumberFilter(field_name="lines__product", distinct=True)

    class Meta:
        model = PurchaseOrder
        fields = ["supplier", "location"]


class PurchaseReceiptFilterSet(django_filters.FilterSet):
    class Meta:
        model = PurchaseReceipt
        fields = ["order"]


class BomFilterSet(django_filters.FilterSet):
    component = django_filters.NumberFilter(field_name="lines__component", distinct=True)
    sku = django_filters.CharFilter(field_name="product__sku")

    class Meta:
        model = BillOfMaterials
        fields = ["product", "is_default", "is_active", "variant"]


class ProductionTaskFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    location_tree = LocationSubtreeFilter(field_name="location")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = ProductionTask
        fields = ["product", "location", "bom"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        open_late = Q(due_date__lt=timezone.localdate()) & Q(
            status__in=[TaskStatus.DRAFT, TaskStatus.APPROVED, TaskStatus.IN_PROGRESS]
        )
        return qs.filter(open_late) if value else qs.exclude(open_late)
