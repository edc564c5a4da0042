"""Second factor (TOTP): enrolment with a QR code, backup codes, required for the admin role, on every door:
the two-step JWT login, the admin and the browsable API's session login."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core import otp
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN, ENROL, VERIFY = "/api/v1/auth/login/", "/api/v1/auth/otp/enrol/", "/api/v1/auth/otp/verify/"


@pytest.fixture(autouse=True)
def _production_default(settings):
    settings.OTP_REQUIRED_FOR_ADMIN_ROLE = True


@pytest.fixture
def boss(make_user):
    return make_user("boss", role="admin", is_staff=True)


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or `steps_ahead` periods later: a used code cannot be replayed)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    enrolment = otp.start_enrolment(user)
    device, backup = otp.verify_code(user, code(enrolment.device))
    assert device is not None and len(backup) == 10
    return device


def test_jwt_login_of_an_admin_enrols_then_needs_the_code(boss):
    api = APIClient()
    first = api.post(LOGIN, {"username": "boss", "password": PASSWORD}).json()
    assert first["otp_required"] is True and first["enrolment_required"] is True
    assert "access" not in first and "refresh" not in first

    enrolment = api.post(ENROL, {"otp_token": first["otp_token"]})
    assert enrolment.status_code == 201
    body = enrolment.json()
    assert body["qr_svg"].lstrip().startswith("<?xml") and "<svg" in body["qr_svg"]
    assert body["otpauth_url"].startswith("otpauth://totp/") and "issuer=salesforecast" in body["otpauth_url"]
    assert body["secret"] in body["otpauth_url"]
    device = TOTPDevice.objects.get(user=boss)
    assert device.confirmed is False

    tokens = api.post(VERIFY, {"otp_token": body["otp_token"], "code": code(device)}).json()
    assert {"access", "refresh"} <= set(tokens) and len(tokens["backup_codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed is True
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api.get("/api/v1/auth/me/").json()["username"] == "boss"

    # Next time: the code, or a backup code (once each); a password alone cannot enrol another device.
    fresh = APIClient()
    second = fresh.post(LOGIN, {"username": "boss", "password": PASSWORD}).json()
    assert second["otp_required"] is True and second["enrolment_required"] is False
    refused = fresh.post(ENROL, {"otp_token": second["otp_token"]})
    assert refused.status_code == 400 and "otp_token" in refused.json()
    backup = tokens["backup_codes"][0]
    assert "access" in fresh.post(VERIFY, {"otp_token": second["otp_token"], "code": backup}).json()
    again = fresh.post(VERIFY, {"otp_token": second["otp_token"], "code": backup})
    assert again.status_code == 400 and "code" in again.json()
    assert "access" in fresh.post(VERIFY, {"otp_token": second["otp_token"], "code": code(device, 1)}).json()


def test_wrong_codes_count_as_failed_logins(boss):
    device = enrolled(boss)
    api = APIClient()
    ticket = api.post(LOGIN, {"username": "boss", "password": PASSWORD}).json()["otp_token"]
    for _ in range(5):
        response = api.post(VERIFY, {"otp_token": ticket, "code": "000000"})
        assert response.status_code == 400 and "code" in response.json()
    locked = api.post(VERIFY, {"otp_token": ticket, "code": code(device, 1)})
    assert locked.status_code == 429 and "Too many failed logins" in locked.json()["detail"]


def test_users_without_the_duty_get_tokens_at_once(make_user, boss, settings):
    make_user("pat", role="planner")
    assert "access" in APIClient().post(LOGIN, {"username": "pat", "password": PASSWORD}).json()
    settings.OTP_REQUIRED_FOR_ADMIN_ROLE = False
    assert "access" in APIClient().post(LOGIN, {"username": "boss", "password": PASSWORD}).json()
    # ... but whoever enrolled a device always needs its code.
    enrolled(boss)
    assert APIClient().post(LOGIN, {"username": "boss", "password": PASSWORD}).json()["otp_required"] is True


def test_a_forged_expired_or_outdated_login_token_is_a_400(boss, settings):
    device = enrolled(boss)
    api = APIClient()
    forged = api.post(VERIFY, {"otp_token": "not-a-token", "code": code(device, 1)})
    assert forged.status_code == 400 and "otp_token" in forged.json()
    ticket = api.post(LOGIN, {"username": "boss", "password": PASSWORD}).json()["otp_token"]
    boss.set_password("A-New-Password-42")
    boss.save()
    outdated = api.post(VERIFY, {"otp_token": ticket, "code": code(device, 1)})
    assert outdated.status_code == 400 and "otp_token" in outdated.json()
    settings.OTP_LOGIN_TICKET_SECONDS = -1
    ticket = api.post(LOGIN, {"username": "boss", "password": "A-New-Password-42"}).json()["otp_token"]
    assert api.post(VERIFY, {"otp_token": ticket, "code": code(device, 1)}).status_code == 400
    assert api.post(VERIFY, {"otp_token": ticket}).json() == {"code": ["This field is required."]}


def test_admin_login_sends_an_admin_without_a_device_to_enrol_first(boss):
    client = Client()
    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    # Logged in, but nothing of the admin (nor the API, by session) until the second factor is set up.
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/otp/enrol/"
    assert client.get("/api/v1/auth/me/").status_code in (401, 403)

    page = client.get("/admin/otp/enrol/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert "not valid" in client.post("/admin/otp/enrol/", {"code": "000000"}).content.decode()
    device = TOTPDevice.objects.get(user=boss, confirmed=False)
    done = client.post("/admin/otp/enrol/", {"code": code(device)})
    assert done.status_code == 200 and 'id="backup-codes"' in done.content.decode()
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/auth/me/").status_code == 200


def test_admin_login_asks_for_the_code_of_an_enrolled_user(boss):
    device = enrolled(boss)
    client = Client()
    page = client.get("/admin/login/")
    assert 'name="otp_token"' in page.content.decode()
    without = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert without.status_code == 200 and "Enter the current code" in without.content.decode()
    assert client.get("/admin/").status_code == 302
    with_code = client.post("/admin/login/", {"username": "boss", "password": PASSWORD, "otp_token": code(device, 1),
                                              "next": "/admin/"})
    assert with_code.status_code == 302 and client.get("/admin/").status_code == 200


def test_browsable_api_login_needs_the_code_too(boss):
    client = Client()
    refused = client.post("/api-auth/login/", {"username": "boss", "password": PASSWORD})
    assert refused.status_code == 200 and "second factor" in refused.content.decode()
    device = enrolled(boss)
    assert 'name="otp_token"' in client.get("/api-auth/login/").content.decode()
    wrong = client.post("/api-auth/login/", {"username": "boss", "password": PASSWORD, "otp_token": "123"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    ok = client.post("/api-auth/login/", {"username": "boss", "password": PASSWORD, "otp_token": code(device, 1),
                                          "next": "/api/v1/"})
    assert ok.status_code == 302 and client.get("/api/v1/auth/me/").status_code == 200
