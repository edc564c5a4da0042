"""Settings parsing, checked in fresh interpreters so each environment is read from scratch."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'debug': settings.DEBUG, 'db': settings.DATABASES['default']['ENGINE'], "
    "'db_name': str(settings.DATABASES['default']['NAME']), 'hosts': settings.ALLOWED_HOSTS, "
    "'cors': settings.CORS_ALLOWED_ORIGINS, 'cors_all': getattr(settings, 'CORS_ALLOW_ALL_ORIGINS', False), "
    "'q': {k: v for k, v in settings.Q_CLUSTER.items() if k in ('orm', 'redis')}, 'tz': settings.TIME_ZONE, "
    "'email': settings.EMAIL_BACKEND, 'admins': settings.ADMINS}))"
)
# Variables a developer's shell may carry that would change what these tests see.
_CLEARED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "CORS_ALLOWED_ORIGINS", "TIME_ZONE",
            "EMAIL_BACKEND", "ADMINS", "SECURE_SSL_REDIRECT")


def run_probe(code: str = PROBE, **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "salesforecast.settings", "ENV_FILE": "/nonexistent/.env", **env_vars})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def probe(**env_vars: str) -> dict:
    result = run_probe(**env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PROD = {"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "forecast.example.com"}


def test_defaults_are_sqlite_in_project_dir_orm_broker_and_debug_off():
    values = probe(**PROD)
    assert values["debug"] is False
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["db_name"] == str(ROOT / "db.sqlite3")
    assert values["q"] == {"orm": "default"}
    assert values["tz"] == "UTC"
    assert values["email"].endswith("smtp.EmailBackend")


def test_missing_secret_key_fails_early_naming_the_variable_unless_debug():
    result = run_probe(ALLOWED_HOSTS="x.example.com")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr
    assert probe(DEBUG="true")["debug"] is True


def test_missing_allowed_hosts_fails_in_production():
    result = run_probe(SECRET_KEY="k" * 60)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_database_url_redis_url_time_zone_and_admins_are_read():
    values = probe(
        **PROD,
        DATABASE_URL="postgres://u:p@db.internal:5432/forecast",
        REDIS_URL="redis://cache:6379/0",
        TIME_ZONE="Europe/Moscow",
        ADMINS="Ops Team <ops@example.com>,dev@example.com",
    )
    assert values["db"] == "django.db.backends.postgresql"
    assert values["db_name"] == "forecast"
    assert values["q"] == {"redis": "redis://cache:6379/0"}
    assert values["tz"] == "Europe/Moscow"
    assert values["admins"] == [["Ops Team", "ops@example.com"], ["dev@example.com", "dev@example.com"]]


def test_cors_wildcard_only_in_debug():
    result = run_probe(**PROD, CORS_ALLOWED_ORIGINS="*")
    assert result.returncode != 0 and "CORS_ALLOWED_ORIGINS" in result.stderr
    values = probe(DEBUG="true", CORS_ALLOWED_ORIGINS="*")
    assert values["cors_all"] is True
    values = probe(**PROD, CORS_ALLOWED_ORIGINS="https://app.example.com,https://bi.example.com")
    assert values["cors"] == ["https://app.example.com", "https://bi.example.com"]
    assert values["cors_all"] is False


def test_empty_values_from_a_copied_env_example_mean_defaults():
    values = probe(**PROD, EMAIL_BACKEND="")
    assert values["email"].endswith("smtp.EmailBackend")


@pytest.mark.parametrize("env_file_lines", [["DEBUG=true"]])
def test_env_file_is_read_but_real_environment_wins(tmp_path, env_file_lines):
    env_file = tmp_path / ".env"
    env_file.write_text("\n".join(env_file_lines + ["TIME_ZONE=Asia/Tokyo"]) + "\n")
    values = probe(ENV_FILE=str(env_file), TIME_ZONE="Europe/Berlin")
    assert values["debug"] is True
    assert values["tz"] == "Europe/Berlin"


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(
        SECRET_KEY="a-long-random-production-secret-" + "Zq8#" * 12,
        ALLOWED_HOSTS="forecast.example.com",
        ENV_FILE="/nonexistent/.env",
        DJANGO_SETTINGS_MODULE="salesforecast.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
