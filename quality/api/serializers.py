"""Serializers of the quality API: they validate shapes and references; the services own the rules."""

from decimal import Decimal

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planning.models import StockBucket, StockLot
from quality.choices import LotAction
from quality.models import (
    DefectCode,
    Inspection,
    InspectionDefect,
    LabResult,
    LabTest,
    LotDecision,
    Specification,
    TestMethod,
)

QTY = {"max_digits": 14, "decimal_places": 3}
VALUE = {"max_digits": 18, "decimal_places": 6}


class DefectCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DefectCode
        fields = ["id", "code", "name", "description", "is_active"]


class InspectionDefectSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="defect_code.code", read_only=True)

    class Meta:
        model = InspectionDefect
        fields = ["defect_code", "code", "quantity"]


class InspectionSerializer(serializers.ModelSerializer):
    defects = InspectionDefectSerializer(many=True, read_only=True)
    lot_number = serializers.CharField(source="lot.number", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Inspection
        fields = [
            "id", "production_task", "product", "location", "lot", "lot_number", "status", "inspected_quantity",
            "passed_quantity", "failed_quantity", "rework_quantity", "defects", "inspector", "inspected_at",
            "notes", "rework_task", "released_by", "released_at", "rejected_by", "rejected_at", "reject_reason",
            "created_at",
        ]
        read_only_fields = fields


class DefectInputSerializer(serializers.Serializer):
    defect_code = serializers.PrimaryKeyRelatedField(queryset=DefectCode.objects.all())
    quantity = serializers.DecimalField(**QTY, min_value=Decimal("0.001"))


class InspectionCreateSerializer(serializers.Serializer):
    production_task = serializers.IntegerField(min_value=1, help_text="A completed production task.")
    inspected_quantity = serializers.DecimalField(**QTY, min_value=Decimal("0.001"))
    passed_quantity = serializers.DecimalField(**QTY, min_value=Decimal("0"))
    failed_quantity = serializers.DecimalField(**QTY, min_value=Decimal("0"), default=Decimal("0"))
    rework_quantity = serializers.DecimalField(**QTY, min_value=Decimal("0"), default=Decimal("0"))
    defects = DefectInputSerializer(many=True, required=False, default=list)
    inspected_at = serializers.DateTimeField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why the inspected output is rejected (blocked).")


class InventorySerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku", read_only=True)
    lot_number = serializers.CharField(source="lot.number", read_only=True, allow_null=True, default=None)
    expires_on = serializers.DateField(source="lot.expires_on", read_only=True, allow_null=True, default=None)

    class Meta:
        model = StockBucket
        fields = ["id", "location", "product", "sku", "lot", "lot_number", "expires_on", "status", "quantity",
                  "updated_at"]
        read_only_fields = fields


class TestMethodSerializer(serializers.ModelSerializer):
    __test__ = False

    class Meta:
        model = TestMethod
        fields = ["id", "name", "kind", "unit", "min_value", "max_value", "description", "is_active"]

    def validate(self, attrs):
        low = attrs.get("min_value", getattr(self.instance, "min_value", None))
        high = attrs.get("max_value", getattr(self.instance, "max_value", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"min_value": [gettext("min %(low)s is above max %(high)s.") % {
                                                                 "low": low,
                                                                 "high": high,
                                                             }]})
        kind = attrs.get("kind", getattr(self.instance, "kind", "numeric"))
        if kind == "pass_fail" and (low is not None or high is not None):
            raise serializers.ValidationError({"kind": [gettext("A pass/fail method has no min/max.")]})
        return attrs


class SpecificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specification
        fields = ["id", "method", "product", "category", "min_value", "max_value", "is_active", "notes"]
        validators = []  # the partial unique constraints are checked in validate() with a readable message

    def validate(self, attrs):
        def current(name):
            return attrs.get(name, getattr(self.instance, name, None))

        product, category, method = current("product"), current("category"), current("method")
        if (product is None) == (category is None):
            raise serializers.ValidationError({"product": [gettext("Give either a product or a category, not "
                                                                   "both.")]})
        low, high = current("min_value"), current("max_value")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"min_value": [gettext("min %(low)s is above max %(high)s.") % {
                                                                 "low": low,
                                                                 "high": high,
                                                             }]})
        if method is not None and method.kind == "numeric" and low is None and high is None:
            raise serializers.ValidationError({"min_value": [gettext("%(method)s is measured: give a min or "
                                                                     "a max.") % {"method": method.name}]})
        if method is not None and method.kind == "pass_fail" and (low is not None or high is not None):
            raise serializers.ValidationError({"min_value": [gettext("%(method)s is pass/fail: no min/max.") % {
                                                                 "method": method.name,
                                                             }]})
        clash = Specification.objects.filter(method=method, product=product, category=category)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if method is not None and clash.exists():
            raise serializers.ValidationError({"method": [gettext("This method already has a specification "
                                                                  "here.")]})
        return attrs


class LabResultSerializer(serializers.ModelSerializer):
    method_name = serializers.CharField(source="method.name", read_only=True)
    unit = serializers.CharField(source="method.unit", read_only=True)
    kind = serializers.CharField(source="method.kind", read_only=True)

    class Meta:
        model = LabResult
        fields = ["method", "method_name", "kind", "unit", "min_value", "max_value", "value", "passed",
                  "within_spec", "recorded_by", "recorded_at"]
        read_only_fields = fields


class LabTestSerializer(serializers.ModelSerializer):
    __test__ = False
    results = LabResultSerializer(many=True, read_only=True)
    lot_number = serializers.CharField(source="lot.number", read_only=True)
    product = serializers.IntegerField(source="lot.product_id", read_only=True)

    class Meta:
        model = LabTest
        fields = ["id", "lot", "lot_number", "product", "status", "notes", "results", "created_by", "created_at",
                  "verdict_by", "verdict_at", "verdict_summary"]
        read_only_fields = fields


class LabTestCreateSerializer(serializers.Serializer):
    lot = serializers.PrimaryKeyRelatedField(queryset=StockLot.objects.all())
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ResultInputSerializer(serializers.Serializer):
    method = serializers.IntegerField(min_value=1)
    value = serializers.DecimalField(**VALUE, required=False, allow_null=True, default=None)
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)


class RecordResultsSerializer(serializers.Serializer):
    results = ResultInputSerializer(many=True, allow_empty=False)


class LotQuantitySerializer(serializers.Serializer):
    location = serializers.IntegerField(source="location_id")
    status = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)


class LotDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LotDecision
        fields = ["id", "lot", "action", "from_status", "to_status", "note", "lab_test", "decided_by", "decided_at"]
        read_only_fields = fields


class LotSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku", read_only=True)
    stock = serializers.SerializerMethodField()

    class Meta:
        model = StockLot
        fields = ["id", "product", "sku", "number", "status", "origin", "produced_on", "expires_on",
                  "purchase_receipt", "production_task", "status_note", "status_changed_by", "status_changed_at",
                  "stock", "created_at"]
        read_only_fields = fields

    @extend_schema_field(LotQuantitySerializer(many=True))
    def get_stock(self, lot) -> list[dict]:
        buckets = [b for b in lot.buckets.all() if b.quantity != 0]
        return [{"location": b.location_id, "status": b.status, "quantity": f"{b.quantity:.3f}"} for b in buckets]


class LotDecisionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=LotAction.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
