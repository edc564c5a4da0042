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


def test_metrics_add_up_every_process_in_multiprocess_mode(client, settings, tmp_path, monkeypatch):
    """Two separate processes (as two gunicorn workers) observe requests; one scrape shows their sum."""
    import subprocess
    import sys
    from pathlib import Path

    settings.METRICS_TOKEN = TOKEN
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    observe = ("from core.metrics import REQUEST_LATENCY\n"
               "for _ in range({n}): REQUEST_LATENCY.labels('GET', '/api/v1/sales/', '200').observe(0.02)\n")
    for n in (3, 4):
        subprocess.run([sys.executable, "-c", observe.format(n=n)], cwd=root, env=env, check=True)
    assert len(list(tmp_path.glob("histogram_*.db"))) == 2, "each process writes its own file"

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert 'sf_http_request_duration_seconds_count{method="GET",route="/api/v1/sales/",status="200"} 7.0' in body
    assert 'sf_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/v1/sales/",status="200"} 7.0' \
        in body
    assert "sf_sync_runs_active 0.0" in body and "sf_queue_depth 0.0" in body


def test_gunicorn_config_sets_up_multiprocess_metrics(tmp_path, monkeypatch):
    import os
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    directory = tmp_path / "prom"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "docker" / "gunicorn.conf.py"))
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ or os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(directory)
    # Set for the master before it preloads the app (prometheus_client reads it on import), and already there.
    assert config["raw_env"] == [f"PROMETHEUS_MULTIPROC_DIR={directory}"] and config["preload_app"] is True
    assert directory.is_dir()
    (directory / "counter_12345.db").write_bytes(b"left by a previous master")
    config["on_starting"](None)
    assert directory.is_dir() and not list(directory.iterdir())
    (directory / "gauge_livesum_4242.db").write_bytes(b"")
    (directory / "histogram_4242.db").write_bytes(b"")
    config["child_exit"](None, SimpleNamespace(pid=4242))
    assert [p.name for p in directory.iterdir()] == ["histogram_4242.db"]
