"""Planning API serializers: production."""


from decimal import Decimal

from django.utils.translation import gettext
from rest_framework import serializers

from planning.api.serializers.common import QTY, LocationBriefSerializer, ProductBriefSerializer
from planning.choices import TaskStatus
from planning.models import (
    BillOfMaterials,
    ProductionTask,
)


class ProductionTaskSerializer(serializers.ModelSerializer):
    product_detail = ProductBriefSerializer(source="product", read_only=True)
    location_detail = LocationBriefSerializer(source="location", read_only=True)
    quantity = serializers.DecimalField(**QTY, min_value=Decimal("0.001"))
    bom = serializers.PrimaryKeyRelatedField(
        queryset=BillOfMaterials.objects.all(), required=False, help_text="Default: the product's default BOM."
    )

    class Meta:
        model = ProductionTask
        fields = [
            "id", "product", "product_detail", "bom", "quantity", "location", "location_detail", "due_date", "status",
            "board_position", "proposal", "notes", "created_by", "created_at", "updated_at", "approved_by",
            "approved_at", "started_by", "started_at", "completed_by", "completed_at", "cancelled_by", "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = [
            "status", "board_position", "proposal", "created_by", "created_at", "updated_at", "approved_by",
            "approved_at", "started_by", "started_at", "completed_by", "completed_at", "cancelled_by", "cancelled_at",
            "cancel_reason",
        ]

    def validate(self, attrs):
        product = attrs.get("product") or getattr(self.instance, "product", None)
        bom = attrs.get("bom")
        if bom is not None and product is not None and bom.product_id != product.pk:
            raise serializers.ValidationError({"bom": [gettext("BOM %(bom_id)s is not a BOM of %(sku)s.") % {
                                                           "bom_id": bom.pk,
                                                           "sku": product.sku,
                                                       }]})
        return attrs


class KanbanColumnSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()
    tasks = ProductionTaskSerializer(many=True)


class KanbanBoardSerializer(serializers.Serializer):
    columns = KanbanColumnSerializer(many=True)


class KanbanMoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False, help_text="Target column.")
    position = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False,
                                        help_text="0 = top of the column.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if "status" not in attrs and "position" not in attrs:
            raise serializers.ValidationError({"status": [gettext("Give a target status, a position, or both.")]})
        return attrs
