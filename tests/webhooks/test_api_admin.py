"""/api/v1/webhooks/ for admins only, write-only secrets, clear 400s; the admin screens."""

import pytest

from tests.webhooks.conftest import SECRET
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhooks/endpoints/"
DELIVERIES = "/api/v1/webhooks/deliveries/"


@pytest.fixture
def admin_api(client_for):
    return client_for("admin")


@pytest.mark.parametrize("role, expected", [("anonymous", 401), ("viewer", 403), ("planner", 403),
                                            ("integrator", 403), ("admin", 200)])
def test_only_admins_see_webhooks(client_for, role, expected):
    client = client_for(role)
    assert client.get(ENDPOINTS).status_code == expected
    assert client.get(DELIVERIES).status_code == expected


def test_create_keeps_the_secret_write_only(admin_api):
    response = admin_api.post(ENDPOINTS, {"name": "ops", "url": "https://hooks.example.com/sf", "secret": SECRET,
                                          "events": ["sync.failed", "alert.opened"]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["has_secret"] is True and "secret" not in body
    assert body["events"] == ["alert.opened", "sync.failed"]
    listing = admin_api.get(ENDPOINTS)
    assert SECRET not in listing.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert SECRET not in endpoint.secret_encrypted  # encrypted at rest

    # An empty secret keeps the stored one; a new one replaces it.
    stored = endpoint.secret_encrypted
    assert admin_api.patch(f"{ENDPOINTS}{endpoint.pk}/", {"secret": "", "is_active": False}).status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret_encrypted == stored and endpoint.is_active is False
    assert admin_api.patch(f"{ENDPOINTS}{endpoint.pk}/", {"secret": "x" * 20}).status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret_encrypted != stored


@pytest.mark.parametrize("data, field", [
    ({"name": "a", "url": "http://hooks.example.com/", "secret": SECRET}, "url"),
    ({"name": "a", "url": "ftp://hooks.example.com/", "secret": SECRET}, "url"),
    ({"name": "a", "url": "https://hooks.example.com/"}, "secret"),
    ({"name": "a", "url": "https://hooks.example.com/", "secret": "short"}, "secret"),
    ({"name": "a", "url": "https://hooks.example.com/", "secret": SECRET, "events": ["sync.exploded"]}, "events"),
    ({"url": "https://hooks.example.com/", "secret": SECRET}, "name"),
])
def test_bad_input_is_a_400_naming_the_field(admin_api, settings, data, field):
    settings.WEBHOOKS_ALLOW_LOOPBACK_HTTP = False
    response = admin_api.post(ENDPOINTS, data)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert WebhookEndpoint.objects.count() == 0


def test_a_duplicate_name_is_a_400(admin_api):
    data = {"name": "ops", "url": "https://hooks.example.com/", "secret": SECRET}
    assert admin_api.post(ENDPOINTS, data).status_code == 201
    response = admin_api.post(ENDPOINTS, data)
    assert response.status_code == 400 and "name" in response.json()


def test_ping_and_retry_through_the_api(admin_api, httpserver, django_capture_on_commit_callbacks):
    httpserver.expect_ordered_request("/hook").respond_with_data("no", status=500)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok", status=200)
    created = admin_api.post(ENDPOINTS, {"name": "local", "url": httpserver.url_for("/hook"), "secret": SECRET})
    with django_capture_on_commit_callbacks(execute=True):
        ping = admin_api.post(f"{ENDPOINTS}{created.json()['id']}/ping/")
    assert ping.status_code == 202 and ping.json()["event"] == "webhook.ping"
    delivery = admin_api.get(f"{DELIVERIES}{ping.json()['id']}/").json()
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == ("retrying", 1, 500)
    assert "HTTP 500" in delivery["error"]

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_api.post(f"{DELIVERIES}{delivery['id']}/retry/").status_code == 202
    listing = admin_api.get(DELIVERIES, {"status": "succeeded"}).json()
    assert [row["id"] for row in listing["results"]] == [delivery["id"]]
    assert listing["results"][0]["endpoint_name"] == "local"
    assert admin_api.post(f"{DELIVERIES}999999/retry/").status_code == 404


def test_admin_screens_create_an_endpoint_with_a_write_only_secret(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/webhooks/webhookendpoint/add/")
    assert page.status_code == 200 and 'type="password"' in page.content.decode()
    response = client.post("/admin/webhooks/webhookendpoint/add/", {
        "name": "from admin", "url": "https://hooks.example.com/a", "secret": SECRET, "events": ["alert.opened"],
        "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get(name="from admin")
    assert endpoint.events == ["alert.opened"] and endpoint.has_secret
    change = client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    assert SECRET not in change.content.decode()
    bad = client.post("/admin/webhooks/webhookendpoint/add/", {"name": "insecure", "url": "http://hooks.example.com/",
                                                               "secret": SECRET})
    assert bad.status_code == 200 and "https://" in bad.content.decode()
    assert client.get("/admin/webhooks/webhookdelivery/").status_code == 200
    assert not WebhookDelivery.objects.exists()
