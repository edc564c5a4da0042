"""Delete forecast runs older than FORECAST_RUN_RETENTION_DAYS, keeping every scope's forecast of record."""

from django.core.management.base import BaseCommand, CommandError

from forecasting.services import ForecastingError
from forecasting.services.retention import prune_forecast_runs


class Command(BaseCommand):
    help = "Delete old forecast runs (and their forecasts); each scope's forecast of record is kept."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep runs younger than this (default FORECAST_RUN_RETENTION_DAYS; 0 = keep all).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be deleted.")

    def handle(self, *args, **options):
        try:
            result = prune_forecast_runs(options["days"], dry_run=options["dry_run"])
        except ForecastingError as exc:
            raise CommandError(f"--{exc}") from None
        prefix = "Would delete: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + str(result)))
