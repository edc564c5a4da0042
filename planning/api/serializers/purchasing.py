"""Planning API serializers: purchasing."""


from decimal import Decimal

from rest_framework import serializers

from planning.api.serializers.common import QTY, ProductBriefSerializer
from planning.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)


class PurchaseOrderLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    quantity = serializers.DecimalField(**QTY, min_value=Decimal("0.001"))
    outstanding_quantity = serializers.DecimalField(**QTY, read_only=True)
    product_detail = ProductBriefSerializer(source="product", read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id", "product", "product_detail", "quantity", "received_quantity", "outstanding_quantity", "unit_price",
            "expected_date", "proposal", "notes",
        ]
        read_only_fields = ["received_quantity", "proposal"]


class PurchaseOrderSerializer(serializers.ModelSerializer):
    lines = PurchaseOrderLineSerializer(many=True, required=False)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id", "supplier", "location", "status", "order_date", "expected_date", "supplier_reference", "notes",
            "lines", "created_by", "created_at", "updated_at", "sent_by", "sent_at", "received_at", "cancelled_by",
            "cancelled_at", "cancel_reason",
        ]
        read_only_fields = [
            "status", "order_date", "created_by", "created_at", "updated_at", "sent_by", "sent_at", "received_at",
            "cancelled_by", "cancelled_at", "cancel_reason",
        ]


class ReceiveLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Purchase order line id.")
    quantity = serializers.DecimalField(**QTY, min_value=Decimal("0.001"))
    lot_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                       help_text="Lot-tracked products: the supplier's lot number (empty: made up).")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReceiveSerializer(serializers.Serializer):
    lines = ReceiveLineSerializer(many=True, required=False, help_text="Omit to receive everything outstanding.")
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PurchaseReceiptLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PurchaseReceiptLine
        fields = ["id", "order_line", "quantity", "movement"]
        read_only_fields = fields


class PurchaseReceiptSerializer(serializers.ModelSerializer):
    lines = PurchaseReceiptLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseReceipt
        fields = ["id", "order", "received_at", "received_by", "reference", "notes", "lines", "created_at"]
        read_only_fields = fields
