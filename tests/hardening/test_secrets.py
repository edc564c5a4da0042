"""Secrets never leak: not in API answers, admin pages, log records, run errors, command output, mails or
exception texts.

Every kind of integration account gets credentials holding a marker that is unique to this test run, plus the
forms a connector derives from them on the wire (iiko's SHA-1 of the password, HTTP Basic's base64). Then the
whole read surface is walked as admin (every GET operation of the schema, list and every detail row; the
browsable API's HTML for the integrations area), every registered admin screen is rendered as a superuser, and
every stream of every account is synced against its loopback fake, which refuses the (wrong) credentials — with
every log record of every logger captured at DEBUG, urllib3's request lines included.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import traceback
import uuid
from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from core.logging import JsonFormatter, KeyValueFormatter
from demo.fakes import BASE_PATHS, build_fakes, serve
from integrations.api.serializers import CREDENTIAL_FIELDS
from integrations.choices import SyncStatus
from integrations.errors import AuthenticationFailed, IntegrationError
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import get_connector, streams_for_kind
from integrations.services.credentials import set_credentials
from integrations.services.runs import RunProgress, start_sync
from tests.hardening.conftest import DataSet, api_operations, body_of, client_as, collection_ids, concrete_path

MARKER = f"Leak{uuid.uuid4().hex[:16]}"  # unique per run: it cannot sit in a fixture, a fake or the code


def secrets_for(kind: str) -> dict[str, str]:
    return {name: f"{MARKER}x{kind}x{name}" for name in CREDENTIAL_FIELDS[kind]}


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


# The marker, and what connectors derive from the secrets before they go on the wire.
NEEDLES = (
    MARKER,
    hashlib.sha1(secrets_for("iiko")["password"].encode()).hexdigest(),  # iiko's `pass=` value
    _basic(secrets_for("moysklad")["login"], secrets_for("moysklad")["password"]),
    _basic(secrets_for("sentos")["api_key"], secrets_for("sentos")["api_secret"]),
)


def _around(text: str) -> str:
    """The text around the first leaked needle, for a failure message that shows what leaked where."""
    at = min(text.find(needle) for needle in leaks(text))
    return text[max(0, at - 150):at + 100]


def leaks(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [needle for needle in NEEDLES if needle in text]


@pytest.fixture(scope="module")
def accounts(module_dataset: DataSet, django_db_blocker) -> Iterator[dict[str, IntegrationAccount]]:
    """One account per kind, each pointing at its own loopback fake and holding marked (wrong) credentials."""
    servers = {kind: serve(app) for kind, app in build_fakes(None).items()}
    try:
        with django_db_blocker.unblock():
            made = {}
            for kind, server in servers.items():
                account = IntegrationAccount.objects.create(
                    kind=kind, name=f"Secret {kind}", base_url=server.url + BASE_PATHS[kind],
                    notification_emails="ops@example.com", request_rate_per_minute=600_000,
                    options={"max_attempts": 2, "backoff_base": 0.001, "backoff_max": 0.01, "read_timeout": 5})
                set_credentials(account, secrets_for(kind))
                account.fake = server.app
                made[kind] = account
        yield made
    finally:
        for server in servers.values():
            server.stop()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def all_logs() -> Iterator[list[logging.LogRecord]]:
    """Every record of every logger at DEBUG: the root and each logger that does not propagate to it (ours)."""
    handler = _Collect()
    loggers = [logging.root] + [lg for lg in logging.root.manager.loggerDict.values()
                                if isinstance(lg, logging.Logger) and not lg.propagate]
    loggers += [logging.getLogger(name) for name in ("urllib3", "urllib3.connectionpool", "requests")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield handler.records
    for lg, level in saved:
        lg.removeHandler(handler)
        lg.setLevel(level)


def rendered(record: logging.LogRecord) -> str:
    """The record as each of our formatters writes it (extras included), plus all its attributes."""
    return "\n".join([KeyValueFormatter().format(record), JsonFormatter().format(record), repr(vars(record))])


def test_fakes_really_receive_the_marked_credentials(accounts, db):
    """Guard against a vacuous pass: the marker does travel to the upstream (where it belongs)."""
    run, _ = start_sync(accounts["onec"], "org", trigger="command")
    SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.RUNNING)
    with pytest.raises(AuthenticationFailed):
        get_connector("onec", "org")(run, accounts["onec"], RunProgress(run))
    sent = [r.headers.get("x-api-key", "") for r in accounts["onec"].fake.requests]
    assert secrets_for("onec")["api_key"] in sent


def test_no_get_endpoint_returns_a_secret(accounts, module_dataset, db, settings):
    settings.METRICS_TOKEN = "secrets-test-scrape-token"
    metrics = client_as("anonymous", module_dataset).get("/metrics",
                                                         HTTP_AUTHORIZATION="Bearer secrets-test-scrape-token")
    assert metrics.status_code == 200 and b"sf_sync_runs" in metrics.content and not leaks(metrics.content)
    client = client_as("admin", module_dataset)
    checked, found = 0, []
    for operation in api_operations():
        if operation.method != "GET":
            continue
        if "{id}" in operation.path:
            ids = collection_ids(operation.path.split("{id}")[0], module_dataset)
            paths = [concrete_path(operation, module_dataset, object_id) for object_id in ids]
        else:
            paths = [concrete_path(operation, module_dataset)]
        for path in paths:
            response = client.get(path, {"page_size": 1000} if "{" not in operation.path else {})
            assert response.status_code < 500, f"GET {path}: {response.status_code}"
            checked += 1
            if leaks(body_of(response)) or leaks(str(response.headers)):
                found.append(path)
            if path.startswith("/api/v1/integrations/"):  # the browsable API renders forms with current values
                html = client.get(path, HTTP_ACCEPT="text/html")
                if leaks(body_of(html)):
                    found.append(f"{path} (HTML)")
    account_ids = collection_ids("/api/v1/integrations/accounts/", module_dataset)
    assert all(a.pk in account_ids for a in accounts.values()), "the marked accounts were not among those read"
    assert checked > 50
    assert not found, f"a secret appears in the answer of {found}"


def test_writing_credentials_through_the_api_never_echoes_them(accounts, module_dataset, db):
    client = client_as("admin", module_dataset)
    created = client.post("/api/v1/integrations/accounts/", {
        "kind": "iiko", "name": "Secret via API", "base_url": "http://127.0.0.1:9/resto/api",
        "credentials": secrets_for("iiko")}, format="json")
    assert created.status_code == 201, created.content
    account_id = created.json()["id"]
    answers = [
        created,
        client.patch(f"/api/v1/integrations/accounts/{account_id}/",
                     {"credentials": {"password": f"{MARKER}changed"}}, format="json"),
        # Refused: the unknown secret name is named in the error, its value never.
        client.patch(f"/api/v1/integrations/accounts/{account_id}/",
                     {"credentials": {"api_token": f"{MARKER}unknown"}}, format="json"),
        client.post("/api/v1/integrations/accounts/", {
            "kind": "onec", "name": "", "base_url": "not a url", "credentials": secrets_for("onec")}, format="json"),
    ]
    assert [a.status_code for a in answers] == [201, 200, 400, 400]
    for answer in answers:
        assert not leaks(answer.content), answer.content
    assert sorted(created.json()["credential_keys"]) == ["login", "password"]


def test_no_admin_page_shows_a_secret(accounts, module_dataset, db):
    client = Client()
    client.force_login(module_dataset.users["superuser"])
    checked, found = 0, []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(_request(module_dataset)):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        for pk in model_admin.get_queryset(_request(module_dataset)).values_list("pk", flat=True)[:5]:
            try:
                urls.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
            except NoReverseMatch:
                pass
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"GET {url}: {response.status_code}"
            checked += 1
            if leaks(response.content):
                found.append(url)
    # A change form sent back with an error re-renders what was typed: never the secret fields.
    account = accounts["sentos"]
    url = reverse("admin:integrations_integrationaccount_change", args=[account.pk])
    response = client.post(url, {"name": "", "kind": "sentos", "base_url": account.base_url,
                                 "secret_api_key": f"{MARKER}typed", "secret_api_secret": f"{MARKER}typed2",
                                 "timezone": "UTC"})
    assert response.status_code == 200 and b"errorlist" in response.content
    if leaks(response.content):
        found.append(f"{url} (re-rendered after an error)")
    assert checked > len(admin.site._registry) * 2
    assert not found, f"a secret appears on the admin page(s) {found}"


def _request(dataset: DataSet):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = dataset.users["superuser"]
    return request


def test_failed_syncs_leak_nothing_in_logs_errors_output_or_mail(accounts, module_dataset, db, all_logs, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.ADMINS = [("Ops", "admins@example.com")]
    out, err = io.StringIO(), io.StringIO()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as failed:
        call_command("sync", "--all", "--no-progress", stdout=out, stderr=err)

    runs = list(SyncRun.objects.filter(account__in=accounts.values()))
    expected = sum(len(streams_for_kind(kind)) for kind in accounts)
    assert len(runs) >= expected and {r.status for r in runs} == {SyncStatus.FAILED}, [(r, r.error) for r in runs]
    assert all(r.error for r in runs)
    assert any("401" in r.error or "refused" in r.error.lower() for r in runs)
    assert mail.outbox, "failure mails were expected (each account has notification_emails)"
    assert any(r.name.startswith("urllib3") for r in all_logs), "urllib3's DEBUG request lines were not captured"

    places = {
        "command error": str(failed.value),
        "command stdout": out.getvalue(),
        "command stderr": err.getvalue(),
        **{f"run #{r.pk} error": r.error + repr(r.details) for r in runs},
        **{f"mail {i}": m.subject + m.body + repr(m.to) for i, m in enumerate(mail.outbox)},
        **{f"log {i} ({r.name})": rendered(r) for i, r in enumerate(all_logs)},
    }
    admin_client = Client()
    admin_client.force_login(module_dataset.users["superuser"])
    api = client_as("admin", module_dataset)
    for run in runs:
        places[f"API run #{run.pk}"] = api.get(f"/api/v1/integrations/runs/{run.pk}/").content.decode()
        places[f"admin run #{run.pk}"] = admin_client.get(
            reverse("admin:integrations_syncrun_change", args=[run.pk])).content.decode()
    for account in accounts.values():
        places[f"history {account.name}"] = api.get(
            f"/api/v1/integrations/accounts/{account.pk}/history/").content.decode()
    places["status"] = api.get("/api/v1/integrations/status/").content.decode()
    places["runs admin list"] = admin_client.get(reverse("admin:integrations_syncrun_changelist")).content.decode()

    found = {where: _around(text) for where, text in places.items() if leaks(text)}
    assert not found, f"secrets found in: {found}"


@pytest.mark.parametrize("kind", sorted(CREDENTIAL_FIELDS))
def test_connector_exceptions_carry_no_secret(kind, accounts, db):
    """The exception objects themselves (message, args, attributes, the whole chained traceback)."""
    account = accounts[kind]
    for stream in streams_for_kind(kind):
        run, _ = start_sync(account, stream, trigger="command")
        SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.RUNNING)
        run.refresh_from_db()
        with pytest.raises(IntegrationError) as raised:
            get_connector(kind, stream)(run, account, RunProgress(run))
        exc = raised.value
        text = "".join(traceback.format_exception(exc)) + repr(exc.args) + repr(vars(exc))
        assert not leaks(text), f"{kind} {stream}: {text}"
        SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.FAILED)

