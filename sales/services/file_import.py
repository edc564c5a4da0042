"""Importing one file of a given kind (branches, products, sales, stock): read, map columns, ingest, report.

``import_file(fileobj, *, kind, name="", create_missing=False, dry_run=False, source=None, progress=None,
batch_size=50_000) -> IngestReport``
    The one entry point the API, the admin, the background job and ``manage.py import_sales`` share, so every
    path applies the same validation. ``progress(percent, rows)`` is called after each chunk. A file that cannot
    be read at all (not CSV/XLSX, wrong delimiter, missing columns) is reported as one error on row 1 naming
    the column; nothing is written. ``dry_run`` validates (and counts) without writing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from django.utils.translation import gettext

from sales.choices import ImportKind
from sales.services.branch_import import import_branches
from sales.services.catalog import upsert_products
from sales.services.ingest import ingest_daily_sales, ingest_stock_levels
from sales.services.reports import IngestReport
from sales.services.tabular import FileFormatError, map_headers, open_table, read_rows

PercentProgress = Callable[[float, int], None]


def import_file(
    fileobj: IO[bytes],
    *,
    kind: str,
    name: str = "",
    create_missing: bool = False,
    dry_run: bool = False,
    source=None,
    progress: PercentProgress | None = None,
    batch_size: int = 50_000,
) -> IngestReport:
    """Validate and (unless dry_run, and only if every row is valid) write one file; see the module doc."""
    if kind not in ImportKind.values:
        raise ValueError(gettext("unknown import kind %(kind)r; use one of %(values)s") % {
                             "kind": kind,
                             "values": ', '.join(ImportKind.values),
                         })
    try:
        table = open_table(fileobj, name)
        header_map = map_headers(kind, table.headers)
    except FileFormatError as exc:
        report = IngestReport(dry_run=dry_run, file_status=exc.status)
        report.add_error(exc.row or 1, exc.column, str(exc))
        return report
    rows = read_rows(table, header_map)

    def on_chunk(done: int) -> None:
        if progress is not None:
            progress(round(100 * table.fraction_read, 1), done)

    common = {"dry_run": dry_run, "first_row": 2}
    try:
        if kind == ImportKind.SALES:
            report = ingest_daily_sales(rows, source=source, create_missing=create_missing, batch_size=batch_size,
                                        progress=on_chunk, **common)
        elif kind == ImportKind.STOCK:
            report = ingest_stock_levels(rows, source=source, create_missing=create_missing, batch_size=batch_size,
                                         progress=on_chunk, **common)
        elif kind == ImportKind.PRODUCTS:
            report = upsert_products(rows, account=source, batch_size=min(batch_size, 5_000), progress=on_chunk,
                                     **common)
        else:
            report = import_branches(rows, **common)
    except FileFormatError as exc:  # a broken line in the middle of a CSV: the transaction was rolled back
        report = IngestReport(dry_run=dry_run, file_status=exc.status)
        report.add_error(exc.row, exc.column, str(exc))
        return report
    if header_map.ignored:
        report.warnings.append(f"ignored column(s) the {kind} layout does not use: {', '.join(header_map.ignored)}")
    if table.delimiter and table.delimiter != ",":
        report.warnings.append(f"read as {'tab' if table.delimiter == chr(9) else repr(table.delimiter)}-separated")
    if progress is not None:
        progress(100.0, report.rows)
    return report
