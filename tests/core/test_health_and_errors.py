import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_up_is_public_json(api_client):
    response = api_client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["X-Request-ID"]


HEALTH_PROBE = (
    "import django, json; django.setup(); from django.test import Client; "
    "r = Client().get('/health'); print(json.dumps({'status': r.status_code, 'body': r.json()}))"
)


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:////nonexistent-dir/forbidden/db.sqlite3", "postgres://postgres@127.0.0.1:1/unreachable"],
    ids=["sqlite-unopenable", "postgres-unreachable"],
)
def test_health_down_answers_503_when_the_database_does_not_answer(database_url):
    """A fresh process whose database cannot be reached: the real failure path, not a simulated one."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run([sys.executable, "-c", HEALTH_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"] == {"status": "unavailable", "database": "unavailable", "detail": "database unavailable"}


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(api_client, client_for):
    response = client_for("viewer").get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "no-such-thing" in response.json()["detail"]


@pytest.mark.django_db
def test_a_refused_host_header_is_a_json_400_on_the_api_and_the_html_page_elsewhere(client_for, client):
    response = client_for("viewer").get("/api/v1/branches/", HTTP_HOST="]iJJa")  # found by the schema fuzzer
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "Host header" in response.json()["detail"] and "iJJa" not in response.content.decode()
    page = client.get("/admin/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_request_id_is_echoed_when_well_formed_and_replaced_when_not(api_client):
    assert api_client.get("/health", HTTP_X_REQUEST_ID="abc-123").headers["X-Request-ID"] == "abc-123"
    replaced = api_client.get("/health", HTTP_X_REQUEST_ID="bad id with spaces\n").headers["X-Request-ID"]
    assert replaced != "bad id with spaces\n" and len(replaced) == 32


@pytest.mark.django_db
def test_access_log_line_carries_request_id(api_client, caplog):
    import logging

    logger = logging.getLogger("salesforecast.access")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="salesforecast.access"):
            api_client.get("/health", HTTP_X_REQUEST_ID="trace-42")
    finally:
        logger.removeHandler(caplog.handler)
    records = [r for r in caplog.records if r.name == "salesforecast.access"]
    assert records and records[-1].path == "/health" and records[-1].status == 200
    from core.logging import KeyValueFormatter, RequestIdFilter

    # The filter stamps the id while the request runs; the formatter prints it.
    record = records[-1]
    line = KeyValueFormatter().format(record)
    assert "path=/health" in line and "status=200" in line
    assert RequestIdFilter().filter(record) is True


def test_log_extra_keys_that_clash_with_record_attributes_do_not_crash(caplog):
    import logging

    logger = logging.getLogger("sales.some-new-module")
    with caplog.at_level(logging.INFO, logger="sales.some-new-module"):
        logger.info("ingested", extra={"created": 3, "name": "x", "rows": 5})
    record = caplog.records[-1]
    assert (record.x_created, record.x_name, record.rows) == (3, "x", 5)


@pytest.mark.django_db
def test_an_out_of_range_number_is_a_400_not_a_500(client_for):
    """SQLite cannot bind it (400 naming the parameter); PostgreSQL compares it as numeric (empty 200)."""
    response = client_for("viewer").get("/api/v1/branches/", {"parent": "99999999999999999999999"})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "out of range" in response.json()["detail"] and "parent" in response.json()["detail"]
    else:
        assert response.json()["count"] == 0
