"""Train the forecasting model on all history in scope and write a fresh forecast (a new ModelRun)."""

from django.core.management.base import BaseCommand, CommandError

from forecasting.management.progress import (
    TqdmProgress,
    add_parameter_argument,
    add_scope_arguments,
    parameters_from_options,
    scope_from_options,
)
from forecasting.services import ForecastingError, train_and_forecast


class Command(BaseCommand):
    help = "Train LightGBM on the sales history, optionally backtest it, and forecast the next --horizon days."

    def add_arguments(self, parser):
        parser.add_argument("--horizon", type=int, default=28, help="Days (periods) to forecast. Default 28.")
        parser.add_argument("--backtest-folds", type=int, default=0,
                            help="Also backtest on this many rolling origins and store the metrics on the run.")
        add_scope_arguments(parser)
        add_parameter_argument(parser)

    def handle(self, *args, **options):
        scope = scope_from_options(options)
        try:
            with TqdmProgress() as progress:
                run = train_and_forecast(
                    horizon=options["horizon"], scope=scope, backtest_folds=options["backtest_folds"],
                    parameters=parameters_from_options(options), progress=progress,
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
