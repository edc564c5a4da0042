"""Create the coming months' partitions of the partitioned fact tables (PostgreSQL); the schedule does it nightly."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.partitions import ensure_all_partitions


class Command(BaseCommand):
    help = (
        "Create partitions through --months-ahead ranges past now: months of daily sales, blocks of runs of "
        "forecasts (and move rows out of the default partition)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months-ahead",
            type=int,
            default=None,
            help="Months after the current one to create (default PARTITION_MONTHS_AHEAD).",
        )

    def handle(self, *args, **options):
        months = options["months_ahead"]
        months = settings.PARTITION_MONTHS_AHEAD if months is None else months
        if months < 0:
            raise CommandError("--months-ahead: must be 0 or more")
        created = ensure_all_partitions(months)
        total = sum(len(names) for names in created.values())
        for table, names in created.items():
            self.stdout.write(f"{table}: {', '.join(names) if names else 'nothing to create'}")
        self.stdout.write(self.style.SUCCESS(f"{total} partition(s) created."))
