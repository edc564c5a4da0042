"""Planning API: purchasing."""



from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from planning import filtersets
from planning.api import serializers as s
from planning.api.views.common import ActionPermissionMixin, _change
from planning.models import (
    PurchaseOrder,
    PurchaseReceipt,
)
from planning.services import purchasing


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
        back = request.query_params.get("return_proposals", "").lower() in ("1", "true", "yes")
        purchasing.delete_purchase_order(order.pk, return_proposals=back)
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
            lines=None if lines is None else [
                purchasing.ReceiveInput(x["line"], x["quantity"], x["lot_number"], x["expires_on"]) for x in lines
            ],
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
