"""Forecasting API: runs (list, detail, start one), forecasts, accuracy aggregates, and the chart."""

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import StrictDjangoFilterBackend
from core.api.renderers import PNGRenderer
from core.api.serializers import DetailSerializer
from forecasting.api.serializers import (
    AccuracyGroupSerializer,
    AccuracyQuerySerializer,
    ChartQuerySerializer,
    ChartSerializer,
    ForecastSerializer,
    ModelRunCreateSerializer,
    ModelRunListSerializer,
    ModelRunSerializer,
    SeriesMethodSerializer,
)
from forecasting.filtersets import AccuracyFilterSet, ForecastFilterSet, ModelRunFilterSet
from forecasting.models import Forecast, ForecastAccuracyLog, ModelRun
from forecasting.services import (
    accuracy_summary,
    chart_data,
    queue_training_run,
    render_chart_png,
)
from forecasting.services.queries import latest_run_id


@extend_schema_view(
    list=extend_schema(summary="Forecast runs, newest first", tags=["forecasting"]),
    retrieve=extend_schema(summary="One run with parameters, features, metrics and timings", tags=["forecasting"]),
)
class ModelRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Training and forecast runs. ``POST`` queues a new training run (planners); the worker does the work."""

    queryset = ModelRun.objects.select_related("created_by")
    filterset_class = ModelRunFilterSet
    search_fields = ["error", "stage"]
    ordering_fields = ["id", "created_at", "finished_at", "status", "forecast_count"]

    def get_serializer_class(self):
        if self.action == "list":
            return ModelRunListSerializer
        if self.action == "create":
            return ModelRunCreateSerializer
        return ModelRunSerializer

    @extend_schema(
        summary="Start a training run (202; poll the run for status and progress)",
        tags=["forecasting"],
        request=ModelRunCreateSerializer,
        responses={
            202: ModelRunSerializer,
            400: OpenApiResponse(description="A parameter is invalid; the body names it."),
            409: DetailSerializer,
            422: DetailSerializer,
        },
    )
    def create(self, request, *args, **kwargs):
        params = ModelRunCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        run = queue_training_run(
            horizon=data["horizon"],
            backtest_folds=data["backtest_folds"],
            scope={k: data[k] for k in ("location", "product", "category") if data.get(k)},
            parameters=data.get("parameters") or None,
            user=request.user,
        )
        location = reverse("forecasting:modelrun-detail", args=[run.pk])
        return Response(ModelRunSerializer(run).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    @extend_schema(
        summary="How each series of the run was forecast (method) and why not by the model (reason)",
        tags=["forecasting"],
        parameters=[OpenApiParameter("reason", str, description="Only this reason ('' = trusted model).")],
        responses=SeriesMethodSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="series", filter_backends=[])
    def series(self, request, pk=None):
        run = self.get_object()
        rows = run.series_methods.select_related("location", "product").order_by("location_id", "product_id")
        if "reason" in request.query_params:
            rows = rows.filter(reason=request.query_params["reason"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SeriesMethodSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Forecast points (latest succeeded run unless run= is given)", tags=["forecasting"]),
    retrieve=extend_schema(summary="One forecast point", tags=["forecasting"]),
)
class ForecastViewSet(viewsets.ReadOnlyModelViewSet):
    """Forecasts per location × product × date with p10/p50/p90. Without ``run``, the newest succeeded run
    that has forecasts matching the other filters."""

    queryset = Forecast.objects.select_related("location", "product").order_by("location_id", "product_id", "date")
    serializer_class = ForecastSerializer
    filterset_class = ForecastFilterSet
    search_fields = ["product__sku", "product__name", "location__code", "location__name"]
    ordering_fields = ["date", "location", "product", "yhat", "p90"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self.request.query_params.get("run", "latest").lower() == "latest":
            run_id = latest_run_id(queryset)
            queryset = queryset.filter(run_id=run_id) if run_id else queryset.none()
        return queryset


class AccuracyView(GenericAPIView):
    """Forecast accuracy on arrived actuals, aggregated by run, location, product or horizon day."""

    queryset = ForecastAccuracyLog.objects.all()
    serializer_class = AccuracyGroupSerializer
    filterset_class = AccuracyFilterSet
    filter_backends = [StrictDjangoFilterBackend]

    @extend_schema(
        summary="WAPE, MAE, bias, 80 % coverage and count per group",
        tags=["forecasting"],
        parameters=[
            OpenApiParameter("group_by", str, enum=["run", "location", "product", "horizon_day"],
                             description="How to group (default run).")
        ],
        responses={200: AccuracyGroupSerializer(many=True)},
    )
    def get(self, request):
        query = AccuracyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = accuracy_summary(query.validated_data["group_by"], queryset=self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AccuracyGroupSerializer(page, many=True).data)


class ChartView(APIView):
    """History, forecast, p10–p90 band and arrived actuals for one location × product, as JSON or PNG."""

    required_permissions = {"GET": ["forecasting.view_forecast"], "HEAD": ["forecasting.view_forecast"]}
    renderer_classes = [renderers.JSONRenderer, PNGRenderer, renderers.BrowsableAPIRenderer]
    FORMATS = ("json", "png", "api")

    def perform_content_negotiation(self, request, force=False):
        fmt = request.query_params.get("format")
        if not force and fmt and fmt not in self.FORMATS:
            raise ValidationError({"format": [gettext("Expected 'png' or 'json', got %(fmt)r.") % {"fmt": fmt}]})
        return super().perform_content_negotiation(request, force=force)

    @extend_schema(
        summary="Chart of one location × product (format=png for the image, json for the series)",
        tags=["forecasting"],
        parameters=[
            ChartQuerySerializer,
            OpenApiParameter("format", str, enum=["json", "png"], description="Response format (default json)."),
        ],
        responses={
            (200, "application/json"): ChartSerializer,
            (200, "image/png"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="A parameter is invalid; the body names it."),
        },
    )
    def get(self, request):
        query = ChartQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        data = chart_data(
            location=params["location"], product=params["product"], run=params.get("run") or None,
            history_days=params.get("history_days"),
        )
        if request.accepted_renderer.format == "png":
            return Response(render_chart_png(data), content_type="image/png",
                            headers={"Cache-Control": "private, max-age=300"})
        return Response(data)
