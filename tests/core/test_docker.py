"""No Docker engine runs in CI; these checks keep docker/ consistent with the tree."""

import re
import runpy
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_parses_and_names_the_services():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    services = compose["services"]
    assert {"db", "web", "worker"} <= set(services)
    assert services["db"]["image"].startswith("postgres:16")
    assert "healthcheck" in services["db"]
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["worker"]["command"] == ["worker"]


def test_compose_file_holds_no_secrets():
    text = (ROOT / "docker" / "compose.yml").read_text()
    for variable in ("SECRET_KEY", "CREDENTIALS_KEYS", "POSTGRES_PASSWORD"):
        for line in text.splitlines():
            if re.match(rf"\s*{variable}:", line):
                assert "${" in line, f"{variable} must come from the environment: {line.strip()}"


def test_every_file_the_dockerfile_copies_exists():
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    sources = []
    for line in dockerfile.splitlines():
        if line.strip().startswith("COPY"):
            parts = [p for p in line.split()[1:] if not p.startswith("--")]
            sources.extend(parts[:-1])
    assert sources, "the Dockerfile copies nothing?"
    for source in sources:
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"


def test_the_image_holds_every_installed_app_of_ours_and_the_catalogues(settings):
    """An app in INSTALLED_APPS that the image lacks stops the container at start-up."""
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    copied = {line.split()[1] for line in dockerfile.splitlines() if line.strip().startswith("COPY")}
    ours = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    missing = sorted((ours | {"locale"}) - copied)
    assert not missing, f"the Dockerfile does not copy {missing}"


def test_runs_as_non_root_with_gunicorn():
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert "gunicorn" in (ROOT / "docker" / "entrypoint.sh").read_text()
    assert (ROOT / "docker" / "entrypoint.sh").stat().st_mode & 0o111


def test_gunicorn_config_is_valid_and_keeps_connections_longer_than_proxies(monkeypatch):
    from gunicorn.config import Config

    monkeypatch.delenv("GUNICORN_KEEPALIVE", raising=False)
    values = {k: v for k, v in runpy.run_path(str(ROOT / "docker" / "gunicorn.conf.py")).items()
              if not k.startswith("__") and k not in ("os", "METRICS_DIRECTORY")}
    config = Config()
    for name, value in values.items():
        config.set(name, value)  # an unknown setting name or a bad value raises
    assert config.worker_class_str == "gthread" and config.threads >= 2
    assert config.keepalive > 60, "nginx reuses upstream connections for 60 s"
    assert "gunicorn.conf.py" in (ROOT / "docker" / "entrypoint.sh").read_text()


def test_gunicorn_freezes_the_preloaded_app_before_forking_a_worker():
    import gc

    pre_fork = runpy.run_path(str(ROOT / "docker" / "gunicorn.conf.py"))["pre_fork"]
    try:
        pre_fork(None, None)
        assert gc.get_freeze_count() > 10_000, "the imported app belongs in the permanent generation"
    finally:
        gc.unfreeze()


def test_compose_has_redis_for_broker_and_cache_and_workers_scale():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    services = compose["services"]
    assert services["redis"]["image"].startswith("redis:")
    assert "healthcheck" in services["redis"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
        assert services[name]["environment"]["REDIS_URL"].startswith("${REDIS_URL:-redis://redis:6379/")
    # `--scale worker=N` needs a worker with no fixed container name and no published port.
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]
    assert "noeviction" in services["redis"]["command"], "Redis must never evict queued jobs"


def test_monitoring_profile_scrapes_with_the_token_and_provisions_the_dashboard():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    services = compose["services"]
    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["monitoring"], f"{name} must be optional"
    assert compose["configs"]["metrics_token"] == {"environment": "METRICS_TOKEN"}
    scrape = yaml.safe_load((ROOT / "docker" / "prometheus.yml").read_text())["scrape_configs"][0]
    assert scrape["metrics_path"] == "/metrics" and scrape["static_configs"][0]["targets"] == ["web:8000"]
    assert scrape["authorization"]["credentials_file"] == "/etc/prometheus/metrics_token"
    mounted = {v.split(":")[0] for v in services["grafana"]["volumes"] if v.startswith("./")}
    for path in mounted:
        assert (ROOT / "docker" / path).is_dir(), path
    assert "web" in services["web"]["environment"]["ALLOWED_HOSTS"]


@pytest.mark.django_db
def test_every_metric_on_the_grafana_dashboard_is_exported(client, settings):
    import json

    dashboard = json.loads((ROOT / "docker" / "grafana" / "dashboards" / "salesforecast.json").read_text())
    titles = " ".join(panel["title"].lower() for panel in dashboard["panels"])
    for topic in ("requests", "latency", "sync", "accuracy", "queue"):
        assert topic in titles, topic
    used = {name for panel in dashboard["panels"] for target in panel["targets"]
            for name in re.findall(r"\b(sf_[a-z_]+)", target["expr"])}
    settings.METRICS_TOKEN = "dashboard-test"
    client.get("/health")
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer dashboard-test").content.decode()
    exported = set(re.findall(r"^# TYPE (sf_[a-z_]+)", body, re.M))
    exported |= {f"{name}_{suffix}" for name in exported for suffix in ("count", "bucket", "sum")}
    assert used and used <= exported, f"not exported: {sorted(used - exported)}"
