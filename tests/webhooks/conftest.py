import pytest
from django.db import transaction

from webhooks import services

SECRET = "a-long-enough-signing-secret"


@pytest.fixture(autouse=True)
def _loopback_receivers(settings):
    """Receivers in these tests are pytest-httpserver on loopback, over plain HTTP; deliveries run inline.
    Loopback is a private host for the SSRF guard: allowed here explicitly (test_url_guard.py switches it off)."""
    settings.WEBHOOKS_ALLOW_LOOPBACK_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}


@pytest.fixture
def endpoint(db, httpserver):
    return services.create_endpoint(name="ops hook", url=httpserver.url_for("/hook"), secret=SECRET)


@pytest.fixture
def emit(django_capture_on_commit_callbacks):
    """Emit in a committed transaction, running the after-commit callbacks (the queued deliveries)."""

    def _emit(name: str, payload: dict) -> list[int]:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return services.emit_event(name, payload)

    return _emit
