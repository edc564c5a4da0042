"""manage.py reconcile_stock [--location CODE …]"""

from django.core.management.base import BaseCommand, CommandError

from branches.models import Location
from core.progress import TqdmProgress
from planning.services.ledger import reconcile_stock_levels


class Command(BaseCommand):
    help = "Post sync_correction movements so the stock ledger matches the newest source snapshot of each item."

    def add_arguments(self, parser):
        parser.add_argument("--location", action="append", default=[], metavar="CODE",
                            help="Only this location code (repeatable).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        location_ids = None
        if options["location"]:
            location_ids = list(Location.objects.filter(code__in=options["location"]).values_list("pk", flat=True))
            if not location_ids:
                raise CommandError(f"No location with code(s) {', '.join(options['location'])}.")
        bar = TqdmProgress(disable=True if options["no_progress"] else None)
        try:
            summary = reconcile_stock_levels(location_ids, progress=bar)
        finally:
            bar.close()
        self.stdout.write(
            f"{summary.snapshots_seen} snapshots: {summary.corrections} corrections "
            f"(net {summary.total_correction:f}), {summary.unchanged} already matching, "
            f"{summary.skipped_older} not newer than the last reconciled one."
        )
