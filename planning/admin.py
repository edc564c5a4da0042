"""Planning admin: planners approve/reject proposals and move production tasks here; stock is read-only.

Admin actions call the same services as the API, so the rules (legal transitions, ledger, 409 cases) are
identical; a refusal becomes an error message naming the object, never a 500.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext

from planning.models import (
    BillOfMaterials,
    BomLine,
    OrderProposal,
    PlanningSettings,
    ProductionTask,
    ProposalRun,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    StockBalance,
    StockMovement,
    Supplier,
)
from planning.services import production, proposals, purchasing
from planning.services.bom import BomValidationError, DraftBom, DraftLine, set_default_bom, validate_bom_draft
from planning.services.ledger import InsufficientStock

REFUSALS = (
    production.TaskError,
    proposals.ProposalConflict,
    purchasing.PurchasingError,
    InsufficientStock,
    BomValidationError,
)


def _run_each(modeladmin, request, queryset: QuerySet, call, verb: str) -> None:
    done, refused = 0, []
    for obj in queryset.order_by("pk"):
        try:
            call(obj)
            done += 1
        except REFUSALS as exc:
            refused.append(f"{obj}: {exc}")
    if done:
        modeladmin.message_user(request, f"{verb}: {done}.", messages.SUCCESS)
    for text in refused[:20]:
        modeladmin.message_user(request, text, messages.ERROR)
    if len(refused) > 20:
        modeladmin.message_user(request, gettext("… and %(count)s more refused.") % {"count": len(refused) - 20},
                                messages.ERROR)


class ReadOnlyAdminMixin:
    """Rows written only by services (ledger, runs): visible, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "email", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "email"]


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "id", "scope_label", "service_level", "review_period_days", "lead_time_days", "moq", "pack_size",
        "max_stock", "make_or_buy", "supplier", "allow_negative_stock",
    ]
    list_filter = ["make_or_buy", "supplier"]
    search_fields = ["product__sku", "product__name", "category__name", "location__name", "notes"]
    raw_id_fields = ["location", "category", "product", "supplier"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]

    @admin.display(description="scope")
    def scope_label(self, obj: PlanningSettings) -> str:
        return obj.scope_label

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["location", "product", "on_hand", "quarantine", "blocked", "reserved", "in_transit",
                    "last_movement_at", "last_synced_as_of"]
    list_select_related = ["location", "product"]
    search_fields = ["product__sku", "product__name", "location__name", "location__code"]
    list_filter = ["location"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "location", "product", "lot", "status", "quantity", "balance_after",
                    "reference", "reason", "created_by"]
    list_select_related = ["location", "product", "lot", "created_by"]
    list_filter = ["kind", "status", "location"]
    search_fields = ["product__sku", "reference", "reason"]
    date_hierarchy = "occurred_at"


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    raw_id_fields = ["product"]
    fields = ["product", "quantity", "received_quantity", "unit_price", "expected_date", "proposal", "notes"]
    readonly_fields = ["received_quantity", "proposal"]


class PurchaseReceiptInline(admin.TabularInline):
    model = PurchaseReceipt
    extra = 0
    fields = ["received_at", "received_by", "reference", "notes"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ["id", "supplier", "location", "status", "expected_date", "order_date", "created_at"]
    list_filter = ["status", "supplier"]
    list_select_related = ["supplier", "location"]
    search_fields = ["id", "supplier__name", "supplier_reference", "lines__product__sku"]
    raw_id_fields = ["location", "supplier"]
    inlines = [PurchaseOrderLineInline, PurchaseReceiptInline]
    readonly_fields = ["status", "order_date", "created_by", "created_at", "updated_at", "sent_by", "sent_at",
                       "received_at", "cancelled_by", "cancelled_at", "cancel_reason"]
    actions = ["send_orders", "receive_everything", "cancel_orders"]

    def has_change_permission(self, request, obj=None):
        # Only drafts are editable; the workflow moves through the actions.
        if obj is not None and obj.status != "draft":
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        """Through the service: a draft only, and its approved proposals go back to the review queue."""
        returned = purchasing.delete_purchase_order(obj.pk, return_proposals=True)
        if returned:
            self.message_user(request, gettext("%(returned)s approved proposal(s) of PO %(obj_id)s went back "
                                               "to review.") % {"returned": returned, "obj_id": obj.pk},
                              messages.WARNING)

    def delete_queryset(self, request, queryset):
        _run_each(self, request, queryset,
                  lambda o: self.delete_model(request, o), "Deleted")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != "draft":
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Send selected orders", permissions=["change"])
    def send_orders(self, request, queryset):
        _run_each(self, request, queryset, lambda o: purchasing.send_purchase_order(o.pk, user=request.user), "Sent")

    @admin.action(description="Receive everything outstanding", permissions=["change"])
    def receive_everything(self, request, queryset):
        _run_each(self, request, queryset, lambda o: purchasing.receive_purchase_order(o.pk, user=request.user),
                  "Received")

    @admin.action(description="Cancel selected orders", permissions=["change"])
    def cancel_orders(self, request, queryset):
        _run_each(self, request, queryset,
                  lambda o: purchasing.cancel_purchase_order(o.pk, user=request.user, reason="cancelled in admin"),
                  "Cancelled")


class PurchaseReceiptLineInline(admin.TabularInline):
    model = PurchaseReceiptLine
    extra = 0
    fields = ["order_line", "quantity", "movement"]
    readonly_fields = fields
    can_delete = False


@admin.register(PurchaseReceipt)
class PurchaseReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order", "received_at", "received_by", "reference"]
    inlines = [PurchaseReceiptLineInline]


class BomLineFormSet(BaseInlineFormSet):
    """Refuses a BOM with errors (cycles, self-reference, unit mismatch…) before anything is saved."""

    def clean(self):
        super().clean()
        bom = self.instance
        if bom.product_id is None:
            return
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("component") is None:
                continue
            lines.append(DraftLine(data["component"].pk, data.get("quantity"), data.get("unit") or None,
                                   data.get("scrap_percent")))
        draft = DraftBom(bom.product_id, lines, bom.pk, bom.output_quantity)
        errors = [p.message for p in validate_bom_draft(draft) if p.severity == "error"]
        if errors:
            raise ValidationError(errors)


class BomLineInline(admin.TabularInline):
    model = BomLine
    formset = BomLineFormSet
    extra = 1
    raw_id_fields = ["component"]
    fields = ["line_no", "component", "quantity", "unit", "scrap_percent", "notes"]


class BomAdminForm(forms.ModelForm):
    """"Default" is asked for here and granted by the service (set_default_bom: its lock, its checks)."""

    make_default = False

    class Meta:
        model = BillOfMaterials
        fields = ["product", "variant", "version", "is_default", "is_active", "output_quantity", "notes"]

    def clean(self):
        data = super().clean()
        if data.get("is_default") and not (self.instance.pk and self.initial.get("is_default")):
            self.make_default = True
            data["is_default"] = False  # saved as it was; set_default_bom moves the flag after the save
        return data


@admin.register(BillOfMaterials)
class BillOfMaterialsAdmin(admin.ModelAdmin):
    form = BomAdminForm
    list_display = ["product", "variant", "version", "is_default", "is_active", "output_quantity", "updated_at"]
    list_filter = ["is_default", "is_active"]
    list_select_related = ["product"]
    search_fields = ["product__sku", "product__name", "variant", "lines__component__sku"]
    raw_id_fields = ["product"]
    inlines = [BomLineInline]
    actions = ["make_default"]

    def save_model(self, request, obj, form, change):
        """One default per product, through the service (its lock, its checks): the flag is set by set_default_bom."""
        super().save_model(request, obj, form, change)
        if form.make_default:
            try:
                set_default_bom(obj)
                obj.is_default = True
            except REFUSALS as exc:
                self.message_user(request, gettext("%(obj)s was saved but is not the default: %(exc)s") % {
                                               "obj": obj,
                                               "exc": exc,
                                           }, messages.ERROR)

    @admin.action(description="Make the default BOM of its product", permissions=["change"])
    def make_default(self, request, queryset):
        _run_each(self, request, queryset, set_default_bom, "Made default")


@admin.register(ProposalRun)
class ProposalRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "status", "trigger", "forecast_run", "planning_date", "progress", "started_at",
                    "finished_at"]
    list_filter = ["status", "trigger"]

    @admin.display(description="progress")
    def progress(self, obj: ProposalRun) -> str:
        return f"{obj.progress_done}/{obj.progress_total or '?'}"


@admin.register(OrderProposal)
class OrderProposalAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "kind", "location", "product", "quantity", "demand", "safety_stock",
                    "inventory_position", "order_date", "expected_arrival", "supplier", "links"]
    list_filter = ["status", "kind", "planning_date", "stock_source", "location"]
    list_select_related = ["location", "product", "supplier", "purchase_order_line", "production_task"]
    search_fields = ["product__sku", "product__name", "location__name", "explanation"]
    readonly_fields = [f.name for f in OrderProposal._meta.fields]
    actions = ["approve_selected", "reject_selected"]
    date_hierarchy = "planning_date"

    def has_add_permission(self, request):
        return False

    @admin.display(description="became")
    def links(self, obj: OrderProposal) -> str:
        line = getattr(obj, "purchase_order_line", None)
        if line is not None:
            return format_html('<a href="../purchaseorder/{}/change/">PO {}</a>', line.order_id, line.order_id)
        task = getattr(obj, "production_task", None)
        if task is not None:
            return format_html('<a href="../productiontask/{}/change/">task {}</a>', task.pk, task.pk)
        return "—"

    @admin.action(description="Approve selected proposals", permissions=["change"])
    def approve_selected(self, request, queryset):
        _run_each(self, request, queryset, lambda p: proposals.approve_proposal(p.pk, user=request.user), "Approved")

    @admin.action(description="Reject selected proposals", permissions=["change"])
    def reject_selected(self, request, queryset):
        _run_each(self, request, queryset, lambda p: proposals.reject_proposal(p.pk, user=request.user), "Rejected")


class ProductionTaskAdminForm(forms.ModelForm):
    """The service's refusals as form errors, so the admin never saves what the API would refuse."""

    class Meta:
        model = ProductionTask
        fields = list(production.EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "bom" in self.fields:
            self.fields["bom"].required = False
            self.fields["bom"].help_text = "Empty: the product's default BOM."

    def clean(self):
        data = super().clean()
        try:
            if self.instance.pk is not None:
                production.check_draft(self.instance)
            if data.get("product") is not None and data.get("quantity") is not None:
                data["bom"] = production.resolve_task_bom(data["product"].pk, data["quantity"], data.get("bom"))
        except production.TaskError as exc:
            raise ValidationError(str(exc)) from None
        return data


@admin.register(ProductionTask)
class ProductionTaskAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "product", "quantity", "location", "due_date", "board_position", "bom"]
    list_filter = ["status", "location"]
    list_select_related = ["product", "location", "bom"]
    search_fields = ["product__sku", "product__name", "notes"]
    raw_id_fields = ["product", "bom", "location", "proposal"]
    readonly_fields = ["status", "board_position", "proposal", "created_by", "created_at", "updated_at",
                       "approved_by", "approved_at", "started_by", "started_at", "completed_by", "completed_at",
                       "cancelled_by", "cancelled_at", "cancel_reason"]
    actions = ["approve_tasks", "start_tasks", "complete_tasks", "cancel_tasks"]

    form = ProductionTaskAdminForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != "draft":  # only a draft can be edited (production.check_draft)
            return [f.name for f in self.model._meta.fields if f.name != "id"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == "draft")

    def save_model(self, request, obj, form, change):
        """Through the services: create_task's checks for a new task, update_draft_task's (draft only) for a change."""
        if change:
            task = production.update_draft_task(obj.pk, {name: form.cleaned_data[name] for name in form.changed_data
                                                         if name in production.EDITABLE_FIELDS})
        else:
            task = production.create_task(
                product_id=obj.product_id, quantity=obj.quantity, location_id=obj.location_id,
                due_date=obj.due_date, bom=obj.bom, user=request.user, notes=obj.notes,
            )
        obj.pk = task.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        production.delete_draft_task(obj.pk)

    def _act(self, request, queryset, name: str, verb: str) -> None:
        _run_each(self, request, queryset, lambda t: production.apply_action(t.pk, name, user=request.user), verb)

    @admin.action(description="Approve selected tasks", permissions=["change"])
    def approve_tasks(self, request, queryset):
        self._act(request, queryset, "approve", "Approved")

    @admin.action(description="Start selected tasks", permissions=["change"])
    def start_tasks(self, request, queryset):
        self._act(request, queryset, "start", "Started")

    @admin.action(description="Complete selected tasks (posts stock movements)", permissions=["change"])
    def complete_tasks(self, request, queryset):
        self._act(request, queryset, "complete", "Completed")

    @admin.action(description="Cancel selected tasks", permissions=["change"])
    def cancel_tasks(self, request, queryset):
        self._act(request, queryset, "cancel", "Cancelled")
from planning import admin_replay  # noqa: E402,F401  (policy replays: their own module)
from planning.admin_lots import StockBucketAdmin, StockLotAdmin  # noqa: E402,F401  (lots: their own module)
