"""iiko org sync: sessions, tokens, safe XML, several domains — real HTTP against a loopback iikoServer."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command

from branches.models import Location
from integrations.choices import SyncStatus
from integrations.connectors.iiko.session import IikoSession
from integrations.errors import AuthenticationFailed, IntegrationError
from integrations.models import SyncRun
from tests.integrations.inline import sync_now
from tests.integrations.loopback import BILLION_LAUGHS, XXE_PAYLOAD, Fault, sha1

pytestmark = pytest.mark.django_db

PASSWORD = "api_sync_pw"
DEPARTMENTS = [
    {"id": "c0", "parentId": None, "name": "Acme Holding", "type": "CORPORATION"},
    {"id": "c3", "parentId": "c2", "code": "000101", "name": "Cafe Central", "type": "DEPARTMENT"},
    {"id": "c2", "parentId": "c0", "code": "10", "name": "Acme LLC", "type": "JURPERSON",
     "nestedTaxpayerId": "7701234567"},
    {"id": "c4", "parentId": "c3", "code": "1", "name": "Store of Cafe Central", "type": "STORE"},
    {"id": "c5", "parentId": "c2", "code": "000102", "name": "Bakery", "type": "MANUFACTURE",
     "taxpayerIdNumber": "7709876543"},
]


@pytest.fixture
def domain(iiko_server, make_account):
    def _domain(prefix: str = "/moscow", name: str = "iiko Moscow", password: str = PASSWORD, **kwargs):
        url = iiko_server.add_domain(prefix, password=PASSWORD, **kwargs)
        return make_account("iiko", url, {"login": "api_sync", "password": password}, name=name)

    return _domain


def test_departments_synced_with_types_inn_and_branch_link(iiko_server, domain, onec_server, onec_account):
    onec_server.items = [{"id": "b1", "parent_id": "0", "code": "000101", "name": "Branch 101"}]
    assert sync_now(onec_account, "org")[0].status == SyncStatus.SUCCEEDED
    account = domain(departments=DEPARTMENTS)

    run, _ = sync_now(account, "org")

    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert run.rows_created == 5
    cafe = Location.objects.get(source=account, external_id="c3")
    assert cafe.type == "DEPARTMENT" and cafe.depth == 2 and cafe.code_tco == "000101"
    assert cafe.branch == Location.objects.get(source=onec_account, external_id="b1")
    assert Location.objects.get(external_id="c2").taxpayer_id_number == "7701234567"
    assert Location.objects.get(external_id="c5").taxpayer_id_number == "7709876543"
    assert Location.objects.get(external_id="c5").branch is None  # 000102 names no 1C branch
    assert Location.objects.get(external_id="c4").code_tco == ""  # a store's own code is not a TCO code
    assert iiko_server.tokens_issued and iiko_server.unreleased_tokens == []
    # Password went over the wire only as its SHA-1.
    auth = [r for r in iiko_server.requests if r[1].endswith("/auth")]
    assert auth[0][2]["pass"] == sha1(PASSWORD)


def test_branch_feed_after_departments_links_them_too(domain, onec_server, onec_account):
    account = domain(departments=DEPARTMENTS)
    sync_now(account, "org")
    assert Location.objects.get(external_id="c3").branch is None
    onec_server.items = [{"id": "b1", "parent_id": "0", "code": "000101", "name": "Branch 101"}]
    sync_now(onec_account, "org")
    assert Location.objects.get(external_id="c3").branch.external_id == "b1"
    onec_server.items = []
    sync_now(onec_account, "org")
    assert Location.objects.get(external_id="c3").branch is None  # the branch left the feed


def test_wrong_password_fails_clearly_and_exits_non_zero(iiko_server, domain):
    account = domain(password="not-the-password", departments=DEPARTMENTS)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("sync_iiko", "--account", account.name, stdout=out, stderr=err)
    text = str(failure.value) + out.getvalue() + err.getvalue()
    assert "iiko Moscow" in text and "refused the stored login" in text and "401" in text
    assert "not-the-password" not in text and sha1("not-the-password") not in text
    assert SyncRun.objects.get(account=account).status == SyncStatus.FAILED
    assert iiko_server.tokens_issued == []


@pytest.mark.parametrize(("body", "expected"), [
    ("<corporateItemDtoes><corporateItemDto><id>1</id>", "not well-formed XML"),
    (XXE_PAYLOAD, "DTD, entity or external reference"),
    (BILLION_LAUGHS, "DTD, entity or external reference"),
])
def test_unsafe_or_malformed_xml_is_refused_and_the_token_released(iiko_server, domain, body, expected):
    account = domain(body=body)
    run, _ = sync_now(account, "org")
    assert run.status == SyncStatus.FAILED
    assert expected in run.error and "iiko Moscow" in run.error and "/corporation/departments" in run.error
    assert "root:" not in run.error and "lollol" not in run.error
    assert Location.objects.count() == 0
    assert len(iiko_server.tokens_issued) == 1 and iiko_server.unreleased_tokens == []


def test_two_domains_one_failing_the_other_synced(iiko_server, domain):
    good = domain("/spb", name="iiko SPb", departments=DEPARTMENTS)
    bad = domain("/kazan", name="iiko Kazan", departments=DEPARTMENTS)
    iiko_server.domain("/kazan")["faults"] = [Fault(status=500)] * 5
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("sync_iiko", "--all", stdout=out, stderr=err)
    assert "1 of 2 sync(s) failed" in str(failure.value) and "iiko Kazan" in str(failure.value)
    assert SyncRun.objects.get(account=good).status == SyncStatus.SUCCEEDED
    assert SyncRun.objects.get(account=bad).status == SyncStatus.FAILED
    assert Location.objects.filter(source=good).count() == 5
    assert Location.objects.filter(source=bad).count() == 0
    assert "iiko SPb org: succeeded" in out.getvalue()
    assert len(iiko_server.tokens_issued) == 2 and iiko_server.unreleased_tokens == []


def test_expired_token_is_renewed_and_every_token_released(iiko_server, domain):
    account = domain(departments=DEPARTMENTS)
    with IikoSession.for_account(account) as iiko:
        iiko.get_xml("corporation/departments")
        iiko_server.expire_all_tokens()  # server restart / idle expiry → 401
        root = iiko.get_xml("corporation/departments")
        assert len(root) == 5
    assert len(iiko_server.tokens_issued) == 2
    assert iiko_server.unreleased_tokens == []


def test_token_reused_while_valid_and_renewed_before_idle_expiry(iiko_server, domain):
    account = domain(departments=DEPARTMENTS)
    now = [0.0]
    with IikoSession.for_account(account, clock=lambda: now[0], renew_after_idle=100) as iiko:
        iiko.get_xml("corporation/departments")
        now[0] = 50
        iiko.get_xml("corporation/departments")
        assert len(iiko_server.tokens_issued) == 1  # reused
        now[0] = 200
        iiko.get_xml("corporation/departments")
        assert len(iiko_server.tokens_issued) == 2  # renewed, the old one logged out first
        assert iiko_server.tokens_released == iiko_server.tokens_issued[:1]
    assert iiko_server.unreleased_tokens == []


def test_session_logs_out_even_when_the_caller_fails(iiko_server, domain):
    account = domain(departments=DEPARTMENTS)
    with pytest.raises(RuntimeError), IikoSession.for_account(account) as iiko:
        iiko.get_xml("corporation/departments")
        raise RuntimeError("boom")
    assert len(iiko_server.tokens_issued) == 1 and iiko_server.unreleased_tokens == []


def test_token_and_password_never_in_errors(iiko_server, domain):
    account = domain(departments=DEPARTMENTS)
    with IikoSession.for_account(account) as iiko:
        iiko.get_xml("corporation/departments")
        token = iiko.token
        iiko_server.domain("/moscow")["faults"] = [Fault(status=404, body=f"no such thing for key={token}")]
        with pytest.raises(Exception) as failure:
            iiko.get_xml("corporation/departments")
    assert token not in str(failure.value)
    assert "404" in str(failure.value)


def test_ad_hoc_command_and_base_url_forms(iiko_server):
    url = iiko_server.add_domain("/adhoc", departments=DEPARTMENTS)
    out = io.StringIO()
    call_command("sync_iiko", "--base-url", url + "/resto/api", "--login", "api_sync", "--password", PASSWORD,
                 stdout=out, stderr=io.StringIO())
    assert PASSWORD not in out.getvalue()
    assert Location.objects.filter(source__kind="iiko").count() == 5
    assert iiko_server.unreleased_tokens == []


def test_rejected_login_raises_authentication_failed(iiko_server, domain):
    account = domain(password="nope-nope", departments=DEPARTMENTS)
    with pytest.raises(AuthenticationFailed, match="iiko Moscow"), IikoSession.for_account(account) as iiko:
        iiko.get_xml("corporation/departments")


def test_two_syncs_of_one_account_take_turns_on_its_single_seat(iiko_server, domain):
    """iiko gives one token per licence seat: a second session waits for the seat instead of getting a 403."""
    account = domain(departments=DEPARTMENTS)
    second_done = threading.Event()
    outcome = {}

    def second_sync():
        try:
            with IikoSession.for_account(account) as iiko:
                outcome["rows"] = len(iiko.get_xml("corporation/departments"))
        except Exception as exc:  # noqa: BLE001 - reported through the assertion below
            outcome["error"] = exc
        second_done.set()

    with IikoSession.for_account(account) as iiko:
        iiko.get_xml("corporation/departments")
        worker = threading.Thread(target=second_sync)
        worker.start()
        assert not second_done.wait(1.5)  # waiting for the seat, not refused by the server
        iiko.get_xml("corporation/departments")
    worker.join(timeout=30)
    assert outcome == {"rows": 5}
    assert len(iiko_server.tokens_issued) == 2 and iiko_server.unreleased_tokens == []


def test_a_seat_held_too_long_fails_the_waiting_sync_with_a_clear_error(iiko_server, domain):
    account = domain(departments=DEPARTMENTS)
    with IikoSession.for_account(account) as holder:
        holder.get_xml("corporation/departments")
        with pytest.raises(IntegrationError) as failure, \
                IikoSession.for_account(account, seat_wait=0.3) as waiting:
            waiting.get_xml("corporation/departments")
    assert "licence seat" in str(failure.value) and account.name in str(failure.value)
    assert len(iiko_server.tokens_issued) == 1  # the waiting session never tried to log in
    with IikoSession.for_account(account, seat_wait=0.3) as later:  # released with the holder's logout
        assert len(later.get_xml("corporation/departments")) == 5
