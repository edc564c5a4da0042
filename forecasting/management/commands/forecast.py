"""Forecast from the latest sales with a stored model (no retraining): a new forecast-only ModelRun."""

from django.core.management.base import BaseCommand, CommandError

from forecasting.management.progress import TqdmProgress, add_scope_arguments, scope_from_options
from forecasting.models import ForecastScope
from forecasting.services import ForecastingError, forecast_with_run
from forecasting.services.queries import resolve_run
from forecasting.services.records import succeeded_runs
from forecasting.services.scopes import resolve_scope_unit


class Command(BaseCommand):
    help = "Reuse the model of a training run (--run ID, default latest) to forecast from the newest data."

    def add_arguments(self, parser):
        parser.add_argument("--run", default="latest", help="Run whose stored model to use: an id or 'latest'.")
        parser.add_argument("--horizon", type=int, default=None, help="Days to forecast (default: the run's).")
        add_scope_arguments(parser)
        units = parser.add_mutually_exclusive_group()
        units.add_argument("--scope", dest="forecast_scope", default=None,
                           help="Forecast one configured scope with the model of its forecast of record.")
        units.add_argument("--all-scopes", action="store_true",
                           help="Each active scope, with the model of its own forecast of record.")

    def handle(self, *args, **options):
        has_scope = any(options[k] for k in ("location", "product", "category"))
        if options["forecast_scope"] or options["all_scopes"]:
            if has_scope or options["run"] != "latest":
                raise CommandError("--scope/--all-scopes: the scope's forecast of record decides the model and what "
                                   "is read; drop --run, --location, --product and --category")
            return self._scopes(options)
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

    def _scopes(self, options) -> None:
        try:
            units = ([resolve_scope_unit(options["forecast_scope"], field="--scope")] if options["forecast_scope"]
                     else list(ForecastScope.objects.filter(active=True).order_by("name")))
        except ForecastingError as exc:
            raise CommandError(str(exc)) from None
        failures = []
        for unit in units:
            record = succeeded_runs().filter(forecast_scope=unit).first()
            if record is None:
                failures.append(f"{unit.name}: no succeeded run yet; train it with `train_forecast --scope`")
                continue
            try:
                with TqdmProgress() as progress:
                    new = forecast_with_run(record, horizon=options["horizon"], progress=progress)
            except ForecastingError as exc:
                failures.append(f"{unit.name}: {exc}")
                continue
            self.stdout.write(f"{unit.name}: run #{new.pk} (model of run #{new.source_run_id}) succeeded, "
                              f"{new.forecast_count} forecasts.")
        if failures:
            raise CommandError(f"{len(failures)} of {len(units)} scope(s) failed: " + "; ".join(failures))
