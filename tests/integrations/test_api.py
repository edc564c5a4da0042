"""Accounts, sync trigger and runs over the API, for each role; secrets never leave the server."""

import json

import pytest

from integrations.choices import SyncStatus
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.credentials import get_credentials
from tests.integrations.loopback import deep_onec_tree

pytestmark = pytest.mark.django_db

SECRET = "super-secret-api-key-42"
ACCOUNTS = "/api/v1/integrations/accounts/"
RUNS = "/api/v1/integrations/runs/"


def _create(client, **overrides):
    body = {"name": "1C prod", "kind": "onec", "base_url": "https://1c.example.com/ut/hs/exchange",
            "credentials": {"api_key": SECRET}, **overrides}
    return client.post(ACCOUNTS, body, format="json")


def test_integrator_crud_and_credentials_are_write_only(client_for):
    client = client_for("integrator")
    created = _create(client)
    assert created.status_code == 201, created.content
    assert SECRET not in created.content.decode()
    assert created.data["has_credentials"] is True and created.data["credential_keys"] == ["api_key"]
    account = IntegrationAccount.objects.get()
    assert get_credentials(account) == {"api_key": SECRET}
    for response in (client.get(ACCOUNTS), client.get(f"{ACCOUNTS}{account.pk}/")):
        assert response.status_code == 200
        text = response.content.decode()
        assert SECRET not in text and account.credentials_encrypted not in text and "credentials_encrypted" not in text
    patched = client.patch(f"{ACCOUNTS}{account.pk}/", {"enabled": False}, format="json")
    assert patched.status_code == 200
    assert get_credentials(IntegrationAccount.objects.get()) == {"api_key": SECRET}  # kept
    assert client.patch(f"{ACCOUNTS}{account.pk}/", {"credentials": {"password": "x"}},
                        format="json").data["credentials"][0].startswith("Unknown secret(s) password")
    assert client.delete(f"{ACCOUNTS}{account.pk}/").status_code == 204


@pytest.mark.parametrize(("role", "read", "write"), [
    ("anonymous", 401, 401), ("viewer", 200, 403), ("planner", 200, 403), ("integrator", 200, 201),
    ("admin", 200, 201),
])
def test_account_permissions_per_role(client_for, role, read, write):
    client = client_for(role)
    assert client.get(ACCOUNTS).status_code == read
    assert client.get(RUNS).status_code == read
    assert _create(client).status_code == write


def test_sync_returns_202_and_second_trigger_the_same_run(client_for, onec_account):
    client = client_for("integrator")
    first = client.post(f"{ACCOUNTS}{onec_account.pk}/sync/", {"stream": "org"}, format="json")
    assert first.status_code == 202
    assert first.data["created"] is True and first.data["status"] == "queued"
    second = client.post(f"{ACCOUNTS}{onec_account.pk}/sync/?stream=org&mode=full")
    assert second.status_code == 202
    assert second.data["run_id"] == first.data["run_id"] and second.data["created"] is False
    detail = client.get(f"{RUNS}{first.data['run_id']}/")
    assert detail.status_code == 200 and detail.data["account_name"] == "1C main"


def test_sync_runs_in_the_worker(client_for, onec_account, onec_server, settings,
                                 django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    onec_server.items = deep_onec_tree(7, depth=3)
    client = client_for("integrator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ACCOUNTS}{onec_account.pk}/sync/", {"stream": "org"}, format="json")
    assert response.status_code == 202
    run = SyncRun.objects.get(pk=response.data["run_id"])
    assert run.status == SyncStatus.SUCCEEDED and run.rows_created == 7


def test_sync_errors_name_the_field_or_state(client_for, onec_account):
    client = client_for("integrator")
    bad_stream = client.post(f"{ACCOUNTS}{onec_account.pk}/sync/", {"stream": "sales"}, format="json")
    assert bad_stream.status_code == 400 and "stream" in bad_stream.data
    unknown = client.post(f"{ACCOUNTS}{onec_account.pk}/sync/", {"stream": "nope"}, format="json")
    assert unknown.status_code == 400 and "stream" in unknown.data
    bad_mode = client.post(f"{ACCOUNTS}{onec_account.pk}/sync/", {"mode": "x"}, format="json")
    assert bad_mode.status_code == 400 and "mode" in bad_mode.data
    onec_account.enabled = False
    onec_account.save()
    disabled = client.post(f"{ACCOUNTS}{onec_account.pk}/sync/", {}, format="json")
    assert disabled.status_code == 409 and "disabled" in disabled.data["detail"]
    assert client.post(f"{ACCOUNTS}999999/sync/", {}, format="json").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("planner", 403), ("integrator", 202),
                                              ("admin", 202)])
def test_sync_permission_per_role(client_for, onec_account, role, status):
    assert client_for(role).post(f"{ACCOUNTS}{onec_account.pk}/sync/", {}, format="json").status_code == status


def test_runs_filters(client_for, onec_account, make_account):
    other = make_account("iiko", "https://iiko.example", name="iiko A")
    SyncRun.objects.create(account=onec_account, stream="org", status="succeeded")
    SyncRun.objects.create(account=onec_account, stream="org", status="failed", mode="incremental")
    SyncRun.objects.create(account=other, stream="org", status="running")
    client = client_for("viewer")
    assert client.get(RUNS).data["count"] == 3
    assert client.get(RUNS, {"account": other.pk}).data["count"] == 1
    assert client.get(RUNS, {"status": "failed"}).data["count"] == 1
    assert client.get(RUNS, {"status": ["failed", "running"]}).data["count"] == 2
    assert client.get(RUNS, {"mode": "incremental"}).data["count"] == 1
    assert client.get(RUNS, {"stream": "org", "created_after": "2000-01-01T00:00:00Z"}).data["count"] == 3
    assert client.get(RUNS, {"created_before": "2000-01-01T00:00:00Z"}).data["count"] == 0
    assert client.get(RUNS, {"status": "bogus"}).status_code == 400


def test_empty_lists_answer_200(client_for):
    client = client_for("viewer")
    for url in (ACCOUNTS, RUNS):
        response = client.get(url)
        assert response.status_code == 200 and json.loads(response.content)["count"] == 0
