"""Planning API serializers: stateless proposal."""


from decimal import Decimal

from django.utils.translation import gettext
from rest_framework import serializers

from planning.api.serializers.common import MAX_DAILY, QTY
from planning.services.policy import MAX_SERVICE_LEVEL, MIN_SERVICE_LEVEL


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
                {"review_period_days": [gettext("lead_time_days + review_period_days must be at least 1.")]}
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
            raise serializers.ValidationError({"p10": [gettext("Give both p10 and p90, or neither.")]})
        if p10 is not None and not p10 <= p50 <= p90:
            raise serializers.ValidationError({"p50": [gettext("Quantiles must be ordered p10 ≤ p50 ≤ p90; "
                                                               "got %(p10)s, %(p50)s, %(p90)s.") % {
                                                           "p10": p10,
                                                           "p50": p50,
                                                           "p90": p90,
                                                       }]})
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
            raise serializers.ValidationError({"daily": [gettext("Give exactly one of demand.daily or "
                                                                 "demand.quantiles.")]})
        if has_quantiles and len(attrs["quantiles"]) > 3660:
            raise serializers.ValidationError({"quantiles": [gettext("At most 3660 days.")]})
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
