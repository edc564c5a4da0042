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
from forecasting.services.fanout import run_member, start_batch
from forecasting.services.retention import prune_forecast_runs

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
    ScheduleSpec(
        name="forecasting-retention",
        func="forecasting.tasks.prune_old_forecast_runs",
        schedule_type=Schedule.CRON,
        cron="45 4 * * *",
    ),
]


def nightly_train_and_forecast(horizon: int = NIGHTLY_HORIZON) -> int:
    """Fan the nightly retrain-and-forecast out over the active forecast scopes (one task per scope in one
    django-q2 group); returns the batch id. Each scope's failure is recorded on its run and the batch."""
    return start_batch(horizon=horizon, trigger="schedule").pk


@interruptible
def run_batch_member(run_id: int) -> int:
    """One scope of a nightly batch: train, forecast, roll up into the batch; returns the run id."""
    return run_member(run_id)


@interruptible
def run_training(run_id: int) -> int:
    """Execute a run queued from the API or the admin; returns its id."""
    return train_and_forecast(run=ModelRun.objects.get(pk=run_id)).pk


def update_forecast_accuracy() -> int:
    """Score forecasts against newly arrived actuals; returns the rows written."""
    return update_accuracy()


def prune_old_forecast_runs() -> str:
    """Delete runs older than FORECAST_RUN_RETENTION_DAYS, keeping each scope's forecast of record."""
    return str(prune_forecast_runs())
