"""Sales API: item master, demand history, orders, import/export and analytics.

Views hold no business logic: writes of files and orders go through `sales.services`, analytics through
`sales.services.analytics`. Read access needs the model's view permission (every role has it); writes need the
add/change/delete permissions the integrator and admin roles hold.
"""

from __future__ import annotations

import tempfile

from django.db.models import Count, ProtectedError
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.models import Location
from core.api.exceptions import Conflict
from core.api.fast_lists import with_related_names
from core.api.pagination import CachedCountPagination
from core.read_cache import cached_read
from sales.api import serializers as s
from sales.choices import ImportJobStatus, ImportKind
from sales.filtersets import (
    CustomerFilterSet,
    DailySaleFilterSet,
    DemandDriverFilterSet,
    ImportJobFilterSet,
    OrderFilterSet,
    ProductCategoryFilterSet,
    ProductFilterSet,
    StockLevelFilterSet,
)
from sales.models import (
    Customer,
    DailySale,
    DemandDriver,
    ImportJob,
    Order,
    Product,
    ProductCategory,
    StockLevel,
)
from sales.services import analytics
from sales.services.exports import build_template, export_rows, write_csv, write_xlsx
from sales.services.file_import import import_file
from sales.services.import_jobs import (
    ImportTooLarge,
    check_upload_size,
    create_import_job,
    enqueue_import_job,
    inline_max_bytes,
    max_upload_bytes,
    run_import_job,
    runs_in_background,
)
from sales.services.orders import save_manual_order


class _ProtectedDestroyMixin:
    def perform_destroy(self, instance) -> None:
        try:
            instance.delete()
        except ProtectedError as exc:
            names = sorted({str(type(obj)._meta.verbose_name_plural) for obj in exc.protected_objects})
            raise Conflict(gettext("%(instance)s is still used by %(names)s; delete or move those first.") % {
                               "instance": instance,
                               "names": ', '.join(names),
                           }) from None


class ProductCategoryViewSet(_ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Product categories (a tree through `parent`)."""

    queryset = ProductCategory.objects.select_related("parent").order_by("name", "id")
    serializer_class = s.ProductCategorySerializer
    filterset_class = ProductCategoryFilterSet
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "id"]


class ProductViewSet(_ProtectedDestroyMixin, viewsets.ModelViewSet):
    """The item master: SKU, kind, category, unit, price, barcodes and each integration's id for the product."""

    queryset = (Product.objects.select_related("category")
                .prefetch_related("barcodes", "source_refs__account").order_by("sku"))
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilterSet
    search_fields = ["sku", "name", "barcodes__barcode"]
    ordering_fields = ["sku", "name", "kind", "list_price", "updated_at", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset  # a written row is re-read through its relations, never a list loaded before
        # The page's relations are loaded as plain lists once it is cut (paginate_queryset).
        return queryset.prefetch_related(None)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            s.attach_listed_relations(page)
        return page


class DailySaleViewSet(viewsets.ModelViewSet):
    """Demand history: one row per location, product and business day (the forecasting input)."""

    queryset = DailySale.objects.select_related("location", "product").order_by("-date", "location_id", "product_id")
    serializer_class = s.DailySaleSerializer
    pagination_class = CachedCountPagination  # the total of a month is 60,000 index entries at 1 M rows
    filterset_class = DailySaleFilterSet
    search_fields = ["product__sku", "product__name", "location__code", "location__name"]
    ordering_fields = ["date", "quantity", "revenue", "updated_at", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # a row shows its location's code and its product's SKU: loading both related rows whole (their
            # timestamps parsed per row) was a third of the page's CPU
            queryset = with_related_names(queryset, "location__code", "product__sku")
        return queryset


class StockLevelViewSet(viewsets.ModelViewSet):
    """Stock snapshots per location and product: on hand, reserved, in transit."""

    queryset = StockLevel.objects.select_related("location", "product").order_by("-as_of", "location_id",
                                                                                  "product_id")
    serializer_class = s.StockLevelSerializer
    filterset_class = StockLevelFilterSet
    search_fields = ["product__sku", "product__name", "location__code", "location__name"]
    ordering_fields = ["as_of", "on_hand", "id"]


class DemandDriverViewSet(viewsets.ModelViewSet):
    """Known-in-advance drivers per location and product (or all products) and day."""

    queryset = DemandDriver.objects.select_related("location", "product").order_by("-date", "location_id", "id")
    serializer_class = s.DemandDriverSerializer
    filterset_class = DemandDriverFilterSet
    search_fields = ["product__sku", "location__code", "location__name"]
    ordering_fields = ["date", "id"]


class CustomerViewSet(_ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Customers of order-level sources, unique per integration account and external id."""

    queryset = Customer.objects.order_by("name", "id")
    serializer_class = s.CustomerSerializer
    filterset_class = CustomerFilterSet
    search_fields = ["name", "email", "phone", "external_id"]
    ordering_fields = ["name", "created_at", "id"]


@extend_schema_view(
    create=extend_schema(request=s.OrderWriteSerializer, responses={201: s.OrderDetailSerializer}),
    update=extend_schema(request=s.OrderWriteSerializer, responses=s.OrderDetailSerializer),
    partial_update=extend_schema(exclude=True),
)
class OrderViewSet(viewsets.ModelViewSet):
    """Orders with their lines (lines on the detail view). Returns are negative lines.

    Writes here create manual orders (no integration account) through the same service connectors use; they do
    not touch daily sales (connectors call `rebuild_daily_sales` for the locations they own).
    """

    queryset = (Order.objects.select_related("location", "customer").annotate(line_count=Count("lines"))
                .order_by("-ordered_at", "-id"))
    filterset_class = OrderFilterSet
    search_fields = ["external_id", "customer__name", "channel"]
    ordering_fields = ["ordered_at", "business_date", "total", "id"]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("lines__product")
        return queryset

    def get_serializer_class(self):
        if self.action in ("create", "update"):
            return s.OrderWriteSerializer
        return s.OrderDetailSerializer if self.action == "retrieve" else s.OrderSerializer

    def _write(self, request, instance: Order | None):
        serializer = s.OrderWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = save_manual_order(serializer.to_service_row(), existing=instance)
        order = self.get_queryset().prefetch_related("lines__product").get(pk=order.pk)
        return s.OrderDetailSerializer(order).data

    def create(self, request, *args, **kwargs):
        return Response(self._write(request, None), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        return Response(self._write(request, self.get_object()))


# Import / export -------------------------------------------------------------------------------------------------

KIND_PERMISSIONS = {
    ImportKind.BRANCHES: ("branches", "location"),
    ImportKind.PRODUCTS: ("sales", "product"),
    ImportKind.SALES: ("sales", "dailysale"),
    ImportKind.STOCK: ("sales", "stocklevel"),
}
EXPORT_QUERYSETS = {
    ImportKind.BRANCHES: lambda: Location.objects.select_related("parent").order_by("tree_path", "id"),
    ImportKind.PRODUCTS: lambda: Product.objects.select_related("category").order_by("sku"),
    ImportKind.SALES: lambda: DailySale.objects.order_by("date", "location_id", "product_id"),
    ImportKind.STOCK: lambda: StockLevel.objects.order_by("as_of", "location_id", "product_id"),
}
FORMAT_PARAMETER = OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "xlsx"], default="csv",
                                    description="File format.")
KIND_PARAMETER = OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH,
                                  enum=[k.value for k in ImportKind])


def _require_kind_permission(user, kind: str, *, write: bool) -> None:
    app, model = KIND_PERMISSIONS[kind]
    needed = [f"{app}.add_{model}", f"{app}.change_{model}"] if write else [f"{app}.view_{model}"]
    if not user.has_perms(needed):
        action = "import" if write else "export"
        raise PermissionDenied(gettext("You may not %(action)s %(kind)s: that needs the permission(s) "
                                       "%(needed)s.") % {
                                   "action": action,
                                   "kind": kind,
                                   "needed": ', '.join(needed),
                               })


def _kind(value: str) -> str:
    if value not in ImportKind.values:
        raise ValidationError({"kind": [gettext("%(value)r is not one of %(values)s.") % {
                                            "value": value,
                                            "values": ', '.join(ImportKind.values),
                                        }]})
    return value


def _file_format(request) -> str:
    value = request.query_params.get("format", "csv") or "csv"
    if value not in ("csv", "xlsx"):
        raise ValidationError({"format": [gettext("%(value)r is not csv or xlsx.") % {"value": value}]})
    return value


class _JsonOnlyNegotiation:
    """`?format=csv|xlsx` names the file format here, not a DRF renderer: always answer JSON (or a file)."""

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type


def _oversized_body(request) -> Response | None:
    """413 before the body is read when the request announces more than an upload may hold (plus form overhead),
    so a 2 GB upload is refused at once instead of being spooled to disk first."""
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    limit = max_upload_bytes()
    if announced > limit + 64 * 1024:
        return Response({"detail": gettext("The request is %(announced)s MB; files may be at most %(limit)s "
                                           "MB (SALES_IMPORT_MAX_UPLOAD_BYTES). Compress it (gzip) or split "
                                           "it into smaller files.") % {
                                       "announced": format(announced / 1048576, ",.1f"),
                                       "limit": format(limit / 1048576, ",.1f"),
                                   }, "row": None, "column": ""}, status=413)
    return None


class ImportValidateView(APIView):
    """Validate a file without writing anything: `{rows, valid, errors: [{row, column, message}], …}`."""

    parser_classes = [MultiPartParser, FormParser]
    required_permissions = {"POST": ["sales.add_importjob"]}

    @extend_schema(
        request={"multipart/form-data": s.ImportRequestSerializer},
        responses={200: s.ImportReportSerializer, 202: s.UploadResultSerializer,
                   413: s.FileProblemSerializer, 422: s.FileProblemSerializer},
        tags=["import-export"],
        description="Small files are validated at once (200 with the report). Files over the inline limit "
                    "(SALES_IMPORT_INLINE_MAX_BYTES) become a validation job: 202 with the job; poll "
                    "`GET /api/v1/import-export/jobs/{id}/` for its report. A file over a limit is a 413, one "
                    "that cannot be read at all (damaged, not text, not a workbook) a 422 naming the problem "
                    "and the row.")
    def post(self, request):
        if oversized := _oversized_body(request):
            return oversized
        params = s.ImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        kind = params.validated_data["kind"]
        _require_kind_permission(request.user, kind, write=True)
        upload = params.validated_data["file"]
        try:
            check_upload_size(upload)
        except ImportTooLarge as exc:
            return Response({"detail": str(exc), "row": None, "column": ""}, status=413)
        if (upload.size or 0) > inline_max_bytes():
            # A full disk raises ImportStorageFull, a DomainError the exception handler answers with 507.
            job = create_import_job(kind=kind, upload=upload, user=request.user, dry_run=True,
                                    create_missing=params.validated_data["create_missing"])
            enqueue_import_job(job)
            return Response({"job": s.ImportJobSerializer(job).data, "report": None}, status=status.HTTP_202_ACCEPTED)
        report = import_file(upload, kind=kind, name=upload.name or "", dry_run=True,
                             create_missing=params.validated_data["create_missing"])
        if report.file_status:
            error = report.errors[0]
            return Response({"detail": error["message"], "row": error["row"], "column": error["column"]},
                            status=report.file_status)
        return Response(report.as_dict())


class ImportUploadView(APIView):
    """Validate, then write the file atomically (all rows or none).

    Small files are imported inline: 201 with the job and its report, or 400 with the report when any row is
    invalid (nothing written). Files over the inline limit become a background job: 202 with the job; poll
    `GET /api/v1/import-export/jobs/{id}/` for status, progress and the report.
    """

    parser_classes = [MultiPartParser, FormParser]
    required_permissions = {"POST": ["sales.add_importjob"]}

    @extend_schema(
        request={"multipart/form-data": s.ImportRequestSerializer},
        responses={201: s.UploadResultSerializer, 202: s.UploadResultSerializer,
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description=(
                       "Either `{job, report}` (the file was read and rows were rejected: nothing written) or "
                       "`{<parameter>: [messages]}` (the request itself was wrong, e.g. no file or an unknown kind).")),
                   413: s.FileProblemSerializer,
                   507: OpenApiResponse(description="No disk space to store the file; nothing was stored.")},
        tags=["import-export"],
    )
    def post(self, request):
        if oversized := _oversized_body(request):
            return oversized
        params = s.ImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        kind = params.validated_data["kind"]
        _require_kind_permission(request.user, kind, write=True)
        try:
            job = create_import_job(kind=kind, upload=params.validated_data["file"], user=request.user,
                                    create_missing=params.validated_data["create_missing"])
        except ImportTooLarge as exc:
            return Response({"detail": str(exc), "row": None, "column": ""}, status=413)
        if runs_in_background(job):
            enqueue_import_job(job)
            return Response({"job": s.ImportJobSerializer(job).data, "report": None}, status=status.HTTP_202_ACCEPTED)
        job = run_import_job(job.pk)
        body = {"job": s.ImportJobSerializer(job).data, "report": job.report or None}
        if job.status == ImportJobStatus.SUCCEEDED:
            return Response(body, status=status.HTTP_201_CREATED)
        if job.status == ImportJobStatus.REJECTED:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({**body, "detail": gettext("The import failed: %(error)s") % {"error": job.error}},
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Import jobs: status, progress (percent of the file read) and the report of every upload."""

    queryset = ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")
    serializer_class = s.ImportJobSerializer
    filterset_class = ImportJobFilterSet
    ordering_fields = ["created_at", "id"]


class ImportTemplateView(_JsonOnlyNegotiation, APIView):
    """An import template: the header, one example row, and an explanation per column (XLSX comments/sheet)."""

    required_permissions = {"GET": ["sales.view_importjob"]}

    @extend_schema(parameters=[KIND_PARAMETER, FORMAT_PARAMETER],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY,
                              (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                                  OpenApiTypes.BINARY},
                   tags=["import-export"])
    def get(self, request, kind: str):
        kind, fmt = _kind(kind), _file_format(request)
        content = build_template(kind, fmt)
        content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
        return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FILTERS = {
    ImportKind.PRODUCTS: ProductFilterSet,
    ImportKind.SALES: DailySaleFilterSet,
    ImportKind.STOCK: StockLevelFilterSet,
}


class ExportView(_JsonOnlyNegotiation, APIView):
    """Export in the import layout, filtered with the same query parameters as the kind's list endpoint.

    Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are prefixed with `'`.
    """

    required_permissions = {"GET": []}

    @extend_schema(parameters=[KIND_PARAMETER, FORMAT_PARAMETER],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX_TYPE): OpenApiTypes.BINARY,
                              400: OpenApiResponse(description="Bad filter or format; names the parameter.")},
                   tags=["import-export"])
    def get(self, request, kind: str):
        kind, fmt = _kind(kind), _file_format(request)
        _require_kind_permission(request.user, kind, write=False)
        queryset = EXPORT_QUERYSETS[kind]()
        filterset_class = EXPORT_FILTERS.get(kind) or _branch_filterset()
        filterset = filterset_class(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        headers, rows = export_rows(kind, filterset.qs)
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        filename = f"{kind}-{stamp}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(write_csv(headers, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        try:
            write_xlsx(headers, rows, spool)
        except ValueError as exc:
            spool.close()
            raise ValidationError({"format": [str(exc)]}) from None
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _branch_filterset():
    from branches.filtersets import LocationFilterSet

    return LocationFilterSet


# Analytics -------------------------------------------------------------------------------------------------------


def _filters(params: dict) -> analytics.AnalyticsFilters:
    date_from, date_to = analytics.default_period(params.get("date_from"), params.get("date_to"))
    return analytics.resolve_currency(analytics.AnalyticsFilters(
        date_from=date_from, date_to=date_to, location=params.get("location"), product=params.get("product"),
        category=params.get("category"), channel=params.get("channel", "") or "",
        currency=params.get("currency", "") or "",
    ))


class _AnalyticsView(APIView):
    required_permissions = {"GET": ["sales.view_dailysale"]}
    query_serializer = s.AnalyticsQuerySerializer

    def params(self, request) -> dict:
        serializer = self.query_serializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class SummaryView(_AnalyticsView):
    """Revenue, units, orders, average order value, discounts, returns and commission, with the previous period
    of equal length and the deltas."""

    @extend_schema(parameters=[s.AnalyticsQuerySerializer], responses=s.SalesSummarySerializer, tags=["analytics"])
    @cached_read
    def get(self, request):
        filters = _filters(self.params(request))
        data = {**analytics.summary(filters), **analytics.currency_info(filters)}
        return Response(s.SalesSummarySerializer(data).data)


class TimeseriesView(_AnalyticsView):
    """The same figures per day, week (Monday) or month, gaps filled with zeros."""

    query_serializer = s.TimeseriesQuerySerializer

    @extend_schema(parameters=[s.TimeseriesQuerySerializer], responses=s.SalesTimeseriesSerializer, tags=["analytics"])
    @cached_read
    def get(self, request):
        params = self.params(request)
        filters = _filters(params)
        data = {"period": analytics._period(filters), "granularity": params["granularity"],
                "points": analytics.timeseries(filters, params["granularity"]), **analytics.currency_info(filters)}
        return Response(s.SalesTimeseriesSerializer(data).data)


class TopProductsView(_AnalyticsView):
    """The best-selling products by revenue or units (`limit` 1–100)."""

    query_serializer = s.TopProductsQuerySerializer

    @extend_schema(parameters=[s.TopProductsQuerySerializer], responses=s.SalesTopProductsSerializer,
                   tags=["analytics"])
    @cached_read
    def get(self, request):
        params = self.params(request)
        filters = _filters(params)
        data = {"period": analytics._period(filters), "by": params["by"], "limit": params["limit"],
                "results": analytics.top_products(filters, params["by"], params["limit"]),
                **analytics.currency_info(filters)}
        return Response(s.SalesTopProductsSerializer(data).data)


class ProductPerformanceView(_AnalyticsView):
    """One product: trend, share of its category, rank, and days of cover where stock is known.

    `{product}` is the product's SKU or id (a SKU match wins).
    """

    query_serializer = s.ProductPerformanceQuerySerializer

    @extend_schema(
        parameters=[s.ProductPerformanceQuerySerializer,
                    OpenApiParameter("product", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="SKU or id of the product.")],
        responses=s.SalesProductPerformanceSerializer, tags=["analytics"],
    )
    @cached_read
    def get(self, request, product: str):
        params = self.params(request)
        found = Product.objects.select_related("category").filter(sku=product).first()
        if found is None and product.isdigit():
            found = Product.objects.select_related("category").filter(pk=int(product)).first()
        if found is None:
            get_object_or_404(Product, sku=product)  # raises a 404 naming the path
        filters = _filters(params)
        data = {**analytics.product_performance(filters, found, params["granularity"]),
                **analytics.currency_info(filters)}
        return Response(s.SalesProductPerformanceSerializer(data).data)
