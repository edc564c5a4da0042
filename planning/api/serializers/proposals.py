"""Planning API serializers: proposals."""


from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planning.api.serializers.common import QTY, LocationBriefSerializer, ProductBriefSerializer
from planning.models import (
    OrderProposal,
    ProposalRun,
)


class ProposalRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalRun
        fields = [
            "id", "status", "forecast_run", "planning_date", "scope", "trigger", "progress_done", "progress_total",
            "counts", "warnings", "error", "created_by", "started_at", "finished_at",
        ]
        read_only_fields = fields


class OrderProposalSerializer(serializers.ModelSerializer):
    product_detail = ProductBriefSerializer(source="product", read_only=True)
    location_detail = LocationBriefSerializer(source="location", read_only=True)
    purchase_order = serializers.SerializerMethodField()
    production_task = serializers.SerializerMethodField()

    class Meta:
        model = OrderProposal
        fields = [
            "id", "proposal_run", "forecast_run", "location", "location_detail", "product", "product_detail", "kind",
            "status", "quantity", "supplier", "planning_date", "order_date", "expected_arrival", "protection_days",
            "forecast_demand", "dependent_demand", "demand", "safety_stock", "on_hand", "open_supply", "reserved",
            "inventory_position", "target_level", "raw_need", "service_level", "explanation", "terms",
            "stock_source", "decided_by", "decided_at", "decided_quantity", "decision_note", "purchase_order",
            "production_task", "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_purchase_order(self, obj) -> int | None:
        line = getattr(obj, "purchase_order_line", None)
        return line.order_id if line is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_production_task(self, obj) -> int | None:
        task = getattr(obj, "production_task", None)
        return task.pk if task is not None else None


class ProposalDecisionSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(
        **QTY, min_value=Decimal("0.001"), required=False, help_text="Approve a different quantity (approve only)."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ProposeOrdersRequestSerializer(serializers.Serializer):
    run = serializers.IntegerField(required=False, allow_null=True, help_text="Forecast run; default latest succeeded.")
    locations = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)
    planning_date = serializers.DateField(required=False, allow_null=True)


class ProposalSummarySerializer(serializers.Serializer):
    proposal_run_id = serializers.IntegerField(allow_null=True)
    forecast_run_id = serializers.IntegerField(allow_null=True)
    planning_date = serializers.DateField(allow_null=True)
    locations = serializers.IntegerField()
    items_evaluated = serializers.IntegerField()
    proposals_created = serializers.IntegerField()
    with_quantity = serializers.IntegerField()
    buy = serializers.IntegerField()
    make = serializers.IntegerField()
    component_proposals = serializers.IntegerField()
    replaced = serializers.IntegerField()
    forecast_runs = serializers.DictField(child=serializers.IntegerField(), help_text="Run id → items planned.")
    warnings = serializers.ListField(child=serializers.CharField())
