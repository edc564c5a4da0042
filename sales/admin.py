"""Admin for the item master and demand history, with import/export buttons (django-import-export).

The import button runs files through the same service and validation as the API (`sales.services`): the
"preview" is a dry run that reports every bad row with its column and reason, and the confirmed import is one
all-or-nothing transaction. Exports use the import layout and escape formula-like text cells.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result, RowResult
from tablib import Dataset

from sales.choices import ImportKind
from sales.models import (
    Customer,
    DailySale,
    DemandDriver,
    ImportJob,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    ProductCategory,
    ProductSourceRef,
    StockLevel,
)
from sales.services.catalog import upsert_products
from sales.services.exports import export_rows
from sales.services.ingest import ingest_daily_sales, ingest_stock_levels
from sales.services.reports import IngestReport
from sales.services.tabular import LAYOUTS, FileFormatError, map_headers


class ServiceResource(resources.Resource):
    """A django-import-export resource whose import and export are our services (same rules as the API)."""

    import_kind: str = ""  # not "kind": the products layout has a column of that name

    @classmethod
    def for_kind(cls, kind: str) -> type[ServiceResource]:
        declared = {c.name: fields.Field(attribute=c.name, column_name=c.name) for c in LAYOUTS[kind]}
        attrs = {"import_kind": kind, "__module__": cls.__module__, **declared}
        return type(cls)(f"{kind.title()}Resource", (cls,), attrs)

    @classmethod
    def get_display_name(cls) -> str:
        return f"{cls.import_kind} file"

    def ingest(self, rows, *, dry_run: bool) -> IngestReport:
        if self.import_kind == ImportKind.SALES:
            return ingest_daily_sales(rows, dry_run=dry_run, first_row=2)
        if self.import_kind == ImportKind.STOCK:
            return ingest_stock_levels(rows, dry_run=dry_run, first_row=2)
        return upsert_products(rows, dry_run=dry_run, first_row=2)

    def import_data(self, dataset: Dataset, dry_run: bool = False, raise_errors: bool = False,
                    use_transactions: bool | None = None, collect_failed_rows: bool = False,
                    rollback_on_validation_errors: bool = False, **kwargs) -> Result:
        result = Result()
        headers = list(dataset.headers or [])
        try:
            header_map = map_headers(self.import_kind, headers)
        except FileFormatError as exc:
            result.append_invalid_row(1, {}, ValidationError({exc.column or NON_FIELD_ERRORS: [str(exc)]}))
            return result
        rows = ({**header_map.row(list(values)), "_row": number}
                for number, values in enumerate(dataset, start=2))
        report = self.ingest(rows, dry_run=dry_run)
        for error in report.errors:
            result.append_invalid_row(
                error["row"], {}, ValidationError({error["column"] or NON_FIELD_ERRORS: [error["message"]]}))
        result.total_rows = report.rows
        result.totals[RowResult.IMPORT_TYPE_NEW] = report.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
        result.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged + report.skipped
        result.report = report  # shown by admin/sales/import.html
        return result

    def export(self, queryset=None, **kwargs) -> Dataset:
        headers, rows = export_rows(self.import_kind, queryset)
        selected = kwargs.get("export_fields") or headers
        keep = [i for i, name in enumerate(headers) if name in selected] or list(range(len(headers)))
        dataset = Dataset(headers=[headers[i] for i in keep])
        for row in rows:
            dataset.append([row[i] for i in keep])
        return dataset


class ServiceImportExportAdmin(ImportExportModelAdmin):
    import_template_name = "admin/sales/import.html"
    formats = [CSV, XLSX]
    show_full_result_count = False  # counting millions of rows on every page load is not worth it


class ProductBarcodeInline(admin.TabularInline):
    model = ProductBarcode
    extra = 0


class ProductSourceRefInline(admin.TabularInline):
    model = ProductSourceRef
    extra = 0
    fields = ["account", "external_id", "synced_at"]
    readonly_fields = ["synced_at"]


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


@admin.register(Product)
class ProductAdmin(ServiceImportExportAdmin):
    resource_classes = [ServiceResource.for_kind(ImportKind.PRODUCTS)]
    list_display = ["sku", "name", "kind", "category", "unit", "list_price", "is_active", "updated_at"]
    list_filter = ["kind", "is_active", "lot_tracked", "requires_inspection", "category"]
    search_fields = ["sku", "name", "barcodes__barcode", "source_refs__external_id"]
    list_select_related = ["category"]
    inlines = [ProductBarcodeInline, ProductSourceRefInline]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(DailySale)
class DailySaleAdmin(ServiceImportExportAdmin):
    resource_classes = [ServiceResource.for_kind(ImportKind.SALES)]
    # The base of import-export's list template: adds the workbench's XLSX/CSV export of the filtered list.
    change_list_template = "admin/sales/dailysale/change_list.html"
    list_display = ["date", "location", "product", "quantity", "revenue", "discount", "returns", "price_paid",
                    "on_promotion"]
    list_filter = ["on_promotion", "product__category"]
    date_hierarchy = "date"
    search_fields = ["product__sku", "location__code", "location__name"]
    list_select_related = ["location", "product"]
    raw_id_fields = ["location", "product"]
    readonly_fields = ["updated_at"]


@admin.register(StockLevel)
class StockLevelAdmin(ServiceImportExportAdmin):
    resource_classes = [ServiceResource.for_kind(ImportKind.STOCK)]
    list_display = ["as_of", "location", "product", "on_hand", "reserved", "in_transit", "source"]
    list_filter = ["source"]
    date_hierarchy = "as_of"
    search_fields = ["product__sku", "location__code", "location__name"]
    list_select_related = ["location", "product", "source"]
    raw_id_fields = ["location", "product"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["product"]
    fields = ["line_no", "product", "quantity", "price", "discount", "amount", "commission"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["external_id", "account", "channel", "status", "location", "business_date", "total",
                    "commission_total", "is_return"]
    list_filter = ["status", "channel", "is_return", "account"]
    date_hierarchy = "business_date"
    search_fields = ["external_id", "customer__name", "customer__external_id"]
    list_select_related = ["account", "location"]
    raw_id_fields = ["location", "customer"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [OrderLineInline]
    show_full_result_count = False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "phone", "account", "created_at"]
    list_filter = ["account"]
    search_fields = ["external_id", "name", "email", "phone"]
    list_select_related = ["account"]


@admin.register(DemandDriver)
class DemandDriverAdmin(admin.ModelAdmin):
    list_display = ["date", "location", "product", "is_promotion", "is_open", "is_holiday", "planned_price"]
    list_filter = ["is_promotion", "is_open", "is_holiday"]
    date_hierarchy = "date"
    search_fields = ["location__code", "location__name", "product__sku"]
    list_select_related = ["location", "product"]
    raw_id_fields = ["location", "product"]
    show_full_result_count = False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "original_name", "status", "progress", "rows_processed", "created_by",
                    "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["original_name"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # jobs come from uploads (API, command); the admin shows what they did
