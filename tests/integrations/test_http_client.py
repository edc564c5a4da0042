"""The shared HTTP client, against a loopback server: retries, waits, rate limit, safe errors."""

import logging
import random

import pytest
import requests

from integrations import errors
from integrations.http import (
    MOYSKLAD_RETRY_HEADERS,
    WB_RETRY_HEADERS,
    ClientConfig,
    HttpClient,
    RetryPolicy,
    TokenBucket,
    config_for_account,
    redact_text,
    redact_url,
)
from integrations.models import IntegrationAccount
from tests.integrations.loopback import Fault, LoopbackServer


class ScriptedServer(LoopbackServer):
    """Answers the queued faults in order, then 200 'ok'."""

    def reset(self):
        super().reset()
        self.faults = []

    def dispatch(self, request):
        from werkzeug import Response

        if self.faults:
            fault = self.faults.pop(0)
            if fault.delay:
                import time

                time.sleep(fault.delay)
            else:
                return Response(fault.body, status=fault.status, headers=fault.headers,
                                content_type=fault.content_type)
        return Response("ok")


@pytest.fixture(scope="module")
def _shared_server():
    s = ScriptedServer()
    s.reset()
    s.start()
    yield s
    s.stop()


@pytest.fixture
def server(_shared_server):
    _shared_server.reset()
    return _shared_server


def client(server, *, sleeps=None, retry=None, **config):
    sleeps = sleeps if sleeps is not None else []
    return HttpClient(account_name="Acme 1C", base_url=server.url("/api"), sleep=sleeps.append,
                      rng=random.Random(1), secrets=["s3cret-value"],
                      config=ClientConfig(retry=retry or RetryPolicy(max_attempts=4, backoff_base=0.01), **config))


def test_429_honours_retry_after(server):
    sleeps = []
    server.faults = [Fault(429, "Too many", headers={"Retry-After": "7"})]
    response = client(server, sleeps=sleeps).get("items")
    assert response.text == "ok"
    assert sleeps == [7.0]


def test_500_then_success_backs_off_with_jitter(server):
    sleeps = []
    server.faults = [Fault(500), Fault(502), Fault(503)]
    assert client(server, sleeps=sleeps).get("items").status_code == 200
    assert len(sleeps) == 3
    assert all(0 <= s <= 0.01 * 2 ** i for i, s in enumerate(sleeps))


def test_per_system_retry_headers():
    wb = RetryPolicy(retry_after_headers=WB_RETRY_HEADERS)
    ms = RetryPolicy(retry_after_headers=MOYSKLAD_RETRY_HEADERS)
    response = requests.Response()
    response.headers.update({"X-Ratelimit-Retry": "3", "X-Lognex-Retry-After": "1500"})
    assert wb.server_wait(response) == 3.0
    assert ms.server_wait(response) == 1.5
    assert RetryPolicy().server_wait(response) is None


def test_gives_up_when_the_wait_would_pass_max_total_wait(server):
    sleeps = []
    server.faults = [Fault(429, "slow", headers={"Retry-After": "3600"})]
    with pytest.raises(errors.RateLimited) as failure:
        client(server, sleeps=sleeps, retry=RetryPolicy(max_total_wait=60)).get("items")
    assert sleeps == []
    assert "max_total_wait" in str(failure.value) and "Acme 1C" in str(failure.value)


def test_exhausted_5xx_names_account_method_path_status_not_secrets(server):
    server.faults = [Fault(500, "boom s3cret-value")] * 4
    with pytest.raises(errors.UpstreamServerError) as failure:
        client(server).get("items", params={"key": "tok-123456", "page": 2})
    text = str(failure.value)
    assert text.startswith("Acme 1C: GET /api/items answered 500: boom ***")
    assert "after 4 attempt(s)" in text
    assert "tok-123456" not in text and "s3cret-value" not in text
    assert failure.value.upstream_status == 500 and failure.value.path == "/api/items"


def test_timeout_and_connection_errors(server):
    server.faults = [Fault(delay=0.5), Fault(delay=0.5)]
    with pytest.raises(errors.UpstreamTimeout, match="no answer within 0.1 s"):
        client(server, retry=RetryPolicy(max_attempts=2, backoff_base=0.001), read_timeout=0.1).get("slow")
    dead = HttpClient(account_name="Gone", base_url="http://127.0.0.1:9/", sleep=lambda s: None,
                      config=ClientConfig(retry=RetryPolicy(max_attempts=2)))
    with pytest.raises(errors.UpstreamUnreachable, match="Gone: GET /: connection failed after 2 attempt"):
        dead.get("")


def test_4xx_is_not_retried(server):
    server.faults = [Fault(404, "no such path")]
    sleeps = []
    with pytest.raises(errors.UpstreamClientError, match="answered 404: no such path"):
        client(server, sleeps=sleeps).get("missing")
    assert sleeps == []


def test_html_error_pages_are_named_not_quoted(server):
    server.faults = [Fault(404, "<html><body>nginx</body></html>", content_type="text/html")]
    with pytest.raises(errors.UpstreamClientError, match="an HTML page"):
        client(server).get("x")


def test_rate_limiter_waits_by_weight():
    now = [0.0]
    bucket = TokenBucket(rate=15, capacity=45, clock=lambda: now[0])  # MoySklad: 45 units / 3 s
    assert bucket.reserve(40) == 0
    assert bucket.reserve(5) == 0
    assert bucket.reserve(5) == pytest.approx(5 / 15)
    now[0] = 10
    assert bucket.reserve(5) == 0


def test_rate_limit_applied_to_requests(server, db):
    """The shared bucket (the database here, no REDIS_URL) reserves: each request after the first waits one
    more second. `sleep` is recorded, not slept, so the real clock hardly moves between requests."""
    sleeps = []
    c = client(server, sleeps=sleeps, rate_per_minute=60, rate_burst=1)
    for _ in range(3):
        c.get("x")
    assert sleeps == [pytest.approx(1.0, abs=0.2), pytest.approx(2.0, abs=0.2)]


def test_config_from_settings_and_account_options(settings):
    settings.INTEGRATIONS_HTTP = {"read_timeout": 11, "max_attempts": 2}
    account = IntegrationAccount(name="a", kind="onec", base_url="http://x", options={"read_timeout": 99,
                                 "backoff_max": 0.5, "unrelated": 1}, request_rate_per_minute=30)
    config = config_for_account(account, connect_timeout=3, read_timeout=120)
    assert (config.connect_timeout, config.read_timeout, config.rate_per_minute) == (3, 99, 30)
    assert (config.retry.max_attempts, config.retry.backoff_max) == (2, 0.5)


def test_redaction_helpers():
    assert redact_url("https://u:p@h/resto/api/auth?login=x&pass=abc&key=t") == \
        "https://h/resto/api/auth?login=***&pass=***&key=***"
    assert redact_text("GET /x?token=abc&page=1 by s3cret", ["s3cret"]) == "GET /x?token=***&page=1 by ***"


def test_urllib3_debug_log_lines_are_redacted(server, caplog):
    with caplog.at_level(logging.DEBUG, logger="urllib3.connectionpool"):
        client(server).get("items", params={"key": "tok-abcdef"})
    ours = [r for r in caplog.records if r.name.startswith("urllib3")]  # not the fake server's own access log
    assert any("items?key=***" in r.getMessage() for r in ours)
    assert all("tok-abcdef" not in r.getMessage() for r in ours)
