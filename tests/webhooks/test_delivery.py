"""Signed deliveries to a real loopback receiver, retries with backoff, giving up, subscriptions."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.webhooks.conftest import SECRET
from webhooks import services
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def test_a_committed_event_reaches_the_receiver_signed(endpoint, emit, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_json({"ok": True})
    [delivery_id] = emit("sync.failed", {"account": {"name": "iiko main"}, "when": timezone.now()})

    [(request, response)] = httpserver.log
    body = request.get_data()
    document = json.loads(body)
    assert document["event"] == "sync.failed" and document["data"]["account"] == {"name": "iiko main"}
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert document["id"] == str(delivery.event_id) == request.headers["X-Salesforecast-Delivery"]
    assert request.headers["X-Salesforecast-Event"] == "sync.failed"
    assert request.headers["Content-Type"] == "application/json"
    stamp, signature = request.headers["X-Salesforecast-Timestamp"], request.headers["X-Salesforecast-Signature"]
    assert signature.startswith("sha256=")
    assert services.verify(SECRET, stamp, body, signature)
    # A wrong secret, a changed body or an old timestamp (a replay) do not verify.
    assert not services.verify("another-secret-of-length", stamp, body, signature)
    assert not services.verify(SECRET, stamp, body.replace(b"iiko", b"ikko"), signature)
    assert not services.verify(SECRET, stamp, body, signature, now=int(stamp) + 3600)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)
    assert delivery.delivered_at is not None and delivery.error == ""


def test_a_rolled_back_change_sends_nothing(endpoint, httpserver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.emit_event("alert.opened", {"alert_id": 1})
            raise RuntimeError("the change failed")
    assert callbacks == [] and WebhookDelivery.objects.count() == 0
    assert httpserver.log == []


def test_a_failed_delivery_is_retried_with_backoff_and_then_delivered(endpoint, emit, httpserver,
                                                                      django_capture_on_commit_callbacks):
    httpserver.expect_ordered_request("/hook", method="POST").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/hook", method="POST").respond_with_data("thanks", status=204)
    [delivery_id] = emit("forecast.run_finished", {"run_id": 7, "status": "succeeded"})

    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 503)
    assert "HTTP 503" in delivery.error and delivery.response_excerpt == "busy"
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(seconds=30)

    # Not due yet: the minutely schedule leaves it alone.
    assert services.retry_due_deliveries() == []
    # The 30 seconds pass (the row's due time moves back instead of the test sleeping).
    WebhookDelivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_deliveries() == [delivery_id]

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.error) == ("succeeded", 2, 204, "")
    first, second = (request for request, _ in httpserver.log)
    # The same event id on every attempt, so the receiver can de-duplicate.
    assert first.headers["X-Salesforecast-Delivery"] == second.headers["X-Salesforecast-Delivery"]
    assert first.get_data() == second.get_data()


def test_backoff_doubles_up_to_the_maximum(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS, settings.WEBHOOKS_RETRY_MAX_SECONDS = 30, 3600
    assert [services.backoff_seconds(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]


def test_delivery_gives_up_after_the_last_attempt_and_an_admin_can_send_it_again(
        endpoint, emit, httpserver, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    httpserver.expect_request("/hook", method="POST").respond_with_data("down", status=500)
    [delivery_id] = emit("proposals.ready", {"proposal_run_id": 3})
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    services.deliver(delivery_id, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert services.retry_due_deliveries(now=timezone.now() + timedelta(days=1)) == []

    httpserver.clear()
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_now(delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


def test_an_unreachable_endpoint_and_a_redirect_count_as_failures(db, emit, httpserver):
    services.create_endpoint(name="closed port", url="http://127.0.0.1:9/hook", secret=SECRET)
    services.create_endpoint(name="redirects", url=httpserver.url_for("/moved"), secret=SECRET)
    httpserver.expect_request("/moved").respond_with_data("", status=302, headers={"Location": "https://evil.example/"})
    emit("alert.resolved", {"alert_id": 2})
    outcomes = {d.endpoint.name: d for d in WebhookDelivery.objects.select_related("endpoint")}
    assert outcomes["closed port"].status == "retrying" and "ConnectionError" in outcomes["closed port"].error
    assert outcomes["redirects"].status == "retrying" and outcomes["redirects"].response_status == 302
    assert len(httpserver.log) == 1, "the redirect was not followed"


def test_only_active_endpoints_subscribed_to_the_event_receive_it(db, emit, httpserver):
    httpserver.expect_request("/alerts").respond_with_data("ok")
    httpserver.expect_request("/all").respond_with_data("ok")
    services.create_endpoint(name="alerts only", url=httpserver.url_for("/alerts"), secret=SECRET,
                             events=["alert.opened"])
    services.create_endpoint(name="everything", url=httpserver.url_for("/all"), secret=SECRET)
    services.create_endpoint(name="switched off", url=httpserver.url_for("/off"), secret=SECRET, is_active=False)

    emit("sync.recovered", {"run_id": 1})
    emit("alert.opened", {"alert_id": 1})
    received = sorted((request.path, json.loads(request.get_data())["event"]) for request, _ in httpserver.log)
    assert received == [("/alerts", "alert.opened"), ("/all", "alert.opened"), ("/all", "sync.recovered")]
    # One event id per event, shared by every endpoint that received it.
    opened = WebhookDelivery.objects.filter(event="alert.opened")
    assert opened.count() == 2 and len({d.event_id for d in opened}) == 1


def test_no_endpoint_means_no_rows_and_an_unknown_event_is_a_programming_error(db):
    assert services.emit_event("sync.failed", {}) == []
    with pytest.raises(ValueError, match="Unknown webhook event"):
        services.emit_event("sync.exploded", {})
