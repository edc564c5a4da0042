"""Planning API: BOM."""


from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from planning import filtersets
from planning.api import serializers as s
from planning.api.views.common import MAX_EXPLODE_QUANTITY, ActionPermissionMixin, ConflictWithData, _change, _view
from planning.models import (
    BillOfMaterials,
)
from planning.services import bom as bom_service
from sales.models import Product


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
            raise ConflictWithData({"detail": gettext("BOM %(bom_id)s is used by production tasks; "
                                                      "deactivate it instead.") % {"bom_id": bom.pk}})
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
            raise ValidationError({"product": [gettext("Give product, component, where_used or q.")]})
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
            raise ValidationError({name: [gettext("No product with id or SKU %(value)r.") % {"value": value}]})
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
            raise ValidationError({"quantity": [gettext("quantity must be a number, got %(raw)r.") % {
                                                    "raw": raw,
                                                }]}) from None
        if not quantity.is_finite() or quantity <= 0 or quantity > MAX_EXPLODE_QUANTITY:
            raise ValidationError(
                {"quantity": [gettext("quantity must be greater than 0 and at most %(MAX_EXPLODE_QUANTITY)s, "
                                      "got %(raw)r.") % {
                                  "MAX_EXPLODE_QUANTITY": MAX_EXPLODE_QUANTITY,
                                  "raw": raw,
                              }]}
            )
        lines = bom_service.explode(bom.product_id, quantity, bom=bom)
        return Response(s.BomExplosionSerializer({
            "bom": bom.pk, "product": bom.product_id, "sku": bom.product.sku, "quantity": quantity,
            "lines": [line.as_dict() for line in lines],
        }).data)
