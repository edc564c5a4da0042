"""Serializers of the planning API. Writes go through services; serializers only shape and validate input."""

from decimal import Decimal

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from branches.models import Location
from planning.choices import BomProblemCode, MakeOrBuy, MovementKind, TaskStatus
from planning.models import (
    BillOfMaterials,
    BomLine,
    OrderProposal,
    PlanningSettings,
    ProductionTask,
    ProposalRun,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    StockBalance,
    StockMovement,
    Supplier,
)
from planning.services.policy import MAX_SERVICE_LEVEL, MIN_SERVICE_LEVEL
from sales.models import Product

QTY = {"max_digits": 14, "decimal_places": 3}
MAX_DAILY = 1e9  # demand per day; beyond this a number is a mistake, and sums must stay exact decimals


class ProductBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "sku", "name", "unit", "kind"]


class LocationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "code", "name"]


# --- suppliers and settings ----------------------------------------------------------------------------


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "code", "name", "email", "phone", "is_active", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PlanningSettingsSerializer(serializers.ModelSerializer):
    scope = serializers.CharField(source="scope_label", read_only=True)
    service_level = serializers.DecimalField(
        max_digits=5, decimal_places=4, required=False, allow_null=True,
        min_value=MIN_SERVICE_LEVEL, max_value=MAX_SERVICE_LEVEL,
    )
    pack_size = serializers.DecimalField(**QTY, required=False, allow_null=True, min_value=Decimal("0.001"))
    moq = serializers.DecimalField(**QTY, required=False, allow_null=True, min_value=Decimal("0"))
    max_stock = serializers.DecimalField(**QTY, required=False, allow_null=True, min_value=Decimal("0"))

    class Meta:
        model = PlanningSettings
        fields = [
            "id", "scope", "location", "category", "product", "service_level", "review_period_days",
            "lead_time_days", "moq", "pack_size", "max_stock", "make_or_buy", "supplier", "allow_negative_stock",
            "notes", "updated_by", "created_at", "updated_at",
        ]
        read_only_fields = ["updated_by", "created_at", "updated_at"]
        validators = []  # the scope uniqueness is checked in validate() with a message naming the scope

    def validate(self, attrs):
        def current(name):
            return attrs[name] if name in attrs else getattr(self.instance, name, None)

        location, category, product = current("location"), current("category"), current("product")
        if category is not None and product is not None:
            raise serializers.ValidationError(
                {"category": ["Give a product or a category, not both: the product's own category applies."]}
            )
        same_scope = PlanningSettings.objects.filter(
            Q(location=location) if location else Q(location__isnull=True),
            Q(category=category) if category else Q(category__isnull=True),
            Q(product=product) if product else Q(product__isnull=True),
        )
        if self.instance is not None:
            same_scope = same_scope.exclude(pk=self.instance.pk)
        existing = same_scope.first()
        if existing is not None:
            raise serializers.ValidationError(
                {"location": [f"Settings for this scope already exist (id {existing.pk}); change that row instead."]}
            )
        return attrs


class EffectiveSettingsSerializer(serializers.Serializer):
    location = serializers.IntegerField(allow_null=True)
    product = serializers.IntegerField(allow_null=True)
    service_level = serializers.DecimalField(max_digits=5, decimal_places=4)
    review_period_days = serializers.IntegerField()
    lead_time_days = serializers.IntegerField()
    protection_days = serializers.IntegerField()
    moq = serializers.DecimalField(**QTY)
    pack_size = serializers.DecimalField(**QTY)
    max_stock = serializers.DecimalField(**QTY, allow_null=True)
    make_or_buy = serializers.ChoiceField(choices=MakeOrBuy.choices)
    supplier = serializers.IntegerField(allow_null=True)
    supplier_name = serializers.CharField()
    allow_negative_stock = serializers.BooleanField()
    sources = serializers.DictField(child=serializers.CharField(), help_text="Field → the row it came from.")


class EffectiveSettingsQuerySerializer(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)


# --- stateless proposal --------------------------------------------------------------------------------


class PolicySettingsInputSerializer(serializers.Serializer):
    service_level = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=MIN_SERVICE_LEVEL, max_value=MAX_SERVICE_LEVEL, required=False
    )
    review_period_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    lead_time_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    moq = serializers.DecimalField(**QTY, min_value=Decimal("0"), required=False)
    pack_size = serializers.DecimalField(**QTY, min_value=Decimal("0.001"), required=False)
    max_stock = serializers.DecimalField(**QTY, min_value=Decimal("0"), required=False, allow_null=True)

    def validate(self, attrs):
        review = attrs.get("review_period_days", 7)
        lead = attrs.get("lead_time_days", 2)
        if review + lead < 1:
            raise serializers.ValidationError(
                {"review_period_days": ["lead_time_days + review_period_days must be at least 1."]}
            )
        return attrs


class QuantileDaySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Defaults to planning_date + position in the list.")
    p10 = serializers.FloatField(required=False, allow_null=True, min_value=-MAX_DAILY, max_value=MAX_DAILY)
    p50 = serializers.FloatField(min_value=0, max_value=MAX_DAILY)
    p90 = serializers.FloatField(required=False, allow_null=True, min_value=-MAX_DAILY, max_value=MAX_DAILY)

    def validate(self, attrs):
        p10, p50, p90 = attrs.get("p10"), attrs["p50"], attrs.get("p90")
        if (p10 is None) != (p90 is None):
            raise serializers.ValidationError({"p10": ["Give both p10 and p90, or neither."]})
        if p10 is not None and not p10 <= p50 <= p90:
            raise serializers.ValidationError({"p50": [f"Quantiles must be ordered p10 ≤ p50 ≤ p90; got {p10}, {p50}, "
                                                       f"{p90}."]})
        return attrs


class DemandInputSerializer(serializers.Serializer):
    daily = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=MAX_DAILY), required=False, max_length=3660,
        help_text="Expected demand per day from planning_date on (used as p50).",
    )
    daily_sigma = serializers.FloatField(
        min_value=0, max_value=MAX_DAILY, required=False, allow_null=True,
        help_text="Standard deviation of one day's demand (e.g. from backtest residuals), with `daily`.",
    )
    quantiles = QuantileDaySerializer(many=True, required=False, help_text="p10/p50/p90 per day.")

    def validate(self, attrs):
        has_daily, has_quantiles = attrs.get("daily") is not None, attrs.get("quantiles") is not None
        if has_daily == has_quantiles:
            raise serializers.ValidationError({"daily": ["Give exactly one of demand.daily or demand.quantiles."]})
        if has_quantiles and len(attrs["quantiles"]) > 3660:
            raise serializers.ValidationError({"quantiles": ["At most 3660 days."]})
        return attrs


class OpenOrderInputSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(**QTY, min_value=Decimal("0.001"))
    due_date = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class SupplyInputSerializer(serializers.Serializer):
    on_hand = serializers.DecimalField(**QTY, default=Decimal("0"))
    reserved = serializers.DecimalField(**QTY, min_value=Decimal("0"), default=Decimal("0"))
    open_orders = OpenOrderInputSerializer(many=True, required=False, default=list)


class ProposalRequestSerializer(serializers.Serializer):
    planning_date = serializers.DateField(required=False, help_text="Review day; defaults to today.")
    unit = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    settings = PolicySettingsInputSerializer(required=False, default=dict)
    demand = DemandInputSerializer()
    supply = SupplyInputSerializer(required=False, default=dict)
    dependent_demand = serializers.DecimalField(**QTY, min_value=Decimal("0"), default=Decimal("0"))


class RoundingStepSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=["pack_size", "moq", "max_stock"])
    before = serializers.DecimalField(**QTY)
    after = serializers.DecimalField(**QTY)
    note = serializers.CharField()


class PolicySettingsEchoSerializer(serializers.Serializer):
    service_level = serializers.DecimalField(max_digits=5, decimal_places=4)
    review_period_days = serializers.IntegerField()
    lead_time_days = serializers.IntegerField()
    moq = serializers.DecimalField(**QTY)
    pack_size = serializers.DecimalField(**QTY)
    max_stock = serializers.DecimalField(**QTY, allow_null=True)


class ProposalResultSerializer(serializers.Serializer):
    planning_date = serializers.DateField()
    protection_days = serializers.IntegerField(help_text="P = lead time + review period.")
    demand_days = serializers.IntegerField(help_text="Days of P the demand input covered.")
    forecast_demand = serializers.DecimalField(**QTY)
    dependent_demand = serializers.DecimalField(**QTY)
    demand = serializers.DecimalField(**QTY, help_text="D = Σ p50 over P (+ dependent demand).")
    sigma_protection = serializers.DecimalField(**QTY, help_text="σ over P = √Σσ_d².")
    z = serializers.DecimalField(max_digits=8, decimal_places=4, help_text="Φ⁻¹(service level).")
    service_level = serializers.DecimalField(max_digits=5, decimal_places=4)
    safety_stock = serializers.DecimalField(**QTY, help_text="SS = z · σ over P.")
    on_hand = serializers.DecimalField(**QTY)
    open_supply_within = serializers.DecimalField(**QTY, help_text="Open orders due before the end of P.")
    open_supply_ignored = serializers.DecimalField(**QTY, help_text="Open orders due after P (not counted).")
    reserved = serializers.DecimalField(**QTY)
    inventory_position = serializers.DecimalField(**QTY, help_text="IP = on hand + open within P − reserved.")
    target_level = serializers.DecimalField(**QTY, help_text="Order-up-to level D + SS.")
    raw_need = serializers.DecimalField(**QTY, help_text="max(0, D + SS − IP).")
    quantity = serializers.DecimalField(**QTY, help_text="After pack rounding, MOQ and max stock.")
    rounding = RoundingStepSerializer(many=True)
    capped = serializers.BooleanField()
    order_date = serializers.DateField()
    expected_arrival = serializers.DateField()
    next_review_date = serializers.DateField()
    explanation = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())
    settings = PolicySettingsEchoSerializer()


# --- health --------------------------------------------------------------------------------------------


class HealthForecastRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    age_days = serializers.IntegerField(allow_null=True)
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)


class HealthLocationSerializer(serializers.Serializer):
    location = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    last_sales_day = serializers.DateField(allow_null=True)
    sales_age_days = serializers.IntegerField(allow_null=True)
    last_stock_snapshot = serializers.DateTimeField(allow_null=True)
    snapshot_age_days = serializers.IntegerField(allow_null=True)
    last_stock_movement = serializers.DateTimeField(allow_null=True)
    forecast_items = serializers.IntegerField(help_text="Products with a forecast planning would use.")
    forecast_run = serializers.IntegerField(allow_null=True, help_text="Newest run covering the location.")
    forecast_age_days = serializers.IntegerField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


class HealthCoverageSerializer(serializers.Serializer):
    window_days = serializers.IntegerField()
    window_end = serializers.DateField(allow_null=True)
    active_items = serializers.IntegerField()
    with_forecast = serializers.IntegerField()
    with_settings = serializers.IntegerField()
    with_both = serializers.IntegerField()
    with_forecast_share = serializers.FloatField(allow_null=True)
    with_settings_share = serializers.FloatField(allow_null=True)
    with_both_share = serializers.FloatField(allow_null=True)


class HealthLastProposalRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class HealthProposalsSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    open_with_quantity = serializers.IntegerField()
    last_run = HealthLastProposalRunSerializer(allow_null=True)


class PlanningHealthSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    today = serializers.DateField()
    forecast_run = HealthForecastRunSerializer()
    locations = HealthLocationSerializer(many=True)
    coverage = HealthCoverageSerializer()
    proposals = HealthProposalsSerializer()
    warnings = serializers.ListField(child=serializers.CharField())


# --- proposals -----------------------------------------------------------------------------------------


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


# --- stock ---------------------------------------------------------------------------------------------


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
            raise serializers.ValidationError("A reason is required for an adjustment.")
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
            raise serializers.ValidationError({"quantity": ["Quantity must not be 0."]})
        if attrs["kind"] == MovementKind.TRANSFER_OUT:
            if attrs.get("to_location") is None:
                raise serializers.ValidationError({"to_location": ["A transfer needs to_location."]})
            if attrs["quantity"] < 0:
                raise serializers.ValidationError({"quantity": ["A transfer quantity must be positive."]})
        if not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": ["A reason is required."]})
        return attrs


# --- purchasing ----------------------------------------------------------------------------------------


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


# --- BOM -----------------------------------------------------------------------------------------------


class BomLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    component_detail = ProductBriefSerializer(source="component", read_only=True)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                 help_text="Defaults to the component's unit; must equal it.")
    quantity = serializers.DecimalField(**QTY)
    scrap_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=Decimal("0"))

    class Meta:
        model = BomLine
        fields = ["id", "line_no", "component", "component_detail", "quantity", "unit", "scrap_percent", "notes"]
        read_only_fields = ["line_no"]


class BomSerializer(serializers.ModelSerializer):
    lines = BomLineSerializer(many=True)
    product_detail = ProductBriefSerializer(source="product", read_only=True)
    is_default = serializers.BooleanField(required=False, allow_null=True, default=None,
                                          help_text="Empty: the first active BOM of a product becomes its default.")
    output_quantity = serializers.DecimalField(**QTY, required=False, default=Decimal("1"))

    class Meta:
        model = BillOfMaterials
        fields = [
            "id", "product", "product_detail", "variant", "version", "is_default", "is_active", "output_quantity",
            "notes", "lines", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # (product, variant, version) uniqueness is checked below with a helpful message

    def validate(self, attrs):
        product = attrs.get("product") or getattr(self.instance, "product", None)
        variant = attrs.get("variant", getattr(self.instance, "variant", "main"))
        version = attrs.get("version", getattr(self.instance, "version", 1))
        clash = BillOfMaterials.objects.filter(product=product, variant=variant, version=version)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"version": [f"{product.sku} already has a BOM variant '{variant}' version {version}; "
                             "use another version or edit that one."]}
            )
        return attrs


class BomVariantSummarySerializer(serializers.ModelSerializer):
    line_count = serializers.IntegerField(read_only=True)
    product_detail = ProductBriefSerializer(source="product", read_only=True)

    class Meta:
        model = BillOfMaterials
        fields = ["id", "product", "product_detail", "variant", "version", "is_default", "is_active",
                  "output_quantity", "line_count", "updated_at"]
        read_only_fields = fields


class BomVariantCreateSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=BillOfMaterials.objects.all(), help_text="BOM to copy.")
    variant = serializers.CharField(max_length=64, required=False, help_text="New variant name; default: same.")
    version = serializers.IntegerField(min_value=1, required=False, help_text="Default: next free version.")
    make_default = serializers.BooleanField(default=False)

    def validate(self, attrs):
        source = attrs["source"]
        variant = attrs.get("variant") or source.variant
        version = attrs.get("version")
        if version is not None and BillOfMaterials.objects.filter(
            product_id=source.product_id, variant=variant, version=version
        ).exists():
            raise serializers.ValidationError({"version": [f"Variant '{variant}' version {version} already exists."]})
        return attrs


class BomDraftLineSerializer(serializers.Serializer):
    component = serializers.IntegerField(required=False, allow_null=True, help_text="Product id.")
    component_sku = serializers.CharField(required=False, allow_blank=True, max_length=100)
    quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=20)
    scrap_percent = serializers.DecimalField(max_digits=8, decimal_places=3, required=False, default=Decimal("0"))

    def validate(self, attrs):
        if attrs.get("component") is None and not attrs.get("component_sku"):
            raise serializers.ValidationError({"component": ["Give component (id) or component_sku."]})
        return attrs


class BomValidateRequestSerializer(serializers.Serializer):
    bom = serializers.IntegerField(required=False, help_text="Validate this stored BOM.")
    product = serializers.IntegerField(required=False, help_text="With lines: validate a draft for this product.")
    replaces = serializers.IntegerField(required=False, allow_null=True,
                                        help_text="With a draft: the stored BOM it would replace.")
    output_quantity = serializers.DecimalField(**QTY, required=False, default=Decimal("1"))
    lines = BomDraftLineSerializer(many=True, required=False)

    def validate(self, attrs):
        if "lines" in attrs and "product" not in attrs:
            raise serializers.ValidationError({"product": ["A draft (lines) needs its product."]})
        if "product" in attrs and not Product.objects.filter(pk=attrs["product"]).exists():
            raise serializers.ValidationError({"product": [f"Product {attrs['product']} does not exist."]})
        if "bom" in attrs and not BillOfMaterials.objects.filter(pk=attrs["bom"]).exists():
            raise serializers.ValidationError({"bom": [f"BOM {attrs['bom']} does not exist."]})
        return attrs


class BomProblemSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=BomProblemCode.choices)
    # A plain string, not an enum: "severity" is monitoring's enum name in the schema.
    severity = serializers.CharField(help_text="'error' (the BOM cannot be used) or 'warning' (suspicious).")
    message = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField(), help_text="SKUs from the product to the problem.")
    line = serializers.IntegerField(allow_null=True)
    bom = serializers.IntegerField(allow_null=True)


class BomValidateResponseSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    checked = serializers.IntegerField(help_text="BOMs (or drafts) checked.")
    problems = BomProblemSerializer(many=True)


class ExplodedComponentSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)
    paths = serializers.ListField(child=serializers.CharField())


class BomExplosionSerializer(serializers.Serializer):
    bom = serializers.IntegerField()
    product = serializers.IntegerField()
    sku = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)
    lines = ExplodedComponentSerializer(many=True)


class BomSearchResultSerializer(serializers.Serializer):
    bom = serializers.IntegerField()
    product = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    variant = serializers.CharField()
    version = serializers.IntegerField()
    is_default = serializers.BooleanField()
    level = serializers.IntegerField(help_text="1 = uses the component directly; n = through n−1 sub-assemblies.")
    path = serializers.ListField(child=serializers.CharField())


# --- production ----------------------------------------------------------------------------------------


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
            raise serializers.ValidationError({"bom": [f"BOM {bom.pk} is not a BOM of {product.sku}."]})
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
            raise serializers.ValidationError({"status": ["Give a target status, a position, or both."]})
        return attrs
