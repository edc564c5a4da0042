"""Quality admin: defect codes, methods and specifications are edited here; inspections, lab tests and lot
decisions are made through the same services as the API (a refusal becomes an error message, never a 500)."""

from django import forms
from django.contrib import admin, messages

from core.errors import DomainError
from quality.models import (
    DefectCode,
    Inspection,
    InspectionDefect,
    LabResult,
    LabTest,
    LotDecision,
    Specification,
    TestMethod,
)
from quality.services import inspections, lab, lots


def _run_each(modeladmin, request, queryset, call, verb: str) -> None:
    done = 0
    for obj in queryset.order_by("pk"):
        try:
            call(obj)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{verb}: {done}.", messages.SUCCESS)


@admin.register(DefectCode)
class DefectCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


class InspectionDefectInline(admin.TabularInline):
    model = InspectionDefect
    extra = 0
    readonly_fields = ["defect_code", "quantity"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    """Inspections are recorded through the API (quantities checked against the quarantine); released or
    rejected here with the same services."""

    list_display = ["id", "production_task", "product", "lot", "status", "inspected_quantity", "passed_quantity",
                    "failed_quantity", "rework_quantity", "inspector", "inspected_at"]
    list_select_related = ["product", "lot", "inspector"]
    list_filter = ["status", "location"]
    search_fields = ["product__sku", "lot__number", "notes"]
    inlines = [InspectionDefectInline]
    actions = ["release"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Inspection._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Release (passed → available, failed → scrap, rework → rework task)",
                  permissions=["change"])
    def release(self, request, queryset):
        _run_each(self, request, queryset,
                  lambda obj: inspections.release_inspection(obj.pk, user=request.user), "Released")


@admin.register(TestMethod)
class TestMethodAdmin(admin.ModelAdmin):
    __test__ = False
    list_display = ["name", "kind", "unit", "min_value", "max_value", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Specification)
class SpecificationAdmin(admin.ModelAdmin):
    list_display = ["method", "product", "category", "min_value", "max_value", "is_active"]
    list_select_related = ["method", "product", "category"]
    list_filter = ["is_active", "method"]
    search_fields = ["method__name", "product__sku", "category__name"]
    raw_id_fields = ["product"]


class LabResultInline(admin.TabularInline):
    model = LabResult
    extra = 0
    readonly_fields = ["method", "min_value", "max_value", "value", "passed", "within_spec", "recorded_by",
                       "recorded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LabTest)
class LabTestAdmin(admin.ModelAdmin):
    __test__ = False
    list_display = ["id", "lot", "status", "created_by", "created_at", "verdict_at", "verdict_summary"]
    list_select_related = ["lot", "created_by"]
    list_filter = ["status"]
    search_fields = ["lot__number", "notes"]
    inlines = [LabResultInline]
    actions = ["verdict"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in LabTest._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Compute the verdict (a failed test blocks its lot)", permissions=["change"])
    def verdict(self, request, queryset):
        _run_each(self, request, queryset, lambda obj: lab.decide_verdict(obj.pk, user=request.user), "Decided")


class LotDecisionForm(forms.ModelForm):
    """Validating the form applies the decision (the admin's add view runs in one transaction), so a refusal
    shows on the form, naming the lot's status, instead of failing after "save"."""

    class Meta:
        model = LotDecision
        fields = ["lot", "action", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.decision: LotDecision | None = None

    def clean(self):
        data = super().clean()
        if self.errors or self.instance.pk:
            return data
        try:
            self.decision = lots.decide_lot(data["lot"].pk, data["action"], note=data.get("note", ""),
                                            user=self.user)
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(LotDecision)
class LotDecisionAdmin(admin.ModelAdmin):
    """Adding a decision here applies it (release, block, unblock, scrap) through the same service as the API."""

    list_display = ["decided_at", "lot", "action", "from_status", "to_status", "note", "lab_test", "decided_by"]
    list_select_related = ["lot", "decided_by"]
    list_filter = ["action"]
    search_fields = ["lot__number", "note"]
    raw_id_fields = ["lot"]
    fields = ["lot", "action", "note"]

    def get_readonly_fields(self, request, obj=None):
        return ["lot", "action", "note", "from_status", "to_status", "lab_test", "decided_by"] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    form = LotDecisionForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return WithUser

    def save_model(self, request, obj, form, change):
        if form.decision is not None:  # already applied and recorded by the form's clean()
            form.instance = form.decision
            obj.pk, obj.decided_at = form.decision.pk, form.decision.decided_at
            obj.from_status, obj.to_status = form.decision.from_status, form.decision.to_status
