"""Planning API: settings and suppliers."""



from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from planning import filtersets
from planning.api import serializers as s
from planning.models import (
    PlanningSettings,
    Supplier,
)
from planning.services.settings import SettingsResolver


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
