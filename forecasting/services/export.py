"""Forecast exports for spreadsheets and other systems (CSV or XLSX), safe to open in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import BinaryIO, TextIO

from django.utils.translation import gettext

from forecasting.models import ModelRun
from forecasting.services.errors import InvalidParameter
from forecasting.services.queries import forecasts_of
from forecasting.services.records import record_forecasts
from forecasting.services.scope import ForecastScope
from sales.services.exports import xlsx_text

Progress = Callable[[str, int, int], None]
EXPORT_COLUMNS = ("location_code", "sku", "date", "yhat", "p10", "p50", "p90")
EXPORT_FORMATS = ("csv", "xlsx")
# A cell starting with one of these is run as a formula by Excel/LibreOffice (CSV injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
CHUNK = 5_000


def formula_safe(value: str) -> str:
    """Text that a spreadsheet shows as text: a leading formula character gets a ``'`` in front."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def export_forecasts(
    run: ModelRun | None,
    out: BinaryIO | TextIO,
    *,
    fmt: str = "csv",
    scope: ForecastScope | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the run's forecasts (location code, SKU, date, yhat, p10, p50, p90) to ``out``; returns rows.

    ``run`` None exports the forecast of record (each series from its covering scope's newest run).

    ``out`` is a binary stream (a file opened "wb"); CSV may also go to a text stream (stdout).
    Rows stream from the database in chunks, so a large run never sits in memory. Text cells that a
    spreadsheet would run as a formula are neutralised (CSV: ``'`` prefix; XLSX: stored as text).
    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidParameter(gettext("format: %(fmt)r is not one of %(EXPORT_FORMATS)s") % {
                                   "fmt": fmt,
                                   "EXPORT_FORMATS": list(EXPORT_FORMATS),
                               }, field="format")
    qs = forecasts_of(run) if run is not None else record_forecasts()
    if scope is not None and not scope.is_everything:
        qs = qs.filter(scope.series_q())
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    total = qs.count()
    rows = (
        qs.order_by("location__code", "location_id", "product__sku", "date")
        .values_list("location__code", "product__sku", "date", "yhat", "p10", "p50", "p90")
        .iterator(chunk_size=CHUNK)
    )
    if progress is not None:
        progress("export", 0, total)
    if fmt == "xlsx" and not isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
        raise InvalidParameter(gettext("output: an XLSX export needs a binary stream or file"), field="output")
    writer = _write_csv if fmt == "csv" else _write_xlsx
    return writer(rows, out, total, progress)


def _write_csv(rows, out: BinaryIO | TextIO, total: int, progress: Progress | None) -> int:
    binary = isinstance(out, (io.RawIOBase, io.BufferedIOBase))
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True) if binary else out
    try:
        writer = csv.writer(text)
        writer.writerow(EXPORT_COLUMNS)
        count = 0
        for code, sku, date, yhat, p10, p50, p90 in rows:
            writer.writerow(
                [formula_safe(code or ""), formula_safe(sku), date.isoformat(),
                 round(yhat, 4), round(p10, 4), round(p50, 4), round(p90, 4)]
            )
            count += 1
            if progress is not None and count % CHUNK == 0:
                progress("export", count, total)
        text.flush()
    finally:
        if binary:
            text.detach()  # leave the caller's stream open
    if progress is not None:
        progress("export", count, total)
    return count


def _write_xlsx(rows, out: BinaryIO, total: int, progress: Progress | None) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("forecasts")
    sheet.append(list(EXPORT_COLUMNS))

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=xlsx_text(value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    count = 0
    for code, sku, date, yhat, p10, p50, p90 in rows:
        date_cell = WriteOnlyCell(sheet, value=date)
        date_cell.number_format = "yyyy-mm-dd"
        sheet.append([text_cell(code or ""), text_cell(sku), date_cell,
                      round(yhat, 4), round(p10, 4), round(p50, 4), round(p90, 4)])
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress("export", count, total)
    book.save(out)
    if progress is not None:
        progress("export", count, total)
    return count
