"""Rolling-origin backtest of the forecasting model against the baselines (nothing is stored)."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from forecasting.management.progress import (
    TqdmProgress,
    add_parameter_argument,
    add_scope_arguments,
    parameters_from_options,
    scope_from_options,
)
from forecasting.services import ForecastingError, run_backtest
from forecasting.services.runs import BACKTEST_MODELS

METRICS = ("wape", "rmsse", "mae", "rmse", "bias", "coverage_80")
ALL_MODELS = ("lightgbm", "seasonal_naive", "moving_average", "zero")


class Command(BaseCommand):
    help = "Backtest LightGBM vs seasonal naive and moving average on K rolling origins of --horizon days."

    def add_arguments(self, parser):
        parser.add_argument("--horizon", type=int, default=28, help="Days (periods) per fold. Default 28.")
        parser.add_argument("--folds", type=int, default=3, help="Rolling origins. Default 3.")
        parser.add_argument("--models", default=",".join(BACKTEST_MODELS),
                            help=f"Comma-separated models out of {', '.join(ALL_MODELS)}.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
        add_scope_arguments(parser)
        add_parameter_argument(parser)

    def handle(self, *args, **options):
        models = tuple(m.strip() for m in options["models"].split(",") if m.strip())
        unknown = [m for m in models if m not in ALL_MODELS]
        if unknown or not models:
            raise CommandError(f"--models: unknown model(s) {unknown}; choose from {', '.join(ALL_MODELS)}")
        scope = scope_from_options(options)
        started = time.perf_counter()
        try:
            with TqdmProgress() as progress:
                report = run_backtest(
                    options["horizon"], options["folds"], scope, progress=progress,
                    parameters=parameters_from_options(options), models=models,
                )
        except ForecastingError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            shaped = {
                "horizon": report["horizon"],
                "folds": report["folds"],
                "series": report["series"],
                "models": {name: {k: m.get(k) for k in METRICS} for name, m in report["models"].items()},
                "seconds": {k: report["seconds"].get(k) for k in ("features", "train", "predict")},
            }
            self.stdout.write(json.dumps(shaped))
            return
        self.stdout.write(
            f"Backtest: {report['series']} series, {report['folds']} folds × {report['horizon']} periods "
            f"({report['freq']}), data {report['data']['start']} … {report['data']['end']}, "
            f"{time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(f"{'model':<16}" + "".join(f"{k:>12}" for k in METRICS))
        for name, metrics in report["models"].items():
            self.stdout.write(f"{name:<16}" + "".join(_cell(metrics.get(k)) for k in METRICS))
        for fold in report.get("per_fold", []):
            self.stdout.write(f"fold {fold['fold']} from {fold['origin']}: " + ", ".join(
                f"{name} wape {_cell(m.get('wape')).strip()}" for name, m in fold["models"].items()
            ))


def _cell(value) -> str:
    return f"{value:>12.4f}" if isinstance(value, (int, float)) else f"{'—':>12}"
