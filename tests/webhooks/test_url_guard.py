"""Webhook endpoints go through the product's one SSRF guard (core/url_guard.py): at save time on every door (API,
admin, service) and again at delivery time, after DNS resolution; redirects are never followed.

Receivers are real loopback servers (pytest-httpserver). Host names are resolved through a small table put in
front of `socket.getaddrinfo` (the operating system's resolver, not our code), so "a name that resolves to
loopback" and "a name that resolved to a public address at save time and to loopback later" are deterministic.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError

from tests.webhooks.conftest import SECRET
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhooks/endpoints/"
PUBLIC = "93.184.216.34"


@pytest.fixture
def dns(monkeypatch):
    """name → address for the names a test invents; every other name resolves as usual."""
    table: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in table:
            return real(table[name], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.fixture
def private_hosts_refused(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False


REFUSED = [
    ("http://127.0.0.1:8000/hook", "127.0.0.1 is a loopback address"),
    ("https://127.0.0.1/hook", "127.0.0.1 is a loopback address"),
    ("http://[::1]:8080/hook", "::1 is a loopback address"),
    ("http://localhost:8000/hook", "127.0.0.1 is a loopback address"),
    ("https://169.254.169.254/latest/meta-data/", "link-local"),
    ("https://10.0.0.5/hook", "private or reserved"),
    ("https://hooks.loopback.test/hook", "127.0.0.1 is a loopback address"),
    ("https://user:pw@hooks.example.com/hook", "user name or password"),
]


@pytest.mark.parametrize("url, reason", REFUSED)
def test_api_refuses_private_and_link_local_endpoints_naming_the_field(
    client_for, dns, private_hosts_refused, url, reason
):
    dns["hooks.loopback.test"] = "127.0.0.1"
    response = client_for("admin").post(ENDPOINTS, {"name": "x", "url": url, "secret": SECRET}, format="json")
    assert response.status_code == 400, response.content
    [message] = response.json()["url"]
    assert message.startswith("url: ") and reason in message, message
    if "loopback" in reason or "private" in reason:
        assert "WEBHOOKS_ALLOW_PRIVATE_HOSTS=true" in message
    assert not WebhookEndpoint.objects.exists()


def test_link_local_is_refused_even_where_private_hosts_are_allowed(client_for, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    response = client_for("admin").post(
        ENDPOINTS, {"name": "x", "url": "https://169.254.169.254/", "secret": SECRET}, format="json"
    )
    assert response.status_code == 400 and "link-local" in response.json()["url"][0]


def test_loopback_receiver_is_allowed_by_the_explicit_setting(httpserver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    endpoint = services.create_endpoint(name="local", url=httpserver.url_for("/hook"), secret=SECRET)
    assert urlsplit(endpoint.url).hostname in {"localhost", "127.0.0.1"}


def test_patch_to_a_private_host_is_refused_and_changes_nothing(client_for, private_hosts_refused):
    endpoint = services.create_endpoint(name="ops", url=f"https://{PUBLIC}/hook", secret=SECRET)
    response = client_for("admin").patch(f"{ENDPOINTS}{endpoint.pk}/", {"url": "https://[::1]/hook"}, format="json")
    assert response.status_code == 400 and "::1 is a loopback address" in response.json()["url"][0]
    endpoint.refresh_from_db()
    assert endpoint.url == f"https://{PUBLIC}/hook"


def test_the_services_refuse_too(private_hosts_refused):
    with pytest.raises(ValidationError) as refused:
        services.create_endpoint(name="meta", url="https://169.254.169.254/", secret=SECRET)
    assert "link-local" in refused.value.message_dict["url"][0]
    endpoint = services.create_endpoint(name="ops", url=f"https://{PUBLIC}/hook", secret=SECRET)
    with pytest.raises(ValidationError) as refused:
        services.update_endpoint(endpoint, url="https://192.168.1.10/hook")
    assert "private" in refused.value.message_dict["url"][0]


def test_admin_form_refuses_a_loopback_endpoint_with_the_reason(client, admin_user, private_hosts_refused):
    client.force_login(admin_user)
    page = client.post(
        "/admin/webhooks/webhookendpoint/add/",
        {"name": "loop", "url": "https://127.0.0.1:9000/hook", "secret": SECRET, "is_active": "on"},
    )
    assert page.status_code == 200
    assert "127.0.0.1 is a loopback address" in page.content.decode()
    assert not WebhookEndpoint.objects.exists()


# --- at delivery time ---------------------------------------------------------------------------------------------


def test_a_stored_loopback_endpoint_gets_nothing_once_private_hosts_are_refused(endpoint, emit, httpserver, settings):
    """Saved while allowed; delivery checks again under today's settings and sends nothing."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    [delivery_id] = emit("alert.opened", {"alert_id": 1})
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.status == "retrying" and delivery.response_status is None
    assert delivery.error.startswith("url: ") and "loopback" in delivery.error
    assert "WEBHOOKS_ALLOW_PRIVATE_HOSTS" in delivery.error
    assert httpserver.log == []


def test_a_name_that_resolves_to_loopback_at_delivery_is_refused_after_resolution(dns, emit, httpserver, settings):
    """DNS rebinding: public when saved, loopback when delivered. The socket's peer is checked before TLS starts,
    so not a byte of the signed body reaches the loopback server."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    dns["hooks.rebind.test"] = PUBLIC
    url = f"https://hooks.rebind.test:{httpserver.port}/hook"
    services.create_endpoint(name="rebind", url=url, secret=SECRET)
    dns["hooks.rebind.test"] = "127.0.0.1"
    [delivery_id] = emit("sync.failed", {"account": "x"})
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.status == "retrying"
    assert "hooks.rebind.test resolved to a refused address: 127.0.0.1 is a loopback address" in delivery.error
    assert httpserver.log == []


def test_redirects_are_not_followed(endpoint, emit, httpserver):
    httpserver.expect_request("/hook").respond_with_data(
        "", status=307, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    [delivery_id] = emit("alert.opened", {"alert_id": 2})
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.response_status) == ("retrying", 307)
    assert [request.path for request, _ in httpserver.log] == ["/hook"]
