"""Policy replays under /api/v1/planning/replays/: start one (202), read its results, items, charts, workbook.

Thin: the request is checked by ``planning.services.replay.runs.validate_request`` (the same check the command
and the admin use), queued by ``queue_replay``; charts and the workbook come from ``replay.reports``.
"""

from __future__ import annotations

import django_filters
from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from planning.models import ReplayItem, ReplayRun
from planning.services.replay import reports
from planning.services.replay.reports import XLSX_TYPE
from planning.services.replay.runs import queue_replay, validate_request


class ReplayRequestSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day replayed (default: 26 weeks back).")
    date_to = serializers.DateField(required=False, help_text="Last day replayed (default: yesterday).")
    location = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="Location ids or codes: their subtrees (default: all).")
    category = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="Product category ids or codes, with sub-categories (default: all).")
    service_levels = serializers.ListField(
        child=serializers.DecimalField(max_digits=5, decimal_places=4), required=False, max_length=8,
        help_text="Service levels replayed for the policy (default 0.80, 0.90, 0.95, 0.98).",
    )
    retrain_every_days = serializers.IntegerField(required=False, min_value=1, max_value=366,
                                                  help_text="Re-train the model every this many days (default 28).")

    def validate(self, attrs):
        attrs["request"] = validate_request(**attrs)
        return attrs


class ContenderSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rule = serializers.CharField()
    forecast = serializers.CharField()
    service_level = serializers.CharField(allow_null=True)
    series = serializers.IntegerField()
    demand = serializers.FloatField()
    sold = serializers.FloatField()
    units_short = serializers.FloatField(allow_null=True)
    lost_sales_value = serializers.FloatField(allow_null=True)
    fill_rate = serializers.FloatField(allow_null=True)
    stockout_days = serializers.IntegerField()
    stockout_day_share = serializers.FloatField()
    avg_stock_units = serializers.FloatField()
    avg_stock_value = serializers.FloatField()
    peak_stock_units = serializers.FloatField()
    peak_stock_value = serializers.FloatField()
    orders = serializers.IntegerField()
    units_ordered = serializers.FloatField()


class ReplayRunSerializer(serializers.ModelSerializer):
    contenders = ContenderSerializer(many=True, read_only=True)
    progress_percent = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ReplayRun
        fields = [
            "id", "status", "stage", "progress_done", "progress_total", "progress_percent", "date_from", "date_to",
            "scope", "service_levels", "retrain_every_days", "series_count", "initial_stock", "contenders", "notes",
            "seconds", "error", "created_by", "created_at", "started_at", "finished_at",
        ]
        read_only_fields = fields


class ReplayItemSerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True)
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = ReplayItem
        fields = ["id", "location", "location_code", "product", "product_sku", "product_name", "unit_value",
                  "demand_total", "outcomes", "demand", "trajectories"]
        read_only_fields = fields


class ReplayRunFilterSet(django_filters.FilterSet):
    status = django_filters.CharFilter()

    class Meta:
        model = ReplayRun
        fields = ["status"]


class ReplayItemFilterSet(django_filters.FilterSet):
    location = django_filters.NumberFilter(field_name="location_id")
    product = django_filters.NumberFilter(field_name="product_id")

    class Meta:
        model = ReplayItem
        fields = ["location", "product"]


@extend_schema_view(
    list=extend_schema(summary="Policy replays, newest first", tags=["planning"]),
    retrieve=extend_schema(summary="One replay: status, progress, totals per contender, notes", tags=["planning"]),
)
class ReplayRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """What the replenishment policy would have done on past demand, against simpler rules."""

    queryset = ReplayRun.objects.all()
    serializer_class = ReplayRunSerializer
    filterset_class = ReplayRunFilterSet
    ordering_fields = ["created_at", "id"]

    @extend_schema(
        summary="Start a replay (answers 202 with the run; the work runs in the worker)", tags=["planning"],
        request=ReplayRequestSerializer, responses={202: ReplayRunSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = ReplayRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = queue_replay(body.validated_data["request"], user=request.user)
        run.refresh_from_db()
        return Response(ReplayRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Figures per location × product of one replay", tags=["planning"],
        parameters=[OpenApiParameter("location", int), OpenApiParameter("product", int)],
        responses={200: ReplayItemSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def items(self, request, pk=None):
        run = self.get_object()
        filters = ReplayItemFilterSet(request.query_params, queryset=run.items.select_related("location", "product"))
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        page = self.paginate_queryset(filters.qs)
        return self.get_paginated_response(ReplayItemSerializer(page, many=True).data)

    @extend_schema(
        summary="Chart: stock held vs fill rate (or, with ?item=, one item's stock and demand)", tags=["planning"],
        parameters=[OpenApiParameter("item", int, description="A replay item id for its trajectory chart.")],
        responses={(200, "image/png"): OpenApiTypes.BINARY,
                   404: OpenApiResponse(description="No such replay or item.")},
    )
    @action(detail=True, methods=["get"], url_path="chart", filterset_class=None)
    def chart(self, request, pk=None):
        run = self.get_object()
        item_id = request.query_params.get("item")
        if item_id in (None, ""):
            return HttpResponse(reports.tradeoff_png(run), content_type="image/png")
        if not str(item_id).isdigit():
            raise ValidationError({"item": [gettext("%(item_id)r is not a replay item id.") % {
                                                "item_id": item_id,
                                            }]})
        item = run.items.select_related("location", "product", "run").filter(pk=int(item_id)).first()
        if item is None:
            raise NotFound(gettext("Replay #%(run_id)s has no item %(item_id)s.") % {
                               "run_id": run.pk,
                               "item_id": item_id,
                           })
        return HttpResponse(reports.trajectory_png(item), content_type="image/png")

    @extend_schema(summary="The replay as an XLSX workbook (contenders, then every item)", tags=["planning"],
                   responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="export", filterset_class=None)
    def export(self, request, pk=None):
        run = self.get_object()
        response = HttpResponse(reports.export_xlsx(run), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="replay-{run.pk}.xlsx"'
        return response
