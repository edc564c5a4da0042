"""Planning API serializers: stock."""


from decimal import Decimal

from django.utils.translation import gettext
from rest_framework import serializers

from branches.models import Location
from planning.api.serializers.common import QTY, LocationBriefSerializer, ProductBriefSerializer
from planning.choices import MovementKind
from planning.models import (
    StockBalance,
    StockMovement,
)
from sales.models import Product


class StockBalanceSerializer(serializers.ModelSerializer):
    product_detail = ProductBriefSerializer(source="product", read_only=True)
    location_detail = LocationBriefSerializer(source="location", read_only=True)

    class Meta:
        model = StockBalance
        fields = [
            "id", "location", "location_detail", "product", "product_detail", "on_hand", "quarantine", "blocked",
            "reserved", "in_transit", "last_movement_at", "last_synced_as_of", "updated_at",
        ]
        read_only_fields = fields


class StockAdjustmentSerializer(serializers.Serializer):
    on_hand = serializers.DecimalField(**QTY, min_value=Decimal("0"), help_text="The counted quantity.")
    reason = serializers.CharField(max_length=500, help_text="Why stock changes, e.g. 'stock count'. Required.")
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_reason(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(gettext("A reason is required for an adjustment."))
        return value.strip()


class StockMovementSerializer(serializers.ModelSerializer):
    product_detail = ProductBriefSerializer(source="product", read_only=True)

    class Meta:
        model = StockMovement
        fields = [
            "id", "location", "product", "product_detail", "kind", "quantity", "balance_after", "lot", "status",
            "reason", "reference", "purchase_order_line", "production_task", "source_stock_level", "created_by",
            "occurred_at", "created_at",
        ]
        read_only_fields = fields


class MovementCreateSerializer(serializers.Serializer):
    """Manual movements: an adjustment by a signed quantity, or a transfer between two locations."""

    kind = serializers.ChoiceField(choices=[MovementKind.ADJUSTMENT, MovementKind.TRANSFER_OUT])
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(**QTY, help_text="Adjustment: signed change. Transfer: positive amount.")
    to_location = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), required=False, allow_null=True, help_text="Transfers only."
    )
    reason = serializers.CharField(max_length=500)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["quantity"] == 0:
            raise serializers.ValidationError({"quantity": [gettext("Quantity must not be 0.")]})
        if attrs["kind"] == MovementKind.TRANSFER_OUT:
            if attrs.get("to_location") is None:
                raise serializers.ValidationError({"to_location": [gettext("A transfer needs to_location.")]})
            if attrs["quantity"] < 0:
                raise serializers.ValidationError({"quantity": [gettext("A transfer quantity must be positive.")]})
        if not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": [gettext("A reason is required.")]})
        return attrs
