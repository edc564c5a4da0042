import pytest
from django.utils import timezone

from integrations.models import IntegrationAccount, SyncRun

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests"


def test_metrics_are_disabled_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics")
    assert response.status_code == 404 and "METRICS_TOKEN" in response.json()["detail"]


def test_metrics_need_the_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_metrics_expose_latency_sync_outcomes_and_ages(client, settings, client_for):
    settings.METRICS_TOKEN = TOKEN
    account = IntegrationAccount.objects.create(kind="onec", name="1C main", base_url="https://1c.example.com")
    now = timezone.now()
    SyncRun.objects.create(account=account, stream="org", status="succeeded", started_at=now, finished_at=now)
    SyncRun.objects.create(account=account, stream="org", status="failed", started_at=now, finished_at=now)
    client_for("viewer").get("/api/v1/auth/me/")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'sf_sync_runs{account="1C main",status="succeeded",stream="org"} 1.0' in body
    assert 'sf_sync_runs{account="1C main",status="failed",stream="org"} 1.0' in body
    assert 'sf_sync_last_success_age_seconds{account="1C main",stream="org"}' in body
    assert 'sf_http_request_duration_seconds_count{method="GET",route="/api/v1/auth/me/",status="200"}' in body
    assert "sf_sync_runs_active 0.0" in body
    # Secrets never appear.
    assert TOKEN not in body


def test_metrics_on_an_empty_database(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert "sf_sync_runs_active 0.0" in response.content.decode()
