"""Admin "Branches" and "Departments": the same location tree, split by type, shown indented in tree order.

Synced rows (with a source) are read-only here: their source system owns them. The "sync now" action for the
selected rows' accounts is added by integrations.admin (branches does not import integrations).
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.html import format_html

from branches.choices import BRANCH_TYPES
from branches.models import SYNCED_FIELDS, BranchLocation, DepartmentLocation, Location, subtree_q

SYNCED_READONLY = ("source", "external_id", *SYNCED_FIELDS)


class ParentFilter(admin.SimpleListFilter):
    """Direct children of a node: the top two levels are offered, any id works via ?parent=<id>."""

    title = "parent"
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        tops = model_admin.get_queryset(request).model.objects.filter(depth__lte=1, children__isnull=False)
        return [("root", "(roots)")] + [(str(n.pk), str(n)) for n in tops.distinct().order_by("tree_path")[:100]]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "root":
            return queryset.filter(parent__isnull=True)
        if value and value.isdigit():
            return queryset.filter(parent_id=int(value))
        return queryset


class SubtreeFilter(admin.SimpleListFilter):
    """Everything below a node (?below=<id>), reached from the "subtree" link of each row."""

    title = "subtree"
    parameter_name = "below"

    def lookups(self, request, model_admin):
        value = self.value()
        if value and value.isdigit():
            node = Location.objects.filter(pk=int(value)).first()
            if node is not None:
                return [(value, f"below {node}")]
        return []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            path = Location.objects.filter(pk=int(value)).values_list("tree_path", flat=True).first()
            return queryset.filter(subtree_q(path)).exclude(pk=int(value)) if path else queryset.none()
        return queryset


class LocationAdminBase(admin.ModelAdmin):
    list_display = ("tree_name", "code", "code_tco", "type", "taxpayer_id_number", "source", "branch", "is_active",
                    "time_zone", "synced_at", "subtree")
    list_filter = ("source", "type", "is_active", ParentFilter, SubtreeFilter)
    search_fields = ("name", "code", "code_tco", "taxpayer_id_number", "external_id")
    list_select_related = ("source", "branch")
    list_per_page = 100
    ordering = ("tree_path", "id")
    raw_id_fields = ("parent", "branch")
    readonly_fields = ("tree_path", "depth", "created_at", "updated_at", "synced_at")
    # time_zone stays editable on synced rows: no feed carries one.
    fields = ("name", "code", "code_tco", "type", "taxpayer_id_number", "parent", "branch", "is_active", "time_zone",
              "source", "external_id", "tree_path", "depth", "created_at", "updated_at", "synced_at")
    actions: list = []

    @admin.display(description="name (tree)", ordering="tree_path")
    def tree_name(self, obj: Location) -> str:
        return format_html('<span style="padding-left:{}em">{}</span>', obj.depth * 1.2, obj.name)

    @admin.display(description="")
    def subtree(self, obj: Location) -> str:
        return format_html('<a href="?below={}">subtree</a>', obj.pk)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.source_id is not None:
            return SYNCED_READONLY + self.readonly_fields
        return ("source",) + self.readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete synced rows in bulk; delete manual rows one by one
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.source_id is not None:
            return False  # syncs deactivate, never delete
        return super().has_delete_permission(request, obj)


@admin.register(BranchLocation)
class BranchAdmin(LocationAdminBase):
    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(type__in=BRANCH_TYPES)


@admin.register(DepartmentLocation)
class DepartmentAdmin(LocationAdminBase):
    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).exclude(type__in=BRANCH_TYPES)
