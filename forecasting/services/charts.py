"""A chart a planner can read: recent sales, the forecast with its p10–p90 band, and actuals as they arrive.

The same data is served as JSON (for a front end) and drawn as a PNG (for the admin and e-mails) with
matplotlib's Agg backend: no display, no pyplot global state, safe in a web worker.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import FloatField, Max
from django.db.models.functions import Cast
from django.utils.translation import gettext

from branches.models import Location
from forecasting.choices import MissingDayPolicy
from forecasting.models import Forecast, ModelRun, SeriesMethod
from forecasting.services.errors import InvalidParameter
from forecasting.services.policies import missing_day_policies
from forecasting.services.queries import resolve_run
from forecasting.services.records import forecast_of_record_for
from sales.models import DailySale, Product

DEFAULT_HISTORY_DAYS = 84
MAX_HISTORY_DAYS = 3 * 366

# words on the chart for the engine's per-series method and reason (forecasting.engine.guards)
METHOD_WORDS = {
    "lightgbm": "model forecast", "seasonal_mean": "same-weekday average", "seasonal_naive": "same day last week",
    "moving_average": "recent average", "cold_start": "new series: own level", "zero": "forecast 0",
}
REASON_WORDS = {
    "dormant": "no sales for weeks", "no_sales": "never sold", "short_history": "less than 8 weeks of history",
    "backtest_worse": "model was worse in the backtest", "outside_band": "model left the plausible range",
}
COLOURS = {"history": "#1f4e79", "forecast": "#d9531e", "band": "#f4a582", "actual": "#111111", "origin": "#7f7f7f"}


def _get(model, pk: object, field: str):
    try:
        obj = model.objects.filter(pk=int(str(pk))).first()
    except (TypeError, ValueError):
        raise InvalidParameter(gettext("%(field)s: expected a %(field)s id, got %(pk)r") % {
                                   "field": field,
                                   "pk": pk,
                               }, field=field) from None
    if obj is None:
        raise InvalidParameter(gettext("%(field)s: no %(verbose_name)s with id %(pk)s") % {
                                   "field": field,
                                   "verbose_name": model._meta.verbose_name,
                                   "pk": pk,
                               }, field=field)
    return obj


def _daily(rows: dict[dt.date, float], start: dt.date, end: dt.date, fill_zero: bool) -> list[dict]:
    """One point per day from start to end; a day without a row is 0 (zero policy) or None (unknown)."""
    out = []
    day = start
    while day <= end:
        value = rows.get(day)
        out.append({"date": day.isoformat(), "actual": value if value is not None else (0.0 if fill_zero else None)})
        day += dt.timedelta(days=1)
    return out


def chart_data(
    *,
    location: int | Location,
    product: int | Product,
    run: int | str | ModelRun | None = None,
    history_days: int | None = None,
) -> dict:
    """Series for one location × product: ``history``, ``forecast`` (yhat, p10, p50, p90), ``actuals``.

    Without ``run``, the pair's forecast of record (its covering scope's newest succeeded run). ``actuals``
    are the sales of the forecast days that have arrived (through the location's last loaded sales day).
    """
    location = location if isinstance(location, Location) else _get(Location, location, "location")
    product = product if isinstance(product, Product) else _get(Product, product, "product")
    days_back = DEFAULT_HISTORY_DAYS if history_days is None else int(history_days)
    if not 1 <= days_back <= MAX_HISTORY_DAYS:
        raise InvalidParameter(gettext("history_days: must be between 1 and %(MAX_HISTORY_DAYS)s") % {
                                   "MAX_HISTORY_DAYS": MAX_HISTORY_DAYS,
                               }, field="history_days")
    pair = Forecast.objects.filter(location=location, product=product)
    if isinstance(run, ModelRun):
        run_obj = run
    elif run is None or run == "":
        run_obj = forecast_of_record_for(location.pk, product.pk)
    else:
        run_obj = resolve_run(run)
    forecasts = (
        list(pair.filter(run=run_obj).order_by("date").values_list("date", "yhat", "p10", "p50", "p90"))
        if run_obj
        else []
    )
    chosen = (
        SeriesMethod.objects.filter(run=run_obj, location=location, product=product).values("method", "reason").first()
        if run_obj
        else None
    )
    sales = DailySale.objects.filter(location=location, product=product)
    last_sale = sales.aggregate(last=Max("date"))["last"]
    origin = forecasts[0][0] if forecasts else (last_sale + dt.timedelta(days=1) if last_sale else None)
    policy = missing_day_policies([location.pk]).get(location.pk)
    daily = run_obj is None or (run_obj.frequency or "D").upper() == "D"
    fill_zero = daily and policy == MissingDayPolicy.ZERO

    history: list[dict] = []
    actuals: list[dict] = []
    if origin is not None:
        end = forecasts[-1][0] if forecasts else origin - dt.timedelta(days=1)
        rows = dict(
            sales.filter(date__gte=origin - dt.timedelta(days=days_back), date__lte=end)
            .annotate(_qty=Cast("quantity", FloatField()))
            .values_list("date", "_qty")
        )
        before = {d: q for d, q in rows.items() if d < origin}
        if before:
            first = min(before)
            if daily:
                history = _daily(before, first, origin - dt.timedelta(days=1), fill_zero)
            else:
                history = [{"date": d.isoformat(), "actual": q} for d, q in sorted(before.items())]
        through = DailySale.objects.filter(location=location).aggregate(last=Max("date"))["last"]
        if forecasts and through is not None and through >= origin:
            arrived_end = min(through, end)
            after = {d: q for d, q in rows.items() if origin <= d <= arrived_end}
            if daily:
                actuals = _daily(after, origin, arrived_end, fill_zero)
            else:
                forecast_days = {f[0] for f in forecasts}
                actuals = [{"date": d.isoformat(), "actual": q} for d, q in sorted(after.items()) if d in forecast_days]
    return {
        "location": {"id": location.pk, "code": location.code, "name": location.name},
        "product": {"id": product.pk, "sku": product.sku, "name": product.name, "unit": product.unit},
        "run": None
        if run_obj is None
        else {
            "id": run_obj.pk,
            "status": run_obj.status,
            "frequency": run_obj.frequency,
            "finished_at": run_obj.finished_at.isoformat() if run_obj.finished_at else None,
            "method": chosen["method"] if chosen else "",
            "reason": chosen["reason"] if chosen else "",
        },
        "missing_day_policy": policy,
        "history": history,
        "forecast": [
            {"date": d.isoformat(), "yhat": round(y, 4), "p10": round(lo, 4), "p50": round(mid, 4), "p90": round(hi, 4)}
            for d, y, lo, mid, hi in forecasts
        ],
        "actuals": actuals,
    }


def render_chart_png(data: dict, *, width: float = 10.0, height: float = 4.8, dpi: int = 110) -> bytes:
    """Draw :func:`chart_data` output as a PNG a person can read at a glance."""
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def points(series: list[dict], key: str) -> tuple[list[dt.date], list[float]]:
        xs, ys = [], []
        for p in series:
            xs.append(dt.date.fromisoformat(p["date"]))
            ys.append(float("nan") if p[key] is None else p[key])
        return xs, ys

    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    loc, prod = data["location"], data["product"]
    title = f"{prod['sku']} {prod['name']}  ·  {loc['code']} {loc['name']}".strip()
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    history, forecast, actuals = data["history"], data["forecast"], data["actuals"]
    if not (history or forecast):
        ax.text(0.5, 0.5, "No sales or forecasts for this location × product yet", ha="center", va="center",
                transform=ax.transAxes, fontsize=12, color=COLOURS["origin"])
        ax.set_axis_off()
    else:
        if history:
            x, y = points(history, "actual")
            ax.plot(x, y, color=COLOURS["history"], linewidth=1.4, label="Sales (history)")
        if forecast:
            x, _ = points(forecast, "yhat")
            lo = [p["p10"] for p in forecast]
            hi = [p["p90"] for p in forecast]
            ax.fill_between(x, lo, hi, color=COLOURS["band"], alpha=0.45, linewidth=0, label="80 % range (p10–p90)")
            ax.plot(x, [p["yhat"] for p in forecast], color=COLOURS["forecast"], linewidth=2.2, label="Forecast")
            ax.axvline(x[0], color=COLOURS["origin"], linestyle="--", linewidth=1)
            ax.annotate(f" forecast from {x[0].isoformat()}", xy=(x[0], 1), xycoords=("data", "axes fraction"),
                        va="top", ha="left", fontsize=9, color=COLOURS["origin"])
        if actuals:
            x, y = points(actuals, "actual")
            ax.plot(x, y, color=COLOURS["actual"], linewidth=1, marker="o", markersize=3.5,
                    label="Actual sales (arrived)")
        locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(locator, offset_formats=["", "%Y", "%Y", "%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M"])
        )
        ax.set_ylim(bottom=0)
        run = data.get("run")
        per = "day" if not run or (run.get("frequency") or "D").upper() == "D" else "period"
        ax.set_ylabel(f"units per {per} ({prod.get('unit') or 'pcs'})")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", fontsize=9, frameon=False, ncols=4, bbox_to_anchor=(0, -0.08))
        if run:
            how = METHOD_WORDS.get(run.get("method") or "", run.get("method") or "")
            why = REASON_WORDS.get(run.get("reason") or "", run.get("reason") or "")
            label = f"run #{run['id']}" + (f" · {how}" if how else "") + (f" ({why})" if why else "")
            ax.text(1, 1.01, label, transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
                    color=COLOURS["origin"])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
