"""Domain services of forecasting: every state change and computation a user can trigger.

Entry points (the demo command, the nightly schedule, the API and the admin call these):

* :func:`train_and_forecast` — train, optionally backtest, forecast; returns the ModelRun
* :func:`forecast_with_run` — reuse a stored model on newer data (a new forecast-only run)
* :func:`queue_training_run` / :func:`retrain` — validated request handed to the worker
* :func:`run_backtest` — rolling-origin backtest report (nothing stored)
* :func:`update_accuracy` / :func:`accuracy_summary` — forecast vs actual
* :func:`export_forecasts`, :func:`chart_data`, :func:`render_chart_png`
"""

from forecasting.services.accuracy import accuracy_summary, update_accuracy
from forecasting.services.charts import chart_data, render_chart_png
from forecasting.services.errors import (
    ForecastingError,
    InvalidParameter,
    ModelUnavailable,
    NoHistory,
    RunInProgress,
)
from forecasting.services.export import export_forecasts
from forecasting.services.history import load_history
from forecasting.services.runs import (
    forecast_with_run,
    mark_stale_runs,
    queue_training_run,
    retrain,
    run_backtest,
    train_and_forecast,
)
from forecasting.services.scope import ForecastScope, resolve_scope

__all__ = [
    "ForecastScope",
    "ForecastingError",
    "InvalidParameter",
    "ModelUnavailable",
    "NoHistory",
    "RunInProgress",
    "accuracy_summary",
    "chart_data",
    "export_forecasts",
    "forecast_with_run",
    "load_history",
    "mark_stale_runs",
    "queue_training_run",
    "render_chart_png",
    "resolve_scope",
    "retrain",
    "run_backtest",
    "train_and_forecast",
    "update_accuracy",
]
