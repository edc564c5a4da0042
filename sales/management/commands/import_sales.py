"""manage.py import_sales FILE: import a sales, stock, products or branches file (CSV or XLSX, optionally gzipped).

Reads the column layouts of ``../shared/data`` as they are (store_id, item_id, units, price, promo, open,
holiday_flg, …; see sales.services.tabular), validates every row, and writes the whole file in one transaction
or nothing at all. Examples:

    manage.py import_sales ../shared/data/rossmann_top100_daily/sales.csv.gz --create-missing
    manage.py import_sales stock.xlsx --kind stock --dry-run
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sales.choices import ImportKind
from sales.services.file_import import import_file


class Command(BaseCommand):
    help = "Import a sales, stock, products or branches file (CSV/XLSX, optionally .gz); all rows or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path of the file.")
        parser.add_argument("--kind", choices=ImportKind.values, default=ImportKind.SALES,
                            help="What the file holds (default: sales).")
        parser.add_argument("--create-missing", action="store_true",
                            help="Create unknown locations (manual branches) and products instead of rejecting rows.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, write nothing.")
        parser.add_argument("--batch-size", type=int, default=50_000, help="Rows per chunk (memory vs speed).")
        parser.add_argument("--json", action="store_true", help="Print the full report as JSON.")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        bar = tqdm(total=100, unit="%", desc=f"{path.name}", file=sys.stderr, disable=not sys.stderr.isatty(),
                   bar_format="{l_bar}{bar}| {n:.0f}% [{elapsed}<{remaining}] {postfix}")

        def progress(percent: float, rows: int) -> None:
            bar.n = percent
            bar.set_postfix_str(f"{rows:,} rows")
            bar.refresh()

        with path.open("rb") as handle:
            report = import_file(handle, kind=options["kind"], name=path.name,
                                 create_missing=options["create_missing"], dry_run=options["dry_run"],
                                 progress=progress, batch_size=options["batch_size"])
        bar.close()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, default=str))
        verb = "would be" if options["dry_run"] else "were"
        summary = (f"{report.rows:,} rows read: {report.created:,} created, {report.updated:,} updated, "
                   f"{report.unchanged:,} unchanged, {report.skipped:,} without a sale")
        if report.drivers_created or report.drivers_updated or report.drivers_unchanged:
            summary += (f"; drivers {report.drivers_created:,} created, {report.drivers_updated:,} updated, "
                        f"{report.drivers_unchanged:,} unchanged")
        if report.locations_created:
            summary += f"; {len(report.locations_created):,} locations {verb} created"
        if report.products_created:
            summary += f"; {len(report.products_created):,} products {verb} created"
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if not report.valid:
            for error in report.errors[:50]:
                where = f"row {error['row']}" if error["row"] else "file"
                self.stderr.write(f"{where}, {error['column'] or '-'}: {error['message']}")
            if report.error_count > 50:
                self.stderr.write(f"… and {report.error_count - 50:,} more problems.")
            raise CommandError(f"Nothing was imported: {report.error_count:,} problem(s) in {path.name}. "
                               "Fix them (or use --create-missing for unknown codes) and run again.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written. {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name}. {summary}."))
