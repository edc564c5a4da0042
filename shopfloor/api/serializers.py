"""Serializers validate shapes; rules live in shopfloor.services."""

from decimal import Decimal

from django.utils.translation import gettext
from rest_framework import serializers

from shopfloor.choices import ImageFormat, JobStatus, Symbology
from shopfloor.models import EmbroideryDesign, EmbroideryJob, EmbroideryStep, ScanEvent
from shopfloor.services.barcodes import MAX_CODE_LENGTH
from shopfloor.services.labels import MAX_SHEET_LABELS

QTY = {"max_digits": 14, "decimal_places": 3}


class EmbroideryDesignSerializer(serializers.ModelSerializer):
    colours = serializers.ListField(child=serializers.CharField(max_length=50), max_length=30, required=False)
    machine_minutes_per_piece = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0"),
                                                         required=False)

    class Meta:
        model = EmbroideryDesign
        fields = ["id", "code", "name", "stitch_count", "colours", "machine_minutes_per_piece", "picture",
                  "is_active", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class EmbroideryStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmbroideryStep
        fields = ["id", "bom", "design", "part", "lead_time_days", "notes"]


class EmbroideryJobSerializer(serializers.ModelSerializer):
    quantity = serializers.DecimalField(**QTY, min_value=Decimal("0.001"))
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)

    class Meta:
        model = EmbroideryJob
        fields = ["id", "production_task", "design", "part", "quantity", "machine", "subcontractor",
                  "embroidery_location", "planned_date", "status", "output_quantity", "scrap_quantity", "notes",
                  "created_at", "updated_at", "started_at", "completed_at", "cancelled_at", "cancel_reason"]
        read_only_fields = ["output_quantity", "scrap_quantity", "created_at", "updated_at", "started_at",
                            "completed_at", "cancelled_at", "cancel_reason"]


class CompleteJobSerializer(serializers.Serializer):
    output_quantity = serializers.DecimalField(**QTY, min_value=Decimal("0"))
    scrap_quantity = serializers.DecimalField(**QTY, min_value=Decimal("0"), default=Decimal("0"))


class CancelJobSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LabelQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=MAX_CODE_LENGTH, required=False)
    kind = serializers.CharField(max_length=40, required=False, help_text="With id: the object to label.")
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    symbology = serializers.ChoiceField(choices=Symbology.choices, default=Symbology.CODE128)
    image_format = serializers.ChoiceField(choices=ImageFormat.choices, default=ImageFormat.PNG)

    def validate(self, attrs):
        if not attrs.get("code") and not (attrs.get("kind") and attrs.get("id")):
            raise serializers.ValidationError({"code": [gettext("Send a code, or kind and id of the object "
                                                                "to label.")]})
        return attrs


class LabelRefSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=MAX_CODE_LENGTH, required=False)
    kind = serializers.CharField(max_length=40, required=False)
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    copies = serializers.IntegerField(min_value=1, max_value=MAX_SHEET_LABELS, default=1)

    def validate(self, attrs):
        if not attrs.get("code") and not (attrs.get("kind") and attrs.get("id")):
            raise serializers.ValidationError({"code": [gettext("Send a code, or kind and id of the object "
                                                                "to label.")]})
        return attrs


class LabelSheetSerializer(serializers.Serializer):
    labels = LabelRefSerializer(many=True, allow_empty=False, max_length=MAX_SHEET_LABELS)
    symbology = serializers.ChoiceField(choices=Symbology.choices, default=Symbology.CODE128)
    columns = serializers.IntegerField(min_value=1, max_value=6, default=3)
    rows = serializers.IntegerField(min_value=1, max_value=20, default=8)


class ScanSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=MAX_CODE_LENGTH)


class ScanActionSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=MAX_CODE_LENGTH)
    action = serializers.CharField(max_length=40)
    quantity = serializers.DecimalField(**QTY, required=False, allow_null=True)
    location = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    to_location = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    product = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    counted = serializers.DecimalField(**QTY, required=False, allow_null=True)
    reason = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class ScanActionChoiceSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())


class ScanResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    object = serializers.DictField()
    actions = ScanActionChoiceSerializer(many=True)
    result = serializers.DictField(allow_null=True, required=False)
    scan_id = serializers.IntegerField(allow_null=True)


class ScanEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScanEvent
        fields = ["id", "code", "kind", "object_id", "action", "outcome", "detail", "parameters", "user",
                  "created_at"]
