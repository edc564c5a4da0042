"""Train the forecasting model on all history in scope and write a fresh forecast (a new ModelRun)."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from forecasting.management.progress import (
    TqdmProgress,
    add_parameter_argument,
    add_scope_arguments,
    parameters_from_options,
    scope_from_options,
)
from forecasting.services import ForecastingError, train_and_forecast
from forecasting.services.fanout import start_batch
from forecasting.services.scopes import resolve_scope_unit


class Command(BaseCommand):
    help = "Train LightGBM on the sales history, optionally backtest it, and forecast the next --horizon days."

    def add_arguments(self, parser):
        parser.add_argument("--horizon", type=int, default=28, help="Days (periods) to forecast. Default 28.")
        parser.add_argument("--backtest-folds", type=int, default=0,
                            help="Also backtest on this many rolling origins and store the metrics on the run.")
        add_scope_arguments(parser)
        add_parameter_argument(parser)
        units = parser.add_mutually_exclusive_group()
        units.add_argument("--scope", dest="forecast_scope", default=None,
                           help="Train and forecast one configured forecast scope (its name or id).")
        units.add_argument("--all-scopes", action="store_true",
                           help="What the nightly schedule does: every active forecast scope (or everything when "
                                "none is configured), each its own run, rolled up into one batch.")
        parser.add_argument("--queue", action="store_true",
                            help="With --all-scopes: queue the scopes for the workers (one django-q2 group) "
                                 "instead of running them here one after the other.")

    def handle(self, *args, **options):
        if options["all_scopes"]:
            return self._all_scopes(options)
        if options["queue"]:
            raise CommandError("--queue: only with --all-scopes")
        scope = scope_from_options(options)
        try:
            unit = resolve_scope_unit(options["forecast_scope"], field="--scope")
        except ForecastingError as exc:
            raise CommandError(str(exc)) from None
        if unit is not None and not scope.is_everything:
            raise CommandError("--scope: a forecast scope decides what is read; drop --location/--product/--category")
        try:
            with TqdmProgress() as progress:
                run = train_and_forecast(
                    horizon=options["horizon"], scope=None if unit else scope, backtest_folds=options["backtest_folds"],
                    parameters=parameters_from_options(options), progress=progress, forecast_scope=unit,
                )
        except ForecastingError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Run #{run.pk} succeeded: {run.series_count} series, {run.forecast_count} forecasts "
            f"{run.forecast_start} … {run.forecast_end} (data {run.data_start} … {run.data_end})."
        ))
        lightgbm = (run.metrics.get("models") or {}).get("lightgbm")
        if lightgbm:
            self.stdout.write(f"Backtest ({run.backtest_folds} folds): " + ", ".join(
                f"{k} {v}" for k, v in lightgbm.items() if v is not None
            ))

    def _all_scopes(self, options) -> None:
        if any(options[k] for k in ("location", "product", "category", "forecast_scope")):
            raise CommandError("--all-scopes: the configured scopes decide what is read; drop the other filters")
        try:
            batch = start_batch(horizon=options["horizon"], parameters=parameters_from_options(options),
                                trigger="command", inline=not options["queue"])
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        for name, result in sorted(batch.outcome.items()):
            run = f"run #{result['run']}" if result.get("run") else "no run"
            line = f"  {name}: {run} {result['status']}"
            self.stdout.write(line + (f" — {result['error'].splitlines()[0]}" if result.get("error") else ""))
        if options["queue"]:
            self.stdout.write(self.style.SUCCESS(f"Batch #{batch.pk}: {batch.scopes_total} scope(s) queued."))
            return
        if batch.status != "succeeded":
            raise CommandError(f"Batch #{batch.pk} {batch.status}: {batch.error}")
        self.stdout.write(self.style.SUCCESS(f"Batch #{batch.pk} succeeded: {batch.scopes_total} scope(s)."))
