import django_filters
from django.db.models import Q

from branches.choices import LocationType
from branches.models import Location, subtree_q


class LocationFilterSet(django_filters.FilterSet):
    """NetBox-style tree filters: `parent` (direct children), `ancestor` (whole subtree below a node)."""

    q = django_filters.CharFilter(method="filter_q", label="Search name, code, code_tco, taxpayer id, external id")
    source = django_filters.NumberFilter(field_name="source_id", label="Integration account id")
    manual = django_filters.BooleanFilter(field_name="source", lookup_expr="isnull", label="Manual entries only")
    type = django_filters.MultipleChoiceFilter(choices=LocationType.choices)
    parent = django_filters.NumberFilter(field_name="parent_id", label="Direct children of this location id")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Roots only")
    active = django_filters.BooleanFilter(field_name="is_active")
    ancestor = django_filters.NumberFilter(method="filter_ancestor", label="Descendants of this location id")
    descendant_of = django_filters.NumberFilter(method="filter_ancestor", label="Same as ancestor")
    ancestor_of = django_filters.NumberFilter(method="filter_ancestor_of", label="Ancestors of this location id")
    branch = django_filters.NumberFilter(field_name="branch_id", label="Departments linked to this branch id")
    depth = django_filters.NumberFilter()
    code = django_filters.CharFilter()
    external_id = django_filters.CharFilter()
    taxpayer_id_number = django_filters.CharFilter()

    class Meta:
        model = Location
        fields = ["source", "type", "parent", "is_active", "code", "external_id", "depth"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(code_tco__icontains=value)
                               | Q(taxpayer_id_number__icontains=value) | Q(external_id__iexact=value))

    def filter_ancestor(self, queryset, name, value):
        path = Location.objects.filter(pk=value).values_list("tree_path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(subtree_q(path)).exclude(pk=value)

    def filter_ancestor_of(self, queryset, name, value):
        path = Location.objects.filter(pk=value).values_list("tree_path", flat=True).first()
        if path is None:
            return queryset.none()
        ids = [int(p) for p in path.strip("/").split("/") if p and int(p) != value]
        return queryset.filter(pk__in=ids)
