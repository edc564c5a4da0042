"""Compare forecasts with the actuals that have arrived and fill the accuracy log (idempotent)."""

from django.core.management.base import BaseCommand

from forecasting.management.progress import TqdmProgress
from forecasting.services import update_accuracy


class Command(BaseCommand):
    help = "Fill ForecastAccuracyLog for every forecast point whose actual sales have arrived."

    def handle(self, *args, **options):
        with TqdmProgress() as progress:
            written = update_accuracy(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{written} accuracy row(s) written."))
