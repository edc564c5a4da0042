import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: APIClient, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/login/", {"username": username, "password": password}, format="json")


def test_login_refresh_logout_blacklists_the_refresh_token(make_user, api_client):
    make_user("alice", role="viewer")
    response = login(api_client, "alice")
    assert response.status_code == 200, response.content
    access, refresh = response.json()["access"], response.json()["refresh"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    me = api_client.get("/api/v1/auth/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "alice"
    assert me.json()["groups"] == ["viewer"]
    assert "sales.view_dailysale" in me.json()["permissions"]
    assert "sales.add_dailysale" not in me.json()["permissions"]

    refreshed = api_client.post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json")
    assert refreshed.status_code == 200
    new_refresh = refreshed.json()["refresh"]
    # Rotation blacklists the old refresh token at once.
    assert api_client.post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json").status_code == 401

    assert api_client.post("/api/v1/auth/logout/", {"refresh": new_refresh}, format="json").status_code == 200
    again = api_client.post("/api/v1/auth/refresh/", {"refresh": new_refresh}, format="json")
    assert again.status_code == 401
    assert "blacklist" in again.json()["detail"].lower()


def test_wrong_password_and_missing_fields(make_user, api_client):
    make_user("bob")
    assert login(api_client, "bob", "wrong").status_code == 401
    response = api_client.post("/api/v1/auth/login/", {"username": "bob"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_me_requires_authentication(api_client):
    response = api_client.get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_password_reset_mail_and_confirm(make_user, api_client):
    make_user("carol")
    response = api_client.post("/api/v1/auth/password-reset/", {"email": "CAROL@example.com"}, format="json")
    assert response.status_code == 202
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["carol@example.com"]
    uid = re.search(r"uid=([\w-]+)", body).group(1)
    token = re.search(r"token=([\w-]+)", body).group(1)

    weak = api_client.post(
        "/api/v1/auth/password-reset/confirm/", {"uid": uid, "token": token, "new_password": "123"}, format="json"
    )
    assert weak.status_code == 400 and "new_password" in str(weak.json()) or "password" in str(weak.json()).lower()

    new_password = "Another-Strong-Passphrase-42"
    ok = api_client.post(
        "/api/v1/auth/password-reset/confirm/", {"uid": uid, "token": token, "new_password": new_password},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert login(api_client, "carol", new_password).status_code == 200
    # The token is single-use: the password hash changed, so the same link no longer works.
    reused = api_client.post(
        "/api/v1/auth/password-reset/confirm/", {"uid": uid, "token": token, "new_password": new_password + "x"},
        format="json",
    )
    assert reused.status_code == 400 and "token" in reused.json()


def test_password_reset_for_unknown_address_says_the_same_and_sends_nothing(api_client, db):
    response = api_client.post("/api/v1/auth/password-reset/", {"email": "nobody@example.com"}, format="json")
    assert response.status_code == 202
    assert mail.outbox == []


def test_password_reset_rejects_a_forged_uid(api_client, db):
    response = api_client.post(
        "/api/v1/auth/password-reset/confirm/", {"uid": "bm9wZQ", "token": "x-y", "new_password": "Abcdefgh-12345"},
        format="json",
    )
    assert response.status_code == 400 and "uid" in response.json()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("viewer", 403), ("planner", 403), ("integrator", 403), ("admin", 200), ("superuser", 200)],
)
def test_users_api_is_for_admins_only(client_for, role, expected):
    response = client_for(role).get("/api/v1/users/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["count"] >= 1
        groups = client_for(role).get("/api/v1/groups/")
        assert {g["name"] for g in groups.json()["results"]} >= {"viewer", "planner", "integrator", "admin"}


@pytest.mark.parametrize("role", ["viewer", "planner", "integrator"])
def test_non_admin_roles_cannot_write_users(client_for, role):
    response = client_for(role).post("/api/v1/users/", {"username": "eve"}, format="json")
    assert response.status_code in (403, 405)


def test_user_without_role_reads_nothing_guarded_by_model_permissions(make_user, db):
    client = APIClient()
    client.force_authenticate(make_user("norole"))
    assert client.get("/api/v1/groups/").status_code == 403
