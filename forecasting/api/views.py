"""Forecasting API: runs (list, detail, start one), forecasts, accuracy aggregates, and the chart."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import StrictDjangoFilterBackend
from core.api.permissions import ActionPermissionMixin
from core.api.renderers import PNGRenderer
from core.api.serializers import DetailSerializer
from core.jobs import ACTIVE_STATUSES
from forecasting.api.serializers import (
    AccuracyGroupSerializer,
    AccuracyQuerySerializer,
    ChartQuerySerializer,
    ChartSerializer,
    ForecastBatchCreateSerializer,
    ForecastBatchSerializer,
    ForecastScopeSerializer,
    ForecastSerializer,
    ModelRunCreateSerializer,
    ModelRunListSerializer,
    ModelRunSerializer,
    ScopeRunSerializer,
    SeriesMethodSerializer,
)
from forecasting.choices import AccuracyGroupBy
from forecasting.filtersets import AccuracyFilterSet, ForecastFilterSet, ModelRunFilterSet
from forecasting.models import Forecast, ForecastAccuracyLog, ForecastBatch, ForecastScope, ModelRun
from forecasting.services import (
    accuracy_summary,
    chart_data,
    queue_training_run,
    render_chart_png,
)
from forecasting.services.fanout import start_batch
from forecasting.services.records import record_forecasts, succeeded_runs
from forecasting.services.scopes import delete_scope, resolve_scope_unit, save_scope


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
            forecast_scope=resolve_scope_unit(data.get("forecast_scope")),
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
    list=extend_schema(summary="Forecast points (the forecast of record unless run= is given)", tags=["forecasting"]),
    retrieve=extend_schema(summary="One forecast point", tags=["forecasting"]),
)
class ForecastViewSet(viewsets.ReadOnlyModelViewSet):
    """Forecasts per location × product × date with p10/p50/p90. Without ``run`` (or ``run=latest``), the
    forecast of record: each series from the newest succeeded run of the forecast scope covering it."""

    queryset = Forecast.objects.select_related("location", "product").order_by("location_id", "product_id", "date")
    serializer_class = ForecastSerializer
    filterset_class = ForecastFilterSet
    search_fields = ["product__sku", "product__name", "location__code", "location__name"]
    ordering_fields = ["date", "location", "product", "yhat", "p90"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self.request.query_params.get("run", "latest").lower() == "latest":
            queryset = record_forecasts(queryset)  # each series from its scope's forecast of record
        return queryset


class AccuracyView(GenericAPIView):
    """Forecast accuracy on arrived actuals, aggregated by run, location, product, horizon day or forecast scope."""

    queryset = ForecastAccuracyLog.objects.all()
    serializer_class = AccuracyGroupSerializer
    filterset_class = AccuracyFilterSet
    filter_backends = [StrictDjangoFilterBackend]

    @extend_schema(
        summary="WAPE, MAE, bias, 80 % coverage and count per group",
        tags=["forecasting"],
        parameters=[
            OpenApiParameter("group_by", str, enum=[g.value for g in AccuracyGroupBy],
                             description="How to group (default run); forecast_scope adds up each scope's runs.")
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


@extend_schema_view(
    list=extend_schema(summary="Forecast scopes (units of work) with their forecast of record", tags=["forecasting"]),
    retrieve=extend_schema(summary="One forecast scope", tags=["forecasting"]),
    create=extend_schema(summary="Add a scope (400 when it overlaps an active scope)", tags=["forecasting"]),
    update=extend_schema(summary="Change a scope", tags=["forecasting"]),
    partial_update=extend_schema(summary="Change part of a scope", tags=["forecasting"]),
    destroy=extend_schema(summary="Delete a scope that never ran (409 otherwise: deactivate it)", tags=["forecasting"]),
)
class ForecastScopeViewSet(ActionPermissionMixin, viewsets.ModelViewSet):
    """Location subtree × category subtree a run forecasts on its own; active scopes run side by side nightly."""

    action_permissions = {"run": {"POST": ["forecasting.add_modelrun"]}}
    parser_classes = [JSONParser]  # small JSON bodies; no form uploads to document (or fuzz)
    serializer_class = ForecastScopeSerializer
    search_fields = ["name", "note"]
    ordering_fields = ["id", "name", "active"]

    def get_queryset(self):
        record = succeeded_runs().filter(forecast_scope=OuterRef("pk")).values("pk")[:1]
        active = ModelRun.objects.filter(forecast_scope=OuterRef("pk"), status__in=ACTIVE_STATUSES).values("pk")[:1]
        return ForecastScope.objects.select_related("location", "category").annotate(
            record=Subquery(record), active_run_id=Subquery(active)
        ).order_by("name")

    def _save(self, serializer, instance=None):
        data = {**({} if instance is None else {
            "name": instance.name, "location": instance.location, "category": instance.category,
            "active": instance.active, "note": instance.note}), **serializer.validated_data}
        return save_scope(
            name=data.get("name", ""), location=data.get("location"), category=data.get("category"),
            active=data.get("active", True), note=data.get("note", ""), instance=instance,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scope = self._save(serializer)
        return Response(self.get_serializer(self.get_queryset().get(pk=scope.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        self._save(serializer, instance)
        return Response(self.get_serializer(self.get_queryset().get(pk=instance.pk)).data)

    def perform_destroy(self, instance):
        delete_scope(instance)

    @extend_schema(
        summary="Train and forecast this scope now (202; 409 naming the overlapping run when one is active)",
        tags=["forecasting"], request=ScopeRunSerializer,
        responses={202: ModelRunSerializer, 409: DetailSerializer, 422: DetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="run")
    def run(self, request, pk=None):
        scope = self.get_object()
        params = ScopeRunSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        run = queue_training_run(forecast_scope=scope, horizon=data["horizon"],
                                 backtest_folds=data["backtest_folds"], parameters=data.get("parameters") or None,
                                 user=request.user)
        location = reverse("forecasting:modelrun-detail", args=[run.pk])
        return Response(ModelRunSerializer(run).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


@extend_schema_view(
    list=extend_schema(summary="Nightly forecast batches (one run per scope), newest first", tags=["forecasting"]),
    retrieve=extend_schema(summary="One batch with each scope's run, status and error", tags=["forecasting"]),
)
class ForecastBatchViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """The nightly fan-out over the forecast scopes; ``POST`` starts one now (what the schedule does)."""

    queryset = ForecastBatch.objects.all()
    serializer_class = ForecastBatchSerializer
    parser_classes = [JSONParser]
    ordering_fields = ["id", "created_at", "status"]

    @extend_schema(
        summary="Start a batch now: every active scope queued as one django-q2 group (202)",
        tags=["forecasting"], request=ForecastBatchCreateSerializer,
        responses={202: ForecastBatchSerializer, 409: DetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        params = ForecastBatchCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        batch = start_batch(horizon=params.validated_data["horizon"], trigger="api", user=request.user)
        location = reverse("forecasting:forecastbatch-detail", args=[batch.pk])
        return Response(ForecastBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED,
                        headers={"Location": location})
