"""Planning API: warehouse."""



from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from planning import filtersets
from planning.api import serializers as s
from planning.models import (
    StockBalance,
    StockMovement,
)
from planning.services import ledger


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
