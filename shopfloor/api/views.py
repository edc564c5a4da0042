"""Shop-floor API: /api/v1/embroidery/… and /api/v1/barcode/…. Thin: shapes in, service calls, shapes out.

Refusals are core.errors raised by the services, mapped to JSON once by core.api.exceptions.
"""


from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import ActionPermissionMixin
from core.api.renderers import FileRenderer, PNGRenderer
from shopfloor import filtersets
from shopfloor.api import serializers as s
from shopfloor.choices import ImageFormat
from shopfloor.models import EmbroideryDesign, EmbroideryJob, EmbroideryStep, ScanEvent
from shopfloor.services import embroidery, labels, scan
from shopfloor.services.barcodes import Resolved, code_for, resolve


class SVGRenderer(FileRenderer):
    media_type = "image/svg+xml"
    format = "svg"


class PDFRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


# --- embroidery -----------------------------------------------------------------------------------------------


@extend_schema(tags=["embroidery"])
class EmbroideryDesignViewSet(viewsets.ModelViewSet):
    """Designs: code, stitch count, colours, machine minutes per piece and a picture."""

    queryset = EmbroideryDesign.objects.all()
    serializer_class = s.EmbroideryDesignSerializer
    filterset_class = filtersets.EmbroideryDesignFilterSet
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "stitch_count", "id"]

    def perform_destroy(self, instance: EmbroideryDesign) -> None:
        embroidery.delete_design(instance.pk)


@extend_schema(tags=["embroidery"])
class EmbroideryStepViewSet(viewsets.ModelViewSet):
    """Embroidery steps of BOMs: planning adds the longest step's lead time to make proposals of the product."""

    queryset = EmbroideryStep.objects.select_related("bom", "design")
    serializer_class = s.EmbroideryStepSerializer
    filterset_class = filtersets.EmbroideryStepFilterSet
    ordering_fields = ["bom", "lead_time_days", "id"]


JOB_CHANGE = {"POST": ["shopfloor.change_embroideryjob"]}


@extend_schema(tags=["embroidery"])
class EmbroideryJobViewSet(ActionPermissionMixin, viewsets.ModelViewSet):
    """Jobs: planned → in_progress (parts sent out) → done (output back, scrap written off); cancel while open."""

    queryset = EmbroideryJob.objects.select_related("production_task", "design", "part")
    serializer_class = s.EmbroideryJobSerializer
    filterset_class = filtersets.EmbroideryJobFilterSet
    search_fields = ["design__code", "part__sku", "machine", "notes"]
    ordering_fields = ["planned_date", "status", "created_at", "id"]
    action_permissions = {"start": JOB_CHANGE, "complete": JOB_CHANGE, "cancel": JOB_CHANGE}

    def _answer(self, job_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=job_id)).data, status=code)

    @staticmethod
    def _fields(data: dict) -> dict:
        ids = {"production_task", "design", "part", "subcontractor", "embroidery_location"}
        return {(f"{k}_id" if k in ids else k): (v.pk if k in ids and v is not None else v) for k, v in data.items()}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = self._fields(serializer.validated_data)
        job = embroidery.create_job(embroidery.JobInput(**fields), user=request.user)
        return self._answer(job.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        job = self.get_object()
        serializer = self.get_serializer(job, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        embroidery.update_job(job.pk, self._fields(serializer.validated_data))
        return self._answer(job.pk)

    def destroy(self, request, *args, **kwargs):
        embroidery.delete_job(self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: s.EmbroideryJobSerializer},
                   description="Send the parts from the task's location to the embroidery location (ledger "
                               "transfer); 409 naming the state when the job is not planned.")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(embroidery.start_job(self.get_object().pk, user=request.user).pk)

    @extend_schema(request=s.CompleteJobSerializer, responses={200: s.EmbroideryJobSerializer},
                   description="Bring the output back and write the scrap off (output + scrap = pieces sent).")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        job = self.get_object()
        body = s.CompleteJobSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        embroidery.complete_job(job.pk, user=request.user, **body.validated_data)
        return self._answer(job.pk)

    @extend_schema(request=s.CancelJobSerializer, responses={200: s.EmbroideryJobSerializer},
                   description="Cancel a planned or started job; a started job's parts come back.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        job = self.get_object()
        body = s.CancelJobSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        embroidery.cancel_job(job.pk, reason=body.validated_data["reason"], user=request.user)
        return self._answer(job.pk)


# --- barcodes -------------------------------------------------------------------------------------------------


def _label_target(data: dict) -> Resolved:
    return resolve(data["code"]) if data.get("code") else code_for(data["kind"], data["id"])


@extend_schema(tags=["barcode"])
class LabelView(APIView):
    """One label: Code 128 or QR, PNG or SVG, for a code or for an object given by kind and id."""

    # Any role may print labels (every role reads the shop floor); a user without a role reads nothing.
    required_permissions = {"GET": ["shopfloor.view_scanevent"]}
    renderer_classes = [JSONRenderer, PNGRenderer, SVGRenderer]

    @extend_schema(
        parameters=[s.LabelQuerySerializer],
        responses={(200, "image/png"): OpenApiTypes.BINARY, (200, "image/svg+xml"): OpenApiTypes.STR,
                   404: OpenApiResponse(description="The code names nothing (the body names the code).")},
    )
    def get(self, request):
        query = s.LabelQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        target = _label_target(data)
        body = labels.render_symbol(target.code, data["symbology"], data["image_format"])
        response = HttpResponse(body, content_type=labels.CONTENT_TYPES[ImageFormat(data["image_format"])])
        name = "".join(ch if ch.isalnum() else "-" for ch in target.code)
        response["Content-Disposition"] = f'inline; filename="label-{name}.{data["image_format"]}"'
        return response


@extend_schema(tags=["barcode"])
class LabelSheetView(APIView):
    """A printable A4 PDF of many labels (each with its object's name under it)."""

    required_permissions = {"POST": ["shopfloor.view_scanevent"]}
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(request=s.LabelSheetSerializer, responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def post(self, request):
        body = s.LabelSheetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        sheet: list[labels.Label] = []
        for ref in data["labels"]:
            target = _label_target(ref)
            sheet += [labels.Label(target.code, target.kind.title_of(target.obj))] * ref["copies"]
        pdf = labels.render_sheet(sheet, data["symbology"], columns=data["columns"], rows=data["rows"])
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="labels.pdf"'
        return response


def _scan_answer(result: scan.ScanResult) -> Response:
    return Response(s.ScanResultSerializer(result).data)


@extend_schema(tags=["barcode"])
class ScanView(APIView):
    """Resolve a scanned code: the object, and the actions this user may take on it now. 404 names the code."""

    required_permissions = {"POST": ["shopfloor.view_scanevent"]}

    @extend_schema(request=s.ScanSerializer, responses={200: s.ScanResultSerializer})
    def post(self, request):
        body = s.ScanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return _scan_answer(scan.scan(body.validated_data["code"], user=request.user))


@extend_schema(tags=["barcode"])
class ScanActionView(APIView):
    """Carry out a scan action (receive, start, complete, move, count): 404 unknown code, 409 illegal now."""

    required_permissions = {"POST": ["shopfloor.add_scanevent"]}

    @extend_schema(request=s.ScanActionSerializer, responses={200: s.ScanResultSerializer})
    def post(self, request):
        body = s.ScanActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        params = scan.ActionParams(
            quantity=d.get("quantity"), location_id=d.get("location"), to_location_id=d.get("to_location"),
            product_id=d.get("product"), counted=d.get("counted"), reason=d["reason"], reference=d["reference"],
        )
        return _scan_answer(scan.perform_scan_action(d["code"], d["action"], params, user=request.user))


@extend_schema(tags=["barcode"])
class ScanEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Scan history, newest first: every scan and action, refused ones included."""

    queryset: QuerySet = ScanEvent.objects.all()
    serializer_class = s.ScanEventSerializer
    filterset_class = filtersets.ScanEventFilterSet
    search_fields = ["code", "detail"]
    ordering_fields = ["created_at", "id"]
