from django.contrib import admin

from workbench.models import PlannerProfile


@admin.register(PlannerProfile)
class PlannerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "time_zone"]
    list_filter = ["language"]
    search_fields = ["user__username", "time_zone"]
    raw_id_fields = ["user"]
