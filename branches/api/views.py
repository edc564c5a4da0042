from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from branches.api.serializers import LocationSerializer, LocationTreeNodeSerializer
from branches.filtersets import LocationFilterSet
from branches.models import Location
from branches.services.time_zones import with_effective_time_zone
from branches.services.tree import build_tree
from core.api.exceptions import Conflict
from core.api.fast_lists import with_related_names


class LocationViewSet(viewsets.ModelViewSet):
    """The location tree: 1C branches, iiko departments (every domain), manual entries.

    Synced rows are read-only except through their source; manual rows are fully editable. Deleting a
    synced row is refused (syncs deactivate, never delete).
    """

    queryset = with_effective_time_zone(Location.objects.select_related("source", "parent")).order_by("tree_path", "id")
    serializer_class = LocationSerializer
    filterset_class = LocationFilterSet
    search_fields = ["name", "code", "code_tco", "taxpayer_id_number", "external_id"]
    ordering_fields = ["name", "code", "tree_path", "depth", "type", "updated_at", "synced_at", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        # The list shows only the names of the source account and the parent: every column of both (the account's
        # options JSON among them) was a third of fetching a page.
        return with_related_names(queryset, "source__name", "parent__name")

    def perform_destroy(self, instance: Location) -> None:
        if instance.source_id is not None:
            raise Conflict(gettext("%(instance)r is synced from %(source)r: it is deactivated when it leaves "
                                   "the source's feed, never deleted here.") % {
                               "instance": instance.name,
                               "source": instance.source.name,
                           })
        try:
            instance.delete()
        except ProtectedError:
            raise Conflict(gettext("%(instance)r still has child locations or data pointing at it; move or "
                                   "delete those first, or set is_active=false.") % {"instance": instance.name}
                           ) from None

    @extend_schema(responses=LocationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def descendants(self, request, pk=None):
        """Every location below this one (paginated, in tree order)."""
        node = self.get_object()
        queryset = self.filter_queryset(self.get_queryset()).descendants_of(node)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=LocationSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def ancestors(self, request, pk=None):
        """The chain from the root down to this location's parent (one query, not paginated)."""
        node = self.get_object()
        queryset = self.get_queryset().filter(pk__in=node.ancestor_ids).order_by("depth")
        return Response(self.get_serializer(queryset, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("root", OpenApiTypes.INT, description="Only the subtree of this location id."),
            OpenApiParameter("active", OpenApiTypes.BOOL, description="Only active (true) or inactive (false)."),
            OpenApiParameter("source", OpenApiTypes.INT, description="Only this integration account's nodes."),
            OpenApiParameter("max_depth", OpenApiTypes.INT, description="Levels below the root(s) to include."),
        ],
        responses=LocationTreeNodeSerializer(many=True),
    )
    # Its own parameters only: the list's filters (is_active, q, …) do not apply to the tree and were ignored.
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def tree(self, request):
        """The tree as nested JSON: `[{id, name, …, children: [...]}]`, roots first; one query."""
        queryset = Location.objects.all()
        root = None
        params = request.query_params
        if params.get("root"):
            root = get_object_or_404(Location, pk=_int_param(params, "root"))
            queryset = queryset.subtree(root)
        if params.get("active") not in (None, ""):
            queryset = queryset.filter(is_active=params["active"].lower() in ("1", "true", "yes"))
        if params.get("source"):
            queryset = queryset.filter(source_id=_int_param(params, "source"))
        if params.get("max_depth"):
            base = root.depth if root else 0
            queryset = queryset.filter(depth__lte=base + _int_param(params, "max_depth"))
        return Response(build_tree(queryset))


def _int_param(params, name: str) -> int:
    try:
        return int(params[name])
    except (TypeError, ValueError):
        raise ValidationError({name: [gettext("%(name)s must be a whole number, got %(value)r.") % {
                                          "name": name,
                                          "value": params[name],
                                      }]}) from None
