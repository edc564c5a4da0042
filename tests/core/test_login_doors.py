"""Every login door (admin, browsable API, JWT) shares one failed-login policy and one set of counters:
per username and address, per address, an owner's way back in, and no hint whether a username exists."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"
DOORS = ["admin", "api-auth", "jwt"]


def attempt(door: str, username: str, password: str, address: str) -> tuple[bool, str]:
    """One login through the given door from the given address: (let in?, the text shown)."""
    client = Client(REMOTE_ADDR=address)
    if door == "jwt":
        response = client.post("/api/v1/auth/login/", {"username": username, "password": password},
                               content_type="application/json")
        return response.status_code == 200, response.content.decode()
    path = "/admin/login/" if door == "admin" else "/api-auth/login/"
    response = client.post(path, {"username": username, "password": password, "next": "/api/v1/"})
    # Both session doors redirect on success and re-render the form with an error otherwise.
    return response.status_code == 302 and "_auth_user_id" in client.session, response.content.decode()


@pytest.fixture
def boss(make_user):
    """An admin: the account an attacker would most like to lock out."""
    return make_user("boss", role="admin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("door", DOORS)
def test_thirty_wrong_passwords_then_the_right_one_is_refused(door, boss):
    for _ in range(30):
        assert attempt(door, "boss", "wrong-password", ATTACKER)[0] is False
    let_in, text = attempt(door, "boss", PASSWORD, ATTACKER)
    assert let_in is False
    # The JWT door's request-rate throttle (THROTTLE_AUTH) may answer first; either way the right password is refused.
    assert "Too many failed logins" in text or (door == "jwt" and "throttled" in text)


@pytest.mark.parametrize("door", DOORS)
def test_five_failures_lock_the_username_at_that_address_only(door, boss):
    for _ in range(4):
        attempt(door, "boss", "wrong-password", ATTACKER)
    # Four failures: the owner still gets in, even from the attacker's address.
    assert attempt(door, "boss", PASSWORD, ATTACKER)[0] is True
    for _ in range(5):
        attempt(door, "boss", "wrong-password", ATTACKER)
    assert attempt(door, "boss", PASSWORD, ATTACKER)[0] is False
    # The attacker cannot lock the admin out: the owner's own address is unaffected.
    assert attempt(door, "boss", PASSWORD, OWNER)[0] is True


def test_one_set_of_counters_across_doors(boss):
    for door in ("admin", "admin", "api-auth", "api-auth", "jwt"):
        assert attempt(door, "boss", "wrong-password", ATTACKER)[0] is False
    for door in DOORS:
        let_in, text = attempt(door, "boss", PASSWORD, ATTACKER)
        assert let_in is False and "Too many failed logins" in text, door


@pytest.mark.parametrize("door", DOORS)
def test_the_address_is_limited_across_usernames(door, boss, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for i in range(6):
        attempt(door, f"guess{i}", "wrong-password", ATTACKER)
    assert attempt(door, "boss", PASSWORD, ATTACKER)[0] is False
    assert attempt(door, "boss", PASSWORD, OWNER)[0] is True


@pytest.mark.parametrize("door", DOORS)
def test_the_lockout_does_not_reveal_whether_the_username_exists(door, boss):
    answers = {}
    for username in ("boss", "nobody-by-this-name"):
        for _ in range(5):
            attempt(door, username, "wrong-password", ATTACKER)
        _, text = attempt(door, username, "wrong-password", ATTACKER)
        answers[username] = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+", "", text).replace(username, "<user>")
    assert answers["boss"] == answers["nobody-by-this-name"]
    assert "Too many failed logins" in answers["boss"]


def test_the_owner_gets_back_in_at_the_locked_address_with_the_reset_mail(boss, api_client):
    for _ in range(5):
        attempt("admin", "boss", "wrong-password", OWNER)
    assert attempt("admin", "boss", PASSWORD, OWNER)[0] is False

    api_client.post("/api/v1/auth/password-reset/", {"email": "boss@example.com"}, format="json")
    body = mail.outbox[-1].body
    uid = re.search(r"uid=([\w-]+)", body).group(1)
    token = re.search(r"token=([\w-]+)", body).group(1)
    new_password = "Another-Correct-Horse-7"
    confirmed = api_client.post("/api/v1/auth/password-reset/confirm/",
                                {"uid": uid, "token": token, "new_password": new_password}, format="json")
    assert confirmed.status_code == 200

    for door in DOORS:
        assert attempt(door, "boss", new_password, OWNER)[0] is True, door
