"""Planning API: core (stateless proposal, health), settings, proposals, warehouse, purchasing, BOM, PPIC.

Views shape requests and answers; every state change and computation is a call into planning.services.
Service refusals are core.errors.DomainError subclasses, mapped to HTTP once by the API's exception handler:
illegal states are 409 naming the current state, bad input is 400 naming the field.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import Conflict
from core.read_cache import cached_read
from planning import filtersets
from planning.api import serializers as s
from planning.models import (
    BillOfMaterials,
    OrderProposal,
    PlanningSettings,
    ProductionTask,
    ProposalRun,
    PurchaseOrder,
    PurchaseReceipt,
    StockBalance,
    StockMovement,
    Supplier,
)
from planning.services import bom as bom_service
from planning.services import ledger, production, proposals, purchasing
from planning.services.health import planning_health
from planning.services.policy import (
    DemandDay,
    OpenSupply,
    PolicyInput,
    PolicySettings,
    compute_order_proposal,
    to_decimal,
)
from planning.services.settings import DEFAULTS, SettingsResolver
from sales.models import Product


class ConflictWithData(Conflict):
    """A 409 whose body keeps its types (ids stay numbers), unlike APIException's stringified detail."""

    def __init__(self, data: dict) -> None:
        super().__init__()
        self.detail = data


MAX_EXPLODE_QUANTITY = Decimal("1000000000")


class ActionPermissionMixin:
    """Per-action permissions on top of the model permissions (state-changing actions need change_<model>).

    The project's permission class reads `required_permissions` when present; returning None for an action
    falls back to the ordinary model permissions of the method.
    """

    action_permissions: dict[str, dict[str, list[str]]] = {}

    @property
    def required_permissions(self):
        return self.action_permissions.get(getattr(self, "action", None) or "")


def _change(model: str) -> dict[str, list[str]]:
    return {"POST": [f"planning.change_{model}"], "PUT": [f"planning.change_{model}"]}


def _view(model: str) -> dict[str, list[str]]:
    return {"GET": [f"planning.view_{model}"], "POST": [f"planning.view_{model}"]}


# --- planning core ---------------------------------------------------------------------------------------


class ProposalCalculationView(APIView):
    """Stateless order proposal: settings + demand + supply in, every term of the policy out.

    Nothing is stored. Missing settings take the built-in defaults (service level 0.95, review 7 d, lead
    time 2 d, no MOQ, pack 1, no max stock). Demand is either `daily` values (the p50 of each day, with an
    optional `daily_sigma`) or `quantiles` (p10/p50/p90 per day); day i is planning_date + i unless dated.
    """

    required_permissions = {"POST": ["planning.view_orderproposal"]}

    @extend_schema(request=s.ProposalRequestSerializer, responses={200: s.ProposalResultSerializer},
                   tags=["planning"], operation_id="planning_core_proposal")
    def post(self, request):
        serializer = s.ProposalRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        planning_date = data.get("planning_date") or timezone.localdate()
        given = data.get("settings") or {}
        settings = PolicySettings(
            service_level=given.get("service_level", DEFAULTS["service_level"]),
            review_period_days=given.get("review_period_days", DEFAULTS["review_period_days"]),
            lead_time_days=given.get("lead_time_days", DEFAULTS["lead_time_days"]),
            moq=given.get("moq", DEFAULTS["moq"]),
            pack_size=given.get("pack_size", DEFAULTS["pack_size"]),
            max_stock=given.get("max_stock", DEFAULTS["max_stock"]),
        )
        demand = self._demand(data["demand"], planning_date)
        supply = data.get("supply") or {}
        result = compute_order_proposal(
            PolicyInput(
                planning_date=planning_date,
                settings=settings,
                demand=demand,
                on_hand=supply.get("on_hand", Decimal("0")),
                reserved=supply.get("reserved", Decimal("0")),
                open_supply=[
                    OpenSupply(o["quantity"], o["due_date"], o.get("reference", ""))
                    for o in supply.get("open_orders", [])
                ],
                dependent_demand=data.get("dependent_demand", Decimal("0")),
                unit=data.get("unit", ""),
            )
        )
        body = result.as_dict()
        body["settings"] = {
            "service_level": str(settings.service_level),
            "review_period_days": settings.review_period_days,
            "lead_time_days": settings.lead_time_days,
            "moq": str(settings.moq),
            "pack_size": str(settings.pack_size),
            "max_stock": None if settings.max_stock is None else str(settings.max_stock),
        }
        return Response(s.ProposalResultSerializer(body).data)

    @staticmethod
    def _demand(demand: dict, planning_date) -> list[DemandDay]:
        days: list[DemandDay] = []
        if demand.get("daily") is not None:
            sigma = demand.get("daily_sigma")
            for index, value in enumerate(demand["daily"]):
                days.append(DemandDay(planning_date + timedelta(days=index), to_decimal(value),
                                      sigma=None if sigma is None else to_decimal(sigma)))
        else:
            for index, entry in enumerate(demand["quantiles"]):
                day = entry.get("date") or planning_date + timedelta(days=index)
                p10, p90 = entry.get("p10"), entry.get("p90")
                days.append(DemandDay(day, to_decimal(entry["p50"]),
                                      None if p10 is None else to_decimal(p10),
                                      None if p90 is None else to_decimal(p90)))
        seen = set()
        for d in days:
            if d.day in seen:
                raise ValidationError({"demand": [f"Day {d.day} appears twice in demand.quantiles."]})
            seen.add(d.day)
        return days


class PlanningHealthView(APIView):
    """Is planning fed? Freshness per location, coverage of active items, warnings. 200 on an empty DB."""

    required_permissions = {"GET": ["planning.view_orderproposal"]}

    @extend_schema(responses={200: s.PlanningHealthSerializer}, tags=["planning"],
                   operation_id="planning_core_health")
    @cached_read
    def get(self, request):
        return Response(s.PlanningHealthSerializer(planning_health()).data)


# --- settings and suppliers ----------------------------------------------------------------------------


@extend_schema(tags=["planning"])
class PlanningSettingsViewSet(viewsets.ModelViewSet):
    """Planning settings rows: a global default and overrides by location, category and product."""

    queryset = PlanningSettings.objects.select_related("location", "category", "product", "supplier")
    serializer_class = s.PlanningSettingsSerializer
    filterset_class = filtersets.PlanningSettingsFilterSet
    search_fields = ["product__sku", "product__name", "category__name", "location__name", "notes"]
    ordering_fields = ["id", "updated_at", "location", "product", "category"]

    def perform_create(self, serializer):
        serializer.save(updated_by=self.request.user)

    def perform_update(self, serializer):
        serializer.save(updated_by=self.request.user)

    @extend_schema(
        parameters=[s.EffectiveSettingsQuerySerializer], responses={200: s.EffectiveSettingsSerializer},
        description="The settings that apply to a location × product and which row each value came from.",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def effective(self, request):
        query = s.EffectiveSettingsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        location, product = query.validated_data.get("location"), query.validated_data.get("product")
        eff = SettingsResolver.load().resolve(location, product)
        body = eff.as_dict()
        body.update(location=eff.location_id, product=eff.product_id, supplier=eff.supplier_id,
                    protection_days=eff.protection_days)
        return Response(s.EffectiveSettingsSerializer(body).data)


@extend_schema(tags=["purchasing"])
class SupplierViewSet(viewsets.ModelViewSet):
    queryset = Supplier.objects.all()
    serializer_class = s.SupplierSerializer
    filterset_class = filtersets.SupplierFilterSet
    search_fields = ["code", "name", "email"]
    ordering_fields = ["name", "code", "created_at"]


# --- proposals -----------------------------------------------------------------------------------------


@extend_schema(tags=["planning"])
class ProposalRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Batch proposal runs: status, progress, counts and warnings of each."""

    queryset = ProposalRun.objects.all()
    serializer_class = s.ProposalRunSerializer
    filterset_class = filtersets.ProposalRunFilterSet
    ordering_fields = ["started_at", "id"]


@extend_schema(tags=["planning"])
class OrderProposalViewSet(ActionPermissionMixin, viewsets.ReadOnlyModelViewSet):
    """Stored order proposals. Planners approve (→ purchase-order line or production task) or reject them."""

    queryset = OrderProposal.objects.select_related(
        "product", "location", "purchase_order_line", "production_task"
    )
    serializer_class = s.OrderProposalSerializer
    filterset_class = filtersets.OrderProposalFilterSet
    search_fields = ["product__sku", "product__name", "location__name", "location__code", "explanation"]
    ordering_fields = ["created_at", "quantity", "order_date", "expected_arrival", "location", "product", "id"]
    action_permissions = {
        "approve": _change("orderproposal"),
        "reject": _change("orderproposal"),
        "run": {"POST": ["planning.add_orderproposal"]},
    }

    @extend_schema(request=s.ProposalDecisionSerializer, responses={200: s.OrderProposalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        proposal = self.get_object()
        body = s.ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = proposals.approve_proposal(
            proposal.pk, user=request.user, quantity=body.validated_data.get("quantity"),
            note=body.validated_data.get("note", ""),
        )
        return Response(s.OrderProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=s.ProposalDecisionSerializer, responses={200: s.OrderProposalSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        proposal = self.get_object()
        body = s.ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = proposals.reject_proposal(proposal.pk, user=request.user,
                                             note=body.validated_data.get("note", ""))
        return Response(s.OrderProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=s.ProposeOrdersRequestSerializer, responses={202: s.ProposalRunSerializer},
                   description="Queue a proposal run (all active locations, or the given ones) for the worker; "
                               "follow it at planning/proposal-runs/{id}. The nightly job does the same.")
    @action(detail=False, methods=["post"])
    def run(self, request):
        body = s.ProposeOrdersRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        proposal_run = proposals.queue_proposal_run(
            run=data.get("run"), location_ids=data.get("locations"), planning_date=data.get("planning_date"),
            user=request.user,
        )
        return Response(s.ProposalRunSerializer(proposal_run).data, status=status.HTTP_202_ACCEPTED)


# --- warehouse -----------------------------------------------------------------------------------------


@extend_schema_view(update=extend_schema(request=s.StockAdjustmentSerializer, responses={200: s.StockBalanceSerializer},
                                         description="Set on-hand to a counted value: posts an adjustment "
                                                     "movement with the (required) reason."))
@extend_schema(tags=["warehouse"])
class StockBalanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                          viewsets.GenericViewSet):
    """On-hand per location × product, derived from the ledger. PUT = adjustment with a reason."""

    queryset = StockBalance.objects.select_related("product", "location")
    serializer_class = s.StockBalanceSerializer
    filterset_class = filtersets.StockBalanceFilterSet
    search_fields = ["product__sku", "product__name", "location__name", "location__code"]
    ordering_fields = ["on_hand", "updated_at", "location", "product", "id"]
    http_method_names = ["get", "put", "head", "options"]

    def update(self, request, *args, **kwargs):
        balance = self.get_object()
        body = s.StockAdjustmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ledger.adjust_stock(
            balance.location_id, balance.product_id, new_on_hand=body.validated_data["on_hand"],
            reason=body.validated_data["reason"], reference=body.validated_data["reference"], user=request.user,
        )
        return Response(s.StockBalanceSerializer(self.get_queryset().get(pk=balance.pk)).data)


@extend_schema_view(create=extend_schema(request=s.MovementCreateSerializer,
                                         responses={201: s.StockMovementSerializer(many=True)}))
@extend_schema(tags=["warehouse"])
class StockMovementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           viewsets.GenericViewSet):
    """The ledger. Receipts and production post here by themselves; POST records an adjustment or transfer."""

    queryset = StockMovement.objects.select_related("product")
    serializer_class = s.StockMovementSerializer
    filterset_class = filtersets.StockMovementFilterSet
    search_fields = ["reason", "reference", "product__sku"]
    ordering_fields = ["occurred_at", "created_at", "id", "quantity"]

    def create(self, request, *args, **kwargs):
        body = s.MovementCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["kind"] == "adjustment":
            created = ledger.post_movements(
                [ledger.MovementSpec(data["location"].pk, data["product"].pk, "adjustment", data["quantity"],
                                     reason=data["reason"], reference=data["reference"])],
                user=request.user,
            )
        else:
            created = ledger.transfer_stock(
                data["location"].pk, data["to_location"].pk, data["product"].pk, data["quantity"],
                reason=data["reason"], reference=data["reference"], user=request.user,
            )
        return Response(s.StockMovementSerializer(created, many=True).data, status=status.HTTP_201_CREATED)


# --- purchasing ----------------------------------------------------------------------------------------


def _line_inputs(lines) -> list[purchasing.LineInput]:
    return [
        purchasing.LineInput(
            product_id=line["product"].pk, quantity=line["quantity"], unit_price=line.get("unit_price"),
            expected_date=line.get("expected_date"), notes=line.get("notes", ""),
        )
        for line in lines
    ]


@extend_schema(tags=["purchasing"])
class PurchaseOrderViewSet(ActionPermissionMixin, viewsets.ModelViewSet):
    """Purchase orders with their lines. Editable while draft; send → receive (partially) → received."""

    queryset = PurchaseOrder.objects.select_related("supplier", "location").prefetch_related("lines__product")
    serializer_class = s.PurchaseOrderSerializer
    filterset_class = filtersets.PurchaseOrderFilterSet
    search_fields = ["supplier__name", "supplier_reference", "notes", "lines__product__sku"]
    ordering_fields = ["created_at", "expected_date", "status", "id"]
    action_permissions = {
        "send": _change("purchaseorder"),
        "receive": _change("purchaseorder"),
        "cancel": _change("purchaseorder"),
    }

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.distinct() if self.request.query_params.get("search") else qs

    def _respond(self, order_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=order_id)).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = purchasing.create_purchase_order(
            location_id=data["location"].pk, supplier_id=data["supplier"].pk if data.get("supplier") else None,
            lines=_line_inputs(data.get("lines", [])), expected_date=data.get("expected_date"),
            supplier_reference=data.get("supplier_reference", ""), notes=data.get("notes", ""),
            user=request.user,
        )
        return self._respond(order.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        order = self.get_object()
        serializer = self.get_serializer(order, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = data.pop("lines", None)
        purchasing.update_purchase_order(
            order.pk, fields=data, lines=None if lines is None else _line_inputs(lines)
        )
        return self._respond(order.pk)

    def destroy(self, request, *args, **kwargs):
        order = self.get_object()
        purchasing.delete_purchase_order(order.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: s.PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        order = self.get_object()
        purchasing.send_purchase_order(order.pk, user=request.user)
        return self._respond(order.pk)

    @extend_schema(request=s.ReceiveSerializer, responses={200: s.PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        order = self.get_object()
        body = s.ReceiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        lines = data.get("lines")
        purchasing.receive_purchase_order(
            order.pk,
            lines=None if lines is None else [purchasing.ReceiveInput(x["line"], x["quantity"]) for x in lines],
            user=request.user, reference=data.get("reference", ""), received_at=data.get("received_at"),
            notes=data.get("notes", ""),
        )
        return self._respond(order.pk)

    @extend_schema(request=s.ReasonSerializer, responses={200: s.PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        purchasing.cancel_purchase_order(order.pk, user=request.user, reason=body.validated_data["reason"])
        return self._respond(order.pk)


@extend_schema(tags=["purchasing"])
class PurchaseReceiptViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PurchaseReceipt.objects.prefetch_related("lines")
    serializer_class = s.PurchaseReceiptSerializer
    filterset_class = filtersets.PurchaseReceiptFilterSet
    ordering_fields = ["received_at", "id"]


# --- BOM -----------------------------------------------------------------------------------------------


def _draft_from_payload(product_id: int, lines: list[dict], output_quantity: Decimal,
                        bom_id: int | None) -> bom_service.DraftBom:
    skus = {ln["component_sku"] for ln in lines if ln.get("component") is None and ln.get("component_sku")}
    by_sku = dict(Product.objects.filter(sku__in=skus).values_list("sku", "id")) if skus else {}
    draft_lines = []
    for ln in lines:
        component = ln.get("component")
        if component is None and ln.get("component_sku"):
            component = by_sku.get(ln["component_sku"])
        draft_lines.append(bom_service.DraftLine(
            component_id=component, quantity=ln["quantity"], unit=ln.get("unit") or None,
            scrap_percent=ln.get("scrap_percent", Decimal("0")), component_sku=ln.get("component_sku"),
        ))
    return bom_service.DraftBom(product_id, draft_lines, bom_id, output_quantity)


@extend_schema(tags=["warehouse"])
class BomViewSet(ActionPermissionMixin, viewsets.ModelViewSet):
    """Bills of materials with their lines; variants, validation, search (where-used) and explosion."""

    queryset = BillOfMaterials.objects.select_related("product").prefetch_related("lines__component")
    serializer_class = s.BomSerializer
    filterset_class = filtersets.BomFilterSet
    search_fields = ["product__sku", "product__name", "variant", "notes"]
    ordering_fields = ["product", "variant", "version", "updated_at", "id"]
    action_permissions = {
        "validate": _view("billofmaterials"),
        "set_default": _change("billofmaterials"),
    }

    def get_serializer_class(self):
        if self.action == "variants" and self.request.method == "POST":
            return s.BomVariantCreateSerializer
        if self.action == "variants":
            return s.BomVariantSummarySerializer
        return super().get_serializer_class()

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.distinct() if self.request.query_params.get("component") else qs

    def _save(self, serializer, bom_id: int | None) -> BillOfMaterials:
        data = serializer.validated_data
        instance = serializer.instance
        product = data.get("product") or instance.product
        lines = data.get("lines")
        if lines is None and instance is not None:
            lines = [{"component": ln.component_id, "quantity": ln.quantity, "unit": ln.unit,
                      "scrap_percent": ln.scrap_percent} for ln in instance.lines.all()]
        else:
            lines = [{**ln, "component": ln["component"].pk} for ln in lines or []]
        draft = _draft_from_payload(product.pk, lines, data.get("output_quantity", getattr(
            instance, "output_quantity", Decimal("1"))), bom_id)
        return bom_service.save_bom(
            draft,
            variant=data.get("variant", getattr(instance, "variant", "main")),
            version=data.get("version", getattr(instance, "version", 1)),
            is_default=data.get("is_default", None),
            is_active=data.get("is_active", getattr(instance, "is_active", True)),
            notes=data.get("notes", getattr(instance, "notes", "")),
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bom = self._save(serializer, None)
        return Response(self.get_serializer(self.get_queryset().get(pk=bom.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        bom = self._save(serializer, instance.pk)
        return Response(self.get_serializer(self.get_queryset().get(pk=bom.pk)).data)

    def destroy(self, request, *args, **kwargs):
        bom = self.get_object()
        if bom.production_tasks.exists():
            raise ConflictWithData({"detail": f"BOM {bom.pk} is used by production tasks; deactivate it instead."})
        bom.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"], responses={200: s.BomVariantSummarySerializer(many=True)},
        description="Variants and versions of BOMs (filter with ?product=), one default per product.",
    )
    @extend_schema(
        methods=["POST"], request=s.BomVariantCreateSerializer, responses={201: s.BomSerializer},
        description="Copy a BOM with its lines as a new variant or version.",
    )
    @action(detail=False, methods=["get", "post"])
    def variants(self, request):
        if request.method == "POST":
            body = s.BomVariantCreateSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            copy = bom_service.create_variant(data["source"], variant=data.get("variant"),
                                              version=data.get("version"), make_default=data["make_default"])
            return Response(s.BomSerializer(self.get_queryset().get(pk=copy.pk)).data, status=status.HTTP_201_CREATED)
        qs = self.filter_queryset(
            BillOfMaterials.objects.select_related("product").annotate(line_count=Count("lines"))
        ).order_by("product__sku", "variant", "-version")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.BomVariantSummarySerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: s.BomSerializer})
    @action(detail=True, methods=["post"], url_path="set-default")
    def set_default(self, request, pk=None):
        bom = self.get_object()
        bom_service.set_default_bom(bom)
        return Response(s.BomSerializer(self.get_queryset().get(pk=bom.pk)).data)

    @extend_schema(
        request=s.BomValidateRequestSerializer, responses={200: s.BomValidateResponseSerializer},
        description="Validate a draft (product + lines), one stored BOM (bom), or every active BOM (empty body). "
                    "Problems: cycles across levels, zero/negative quantities, unknown components, unit mismatches, "
                    "a product that is its own component; each with the path of SKUs where it occurs.",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def validate(self, request):
        body = s.BomValidateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "lines" in data:
            draft = _draft_from_payload(data["product"], data["lines"], data["output_quantity"], data.get("replaces"))
            problems, checked = bom_service.validate_bom_draft(draft), 1
        elif "bom" in data:
            problems, checked = bom_service.validate_stored_boms([data["bom"]]), 1
        else:
            problems = bom_service.validate_stored_boms()
            checked = BillOfMaterials.objects.filter(is_active=True).count()
        return Response(s.BomValidateResponseSerializer({
            "valid": not any(p.severity == "error" for p in problems),
            "checked": checked,
            "problems": [p.as_dict() for p in problems],
        }).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("product", OpenApiTypes.STR, description="BOMs of this product (id or SKU)."),
            OpenApiParameter("component", OpenApiTypes.STR, description="BOMs with this direct component (id or SKU)."),
            OpenApiParameter("where_used", OpenApiTypes.STR,
                             description="BOMs needing this product at any level (id or SKU)."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Text in the product's SKU or name."),
        ],
        responses={200: s.BomSearchResultSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def search(self, request):
        params = request.query_params
        if not any(params.get(k) for k in ("product", "component", "where_used", "q")):
            raise ValidationError({"product": ["Give product, component, where_used or q."]})
        results: list[dict] = []
        if params.get("where_used"):
            component = self._product_param("where_used")
            uses = bom_service.where_used(component.pk)
            boms = BillOfMaterials.objects.select_related("product").in_bulk([u.bom_id for u in uses])
            results = [self._result(boms[u.bom_id], u.level, list(u.path)) for u in uses]
        else:
            qs = BillOfMaterials.objects.select_related("product").order_by("product__sku", "variant", "-version")
            component = None
            if params.get("product"):
                qs = qs.filter(product=self._product_param("product"))
            if params.get("component"):
                component = self._product_param("component")
                qs = qs.filter(lines__component=component).distinct()
            if params.get("q"):
                qs = qs.filter(Q(product__sku__icontains=params["q"]) | Q(product__name__icontains=params["q"]))
            for bom in qs:
                path = [bom.product.sku] + ([component.sku] if component else [])
                results.append(self._result(bom, 1 if component else 0, path))
        page = self.paginate_queryset(results)
        return self.get_paginated_response(s.BomSearchResultSerializer(page, many=True).data)

    @staticmethod
    def _result(bom: BillOfMaterials, level: int, path: list[str]) -> dict:
        return {"bom": bom.pk, "product": bom.product_id, "sku": bom.product.sku, "name": bom.product.name,
                "variant": bom.variant, "version": bom.version, "is_default": bom.is_default, "level": level,
                "path": path}

    def _product_param(self, name: str) -> Product:
        value = self.request.query_params[name]
        product = Product.objects.filter(Q(sku=value) | (Q(pk=int(value)) if value.isdigit() else Q())).first()
        if product is None:
            raise ValidationError({name: [f"No product with id or SKU {value!r}."]})
        return product

    @extend_schema(
        parameters=[OpenApiParameter("quantity", OpenApiTypes.NUMBER, description="How much to make (default 1).")],
        responses={200: s.BomExplosionSerializer},
        description="Multi-level explosion: one line per leaf component with the total quantity, scrap applied "
                    "at every level; deeper levels use each component's default BOM.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def explode(self, request, pk=None):
        bom = self.get_object()
        raw = request.query_params.get("quantity", "1")
        try:
            quantity = Decimal(raw)
        except (InvalidOperation, ValueError):
            raise ValidationError({"quantity": [f"quantity must be a number, got {raw!r}."]}) from None
        if not quantity.is_finite() or quantity <= 0 or quantity > MAX_EXPLODE_QUANTITY:
            raise ValidationError(
                {"quantity": [f"quantity must be greater than 0 and at most {MAX_EXPLODE_QUANTITY}, got {raw!r}."]}
            )
        lines = bom_service.explode(bom.product_id, quantity, bom=bom)
        return Response(s.BomExplosionSerializer({
            "bom": bom.pk, "product": bom.product_id, "sku": bom.product.sku, "quantity": quantity,
            "lines": [line.as_dict() for line in lines],
        }).data)


# --- production (PPIC) ---------------------------------------------------------------------------------


@extend_schema(tags=["ppic"])
class ProductionTaskViewSet(ActionPermissionMixin, viewsets.ModelViewSet):
    """Production tasks: draft → approved → in_progress → completed; cancel from any open state."""

    queryset = ProductionTask.objects.select_related("product", "location", "bom")
    serializer_class = s.ProductionTaskSerializer
    filterset_class = filtersets.ProductionTaskFilterSet
    search_fields = ["product__sku", "product__name", "notes", "location__name"]
    ordering_fields = ["due_date", "created_at", "status", "board_position", "id"]
    action_permissions = {name: _change("productiontask") for name in production.ACTION_TARGET}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        task = production.create_task(
            product_id=data["product"].pk, quantity=data["quantity"], location_id=data["location"].pk,
            due_date=data["due_date"], bom=data.get("bom"), user=request.user, notes=data.get("notes", ""),
        )
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = production.update_draft_task(serializer.instance.pk, dict(serializer.validated_data))

    def perform_destroy(self, instance):
        production.delete_draft_task(instance.pk)

    def _act(self, request, pk, name: str):
        task = self.get_object()
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = production.apply_action(task.pk, name, user=request.user, reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=s.ReasonSerializer, responses={200: s.ProductionTaskSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(request, pk, "approve")

    @extend_schema(request=s.ReasonSerializer, responses={200: s.ProductionTaskSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(request, pk, "start")

    @extend_schema(request=s.ReasonSerializer, responses={200: s.ProductionTaskSerializer},
                   description="Consume the BOM's components and add the product through the stock ledger, in one "
                               "transaction; 409 if a component would go negative (unless allowed by settings).")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(request, pk, "complete")

    @extend_schema(request=s.ReasonSerializer, responses={200: s.ProductionTaskSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, pk, "cancel")


class BoardSchema(AutoSchema):
    """The board is one object (columns of cards), not a list, although it answers GET on a collection."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


BOARD_FILTERS = [
    OpenApiParameter("location", OpenApiTypes.INT, description="Tasks at this location."),
    OpenApiParameter("location_tree", OpenApiTypes.INT, description="Tasks at this location or below it."),
    OpenApiParameter("product", OpenApiTypes.INT),
    OpenApiParameter("due_after", OpenApiTypes.DATE),
    OpenApiParameter("due_before", OpenApiTypes.DATE),
    OpenApiParameter("overdue", OpenApiTypes.BOOL),
    OpenApiParameter("search", OpenApiTypes.STR, description="Text in the product's SKU or name."),
]


@extend_schema(tags=["ppic"])
class KanbanViewSet(viewsets.GenericViewSet):
    """The production board: columns by status, cards in board order. PUT moves and/or reorders a card."""

    queryset = ProductionTask.objects.select_related("product", "location", "bom")
    serializer_class = s.ProductionTaskSerializer
    filterset_class = filtersets.ProductionTaskFilterSet
    search_fields = ["product__sku", "product__name"]
    pagination_class = None
    schema = BoardSchema()

    @extend_schema(responses={200: s.KanbanBoardSerializer}, parameters=BOARD_FILTERS)
    def list(self, request):
        columns = production.kanban_board(self.filter_queryset(self.get_queryset()))
        return Response({"columns": [
            {"status": c.status, "label": c.label, "count": len(c.tasks),
             "tasks": s.ProductionTaskSerializer(c.tasks, many=True).data}
            for c in columns
        ]})

    @extend_schema(request=s.KanbanMoveSerializer, responses={200: s.ProductionTaskSerializer})
    def update(self, request, pk=None):
        task = self.get_object()
        body = s.KanbanMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = production.move_on_board(task.pk, status=data.get("status"), position=data.get("position"),
                                        user=request.user, reason=data.get("reason", ""))
        return Response(s.ProductionTaskSerializer(self.get_queryset().get(pk=task.pk)).data)

