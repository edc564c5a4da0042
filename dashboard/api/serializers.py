"""Response documents of the dashboard (and the query parameters it takes)."""

from django.utils.translation import gettext
from rest_framework import serializers

from planning.choices import TaskStatus
from sales.api.serializers import (
    AnalyticsQuerySerializer,
    CurrencyInfoSerializer,
    SalesDeltasSerializer,
    SalesPeriodSerializer,
    SalesTimeseriesPointSerializer,
    SalesTopProductSerializer,
    SalesTotalsSerializer,
)


def _money(**kwargs):
    return serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False, **kwargs)


class PeriodQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (default: 30 days before date_to).")
    date_to = serializers.DateField(required=False, help_text="Last day (default: the latest day with sales).")

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": [gettext("date_from is after date_to.")]})
        if attrs.get("date_from") and attrs.get("date_to") and (attrs["date_to"] - attrs["date_from"]).days >= 3660:
            raise serializers.ValidationError({"date_from": [gettext("the range may span at most 3660 days.")]})
        return attrs


class AnalyticsDashboardQuerySerializer(AnalyticsQuerySerializer):
    product = None


class CurrencyTotalsSerializer(SalesTotalsSerializer):
    currency = serializers.CharField()


class ForecastAccuracySerializer(serializers.Serializer):
    run_id = serializers.IntegerField(allow_null=True, help_text="Newest succeeded forecast run; null if none.")
    run_finished_at = serializers.DateTimeField(allow_null=True)
    points = serializers.IntegerField(help_text="Forecast points already compared with actual sales.")
    wape = serializers.FloatField(allow_null=True, help_text="Σ|error| / Σ|actual|; null until scored.")
    bias = serializers.FloatField(allow_null=True, help_text="Σ error / Σ|actual|; positive = over-forecast.")
    coverage = serializers.FloatField(allow_null=True, help_text="Share of actuals inside the 80 % interval.")


class ProposalsWaitingSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    with_quantity = serializers.IntegerField()
    oldest_created_at = serializers.DateTimeField(allow_null=True)


TasksByStatusSerializer = type("DashboardTasksByStatusSerializer", (serializers.Serializer,),
                               {status: serializers.IntegerField() for status in TaskStatus.values})


class DashboardQcSerializer(serializers.Serializer):
    available = serializers.BooleanField(help_text="False while no quality-control data model is installed.")
    pass_rate = serializers.FloatField(allow_null=True, help_text="Share of inspections passed (0..1).")
    inspections = serializers.IntegerField(allow_null=True)
    passed = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True, help_text="Why the figure is not available.")


class StockoutRiskItemSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    lead_time_days = serializers.IntegerField(allow_null=True)
    lead_time_demand = serializers.FloatField(allow_null=True)
    on_hand = serializers.FloatField(allow_null=True)
    on_order = serializers.FloatField(allow_null=True)
    shortfall = serializers.FloatField(allow_null=True)


class StockoutRisksSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True, help_text="Null until a monitoring snapshot exists.")
    items = StockoutRiskItemSerializer(many=True, help_text="The first few, as the snapshot lists them.")
    snapshot_slot = serializers.DateTimeField(allow_null=True)
    snapshot_state = serializers.CharField(help_text="fresh, stale or missing (no snapshot yet).")


class DashboardOverviewSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    period = SalesPeriodSerializer()
    sales = CurrencyTotalsSerializer(many=True, help_text="One row per currency; currencies are never added.")
    forecast_accuracy = ForecastAccuracySerializer()
    proposals_waiting = ProposalsWaitingSerializer()
    tasks_by_status = TasksByStatusSerializer()
    qc = DashboardQcSerializer()
    stockout_risks = StockoutRisksSerializer()


class DashboardStatsSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    locations = serializers.IntegerField(help_text="Active locations.")
    products = serializers.IntegerField(help_text="Active products.")
    customers = serializers.IntegerField()
    orders = serializers.IntegerField()
    daily_sales = serializers.IntegerField()
    latest_sales_day = serializers.DateField(allow_null=True)
    integration_accounts = serializers.IntegerField()
    integration_accounts_enabled = serializers.IntegerField()
    sync_runs_failed_24h = serializers.IntegerField()
    forecast_runs = serializers.IntegerField()
    forecast_runs_succeeded = serializers.IntegerField()
    users_active = serializers.IntegerField()


class DashboardSalesSummarySerializer(serializers.Serializer):
    period = SalesPeriodSerializer()
    previous_period = SalesPeriodSerializer()
    current = SalesTotalsSerializer()
    previous = SalesTotalsSerializer()
    delta = SalesDeltasSerializer()


class DashboardAnalyticsSerializer(CurrencyInfoSerializer):
    summary = DashboardSalesSummarySerializer()
    timeseries = SalesTimeseriesPointSerializer(many=True)
    top_products = SalesTopProductSerializer(many=True)


class DashboardProductionSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    today = serializers.DateField()
    tasks_by_status = TasksByStatusSerializer()
    tasks_overdue = serializers.IntegerField(help_text="Open tasks (draft, approved, in progress) past due.")
    tasks_due_next_7_days = serializers.IntegerField()
    tasks_completed_last_7_days = serializers.IntegerField()
    purchase_orders_open = serializers.IntegerField()
    qc = DashboardQcSerializer()
