"""Shop-floor admin: designs and BOM embroidery steps edited here; jobs move through the same services as the
API (start / complete all / cancel as actions); the scan history is read-only.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import construct_instance
from django.utils.html import format_html

from core.errors import DomainError
from shopfloor.models import EmbroideryDesign, EmbroideryJob, EmbroideryStep, ScanEvent
from shopfloor.services import embroidery


@admin.register(EmbroideryDesign)
class EmbroideryDesignAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "stitch_count", "machine_minutes_per_piece", "is_active", "thumbnail"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]

    def delete_model(self, request, obj) -> None:
        embroidery.delete_design(obj.pk)

    @admin.display(description="picture")
    def thumbnail(self, obj: EmbroideryDesign) -> str:
        return format_html('<img src="{}" style="height:32px">', obj.picture.url) if obj.picture else "—"


@admin.register(EmbroideryStep)
class EmbroideryStepAdmin(admin.ModelAdmin):
    list_display = ["bom", "part", "design", "lead_time_days"]
    list_select_related = ["bom__product", "part", "design"]
    search_fields = ["bom__product__sku", "part__sku", "design__code"]
    autocomplete_fields = ["design"]
    raw_id_fields = ["bom", "part"]


def _each(modeladmin, request, queryset: QuerySet, call, verb: str) -> None:
    done, refused = 0, []
    for job in queryset.order_by("pk"):
        try:
            call(job)
            done += 1
        except DomainError as exc:
            refused.append(f"{job}: {exc}")
    if done:
        modeladmin.message_user(request, f"{verb}: {done}.", messages.SUCCESS)
    for text in refused[:20]:
        modeladmin.message_user(request, text, messages.ERROR)


class EmbroideryJobForm(forms.ModelForm):
    class Meta:
        model = EmbroideryJob
        fields = ["production_task", "design", "part", "quantity", "machine", "subcontractor", "embroidery_location",
                  "planned_date", "notes"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                embroidery.validate_job(construct_instance(self, copy.copy(self.instance)))
            except DomainError as exc:
                raise ValidationError({exc.field: exc.message} if exc.field in self.fields else exc.message) from exc
        return cleaned


@admin.register(EmbroideryJob)
class EmbroideryJobAdmin(admin.ModelAdmin):
    form = EmbroideryJobForm
    list_display = ["id", "production_task", "design", "part", "quantity", "machine", "subcontractor",
                    "planned_date", "status", "output_quantity", "scrap_quantity"]
    list_filter = ["status", "planned_date", "subcontractor"]
    list_select_related = ["production_task__product", "design", "part", "subcontractor"]
    search_fields = ["design__code", "part__sku", "machine"]
    raw_id_fields = ["production_task", "part", "embroidery_location"]
    readonly_fields = ["status", "output_quantity", "scrap_quantity", "started_by", "started_at", "completed_by",
                       "completed_at", "cancelled_by", "cancelled_at", "cancel_reason", "created_by"]
    actions = ["start_jobs", "complete_jobs_without_scrap", "cancel_jobs"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Only planned jobs are edited (the service's rule); others are read here and moved by actions.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == "planned")

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == "planned")

    def get_actions(self, request):
        # The bulk delete would bypass the service (and delete started jobs whose parts are out).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, so the admin applies the same rules as the API.
        fields = {name: getattr(obj, name) for name in embroidery.EDITABLE_FIELDS}
        if change:
            saved = embroidery.update_job(obj.pk, fields)
        else:
            saved = embroidery.create_job(embroidery.JobInput(**fields), user=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        embroidery.delete_job(obj.pk)

    @admin.action(description="Start (send the parts out)", permissions=["change"])
    def start_jobs(self, request, queryset):
        _each(self, request, queryset, lambda j: embroidery.start_job(j.pk, user=request.user), "Started")

    @admin.action(description="Complete with every piece good", permissions=["change"])
    def complete_jobs_without_scrap(self, request, queryset):
        _each(self, request, queryset,
              lambda j: embroidery.complete_job(j.pk, output_quantity=j.quantity, user=request.user), "Completed")

    @admin.action(description="Cancel (started parts come back)", permissions=["change"])
    def cancel_jobs(self, request, queryset):
        _each(self, request, queryset,
              lambda j: embroidery.cancel_job(j.pk, reason="cancelled in admin", user=request.user), "Cancelled")


@admin.register(ScanEvent)
class ScanEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "code", "kind", "action", "outcome", "user", "detail"]
    list_filter = ["outcome", "kind", "action"]
    search_fields = ["code", "detail"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
