import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(monkeypatch):
    """DRF binds rates when the throttle class is defined; patch that dict for the test."""
    rates = dict(SimpleRateThrottle.THROTTLE_RATES)
    rates.update({"anon": "3/min", "user": "4/min", "auth": "50/min"})
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def test_anonymous_requests_are_throttled_with_retry_after(api_client, tight_rates):
    statuses = [api_client.get("/api/v1/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_health_is_never_throttled(api_client, tight_rates):
    assert {api_client.get("/health").status_code for _ in range(6)} == {200}


def test_authenticated_requests_are_throttled_per_user(client_for, tight_rates):
    client = client_for("viewer")
    statuses = [client.get("/api/v1/auth/me/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Another user has a budget of their own.
    assert client_for("viewer").get("/api/v1/auth/me/").status_code == 200


def test_auth_endpoints_have_a_stricter_scope(api_client, monkeypatch):
    rates = dict(SimpleRateThrottle.THROTTLE_RATES)
    rates.update({"anon": "1000/min", "auth": "2/min"})
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    body = {"email": "x@example.com"}
    statuses = [api_client.post("/api/v1/auth/password-reset/", body, format="json").status_code for _ in range(3)]
    assert statuses == [202, 202, 429]


def test_failed_logins_lock_the_user_even_with_the_right_password(make_user, api_client, settings):
    settings.LOGIN_FAILURES_PER_USER = 3
    make_user("dave")
    for _ in range(3):
        assert api_client.post("/api/v1/auth/login/", {"username": "dave", "password": "nope"}).status_code == 401
    locked = api_client.post("/api/v1/auth/login/", {"username": "dave", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "failed logins" in locked.json()["detail"]
    # Other users are not affected by dave's lock.
    make_user("erin")
    assert api_client.post("/api/v1/auth/login/", {"username": "erin", "password": PASSWORD}).status_code == 200


def test_failed_logins_are_limited_per_address_across_usernames(make_user, api_client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    settings.LOGIN_FAILURES_PER_USER = 100
    make_user("frank")
    for i in range(4):
        response = api_client.post("/api/v1/auth/login/", {"username": f"guess{i}", "password": "x"},
                                   REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 401
    blocked = api_client.post("/api/v1/auth/login/", {"username": "frank", "password": PASSWORD},
                              REMOTE_ADDR="203.0.113.9")
    assert blocked.status_code == 429
    other = api_client.post("/api/v1/auth/login/", {"username": "frank", "password": PASSWORD},
                            REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_a_successful_login_resets_the_user_counter(make_user, api_client, settings):
    settings.LOGIN_FAILURES_PER_USER = 3
    make_user("gina")
    for _ in range(2):
        api_client.post("/api/v1/auth/login/", {"username": "gina", "password": "nope"})
    assert api_client.post("/api/v1/auth/login/", {"username": "gina", "password": PASSWORD}).status_code == 200
    for _ in range(2):
        api_client.post("/api/v1/auth/login/", {"username": "gina", "password": "nope"})
    assert api_client.post("/api/v1/auth/login/", {"username": "gina", "password": PASSWORD}).status_code == 200


def test_admin_and_docs_pages_carry_security_headers(client, client_for, admin_user):
    login_page = client.get("/admin/login/")
    assert login_page.status_code == 200
    csp = login_page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert login_page["X-Frame-Options"] == "DENY"
    assert login_page["X-Content-Type-Options"] == "nosniff"
    client.force_login(admin_user)
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and "Content-Security-Policy" in docs
    # The Swagger UI initialiser is a separate script, so no inline script is needed.
    assert "<script>" not in docs.content.decode().replace(" ", "")
    api = client_for("viewer").get("/api/v1/auth/me/")
    assert "Content-Security-Policy" not in api
