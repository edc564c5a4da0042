"""Issue 14: where credentials may go (SSRF, moving an account to another server) and what `options` may hold.

Real HTTP over loopback: the fake 1C server is the legitimate upstream, a second loopback server plays the
integrator's own server. INTEGRATIONS_ALLOW_PRIVATE_HOSTS is on in tests/settings.py (the fakes live on
127.0.0.1); the tests about the guard itself switch it off.
"""

from __future__ import annotations

import io
import socket
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

from integrations.choices import SyncStatus
from integrations.errors import DisallowedHost
from integrations.http import HttpClient
from integrations.models import IntegrationAccount, SyncRun
from integrations.safety import UnsafeURL, check_url
from integrations.services.credentials import get_credentials
from tests.integrations.inline import sync_now
from tests.integrations.loopback import Fault, OneCServer

ACCOUNTS = "/api/v1/integrations/accounts/"


def _with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, f"{parts.hostname}:{port}", parts.path, "", ""))


@pytest.fixture
def private_hosts_refused(settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_HOSTS = False


# --- SSRF at save time --------------------------------------------------------------------------------------------

REFUSED_ALWAYS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/x",
    "ftp://files.example.com/api",
    "https://user:pw@example.com/api",
    "http://0.0.0.0:8000/",
    "file:///etc/passwd",
]
REFUSED_BY_DEFAULT = [
    "http://[::1]:8080/api",
    "http://localhost:8000/api",
    "http://127.0.0.1:5432/",
    "http://10.1.2.3/api",
    "http://192.168.0.10/api",
    "http://[::ffff:127.0.0.1]/api",
]


@pytest.mark.parametrize("url", REFUSED_ALWAYS + REFUSED_BY_DEFAULT)
def test_unsafe_base_url_is_refused_at_save_time(client_for, private_hosts_refused, url):
    client = client_for("integrator")
    response = client.post(ACCOUNTS, {"name": "x", "kind": "onec", "base_url": url}, format="json")
    assert response.status_code == 400, response.content
    assert "base_url" in response.json()
    assert not IntegrationAccount.objects.exists()


@pytest.mark.parametrize("url", REFUSED_ALWAYS)
def test_link_local_and_other_schemes_are_refused_even_when_private_hosts_are_allowed(url):
    with pytest.raises(UnsafeURL):
        check_url(url)


@pytest.mark.parametrize("url", REFUSED_BY_DEFAULT)
def test_loopback_and_private_hosts_need_the_setting(settings, url):
    settings.INTEGRATIONS_ALLOW_PRIVATE_HOSTS = True
    assert check_url(url) == url
    settings.INTEGRATIONS_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(UnsafeURL, match="INTEGRATIONS_ALLOW_PRIVATE_HOSTS"):
        check_url(url)


def test_public_address_is_accepted(private_hosts_refused):
    assert check_url("https://93.184.216.34/api") == "https://93.184.216.34/api"


def test_patch_to_an_unsafe_url_is_refused_and_changes_nothing(client_for, onec_account, private_hosts_refused):
    before = onec_account.base_url
    response = client_for("admin").patch(f"{ACCOUNTS}{onec_account.pk}/",
                                          {"base_url": "http://169.254.169.254/"}, format="json")
    assert response.status_code == 400
    assert "link-local" in response.json()["base_url"][0]
    onec_account.refresh_from_db()
    assert onec_account.base_url == before


# --- SSRF at connect time -----------------------------------------------------------------------------------------

def test_connect_time_guard_refuses_a_stored_loopback_account(onec_account, onec_server, private_hosts_refused):
    """The row was saved while private hosts were allowed; the sync refuses to send anything there now."""
    run, _ = sync_now(onec_account, "org")
    assert run.status == SyncStatus.FAILED
    assert "INTEGRATIONS_ALLOW_PRIVATE_HOSTS" in run.error
    assert onec_server.requests == []


def test_connect_time_guard_checks_the_resolved_address(onec_server, private_hosts_refused):
    """A host *name* passes the save-time check when it does not look private; the socket's peer is checked."""
    name = socket.gethostname()
    try:
        resolved = {info[4][0] for info in socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)}
    except socket.gaierror:
        pytest.skip("this machine's host name does not resolve")
    if not any(a.startswith("127.") for a in resolved):
        pytest.skip("this machine's host name does not resolve to loopback")
    port = urlsplit(onec_server.base_url).port
    client = HttpClient(account_name="probe", base_url=f"http://{name}:{port}/")
    with pytest.raises(DisallowedHost, match="loopback"):
        client.get("ut/hs/exchange/branches")
    assert onec_server.requests == []


# --- the upstream's answer is quoted only briefly -----------------------------------------------------------------

def test_upstream_error_body_is_quoted_short_and_sanitised(onec_account, onec_server):
    noise = "\x1b[31mSELECT * FROM secrets\x00 " + "A" * 5000 + " TAIL-MARKER"
    onec_server.faults.extend([Fault(status=400, body=noise)])
    run, _ = sync_now(onec_account, "org")
    assert run.status == SyncStatus.FAILED
    assert "TAIL-MARKER" not in run.error
    assert "\x1b" not in run.error and "\x00" not in run.error
    assert "SELECT" in run.error  # a short excerpt is still there to help
    assert len(run.error) < 500


# --- moving an account to another server needs the secrets again -------------------------------------------------

def test_integrator_cannot_move_stored_credentials_to_another_server(client_for, onec_account):
    thief = OneCServer(api_key="whatever").start()
    try:
        client = client_for("integrator")
        response = client.patch(f"{ACCOUNTS}{onec_account.pk}/", {"base_url": thief.base_url}, format="json")
        assert response.status_code == 400, response.content
        assert "entered again" in response.json()["base_url"][0]
        onec_account.refresh_from_db()
        assert urlsplit(onec_account.base_url).port != urlsplit(thief.base_url).port
        sync_now(onec_account, "org")
        assert thief.requests == []
    finally:
        thief.stop()


def test_moving_an_account_with_its_secrets_entered_again_is_allowed(client_for, onec_account, onec_server):
    other = _with_port(onec_account.base_url, urlsplit(onec_server.base_url).port + 1)
    response = client_for("integrator").patch(
        f"{ACCOUNTS}{onec_account.pk}/", {"base_url": other, "credentials": {"api_key": "new-key-123"}},
        format="json")
    assert response.status_code == 200, response.content
    onec_account.refresh_from_db()
    assert onec_account.base_url == other
    assert get_credentials(onec_account) == {"api_key": "new-key-123"}


def test_an_admin_may_move_an_account(client_for, onec_account, onec_server):
    other = _with_port(onec_account.base_url, urlsplit(onec_server.base_url).port + 1)
    response = client_for("admin").patch(f"{ACCOUNTS}{onec_account.pk}/", {"base_url": other}, format="json")
    assert response.status_code == 200, response.content


def test_same_server_other_path_needs_no_secrets(client_for, onec_account):
    response = client_for("integrator").patch(f"{ACCOUNTS}{onec_account.pk}/",
                                              {"base_url": onec_account.base_url + "/v2"}, format="json")
    assert response.status_code == 200, response.content


# --- options have a schema, and a bad stored row breaks nothing --------------------------------------------------

@pytest.mark.parametrize("options", [1, True, [1, 2], "read_timeout=5", None])
def test_options_that_are_not_an_object_are_refused(client_for, onec_server, options):
    response = client_for("integrator").post(ACCOUNTS, {"name": "x", "kind": "onec", "base_url": onec_server.base_url,
                                                        "options": options}, format="json")
    assert response.status_code == 400, response.content
    assert "options" in response.json()


@pytest.mark.parametrize(("options", "needle"), [
    ({"page_size": "ten"}, "options.page_size"),
    ({"page_size": 0}, "options.page_size"),
    ({"read_timeout": True}, "options.read_timeout"),
    ({"full_streams": 5}, "options.full_streams"),
    ({"full_streams": ["nonsense"]}, "options.full_streams"),
    ({"page_cap": 3}, "options.page_cap"),  # a Wildberries option on a 1C account
])
def test_options_are_checked_per_kind(client_for, onec_account, options, needle):
    response = client_for("integrator").patch(f"{ACCOUNTS}{onec_account.pk}/", {"options": options}, format="json")
    assert response.status_code == 400, response.content
    assert needle in response.json()["options"][0]


def test_valid_options_are_accepted(client_for, onec_account):
    response = client_for("integrator").patch(f"{ACCOUNTS}{onec_account.pk}/",
                                              {"options": {"page_size": 50, "read_timeout": 30,
                                                           "full_streams": ["org"]}}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("stored", [1, True, [1, 2], "x", {"full_streams": 5}, {"live_streams": "abc"}])
def test_a_bad_stored_options_row_breaks_neither_status_nor_schedules_nor_migrate(client_for, onec_account,
                                                                                    make_account, onec_server,
                                                                                    stored):
    good = make_account("onec", onec_server.base_url, {"api_key": "k-123456"}, name="good one")
    IntegrationAccount.objects.filter(pk=onec_account.pk).update(options=stored)

    response = client_for("viewer").get("/api/v1/integrations/status/")
    assert response.status_code == 200
    assert {a["name"] for a in response.json()["accounts"]} == {"1C main", "good one"}

    out, err = io.StringIO(), io.StringIO()
    call_command("setup_schedules", stdout=out, stderr=err)
    assert "skipped: 1" in out.getvalue()
    assert f"account-{onec_account.pk}" in err.getvalue()
    from django_q.models import Schedule
    assert Schedule.objects.filter(name=f"sf:integrations.account-{good.pk}.full").exists()

    call_command("migrate", verbosity=0, stdout=io.StringIO())  # the post_migrate registration must not fail
    assert connection.is_usable()


def test_a_sync_of_a_bad_stored_options_row_fails_with_a_clear_error(onec_account):
    IntegrationAccount.objects.filter(pk=onec_account.pk).update(options=[1])
    onec_account.refresh_from_db()
    run, _ = sync_now(onec_account, "org")
    assert run.status == SyncStatus.FAILED
    assert "options" in run.error
    assert SyncRun.objects.filter(pk=run.pk, status=SyncStatus.FAILED).exists()


# --- the admin applies the same rules -----------------------------------------------------------------------------

def _admin_form(account: IntegrationAccount, **overrides) -> dict:
    data = {"name": account.name, "kind": account.kind, "base_url": account.base_url, "enabled": "on",
            "timezone": "UTC", "options": "{}", "full_sync_enabled": "on", "full_sync_at": "02:00",
            "live_sync_every_minutes": 10, "live_sync_from": "08:00", "live_sync_to": "23:00",
            "notification_emails": ""}
    data.update(overrides)
    return data


@pytest.fixture
def staff_integrator(client, make_user):
    """A staff user with the integrator role only (not an admin): may edit accounts in the admin."""
    user = make_user("staff-integrator", role="integrator", is_staff=True)
    client.force_login(user)
    return client


def test_admin_form_refuses_bad_options(staff_integrator, onec_account):
    url = f"/admin/integrations/integrationaccount/{onec_account.pk}/change/"
    response = staff_integrator.post(url, _admin_form(onec_account, options="1"))
    assert response.status_code == 200
    assert "must be an object of settings" in response.content.decode()
    onec_account.refresh_from_db()
    assert onec_account.options == {}


def test_admin_form_refuses_an_unsafe_url(staff_integrator, onec_account, onec_server,
                                                                 private_hosts_refused):
    url = f"/admin/integrations/integrationaccount/{onec_account.pk}/change/"
    refused = staff_integrator.post(url, _admin_form(onec_account, base_url="http://169.254.169.254/"))
    assert refused.status_code == 200 and "link-local" in refused.content.decode()


def test_admin_form_by_an_integrator_needs_the_secrets_to_move_an_account(staff_integrator, onec_account,
                                                                          onec_server):
    url = f"/admin/integrations/integrationaccount/{onec_account.pk}/change/"
    other = _with_port(onec_account.base_url, urlsplit(onec_server.base_url).port + 1)
    refused = staff_integrator.post(url, _admin_form(onec_account, base_url=other))
    assert refused.status_code == 200 and "entered again" in refused.content.decode()
    accepted = staff_integrator.post(url, _admin_form(onec_account, base_url=other, secret_api_key="new-key-1"))
    assert accepted.status_code == 302
    onec_account.refresh_from_db()
    assert onec_account.base_url == other
