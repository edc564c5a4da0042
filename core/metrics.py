"""Prometheus metrics at /metrics, protected by a bearer token (METRICS_TOKEN).

Business gauges (sync runs by outcome, age of the last successful sync per account and stream, forecast
accuracy, latest forecast run age) are read from the database at scrape time, so every web worker answers the
same. Request latency is a histogram per process; under gunicorn, docker/gunicorn.conf.py sets
PROMETHEUS_MULTIPROC_DIR (an empty, writable directory) so every worker writes its samples there and /metrics
adds them up (multiprocess mode; the `child_exit` hook retires a dead worker's gauges).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger("salesforecast")

REQUEST_LATENCY = Histogram(
    "sf_http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class LatencyMiddleware:
    """Observes every request under its URL *pattern* (bounded label values), not its raw path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = ("/" + match.route) if match is not None and match.route else "unmatched"
        REQUEST_LATENCY.labels(request.method, route, str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


class DatabaseCollector:
    """Gauges computed from our tables with a few aggregate queries per scrape."""

    def collect(self):
        from forecasting.models import ForecastAccuracyLog, ModelRun
        from integrations.models import SyncRun

        now = timezone.now()
        runs = GaugeMetricFamily("sf_sync_runs", "Sync runs recorded, by account, stream and outcome.",
                                 labels=["account", "stream", "status"])
        for row in SyncRun.objects.values("account__name", "stream", "status").annotate(n=Count("id")):
            runs.add_metric([row["account__name"], row["stream"], row["status"]], row["n"])
        yield runs

        age = GaugeMetricFamily("sf_sync_last_success_age_seconds",
                                "Seconds since the last successful sync, by account and stream.",
                                labels=["account", "stream"])
        last_ok = (SyncRun.objects.filter(status="succeeded").values("account__name", "stream")
                   .annotate(at=Max("finished_at")))
        for row in last_ok:
            if row["at"] is not None:
                age.add_metric([row["account__name"], row["stream"]], (now - row["at"]).total_seconds())
        yield age

        accuracy = GaugeMetricFamily("sf_forecast_wape", "WAPE of forecasts against arrived actuals.",
                                     labels=["window"])
        for days in (7, 28):
            totals = ForecastAccuracyLog.objects.filter(date__gt=now.date() - timedelta(days=days)).aggregate(
                abs_error=Sum("abs_error"), actual=Sum("actual"), n=Count("id"))
            if totals["n"] and totals["actual"]:
                accuracy.add_metric([f"{days}d"], totals["abs_error"] / totals["actual"])
        yield accuracy

        latest = ModelRun.objects.filter(status="succeeded").aggregate(at=Max("finished_at"))["at"]
        run_age = GaugeMetricFamily("sf_forecast_latest_run_age_seconds", "Seconds since the last successful run.")
        if latest is not None:
            run_age.add_metric([], (now - latest).total_seconds())
        yield run_age

        queue = GaugeMetricFamily("sf_queue_depth", "Background jobs waiting in the django-q2 broker.")
        try:
            from django_q.brokers import get_broker

            queue.add_metric([], get_broker().queue_size() or 0)
        except Exception as error:  # an unreachable broker must not break the whole scrape
            logger.warning("metrics: queue depth unavailable", extra={"error": str(error)})
        yield queue

        from webhooks.models import WebhookDelivery

        webhooks = GaugeMetricFamily("sf_webhook_deliveries", "Webhook deliveries recorded, by outcome.",
                                     labels=["status"])
        for row in WebhookDelivery.objects.values("status").annotate(n=Count("id")):
            webhooks.add_metric([row["status"]], row["n"])
        yield webhooks

        active = SyncRun.objects.aggregate(running=Count("id", filter=Q(status__in=["queued", "running"])))
        running = GaugeMetricFamily("sf_sync_runs_active", "Sync runs queued or running now.")
        running.add_metric([], active["running"])
        yield running


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(DatabaseCollector())
    return registry


def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        return JsonResponse({"detail": "Metrics are disabled. Set METRICS_TOKEN to enable /metrics."}, status=404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = JsonResponse({"detail": "A valid metrics token is required (Authorization: Bearer …)."},
                                status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
