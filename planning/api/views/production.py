"""Planning API: production (PPIC)."""



from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from planning import filtersets
from planning.api import serializers as s
from planning.api.views.common import ActionPermissionMixin, _change
from planning.models import (
    ProductionTask,
)
from planning.services import production


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

    def get_serializer_class(self):
        """The browsable API's form shows what a move takes (status, position, reason), not a whole task."""
        if self.action in ("update", "partial_update") or getattr(self.request, "method", "") in ("PUT", "PATCH"):
            return s.KanbanMoveSerializer
        return s.ProductionTaskSerializer

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
