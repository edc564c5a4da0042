"""No Docker engine runs in CI; these checks keep docker/ consistent with the tree."""

import re
import runpy
from pathlib import Path

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


def test_runs_as_non_root_with_gunicorn():
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert "gunicorn" in (ROOT / "docker" / "entrypoint.sh").read_text()
    assert (ROOT / "docker" / "entrypoint.sh").stat().st_mode & 0o111


def test_gunicorn_config_is_valid_and_keeps_connections_longer_than_proxies(monkeypatch):
    from gunicorn.config import Config

    monkeypatch.delenv("GUNICORN_KEEPALIVE", raising=False)
    values = {k: v for k, v in runpy.run_path(str(ROOT / "docker" / "gunicorn.conf.py")).items()
              if not k.startswith("__") and k != "os"}
    config = Config()
    for name, value in values.items():
        config.set(name, value)  # an unknown setting name or a bad value raises
    assert config.worker_class_str == "gthread" and config.threads >= 2
    assert config.keepalive > 60, "nginx reuses upstream connections for 60 s"
    assert "gunicorn.conf.py" in (ROOT / "docker" / "entrypoint.sh").read_text()
