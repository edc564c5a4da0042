"""Admin of lots and per-status stock (imported by planning.admin). Both are written by services only:
lots by receipts, production and quality decisions, buckets by the ledger. Decisions on a lot (release,
block, unblock, scrap) are made in the quality app's admin, which records the note and calls
planning.services.lots.set_lot_status."""

from django.contrib import admin

from planning.models import StockBucket, StockLot


class StockBucketInline(admin.TabularInline):
    model = StockBucket
    extra = 0
    fields = ["location", "status", "quantity", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StockLot)
class StockLotAdmin(admin.ModelAdmin):
    list_display = ["number", "product", "status", "origin", "produced_on", "expires_on", "purchase_receipt",
                    "production_task", "status_changed_at"]
    list_select_related = ["product"]
    list_filter = ["status", "origin"]
    search_fields = ["number", "product__sku", "product__name"]
    date_hierarchy = "produced_on"
    inlines = [StockBucketInline]
    readonly_fields = ["product", "number", "status", "origin", "purchase_receipt", "production_task", "status_note",
                       "status_changed_by", "status_changed_at", "created_at"]
    fields = readonly_fields[:4] + ["produced_on", "expires_on"] + readonly_fields[4:]

    def has_add_permission(self, request, obj=None):
        return False  # lots are made by receipts and production

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockBucket)
class StockBucketAdmin(admin.ModelAdmin):
    list_display = ["location", "product", "lot", "status", "quantity", "updated_at"]
    list_select_related = ["location", "product", "lot"]
    list_filter = ["status", "location"]
    search_fields = ["product__sku", "lot__number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
