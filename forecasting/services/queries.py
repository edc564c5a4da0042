"""Read-side helpers shared by the API, the admin, exports and charts: which run is "the latest"."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from forecasting.choices import RunStatus
from forecasting.models import Forecast, ModelRun
from forecasting.services.errors import InvalidParameter

LATEST = "latest"
RUN_CHUNK = 20


def succeeded_runs() -> QuerySet:
    """Succeeded runs with forecasts, newest first (by finish time: the freshest forecast wins)."""
    return ModelRun.objects.filter(status=RunStatus.SUCCEEDED, forecast_count__gt=0).order_by(
        "-finished_at", "-pk"
    )


def latest_run_id(forecasts: QuerySet | None = None) -> int | None:
    """The newest succeeded run that has forecasts among ``forecasts`` (all forecasts when None).

    A scoped run (one store, say) is the latest only for what it covers: asking for another store's
    forecasts falls back to the newest run that forecast that store. Each check is an index probe.
    """
    runs = succeeded_runs().values_list("pk", flat=True)
    if forecasts is None:
        return runs.first()
    # Slices, not .iterator(): on PostgreSQL an iterator outside a transaction is a WITH HOLD server-side cursor
    # (DECLARE, FETCH, CLOSE and a materialised result) on every forecasts page; the newest run usually answers.
    start = 0
    while True:
        chunk = list(runs[start : start + RUN_CHUNK])
        for pk in chunk:
            if forecasts.filter(run_id=pk).exists():
                return pk
        if len(chunk) < RUN_CHUNK:
            return None
        start += RUN_CHUNK


def resolve_run(value: object, *, field: str = "run") -> ModelRun | None:
    """A run id or ``latest`` → the run (None for ``latest`` when there is none); 400-able errors."""
    if value is None or value == "" or str(value).lower() == LATEST:
        pk = latest_run_id()
        return ModelRun.objects.get(pk=pk) if pk else None
    try:
        pk = int(str(value))
    except ValueError:
        raise InvalidParameter(gettext("%(field)s: expected a run id or 'latest', got %(value)r") % {
                                   "field": field,
                                   "value": value,
                               }, field=field) from None
    run = ModelRun.objects.filter(pk=pk).first()
    if run is None:
        raise InvalidParameter(gettext("%(field)s: no forecast run with id %(pk)s") % {"field": field, "pk": pk},
                               field=field)
    return run


def forecasts_of(run: ModelRun | int | None) -> QuerySet:
    """Forecast rows of one run (none when there is no run)."""
    if run is None:
        return Forecast.objects.none()
    return Forecast.objects.filter(run_id=getattr(run, "pk", run))
