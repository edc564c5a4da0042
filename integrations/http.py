"""The one HTTP client every connector uses (a requests.Session with the manners remote systems expect).

* timeouts (connect, read), overridable per account through `account.options`;
* retries with exponential backoff and full jitter on connection errors, timeouts, 5xx and 429, honouring
  `Retry-After` and per-system headers (WB `X-Ratelimit-Retry` in s, MoySklad `X-Lognex-Retry-After` in ms);
* a per-account token-bucket rate limiter, shared by every client of the account in every process, with
  request weights (MoySklad counts some requests as 5 units);
* a bound on the total time spent waiting, so a sync never sleeps for hours on a hostile Retry-After;
* errors as IntegrationError subclasses naming account, method, URL path and status, never a secret:
  query values of `key`, `pass`, `token`… are redacted, and so is every known secret value of the account.

`sleep` and `clock` are injectable so tests assert the waits without waiting.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
from django.conf import settings
from django.utils.translation import gettext

from integrations import errors
from integrations.safety import BlockedAddress, UnsafeURL, check_url, guard_session

logger = logging.getLogger("integrations")

# `login` too: it is stored with the secrets (write-only, never shown), so a request line must not show it either.
SENSITIVE_QUERY_KEYS = frozenset(
    {"key", "pass", "password", "token", "access_token", "apikey", "api_key", "secret", "apilogin", "auth", "login"}
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDACTED = "***"
SNIPPET_CHARS = 120  # the most of an upstream error body ever quoted
SNIPPET_READ_BYTES = 4096
_NOT_PRINTABLE_RE = re.compile(r"[^\w\s.,:;!?'\"()\[\]{}<>=+\-*/#%&@$|~^`]", re.UNICODE)


def sanitise_excerpt(text: str, limit: int = SNIPPET_CHARS) -> str:
    """One line of at most `limit` printable characters: control and odd characters become '?'."""
    text = " ".join(text.split())
    text = _NOT_PRINTABLE_RE.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def redact_url(url: str) -> str:
    """The URL with the values of sensitive query parameters replaced by ***, and no user:password@."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = urlencode(
        [(k, _REDACTED if k.lower() in SENSITIVE_QUERY_KEYS else v) for k, v in parse_qsl(parts.query, True)],
        safe="*/:",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


_SENSITIVE_ALTERNATION = "|".join(sorted(SENSITIVE_QUERY_KEYS))
_URL_QUERY_RE = re.compile(rf"([?&](?:{_SENSITIVE_ALTERNATION})=)[^&\s\"']*", re.IGNORECASE)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    text = _URL_QUERY_RE.sub(r"\1" + _REDACTED, text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, _REDACTED)
    return text


class _RedactingFilter(logging.Filter):
    """urllib3 logs request lines with their query (`GET /resto/api/x?key=<token>`) at DEBUG: redact them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(redact_text(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact_text(str(record.msg))
        return True


def install_log_redaction() -> None:
    for name in ("urllib3.connectionpool", "requests"):
        target = logging.getLogger(name)
        if not any(isinstance(f, _RedactingFilter) for f in target.filters):
            target.addFilter(_RedactingFilter())


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base: float = 0.5  # seconds; attempt n waits up to base * 2**(n-1), jittered
    backoff_max: float = 30.0
    max_total_wait: float = 300.0  # give up rather than wait longer than this in one request's retries
    statuses: frozenset[int] = RETRY_STATUSES
    # Headers telling how long to wait, with their unit in seconds (1.0 = s, 0.001 = ms), in order of preference.
    retry_after_headers: tuple[tuple[str, float], ...] = (("Retry-After", 1.0),)

    def backoff(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0, min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1)))

    def server_wait(self, response: requests.Response) -> float | None:
        for header, unit in self.retry_after_headers:
            raw = response.headers.get(header)
            if raw is None:
                continue
            raw = raw.strip()
            try:
                return max(0.0, float(raw) * unit)
            except ValueError:
                pass
            try:  # Retry-After may be an HTTP date
                when = parsedate_to_datetime(raw)
                return max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError):
                continue
        return None


WB_RETRY_HEADERS = (("X-Ratelimit-Retry", 1.0), ("Retry-After", 1.0))
MOYSKLAD_RETRY_HEADERS = (("X-Lognex-Retry-After", 0.001), ("X-Lognex-Retry-TimeInterval", 0.001),
                          ("Retry-After", 1.0))


class TokenBucket:
    """`rate` units per second, bursts up to `capacity`. acquire(weight) waits until the units are there."""

    def __init__(self, rate: float, capacity: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError("TokenBucket needs a positive rate and capacity.")
        self.rate = rate
        self.capacity = capacity
        self._tokens = capacity
        self._clock = clock
        self._updated = clock()
        self._lock = threading.Lock()

    def reserve(self, weight: float = 1.0) -> float:
        """Take `weight` units now (possibly going negative) and return how long to wait before using them."""
        weight = min(weight, self.capacity)
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= weight
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate


def shared_bucket(key: str, rate_per_minute: float, capacity: float | None = None) -> Any:
    """The account's bucket shared by every process (Redis when REDIS_URL is set, else the database): two
    workers syncing one account together stay within its limit (integrations/limits.py)."""
    from integrations.limits import shared_token_bucket

    rate = rate_per_minute / 60.0
    capacity = capacity or max(1.0, min(rate_per_minute, rate * 10))
    return shared_token_bucket(key, rate, capacity)


@dataclass(frozen=True)
class ClientConfig:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    rate_per_minute: float | None = None
    rate_burst: float | None = None
    verify_tls: bool = True


def config_for_account(account: Any, **defaults: Any) -> ClientConfig:
    """Connector defaults ← settings.INTEGRATIONS_HTTP ← account.options (the most specific wins).

    Keys: connect_timeout, read_timeout, max_attempts, backoff_base, backoff_max, max_total_wait,
    rate_per_minute (also the account's request_rate_per_minute field), rate_burst, verify_tls.
    """
    merged: dict[str, Any] = {**defaults, **getattr(settings, "INTEGRATIONS_HTTP", {})}
    options = getattr(account, "options", None) or {}
    if not isinstance(options, dict):  # a row stored before options had a schema (integrations/options.py)
        raise errors.ConfigurationError(gettext("options must be an object of settings, not %(options)r") % {
                                            "options": options,
                                        },
                                        account=getattr(account, "name", ""))
    merged.update({k: v for k, v in options.items() if k in _CONFIG_KEYS})
    if getattr(account, "request_rate_per_minute", None):
        merged["rate_per_minute"] = account.request_rate_per_minute
    retry_fields = {k: merged.pop(k) for k in list(merged) if k in _RETRY_KEYS}
    retry = merged.pop("retry", RetryPolicy())
    if retry_fields:
        retry = replace(retry, **retry_fields)
    return ClientConfig(retry=retry, **{k: v for k, v in merged.items() if k in _CLIENT_KEYS})


_RETRY_KEYS = {"max_attempts", "backoff_base", "backoff_max", "max_total_wait", "retry_after_headers"}
_CLIENT_KEYS = {"connect_timeout", "read_timeout", "rate_per_minute", "rate_burst", "verify_tls"}
_CONFIG_KEYS = _RETRY_KEYS - {"retry_after_headers"} | _CLIENT_KEYS


class HttpClient:
    """A session bound to one account's base URL, with retries, rate limit and safe errors.

    `request()` returns the final successful response (2xx/3xx) or raises an IntegrationError subclass;
    pass `allow_statuses` to get certain error statuses back instead (e.g. iiko's 401 → re-login).
    """

    def __init__(
        self,
        *,
        account_name: str,
        base_url: str,
        config: ClientConfig | None = None,
        headers: Mapping[str, str] | None = None,
        auth: Any = None,
        secrets: Iterable[str] = (),
        rate_limit_key: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.account_name = account_name
        self.base_url = base_url.rstrip("/") + "/"
        self.config = config or ClientConfig()
        # Every session talks through the SSRF guard (integrations/safety.py): public http(s) addresses only.
        self.session = guard_session(session or requests.Session())
        self.session.headers.update({"User-Agent": "salesforecast/1.0", **(headers or {})})
        if auth is not None:
            self.session.auth = auth
        self.session.verify = self.config.verify_tls
        self.secrets = [s for s in secrets if s]
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.bucket = (
            shared_bucket(rate_limit_key or account_name, self.config.rate_per_minute, self.config.rate_burst)
            if self.config.rate_per_minute else None
        )
        self.requests_sent = 0
        self.total_waited = 0.0

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def add_secret(self, value: str) -> None:
        """Tokens obtained at run time are secrets too: keep them out of every error text."""
        if value:
            self.secrets.append(value)

    def url_for(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else urljoin(self.base_url, path.lstrip("/"))

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        weight: float = 1.0,
        allow_statuses: Iterable[int] = (),
        timeout: tuple[float, float] | None = None,
    ) -> requests.Response:
        url = self.url_for(path)
        try:
            check_url(url, field="URL", resolve=False)
        except UnsafeURL as exc:
            raise errors.DisallowedHost(str(exc), **self._where(method, url)) from None
        allowed = set(allow_statuses)
        retry = self.config.retry
        timeout = timeout or (self.config.connect_timeout, self.config.read_timeout)
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            if self.bucket is not None:
                self._wait(self.bucket.reserve(weight))
            failure: errors.IntegrationError
            server_wait: float | None = None
            try:
                self.requests_sent += 1
                response = self.session.request(method, url, params=params, json=json, data=data, headers=headers,
                                                timeout=timeout)
            except BlockedAddress as exc:
                raise errors.DisallowedHost(str(exc), **self._where(method, url)) from None
            except requests.Timeout:
                failure = errors.UpstreamTimeout(
                    gettext("no answer within %(timeout)s s (connect %(timeout2)s s) after %(attempt)s "
                            "attempt(s)") % {
                        "timeout": format(timeout[1], "g"),
                        "timeout2": format(timeout[0], "g"),
                        "attempt": attempt,
                    },
                    **self._where(method, url))
            except requests.ConnectionError as exc:
                failure = errors.UpstreamUnreachable(
                    gettext("connection failed after %(attempt)s attempt(s) (%(name)s)") % {
                        "attempt": attempt,
                        "name": type(exc).__name__,
                    }, **self._where(method, url))
            except requests.RequestException as exc:
                raise errors.UpstreamClientError(gettext("request could not be sent (%(name)s)") % {
                                                     "name": type(exc).__name__,
                                                 },
                                                 **self._where(method, url)) from None
            else:
                status = response.status_code
                if status < 400 or status in allowed:
                    return response
                if status not in retry.statuses:
                    raise self._status_error(method, response)
                failure = self._status_error(method, response, attempts=attempt)
                server_wait = retry.server_wait(response)
                response.close()
            if attempt >= retry.max_attempts:
                raise failure
            wait = server_wait if server_wait is not None else retry.backoff(attempt, self.rng)
            if waited + wait > retry.max_total_wait:
                raise type(failure)(
                    f"{failure.detail}; giving up: waiting {wait:g} s more would pass the limit of "
                    f"{retry.max_total_wait:g} s (max_total_wait)",
                    account=failure.account, method=failure.method, path=failure.path, status=failure.status,
                ) from None
            logger.warning("retrying request", extra={"account": self.account_name, "method": method,
                                                      "url": redact_url(url), "attempt": attempt,
                                                      "wait_s": round(wait, 3), "reason": type(failure).__name__})
            self._wait(wait)
            waited += wait

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.total_waited += seconds
            self.sleep(seconds)

    def _where(self, method: str, url: str, status: int | None = None) -> dict[str, Any]:
        parts = urlsplit(redact_url(url))
        return {"account": self.account_name, "method": method, "path": parts.path, "status": status}

    def _status_error(self, method: str, response: requests.Response, attempts: int | None = None
                      ) -> errors.IntegrationError:
        status = response.status_code
        body = self.snippet(response)
        suffix = f" (after {attempts} attempt(s))" if attempts and attempts > 1 else ""
        where = self._where(method, response.request.url if response.request else "", status)
        message = (body or response.reason or "no details") + suffix
        if status == 401:
            return errors.AuthenticationFailed(message, **where)
        if status == 403:
            return errors.PermissionDeniedUpstream(message, **where)
        if status == 429:
            return errors.RateLimited(message, **where)
        if status >= 500:
            return errors.UpstreamServerError(message, **where)
        return errors.UpstreamClientError(message, **where)

    def snippet(self, response: requests.Response, limit: int = SNIPPET_CHARS) -> str:
        """A short, redacted, single-line quote of an error body (HTML pages are named, not quoted).

        The text ends up in run errors, the API and failure mails, so it is capped at `limit` characters of
        printable text: whatever an upstream answers (a page, a dump, a script), only a hint of it is echoed.
        """
        content_type = response.headers.get("Content-Type", "")
        if "html" in content_type.lower():
            return "an HTML page (a proxy or web server answered, not the API)"
        try:
            raw = response.content[:SNIPPET_READ_BYTES]
            text = raw.decode(response.encoding or "utf-8", errors="replace")
        except Exception:  # noqa: BLE001 - a body we cannot decode is not worth failing over
            return ""
        return sanitise_excerpt(redact_text(text, self.secrets), limit)


def build_client(account: Any, *, headers: Mapping[str, str] | None = None, auth: Any = None,
                 secrets: Iterable[str] = (), defaults: Mapping[str, Any] | None = None,
                 base_url: str | None = None, **kwargs: Any) -> HttpClient:
    """An HttpClient for an IntegrationAccount, configured from connector defaults, settings and options."""
    return HttpClient(
        account_name=account.name,
        base_url=base_url or account.base_url,
        config=config_for_account(account, **(defaults or {})),
        headers=headers,
        auth=auth,
        secrets=secrets,
        rate_limit_key=f"account:{account.pk or account.name}",
        **kwargs,
    )
