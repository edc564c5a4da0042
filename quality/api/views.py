"""Quality API: finished goods (/finishgoods/: inspections, release, reject, defect codes, inventory) and the
lab (/quality/: methods, specifications, tests with results and verdict, lots with their status and decisions).

Views shape requests and answers; every state change is a call into quality.services, whose refusals
(core.errors) the API's exception handler maps to JSON: 409 naming the current status for illegal steps.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from planning.models import ProductionTask, StockBucket, StockLot
from quality import filtersets
from quality.api import serializers as s
from quality.models import DefectCode, Inspection, LabTest, LotDecision, Specification, TestMethod
from quality.services import inspections, lab, lots

FINISHED_GOODS = "finishgoods"
LAB = "quality"


@extend_schema(tags=[FINISHED_GOODS])
class DefectCodeViewSet(viewsets.ModelViewSet):
    """The maintained list of defect codes (retire one with is_active=false; used codes cannot be deleted)."""

    queryset = DefectCode.objects.all()
    serializer_class = s.DefectCodeSerializer
    filterset_class = filtersets.DefectCodeFilterSet
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "id"]


@extend_schema(tags=[FINISHED_GOODS])
class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """Inspections of completed production output: open → released | rejected."""

    queryset = Inspection.objects.select_related("lot").prefetch_related("defects__defect_code")
    serializer_class = s.InspectionSerializer
    filterset_class = filtersets.InspectionFilterSet
    search_fields = ["notes", "product__sku", "lot__number"]
    ordering_fields = ["inspected_at", "created_at", "id"]

    def _answer(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.InspectionSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=s.InspectionCreateSerializer, responses={201: s.InspectionSerializer})
    def create(self, request, *args, **kwargs):
        body = s.InspectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task_id = data["production_task"]
        if not ProductionTask.objects.filter(pk=task_id).exists():
            raise ValidationError({"production_task": [gettext("Production task %(task_id)s does not exist.") % {
                                                           "task_id": task_id,
                                                       }]})
        inspection = inspections.create_inspection(
            production_task_id=task_id, inspected_quantity=data["inspected_quantity"],
            passed_quantity=data["passed_quantity"], failed_quantity=data["failed_quantity"],
            rework_quantity=data["rework_quantity"],
            defects=[inspections.DefectInput(d["defect_code"].pk, d["quantity"]) for d in data["defects"]],
            inspector=request.user, inspected_at=data.get("inspected_at"), notes=data["notes"],
        )
        return self._answer(inspection.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.InspectionSerializer},
                   description="Passed → available, failed → scrap, rework → a new draft rework task; one "
                               "transaction. 409 naming the status when the inspection is not open.")
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        inspection = self.get_object()
        inspections.release_inspection(inspection.pk, user=request.user)
        return self._answer(inspection.pk)

    @extend_schema(request=s.RejectSerializer, responses={200: s.InspectionSerializer},
                   description="Blocks the inspected output (the whole lot) until a lot decision with a note.")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        inspection = self.get_object()
        body = s.RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        inspections.reject_inspection(inspection.pk, reason=body.validated_data["reason"], user=request.user)
        return self._answer(inspection.pk)


@extend_schema(tags=[FINISHED_GOODS])
class InventoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Finished-goods stock (products made from a BOM) by product, lot, location and status; zero rows left out."""

    queryset = (StockBucket.objects.filter(product__boms__isnull=False).exclude(quantity=0).distinct()
                .select_related("product", "lot").order_by("product_id", "lot_id", "location_id", "status"))
    serializer_class = s.InventorySerializer
    filterset_class = filtersets.InventoryFilterSet
    search_fields = ["product__sku", "product__name", "lot__number"]
    ordering_fields = ["quantity", "updated_at", "id"]


@extend_schema(tags=[LAB])
class TestMethodViewSet(viewsets.ModelViewSet):
    __test__ = False
    queryset = TestMethod.objects.all()
    serializer_class = s.TestMethodSerializer
    filterset_class = filtersets.TestMethodFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]


@extend_schema(tags=[LAB])
class SpecificationViewSet(viewsets.ModelViewSet):
    queryset = Specification.objects.select_related("method")
    serializer_class = s.SpecificationSerializer
    filterset_class = filtersets.SpecificationFilterSet
    search_fields = ["method__name", "notes", "product__sku"]
    ordering_fields = ["id", "method"]


@extend_schema(tags=[LAB])
class LabTestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    """Lab tests of a lot: open (record results) → passed | failed; a failed verdict blocks the lot."""

    __test__ = False
    queryset = LabTest.objects.select_related("lot").prefetch_related("results__method")
    serializer_class = s.LabTestSerializer
    filterset_class = filtersets.LabTestFilterSet
    search_fields = ["lot__number", "notes"]
    ordering_fields = ["created_at", "id"]

    def _answer(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.LabTestSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=s.LabTestCreateSerializer, responses={201: s.LabTestSerializer})
    def create(self, request, *args, **kwargs):
        body = s.LabTestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        test = lab.create_lab_test(lot_id=body.validated_data["lot"].pk, user=request.user,
                                   notes=body.validated_data["notes"])
        return self._answer(test.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.RecordResultsSerializer, responses={200: s.LabTestSerializer},
                   description="Record or correct results while the test is open (value for measured methods, "
                               "passed for pass/fail ones); each is checked against its limits.")
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        test = self.get_object()
        body = s.RecordResultsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lab.record_results(test.pk, [lab.ResultInput(r["method"], r["value"], r["passed"])
                                     for r in body.validated_data["results"]], user=request.user)
        return self._answer(test.pk)

    @extend_schema(request=None, responses={200: s.LabTestSerializer},
                   description="Compute the verdict from the results (422 while one is missing); failed blocks "
                               "the lot.")
    @action(detail=True, methods=["post"])
    def verdict(self, request, pk=None):
        test = self.get_object()
        lab.decide_verdict(test.pk, user=request.user)
        return self._answer(test.pk)


@extend_schema(tags=[LAB])
class LotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lots with their status and where their stock is; decisions (release, block, unblock, scrap) with a note."""

    queryset = StockLot.objects.select_related("product").prefetch_related(
        Prefetch("buckets", queryset=StockBucket.objects.order_by("location_id", "status")))
    serializer_class = s.LotSerializer
    filterset_class = filtersets.LotFilterSet
    search_fields = ["number", "product__sku", "product__name"]
    ordering_fields = ["number", "expires_on", "produced_on", "id"]
    required_permissions = {"GET": ["planning.view_stocklot"], "POST": ["quality.add_lotdecision"]}

    @extend_schema(request=s.LotDecisionInputSerializer, responses={201: s.LotDecisionSerializer},
                   description="409 naming the lot's status when the action does not apply to it.")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        lot = self.get_object()
        body = s.LotDecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = lots.decide_lot(lot.pk, body.validated_data["action"], note=body.validated_data["note"],
                                   user=request.user)
        return Response(s.LotDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[LAB])
class LotDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LotDecision.objects.all()
    serializer_class = s.LotDecisionSerializer
    filterset_class = filtersets.LotDecisionFilterSet
    ordering_fields = ["decided_at", "id"]
