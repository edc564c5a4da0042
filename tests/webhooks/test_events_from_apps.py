"""The emitting apps' real code paths produce their events: sync failed and recovered, forecast run finished,
proposals ready (alerts: tests/monitoring/test_alert_webhooks.py)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from forecasting.services import ForecastingError
from forecasting.services.runs import train_and_forecast
from integrations.models import IntegrationAccount, SyncRun
from planning.services.proposals import propose_orders
from tests.webhooks.conftest import SECRET
from webhooks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    services.create_endpoint(name="receiver", url=httpserver.url_for("/hook"), secret=SECRET)

    def received() -> list[dict]:
        return [json.loads(request.get_data()) for request, _ in httpserver.log]

    return received


def _finish(run: SyncRun, status: str, at) -> None:
    run.status, run.finished_at, run.error = status, at, "HTTP 401 from 1C" if status == "failed" else ""
    run.save()


def test_a_failure_streak_sends_sync_failed_once_and_sync_recovered_at_its_end(
        receiver, django_capture_on_commit_callbacks):
    account = IntegrationAccount.objects.create(kind="onec", name="1C main", base_url="https://1c.example.com")
    start = timezone.now() - timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        for minutes, status in ((0, "failed"), (10, "failed"), (20, "succeeded"), (30, "succeeded")):
            run = SyncRun.objects.create(account=account, stream="org", status="running", started_at=start)
            _finish(run, status, start + timedelta(minutes=minutes))
    events = receiver()
    assert [e["event"] for e in events] == ["sync.failed", "sync.recovered"]
    failed, recovered = (e["data"] for e in events)
    assert failed["account"] == {"id": account.pk, "name": "1C main", "kind": "onec"}
    assert failed["stream"] == "org" and failed["error"] == "HTTP 401 from 1C"
    assert f"/admin/integrations/syncrun/{failed['run_id']}/" in failed["url"]
    assert recovered["status"] == "succeeded" and recovered["failed_runs_before"] == 2


def test_a_failed_forecast_run_reports_that_it_finished(receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ForecastingError):
        train_and_forecast(horizon=7)  # no sales history at all
    [event] = receiver()
    assert event["event"] == "forecast.run_finished"
    assert event["data"]["status"] == "failed" and event["data"]["error"] and event["data"]["horizon"] == 7


def test_a_proposal_run_reports_proposals_ready(receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        summary = propose_orders()
    [event] = receiver()
    assert event["event"] == "proposals.ready"
    assert event["data"]["proposal_run_id"] == summary.proposal_run_id
    assert event["data"]["warnings"] and "no succeeded forecast run" in event["data"]["warnings"][0]
