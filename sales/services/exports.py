"""Exports and import templates, in the same column layouts the importers read (an export re-imports as-is).

``export_rows(kind, queryset) -> (headers, iterator of rows)`` streams a filtered queryset in chunks.
``write_csv(headers, rows) -> iterator of str`` and ``write_xlsx(headers, rows, path)`` render them; every text
cell starting with ``=``, ``+``, ``-``, ``@`` (or tab/CR) is prefixed with an apostrophe, so a spreadsheet shows
it as text instead of running it as a formula (numbers are written as numbers and never escaped).
``build_template(kind, fmt) -> bytes``: the header, one example row and an explanation per column (XLSX: a
comment on each header cell and a "columns" sheet; CSV cannot hold comments, so it has the header and example).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from sales.choices import ImportKind
from sales.services.parsing import escape_formula
from sales.services.tabular import LAYOUTS

XLSX_MAX_ROWS = 1_048_575  # Excel's limit, minus the header
CHUNK = 2_000

# kind → (file column, queryset values() path)
EXPORT_FIELDS: dict[str, list[tuple[str, str]]] = {
    ImportKind.SALES: [
        ("location_code", "location__code"), ("sku", "product__sku"), ("date", "date"), ("quantity", "quantity"),
        ("revenue", "revenue"), ("discount", "discount"), ("returns", "returns"), ("price_paid", "price_paid"),
        ("on_promotion", "on_promotion"),
    ],
    ImportKind.STOCK: [
        ("location_code", "location__code"), ("sku", "product__sku"), ("as_of", "as_of"), ("on_hand", "on_hand"),
        ("reserved", "reserved"), ("in_transit", "in_transit"),
    ],
    ImportKind.PRODUCTS: [
        ("sku", "sku"), ("name", "name"), ("kind", "kind"), ("category_code", "category__code"),
        ("category_name", "category__name"), ("unit", "unit"), ("list_price", "list_price"),
        ("is_active", "is_active"),
    ],
    ImportKind.BRANCHES: [
        ("code", "code"), ("name", "name"), ("parent_code", "parent__code"), ("type", "type"),
        ("code_tco", "code_tco"), ("taxpayer_id_number", "taxpayer_id_number"),
    ],
}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return value
    return escape_formula(value)


def export_rows(kind: str, queryset: QuerySet) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and a lazily evaluated stream of escaped cells for `queryset` (already filtered by the caller)."""
    fields = EXPORT_FIELDS[kind]
    headers = [name for name, _ in fields]
    paths = [path for _, path in fields]
    if kind == ImportKind.PRODUCTS:
        headers.append("barcodes")

    def rows() -> Iterator[list[Any]]:
        if kind != ImportKind.PRODUCTS:
            for values in queryset.values_list(*paths).iterator(chunk_size=CHUNK):
                yield [_cell(v) for v in values]
            return
        from sales.models import ProductBarcode

        batch: list[tuple] = []
        for values in queryset.values_list("pk", *paths).iterator(chunk_size=CHUNK):
            batch.append(values)
            if len(batch) == CHUNK:
                yield from _with_barcodes(batch, ProductBarcode)
                batch = []
        yield from _with_barcodes(batch, ProductBarcode)

    return headers, rows()


def _with_barcodes(batch: list[tuple], model) -> Iterator[list[Any]]:
    if not batch:
        return
    codes: dict[int, list[str]] = {}
    for product_id, barcode in model.objects.filter(product_id__in=[b[0] for b in batch]).order_by(
        "barcode"
    ).values_list("product_id", "barcode"):
        codes.setdefault(product_id, []).append(barcode)
    for pk, *values in batch:
        yield [*(_cell(v) for v in values), escape_formula(",".join(codes.get(pk, [])))]


class _Echo:
    def write(self, value: str) -> str:
        return value


def write_csv(headers: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    """CSV text, one line at a time (for StreamingHttpResponse); UTF-8 with a BOM so Excel reads it right."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow(row)


def xlsx_text(value: Any) -> Any:
    """Text a worksheet can hold: characters XLSX forbids (controls stored before input refused them) are
    written as a visible escape, e.g. `\\x07`, instead of failing the whole export."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


def write_xlsx(headers: list[str], rows: Iterator[list[Any]], target: io.BufferedIOBase | str) -> int:
    """A write-only workbook (constant memory per row); returns the number of data rows written."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(headers)
    count = 0
    for row in rows:
        if count >= XLSX_MAX_ROWS:
            raise ValueError(gettext("more than %(XLSX_MAX_ROWS)s rows do not fit in one sheet; export CSV "
                                     "or narrow the filters") % {"XLSX_MAX_ROWS": format(XLSX_MAX_ROWS, ",")})
        sheet.append([float(v) if isinstance(v, Decimal) else xlsx_text(v) for v in row])
        count += 1
    workbook.save(target)
    return count


def build_template(kind: str, fmt: str) -> bytes:
    """An import template for `kind`: headers, one example row, and what each column means."""
    layout = LAYOUTS[kind]
    headers = [c.name for c in layout]
    example = [c.example for c in layout]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerow(example)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "data"
    data.append(headers)
    data.append(example)
    for index, column in enumerate(layout, start=1):
        cell = data.cell(row=1, column=index)
        cell.font = Font(bold=column.required)
        aliases = f" Also read from: {', '.join(column.aliases)}." if column.aliases else ""
        cell.comment = Comment(f"{'Required' if column.required else 'Optional'} {column.type}. {column.help}"
                               f"{aliases}", "salesforecast")
        data.column_dimensions[cell.column_letter].width = max(12, len(column.name) + 2)
    columns = workbook.create_sheet("columns")
    columns.append(["column", "required", "type", "example", "explanation", "also read from"])
    for column in layout:
        columns.append([column.name, "yes" if column.required else "no", column.type, column.example, column.help,
                        ", ".join(column.aliases)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
