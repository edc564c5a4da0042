"""Common machinery of the loopback fake servers: a tiny WSGI app with routing, a request log,
fault injection, rate-limit buckets, synthetic org feeds and a ``serve()`` helper.

Why stdlib only: ``manage.py fake_upstreams`` ships with the product, so the fakes must not pull in
test-only packages. Everything binds to loopback; nothing here ever talks to the network beyond 127.0.0.1."""

from __future__ import annotations

import io
import json
import math
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"

_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def reason(status: int) -> str:
    return _REASONS.get(status, "Unknown")


@dataclass
class FakeRequest:
    """One parsed HTTP request as a handler sees it (header names are lower-case)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str]
    context: dict[str, Any] = field(default_factory=dict)  # per-request notes between hooks

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def args(self, name: str) -> list[str]:
        return list(self.query.get(name, []))

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class FakeResponse:
    status: int = 200
    body: bytes = b""
    content_type: str | None = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: Iterable[tuple[str, str]] = ()) -> FakeResponse:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(status, body, JSON_TYPE, list(headers))

    @classmethod
    def text(cls, text: str, status: int = 200, headers: Iterable[tuple[str, str]] = ()) -> FakeResponse:
        return cls(status, text.encode("utf-8"), TEXT_TYPE, list(headers))

    @classmethod
    def xml(cls, text: str, status: int = 200) -> FakeResponse:
        return cls(status, text.encode("utf-8"), XML_TYPE)


@dataclass(frozen=True)
class LoggedRequest:
    """What a test can assert on: the request as received, the answer's status and its timing."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int
    started: float
    finished: float
    fault: str | None = None

    def overlaps(self, other: LoggedRequest) -> bool:
        return self.started < other.finished and other.started < self.finished

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass
class _Fault:
    kind: str  # fail | delay | malformed
    remaining: int
    path: str | None
    query: dict[str, str] | None = None
    status: int = 500
    body: bytes | str | dict | list | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    response: FakeResponse | None = None


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Callable[..., FakeResponse]
    public: bool


class TokenBucket:
    """A leaky token bucket: ``capacity`` units, refilled continuously at ``refill_per_second``."""

    def __init__(
        self, capacity: float, refill_per_second: float, clock: Callable[[], float] = time.monotonic
    ):
        self.capacity = float(capacity)
        self.refill_per_second = float(refill_per_second)
        self.clock = clock
        self._level = float(capacity)
        self._stamp = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self._level = min(self.capacity, self._level + (now - self._stamp) * self.refill_per_second)
        self._stamp = now

    def take(self, amount: float = 1.0) -> tuple[bool, float, float]:
        """Try to spend ``amount``; returns (allowed, units left, seconds until ``amount`` is available)."""
        with self._lock:
            self._refill()
            if self._level >= amount:
                self._level -= amount
                return True, self._level, 0.0
            wait = (amount - self._level) / self.refill_per_second if self.refill_per_second else float("inf")
            return False, self._level, wait

    def seconds_to_full(self) -> float:
        with self._lock:
            self._refill()
            return (self.capacity - self._level) / self.refill_per_second if self.refill_per_second else 0.0


class FakeApp:
    """WSGI base of every fake: routes, request log, fault injection and per-system hooks.

    Subclasses register routes with ``self.route(method, regex, handler)``; a handler receives the
    ``FakeRequest`` plus the regex's named groups and returns a ``FakeResponse``.
    """

    system = "fake"

    def __init__(self) -> None:
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._faults: list[_Fault] = []
        self._in_flight = 0
        self.max_in_flight = 0
        self._build_lock = threading.RLock()  # guards lazily built data of the subclasses
        self.fail_rate = 0.0  # share of requests answered 503 at random (the playground's --fail-rate)
        self._fail_random = random.Random(0)

    # --- routing -------------------------------------------------------------------------------------------
    def route(
        self, method: str, pattern: str, handler: Callable[..., FakeResponse], *, public: bool = False
    ) -> None:
        self._routes.append(_Route(method.upper(), re.compile(pattern), handler, public))

    # --- hooks for subclasses ------------------------------------------------------------------------------
    def error_response(self, status: int, message: str) -> FakeResponse:
        """The system's error body shape; overridden per system."""
        return FakeResponse.json({"error": message}, status)

    def before_handler(self, request: FakeRequest, route_is_public: bool) -> FakeResponse | None:
        """Auth, rate limits and similar checks; return a response to stop the request there."""
        return None

    def finalize(self, request: FakeRequest, response: FakeResponse) -> FakeResponse:
        """Last touch on every response (e.g. MoySklad's gzip)."""
        return response

    def enter_request(self, request: FakeRequest) -> FakeResponse | None:
        """Called first, before faults; iiko uses it to refuse concurrent requests."""
        return None

    def leave_request(self, request: FakeRequest) -> None:
        return None

    # --- fault injection -----------------------------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        times: int = 1,
        body: bytes | str | dict | list | None = None,
        headers: dict[str, str] | Iterable[tuple[str, str]] | None = None,
        path: str | None = None,
        query: dict[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (default body: the system's error).

        ``path`` matches when it is a substring of the request path; ``query`` when every given parameter has
        that value (e.g. ``query={"page": "2"}`` to fail in the middle of paging).
        """
        header_list = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        with self._lock:
            self._faults.append(
                _Fault("fail", times, path, query, status=status, body=body, headers=header_list)
            )

    def delay_next(
        self, seconds: float, times: int = 1, path: str | None = None, query: dict[str, str] | None = None
    ) -> None:
        """Sleep before answering the next ``times`` matching requests, to trip client timeouts."""
        with self._lock:
            self._faults.append(_Fault("delay", times, path, query, seconds=seconds))

    def malformed_next(
        self, times: int = 1, path: str | None = None, query: dict[str, str] | None = None
    ) -> None:
        """Cut the next ``times`` matching response bodies in half (truncated JSON, broken XML)."""
        with self._lock:
            self._faults.append(_Fault("malformed", times, path, query))

    def throttle_next(
        self,
        retry_after: float = 1.0,
        times: int = 1,
        path: str | None = None,
        query: dict[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with this system's own 429 (body and retry header)."""
        response = self.rate_limited_response(retry_after)
        with self._lock:
            self._faults.append(_Fault("fail", times, path, query, status=429, response=response))

    def rate_limited_response(self, retry_after: float) -> FakeResponse:
        """The system's 429; the default carries ``Retry-After`` in whole seconds."""
        response = self.error_response(429, "Too many requests")
        response.headers.append(("Retry-After", str(max(1, math.ceil(retry_after)))))
        return response

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_faults(self, request: FakeRequest) -> list[_Fault]:
        taken: list[_Fault] = []
        with self._lock:
            kinds_seen: set[str] = set()
            for fault in self._faults:
                if fault.kind in kinds_seen or (fault.path and fault.path not in request.path):
                    continue
                if fault.query and any(request.arg(k) != str(v) for k, v in fault.query.items()):
                    continue
                kinds_seen.add(fault.kind)
                fault.remaining -= 1
                taken.append(fault)
            self._faults = [f for f in self._faults if f.remaining > 0]
        return taken

    # --- request log ---------------------------------------------------------------------------------------
    @property
    def requests(self) -> list[LoggedRequest]:
        """Every finished request so far, in order of arrival."""
        with self._lock:
            return sorted(self._log, key=lambda r: r.started)

    def requests_to(self, path_contains: str, method: str | None = None) -> list[LoggedRequest]:
        return [
            r for r in self.requests if path_contains in r.path and (method is None or r.method == method)
        ]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()
            self.max_in_flight = 0

    def overlapping_requests(self) -> list[tuple[LoggedRequest, LoggedRequest]]:
        """Pairs of requests that were being served at the same time (empty = strictly sequential)."""
        log = self.requests
        return [(a, b) for i, a in enumerate(log) for b in log[i + 1 :] if a.overlaps(b)]

    # --- WSGI ----------------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        request = self._parse(environ)
        started = time.monotonic()
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        fault_name = None
        try:
            response = self.enter_request(request)
            entered = response is None
            try:
                if response is None:
                    response, fault_name = self._dispatch(request)
            finally:
                if entered:
                    self.leave_request(request)
        except Exception as exc:  # a bug in a fake must still answer, and say what broke
            response = self.error_response(500, f"fake {self.system} server error: {exc!r}")
        finally:
            with self._lock:
                self._in_flight -= 1
        response = self.finalize(request, response)
        with self._lock:
            self._log.append(
                LoggedRequest(
                    request.method,
                    request.path,
                    request.query,
                    request.headers,
                    request.body,
                    response.status,
                    started,
                    time.monotonic(),
                    fault_name,
                )
            )
        headers = list(response.headers)
        if response.content_type and response.body:
            headers.append(("Content-Type", response.content_type))
        headers.append(("Content-Length", str(len(response.body))))
        start_response(f"{response.status} {reason(response.status)}", headers)
        return [response.body]

    def _dispatch(self, request: FakeRequest) -> tuple[FakeResponse, str | None]:
        malformed = False
        fault_name = None
        order = ("delay", "malformed", "fail")
        for fault in sorted(self._take_faults(request), key=lambda f: order.index(f.kind)):
            if fault.kind == "delay":
                time.sleep(fault.seconds)
                fault_name = "delay"
            elif fault.kind == "malformed":
                malformed = True
                fault_name = "malformed"
            elif fault.kind == "fail":
                return self._fault_response(fault), "fail"
        if self.fail_rate and self._fail_random.random() < self.fail_rate:
            return self.error_response(503, "Injected random failure (fail_rate); retry later"), "random"
        route, groups, allowed = self._match(request)
        if route is None:
            if allowed:
                return self.error_response(
                    405, f"Method {request.method} not allowed on {request.path}"
                ), fault_name
            return self.error_response(404, f"No such path: {request.path}"), fault_name
        response = self.before_handler(request, route.public)
        if response is None:
            response = route.handler(request, **groups)
        if malformed and response.body:
            response.body = response.body[: max(1, len(response.body) // 2)]
        return response, fault_name

    def _fault_response(self, fault: _Fault) -> FakeResponse:
        if fault.response is not None:
            prepared = fault.response
            return FakeResponse(prepared.status, prepared.body, prepared.content_type, list(prepared.headers))
        if fault.body is None:
            response = self.error_response(fault.status, f"Injected failure {fault.status}")
        elif isinstance(fault.body, (dict, list)):
            response = FakeResponse.json(fault.body, fault.status)
        elif isinstance(fault.body, str):
            response = FakeResponse.text(fault.body, fault.status)
        else:
            response = FakeResponse(fault.status, fault.body, TEXT_TYPE)
        response.headers = [*response.headers, *fault.headers]
        return response

    def _match(self, request: FakeRequest) -> tuple[_Route | None, dict[str, str], bool]:
        path_matched = False
        for route in self._routes:
            match = route.pattern.fullmatch(request.path)
            if not match:
                continue
            path_matched = True
            if route.method == request.method or (route.method == "GET" and request.method == "HEAD"):
                return route, match.groupdict(), True
        return None, {}, path_matched

    @staticmethod
    def _parse(environ: dict[str, Any]) -> FakeRequest:
        headers = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                headers[key[5:].replace("_", "-").lower()] = value
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        cookies: dict[str, str] = {}
        if "cookie" in headers:
            jar = SimpleCookie()
            try:
                jar.load(headers["cookie"])
            except Exception:  # a broken cookie header is the client's problem; ignore it like servers do
                jar = SimpleCookie()
            cookies = {k: morsel.value for k, morsel in jar.items()}
        # PATH_INFO is latin-1 decoded by wsgiref; re-decode as UTF-8 so Cyrillic paths survive.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        return FakeRequest(environ["REQUEST_METHOD"].upper(), path, query, headers, body, cookies)


# --- serving ------------------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def get_stderr(self) -> io.StringIO:  # wsgiref logs broken pipes there when a client times out
        return io.StringIO()


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that hung up (timeout tests) is expected; nothing to report


class RunningServer:
    """A fake served on loopback in a daemon thread; use as a context manager or call ``stop()``."""

    def __init__(self, app: FakeApp, server: _ThreadingWSGIServer, thread: threading.Thread) -> None:
        self.app = app
        self._server = server
        self._thread = thread
        self.host, self.port = server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(app: FakeApp, port: int = 0, host: str = "127.0.0.1") -> RunningServer:
    """Serve ``app`` on loopback (port 0 = any free port) in a daemon thread and return at once."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"Fake servers bind to loopback only, not {host!r}")
    server = _ThreadingWSGIServer((host, port), _QuietHandler)
    server.set_app(app)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"fake-{app.system}-{server.server_address[1]}",
        daemon=True,
    )
    thread.start()
    return RunningServer(app, server, thread)


# --- synthetic org feeds (shuffled, deep, cycles, unknown parents, duplicates) ---------------------------


def synthetic_org_tree(
    n_nodes: int, depth: int = 5, seed: int = 1, shuffle: bool = True, id_prefix: str = "N"
) -> list[dict[str, Any]]:
    """A tree of ``n_nodes`` generic nodes with at least ``depth`` levels, for feed overrides and benches.

    Nodes are dicts ``{id, parent_id (None for a root), code, name, is_group, type, inn}``; each fake renders
    them in its own wire format. Shuffled, children often come before their parents.
    """
    if n_nodes < 1:
        return []
    rnd = random.Random(seed)
    depth = max(1, min(depth, n_nodes))
    nodes: list[dict[str, Any]] = []
    for i in range(n_nodes):
        if i == 0:
            parent = None
        elif i < depth:
            parent = nodes[i - 1]["id"]  # the spine guarantees the requested depth
        else:
            parent = nodes[rnd.randrange(i)]["id"] if rnd.random() > 0.02 else None
        nodes.append(
            {
                "id": f"{id_prefix}{i + 1:07d}",
                "parent_id": parent,
                "code": f"{i + 1:06d}",
                "name": f"Подразделение {i + 1}",
                "is_group": False,
                "type": "DEPARTMENT",
                "inn": "",
            }
        )
    parents = {n["parent_id"] for n in nodes}
    for node in nodes:
        node["is_group"] = node["id"] in parents
    if shuffle:
        rnd.shuffle(nodes)
    return nodes


def with_cycle(nodes: list[dict[str, Any]], length: int = 3, id_prefix: str = "CYC") -> list[dict[str, Any]]:
    """Append ``length`` nodes whose parents form a loop (A → B → C → A)."""
    ids = [f"{id_prefix}{i + 1:04d}" for i in range(length)]
    extra = [
        {
            "id": ids[i],
            "parent_id": ids[(i + 1) % length],
            "code": ids[i],
            "name": f"Цикл {i + 1}",
            "is_group": True,
            "type": "DEPARTMENT",
            "inn": "",
        }
        for i in range(length)
    ]
    return [*nodes, *extra]


def with_unknown_parents(
    nodes: list[dict[str, Any]], count: int = 2, id_prefix: str = "ORPH"
) -> list[dict[str, Any]]:
    """Append ``count`` nodes whose parent id appears nowhere in the feed."""
    extra = [
        {
            "id": f"{id_prefix}{i + 1:04d}",
            "parent_id": f"MISSING{i + 1:04d}",
            "code": f"{id_prefix}{i + 1}",
            "name": f"Сирота {i + 1}",
            "is_group": False,
            "type": "DEPARTMENT",
            "inn": "",
        }
        for i in range(count)
    ]
    return [*nodes, *extra]


def with_duplicates(nodes: list[dict[str, Any]], count: int = 2, seed: int = 1) -> list[dict[str, Any]]:
    """Append later copies of ``count`` existing nodes with a changed name (the later copy should win)."""
    rnd = random.Random(seed)
    picked = rnd.sample(nodes, min(count, len(nodes)))
    return [*nodes, *({**node, "name": node["name"] + " (обновлено)"} for node in picked)]
