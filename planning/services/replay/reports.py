"""What a planner reads of a replay: the trade-off chart, one item's stock-and-demand chart, an XLSX workbook.

Charts are drawn with matplotlib's Agg backend (no display, no pyplot state), as the forecast chart is.
"""

from __future__ import annotations

import io
from datetime import timedelta

from planning.models import ReplayItem, ReplayRun

COLOURS = {"model": "#d9531e", "seasonal_naive": "#1f4e79", "min_max": "#2e7d32", "actual": "#111111",
           "demand": "#bdbdbd"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORECAST_NAMES = {"model": "Policy, model forecast", "seasonal_naive": "Policy, seasonal-naive forecast"}


def _figure(width: float, height: float, dpi: int):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def tradeoff_png(run: ReplayRun, *, width: float = 9.0, height: float = 5.0, dpi: int = 110) -> bytes:
    """Average stock value against fill rate: one point per contender, a line through each service-level sweep."""
    fig = _figure(width, height, dpi)
    ax = fig.add_subplot()
    ax.set_title(f"Replay #{run.pk}: stock held vs fill rate, {run.date_from} … {run.date_to}", loc="left",
                 fontsize=12, fontweight="bold")
    points = [c for c in run.contenders if c.get("fill_rate") is not None]
    if not points:
        ax.text(0.5, 0.5, "Nothing to compare yet (no series in the scope, or the replay has not finished)",
                ha="center", va="center", transform=ax.transAxes, color="#7f7f7f")
        ax.set_axis_off()
        return _png(fig)
    for forecast, name in FORECAST_NAMES.items():
        sweep = sorted((c for c in points if c["rule"] == "policy" and c["forecast"] == forecast),
                       key=lambda c: float(c["service_level"]))
        if sweep:
            ax.plot([c["avg_stock_value"] for c in sweep], [c["fill_rate"] * 100 for c in sweep], marker="o",
                    color=COLOURS[forecast], label=name)
            for c in sweep:
                ax.annotate(f"{float(c['service_level']) * 100:.0f} %", (c["avg_stock_value"], c["fill_rate"] * 100),
                            textcoords="offset points", xytext=(5, -10), fontsize=8, color=COLOURS[forecast])
    for c in points:
        if c["rule"] == "min_max":
            ax.plot([c["avg_stock_value"]], [c["fill_rate"] * 100], marker="s", linestyle="none", markersize=8,
                    color=COLOURS["min_max"], label="Min–max rule")
    actual = next((c for c in run.contenders if c["rule"] == "actual"), None)
    if actual is not None:
        ax.axvline(actual["avg_stock_value"], color=COLOURS["actual"], linestyle="--", linewidth=1,
                   label="Stock actually held (fill rate not recorded)")
    ax.set_xlabel("Average stock value held")
    ax.set_ylabel("Fill rate, % of demand served")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    return _png(fig)


def trajectory_png(item: ReplayItem, *, width: float = 10.0, height: float = 4.8, dpi: int = 110) -> bytes:
    """One item: daily demand as bars and the end-of-day stock each kept contender would have held."""
    from matplotlib import dates as mdates

    run = item.run
    days = [run.date_from + timedelta(days=k) for k in range(len(item.demand))]
    fig = _figure(width, height, dpi)
    ax = fig.add_subplot()
    ax.set_title(f"{item.product.sku} {item.product.name}  ·  {item.location.code} {item.location.name}", loc="left",
                 fontsize=12, fontweight="bold")
    if not days:
        ax.text(0.5, 0.5, "No days in this replay", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _png(fig)
    ax.bar(days, item.demand, color=COLOURS["demand"], width=0.9, label="Demand (actual)")
    labels = {c["key"]: c["label"] for c in run.contenders}
    for key, stock in item.trajectories.items():
        colour = COLOURS.get(key.split("@")[0], "#7f7f7f")
        ax.step(days, stock, where="post", color=colour, linewidth=1.4, label=f"Stock: {labels.get(key, key)}")
    ax.set_ylabel(item.product.unit or "units")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return _png(fig)


def export_xlsx(run: ReplayRun) -> bytes:
    """Two sheets: contenders side by side, then every series × contender with its figures."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Contenders"
    columns = ["label", "fill_rate", "stockout_days", "units_short", "lost_sales_value", "avg_stock_units",
               "avg_stock_value", "peak_stock_units", "peak_stock_value", "orders", "units_ordered"]
    sheet.append(["Contender", "Fill rate", "Stock-out days", "Units short", "Lost sales value", "Avg stock (units)",
                  "Avg stock value", "Peak stock (units)", "Peak stock value", "Orders", "Units ordered"])
    for c in run.contenders:
        sheet.append([c.get(col) for col in columns])
    sheet.append([])
    for note in run.notes:
        sheet.append([note])
    items = book.create_sheet("Items")
    keys = [c["key"] for c in run.contenders]
    labels = {c["key"]: c["label"] for c in run.contenders}
    items.append(["Location", "Product", "SKU", "Contender", "Demand", "Fill rate", "Stock-out days", "Units short",
                  "Avg stock", "Peak stock", "Orders", "Units ordered", "Unit value"])
    for item in run.items.select_related("location", "product").order_by("location__code", "product__sku"):
        for key in keys:
            figures = item.outcomes.get(key)
            if figures is None:
                continue
            items.append([
                _safe(item.location.code), _safe(item.product.name), _safe(item.product.sku), labels[key],
                item.demand_total, figures["fill_rate"], figures["stockout_days"], figures["units_short"],
                figures["avg_stock"], figures["peak_stock"], figures["orders"], figures["units_ordered"],
                None if item.unit_value is None else float(item.unit_value),
            ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(text: str) -> str:
    """No formula injection, no control characters (openpyxl refuses them)."""
    cleaned = "".join(ch for ch in str(text) if ch >= " " or ch in "\t\n")
    return "'" + cleaned if cleaned[:1] in ("=", "+", "-", "@") else cleaned
