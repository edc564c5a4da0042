"""Lists as spreadsheets: XLSX, or CSV with ';' and a decimal comma for Russian, Kazakh and Turkish Excel.

Each exportable list has its columns here, with headers in words (translated) and values as a planner reads them
(names, not ids; dates in the user's time zone). The rows are whatever the admin list shows with its filters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from forecasting.models import Forecast
from planning.models import OrderProposal, PurchaseOrder, PurchaseOrderLine
from sales.models import DailySale

MAX_ROWS = 500_000
SEMICOLON_LANGUAGES = ("ru", "kk", "tr")


@dataclass(frozen=True)
class Column:
    header: str  # English msgid; translated when written
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExportSpec:
    name: str
    rows: Callable[[QuerySet], Iterable[Any]]
    columns: tuple[Column, ...]


def _proposal_rows(qs: QuerySet) -> Iterator[OrderProposal]:
    return qs.select_related("location", "product", "supplier").order_by("pk").iterator(chunk_size=2000)


def _order_line_rows(qs: QuerySet) -> Iterator[PurchaseOrderLine]:
    lines = PurchaseOrderLine.objects.filter(order__in=qs.values("pk")).select_related(
        "order", "order__supplier", "order__location", "product")
    return lines.order_by("order_id", "pk").iterator(chunk_size=2000)


def _forecast_rows(qs: QuerySet) -> Iterator[Forecast]:
    return qs.select_related("location", "product").order_by("run_id", "location_id", "product_id", "date").iterator(
        chunk_size=5000)


def _sale_rows(qs: QuerySet) -> Iterator[DailySale]:
    return qs.select_related("location", "product").order_by("date", "location_id", "product_id").iterator(
        chunk_size=5000)


C = Column
SPECS: dict[type[Model], ExportSpec] = {
    OrderProposal: ExportSpec("proposals", _proposal_rows, (
        C(gettext_noop("Proposal"), lambda p: p.pk),
        C(gettext_noop("Status"), lambda p: p.get_status_display()),
        C(gettext_noop("Kind"), lambda p: p.get_kind_display()),
        C(gettext_noop("Location"), lambda p: p.location.name),
        C(gettext_noop("SKU"), lambda p: p.product.sku),
        C(gettext_noop("Product"), lambda p: p.product.name),
        C(gettext_noop("Quantity"), lambda p: p.quantity),
        C(gettext_noop("Unit"), lambda p: p.product.unit),
        C(gettext_noop("Supplier"), lambda p: p.supplier.name if p.supplier else ""),
        C(gettext_noop("Order by"), lambda p: p.order_date),
        C(gettext_noop("Arrives"), lambda p: p.expected_arrival),
        C(gettext_noop("Demand"), lambda p: p.demand),
        C(gettext_noop("Safety stock"), lambda p: p.safety_stock),
        C(gettext_noop("On hand"), lambda p: p.on_hand),
        C(gettext_noop("Inventory position"), lambda p: p.inventory_position),
        C(gettext_noop("Warnings"), lambda p: "; ".join((p.terms or {}).get("warnings") or [])),
        C(gettext_noop("Explanation"), lambda p: p.explanation),
        C(gettext_noop("Decided at"), lambda p: p.decided_at),
        C(gettext_noop("Decided quantity"), lambda p: p.decided_quantity),
        C(gettext_noop("Note"), lambda p: p.decision_note),
    )),
    PurchaseOrder: ExportSpec("purchase-orders", _order_line_rows, (
        C(gettext_noop("Order"), lambda line: line.order_id),
        C(gettext_noop("Status"), lambda line: line.order.get_status_display()),
        C(gettext_noop("Supplier"), lambda line: line.order.supplier.name if line.order.supplier else ""),
        C(gettext_noop("Deliver to"), lambda line: line.order.location.name),
        C(gettext_noop("Order date"), lambda line: line.order.order_date),
        C(gettext_noop("Expected"), lambda line: line.expected_date or line.order.expected_date),
        C(gettext_noop("SKU"), lambda line: line.product.sku),
        C(gettext_noop("Product"), lambda line: line.product.name),
        C(gettext_noop("Quantity"), lambda line: line.quantity),
        C(gettext_noop("Received"), lambda line: line.received_quantity),
        C(gettext_noop("Unit price"), lambda line: line.unit_price),
        C(gettext_noop("From proposal"), lambda line: line.proposal_id or ""),
    )),
    Forecast: ExportSpec("forecasts", _forecast_rows, (
        C(gettext_noop("Run"), lambda f: f.run_id),
        C(gettext_noop("Location"), lambda f: f.location.name),
        C(gettext_noop("SKU"), lambda f: f.product.sku),
        C(gettext_noop("Product"), lambda f: f.product.name),
        C(gettext_noop("Date"), lambda f: f.date),
        C(gettext_noop("Forecast"), lambda f: f.yhat),
        C(gettext_noop("Low (p10)"), lambda f: f.p10),
        C(gettext_noop("Median (p50)"), lambda f: f.p50),
        C(gettext_noop("High (p90)"), lambda f: f.p90),
    )),
    DailySale: ExportSpec("daily-sales", _sale_rows, (
        C(gettext_noop("Date"), lambda s: s.date),
        C(gettext_noop("Location"), lambda s: s.location.name),
        C(gettext_noop("SKU"), lambda s: s.product.sku),
        C(gettext_noop("Product"), lambda s: s.product.name),
        C(gettext_noop("Quantity"), lambda s: s.quantity),
        C(gettext_noop("Revenue"), lambda s: s.revenue),
        C(gettext_noop("Discount"), lambda s: s.discount),
        C(gettext_noop("Returns"), lambda s: s.returns),
        C(gettext_noop("Price paid"), lambda s: s.price_paid),
        C(gettext_noop("On promotion"), lambda s: s.on_promotion),
    )),
}


def _cell(value: Any) -> Any:
    """Datetimes in the active (user's) time zone, without tzinfo (spreadsheets have none)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def csv_separator(language: str | None = None) -> str:
    return ";" if (language or get_language() or "en")[:2] in SEMICOLON_LANGUAGES else ","


def _csv_text(value: Any, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (Decimal, float)):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_csv(spec: ExportSpec, queryset: QuerySet, separator: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator)
    writer.writerow([_(c.header) for c in spec.columns])
    decimal_comma = separator == ";"
    for count, row in enumerate(spec.rows(queryset)):
        if count >= MAX_ROWS:
            break
        writer.writerow([_csv_text(_cell(c.value(row)), decimal_comma) for c in spec.columns])
    # UTF-8 with a byte-order mark: Excel then reads Cyrillic and Turkish letters correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(spec: ExportSpec, queryset: QuerySet) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.name[:31])
    sheet.append([_(c.header) for c in spec.columns])
    for count, row in enumerate(spec.rows(queryset)):
        if count >= MAX_ROWS:
            break
        sheet.append([_cell(c.value(row)) for c in spec.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
