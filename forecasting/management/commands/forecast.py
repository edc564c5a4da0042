"""Forecast from the latest sales with a stored model (no retraining): a new forecast-only ModelRun."""

from django.core.management.base import BaseCommand, CommandError

from forecasting.management.progress import TqdmProgress, add_scope_arguments, scope_from_options
from forecasting.services import ForecastingError, forecast_with_run
from forecasting.services.queries import resolve_run


class Command(BaseCommand):
    help = "Reuse the model of a training run (--run ID, default latest) to forecast from the newest data."

    def add_arguments(self, parser):
        parser.add_argument("--run", default="latest", help="Run whose stored model to use: an id or 'latest'.")
        parser.add_argument("--horizon", type=int, default=None, help="Days to forecast (default: the run's).")
        add_scope_arguments(parser)

    def handle(self, *args, **options):
        has_scope = any(options[k] for k in ("location", "product", "category"))
        scope = scope_from_options(options) if has_scope else None
        try:
            run = resolve_run(options["run"])
            if run is None:
                raise CommandError("run: there is no succeeded run yet; train one with `manage.py train_forecast`")
            with TqdmProgress() as progress:
                new = forecast_with_run(run, horizon=options["horizon"], scope=scope, progress=progress)
        except ForecastingError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Run #{new.pk} (model of run #{new.source_run_id}) succeeded: {new.series_count} series, "
            f"{new.forecast_count} forecasts {new.forecast_start} … {new.forecast_end}."
        ))
