"""The dashboard: one call per block of a front end's first page, each read from the owning app's services.

Nothing here computes a rule of its own: sales figures come from `sales.services.analytics` (one currency per
figure, never summed across currencies), forecast accuracy from `forecasting.services.accuracy`, proposals and
production tasks from planning's tables, stock-out risks from the latest monitoring snapshot (the 15-minute
schedule computes them; the dashboard does not rebuild one), QC from the `quality` app when it is installed.
Every function answers on an empty database (zeros, empty lists and nulls).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, Min
from django.utils import timezone

from branches.models import Location
from forecasting.choices import RunStatus
from forecasting.models import ModelRun
from forecasting.services.accuracy import accuracy_summary
from forecasting.services.queries import succeeded_runs
from integrations.choices import SyncStatus
from integrations.models import IntegrationAccount, SyncRun
from monitoring.services.snapshots import freshness, latest_snapshot
from planning.choices import OPEN_PURCHASE_ORDER_STATUSES, OPEN_TASK_STATUSES, ProposalStatus, TaskStatus
from planning.models import OrderProposal, ProductionTask, PurchaseOrder
from sales.models import Customer, DailySale, Order, Product
from sales.services import analytics

RECENT_DAYS = 7
TOP_PRODUCTS = 5


def sales_by_currency(filters: analytics.AnalyticsFilters) -> list[dict[str, Any]]:
    """The headline sales figures of the period, once per currency there is data in (never added together)."""
    return [{"currency": currency, **analytics.totals(filters.with_(currency=currency))}
            for currency in analytics.currencies_present()]


def forecast_accuracy() -> dict[str, Any]:
    """Accuracy of the newest succeeded forecast run that has been scored (WAPE, bias, coverage)."""
    run = succeeded_runs().first()
    scored = accuracy_summary("run", run=run) if run is not None else []
    row = scored[0] if scored else None
    return {
        "run_id": run.pk if run is not None else None,
        "run_finished_at": run.finished_at if run is not None else None,
        "points": row["count"] if row else 0,
        "wape": row["wape"] if row else None,
        "bias": row["bias"] if row else None,
        "coverage": row["coverage"] if row else None,
    }


def proposals_waiting() -> dict[str, Any]:
    waiting = OrderProposal.objects.filter(status=ProposalStatus.PROPOSED)
    figures = waiting.aggregate(count=Count("id"), oldest=Min("created_at"))
    return {"count": figures["count"], "with_quantity": waiting.filter(quantity__gt=0).count(),
            "oldest_created_at": figures["oldest"]}


def tasks_by_status() -> dict[str, int]:
    """Production tasks per status, every status present (0 when none)."""
    counts = dict(ProductionTask.objects.order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in TaskStatus.values}


def qc_pass_rate(date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict[str, Any]:
    """The share of QC inspections passed, from the `quality` app; "not available" while it is not installed.

    The quality app answers through `quality.services.pass_rate(date_from=, date_to=)` returning a mapping with
    `pass_rate` (0..1 or None), `inspections` and `passed`; until it exists the figure is null and says why.
    """
    if not apps.is_installed("quality"):
        return {"available": False, "pass_rate": None, "inspections": None, "passed": None,
                "reason": "Quality control is not installed: no inspection data to rate."}
    try:
        from quality.services import pass_rate  # type: ignore[import-not-found]
    except ImportError:
        return {"available": False, "pass_rate": None, "inspections": None, "passed": None,
                "reason": "The quality app does not offer a pass rate (quality.services.pass_rate)."}
    figures = pass_rate(date_from=date_from, date_to=date_to)
    return {"available": True, "pass_rate": figures.get("pass_rate"), "inspections": figures.get("inspections"),
            "passed": figures.get("passed"), "reason": ""}


def stockout_risks() -> dict[str, Any]:
    """Items at risk of a stock-out within their lead time, as the latest monitoring snapshot found them."""
    snapshot = latest_snapshot()
    section = ((snapshot.payload or {}).get("planning") or {}).get("stockout_risk") if snapshot else None
    return {
        "count": section.get("count") if section else None,
        "items": (section.get("items") or [])[:TOP_PRODUCTS] if section else [],
        "snapshot_slot": snapshot.slot if snapshot else None,
        "snapshot_state": freshness(snapshot)["state"],
    }


def _period(date_from: dt.date | None, date_to: dt.date | None) -> analytics.AnalyticsFilters:
    first, last = analytics.default_period(date_from, date_to)
    return analytics.AnalyticsFilters(date_from=first, date_to=last)


def overview(date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict[str, Any]:
    """Sales, forecast accuracy, proposals waiting, tasks by status, QC pass rate and stock-out risks."""
    filters = _period(date_from, date_to)
    return {
        "generated_at": timezone.now(),
        "period": {"date_from": filters.date_from, "date_to": filters.date_to, "days": filters.days},
        "sales": sales_by_currency(filters),
        "forecast_accuracy": forecast_accuracy(),
        "proposals_waiting": proposals_waiting(),
        "tasks_by_status": tasks_by_status(),
        "qc": qc_pass_rate(filters.date_from, filters.date_to),
        "stockout_risks": stockout_risks(),
    }


def stats() -> dict[str, Any]:
    """How much there is: master data, sales data, data sources and runs, people."""
    day_ago = timezone.now() - dt.timedelta(days=1)
    latest_sale = DailySale.objects.order_by("-date").values_list("date", flat=True).first()
    return {
        "generated_at": timezone.now(),
        "locations": Location.objects.active().count(),
        "products": Product.objects.filter(is_active=True).count(),
        "customers": Customer.objects.count(),
        "orders": Order.objects.count(),
        "daily_sales": DailySale.objects.count(),
        "latest_sales_day": latest_sale,
        "integration_accounts": IntegrationAccount.objects.count(),
        "integration_accounts_enabled": IntegrationAccount.objects.filter(enabled=True).count(),
        "sync_runs_failed_24h": SyncRun.objects.filter(status=SyncStatus.FAILED, finished_at__gte=day_ago).count(),
        "forecast_runs": ModelRun.objects.count(),
        "forecast_runs_succeeded": ModelRun.objects.filter(status=RunStatus.SUCCEEDED).count(),
        "users_active": get_user_model().objects.filter(is_active=True).count(),
    }


def sales_analytics(filters: analytics.AnalyticsFilters) -> dict[str, Any]:
    """The sales block in one currency: summary with the previous period, the daily series, top products."""
    filters = analytics.resolve_currency(filters)
    return {
        **analytics.currency_info(filters),
        "summary": analytics.summary(filters),
        "timeseries": analytics.timeseries(filters, "day"),
        "top_products": analytics.top_products(filters, "revenue", TOP_PRODUCTS),
    }


def production(today: dt.date | None = None) -> dict[str, Any]:
    """The shop floor: tasks by status, overdue, due soon, recently completed, open purchase orders, QC."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=RECENT_DAYS)
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    open_tasks = ProductionTask.objects.filter(status__in=OPEN_TASK_STATUSES)
    return {
        "generated_at": timezone.now(),
        "today": today,
        "tasks_by_status": tasks_by_status(),
        "tasks_overdue": open_tasks.filter(due_date__lt=today).count(),
        "tasks_due_next_7_days": open_tasks.filter(due_date__gte=today, due_date__lte=soon).count(),
        "tasks_completed_last_7_days": ProductionTask.objects.filter(status=TaskStatus.COMPLETED,
                                                                     completed_at__gte=since).count(),
        "purchase_orders_open": PurchaseOrder.objects.filter(status__in=OPEN_PURCHASE_ORDER_STATUSES).count(),
        "qc": qc_pass_rate(today - dt.timedelta(days=30), today),
    }
