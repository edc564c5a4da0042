"""django-q2 entry points of forecasting: thin wrappers that call a service and nothing else.

Schedules (UTC): the daily syncs finish by about 03:00; accuracy is scored at 03:15 on the freshly
synced actuals, then the model is retrained on them and a new forecast written at 03:30, ready for
planning's morning run.
"""

from django_q.models import Schedule

from core.jobs import interruptible
from core.schedules import ScheduleSpec
from forecasting.models import ModelRun
from forecasting.services import train_and_forecast, update_accuracy

NIGHTLY_HORIZON = 28

SCHEDULES: list[ScheduleSpec] = [
    ScheduleSpec(
        name="forecasting-accuracy",
        func="forecasting.tasks.update_forecast_accuracy",
        schedule_type=Schedule.CRON,
        cron="15 3 * * *",
    ),
    ScheduleSpec(
        name="forecasting-nightly",
        func="forecasting.tasks.nightly_train_and_forecast",
        schedule_type=Schedule.CRON,
        cron="30 3 * * *",
        kwargs={"horizon": NIGHTLY_HORIZON},
    ),
]


@interruptible
def nightly_train_and_forecast(horizon: int = NIGHTLY_HORIZON) -> int:
    """Retrain on all history and forecast; returns the run id (a failure is recorded on the run)."""
    return train_and_forecast(horizon=horizon).pk


@interruptible
def run_training(run_id: int) -> int:
    """Execute a run queued from the API or the admin; returns its id."""
    return train_and_forecast(run=ModelRun.objects.get(pk=run_id)).pk


def update_forecast_accuracy() -> int:
    """Score forecasts against newly arrived actuals; returns the rows written."""
    return update_accuracy()
