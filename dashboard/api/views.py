"""`/api/v1/dashboard/…`: one call per block of the first page. Read-only; anyone who may read sales data."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.read_cache import cached_read
from dashboard import services
from dashboard.api import serializers as s
from sales.services import analytics


class _DashboardView(APIView):
    required_permissions = {"GET": ["sales.view_dailysale", "planning.view_productiontask"]}

    def query(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class OverviewView(_DashboardView):
    """Sales per currency, forecast accuracy, proposals waiting, tasks by status, QC pass rate, stock-out risks."""

    @extend_schema(parameters=[s.PeriodQuerySerializer], responses=s.DashboardOverviewSerializer, tags=["dashboard"])
    @cached_read
    def get(self, request):
        params = self.query(s.PeriodQuerySerializer, request)
        data = services.overview(params.get("date_from"), params.get("date_to"))
        return Response(s.DashboardOverviewSerializer(data).data)


class StatsView(_DashboardView):
    """How much data there is: locations, products, customers, orders, sources, runs, users."""

    @extend_schema(responses=s.DashboardStatsSerializer, tags=["dashboard"])
    def get(self, request):
        return Response(s.DashboardStatsSerializer(services.stats()).data)


class AnalyticsView(_DashboardView):
    """Sales in one currency: summary against the previous period, the daily series and the top products."""

    @extend_schema(parameters=[s.AnalyticsDashboardQuerySerializer], responses=s.DashboardAnalyticsSerializer,
                   tags=["dashboard"])
    @cached_read
    def get(self, request):
        params = self.query(s.AnalyticsDashboardQuerySerializer, request)
        first, last = analytics.default_period(params.get("date_from"), params.get("date_to"))
        filters = analytics.AnalyticsFilters(
            date_from=first, date_to=last, location=params.get("location"), category=params.get("category"),
            channel=params.get("channel", "") or "", currency=params.get("currency", "") or "")
        return Response(s.DashboardAnalyticsSerializer(services.sales_analytics(filters)).data)


class ProductionView(_DashboardView):
    """The shop floor: tasks by status, overdue and due soon, completed this week, open purchase orders, QC."""

    # Not cached: a few counts, and QC writes (quality app) would not invalidate the read cache.
    @extend_schema(responses=s.DashboardProductionSerializer, tags=["dashboard"])
    def get(self, request):
        return Response(s.DashboardProductionSerializer(services.production()).data)
