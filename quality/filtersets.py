"""django-filter sets of the quality API (finished goods and lab)."""

import django_filters

from planning.choices import StockStatus
from planning.models import StockBucket, StockLot
from quality.choices import InspectionStatus, LabTestStatus
from quality.models import DefectCode, Inspection, LabTest, LotDecision, Specification, TestMethod


class DefectCodeFilterSet(django_filters.FilterSet):
    class Meta:
        model = DefectCode
        fields = ["code", "is_active"]


class InspectionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices)
    inspected_from = django_filters.DateFilter(field_name="inspected_at", lookup_expr="date__gte")
    inspected_to = django_filters.DateFilter(field_name="inspected_at", lookup_expr="date__lte")
    defect_code = django_filters.NumberFilter(field_name="defects__defect_code", distinct=True)

    class Meta:
        model = Inspection
        fields = ["status", "product", "location", "lot", "production_task", "inspector"]


class InventoryFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=StockStatus.choices)
    lot_number = django_filters.CharFilter(field_name="lot__number")
    sku = django_filters.CharFilter(field_name="product__sku")

    class Meta:
        model = StockBucket
        fields = ["product", "lot", "location", "status"]


class TestMethodFilterSet(django_filters.FilterSet):
    __test__ = False

    class Meta:
        model = TestMethod
        fields = ["kind", "is_active", "name"]


class SpecificationFilterSet(django_filters.FilterSet):
    class Meta:
        model = Specification
        fields = ["method", "product", "category", "is_active"]


class LabTestFilterSet(django_filters.FilterSet):
    __test__ = False
    status = django_filters.ChoiceFilter(choices=LabTestStatus.choices)
    product = django_filters.NumberFilter(field_name="lot__product")

    class Meta:
        model = LabTest
        fields = ["status", "lot", "product"]


class LotFilterSet(django_filters.FilterSet):
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")

    class Meta:
        model = StockLot
        fields = ["product", "status", "origin", "number", "purchase_receipt", "production_task"]


class LotDecisionFilterSet(django_filters.FilterSet):
    class Meta:
        model = LotDecision
        fields = ["lot", "action"]
