"""Loopback fake 1C and iiko servers for tests (real HTTP over 127.0.0.1 via pytest-httpserver).

Each fake keeps its feed, a queue of injected faults and a log of what it saw, so tests can assert e.g.
that every iiko token obtained was logged out.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

ZERO_GUID = "00000000-0000-0000-0000-000000000000"


@dataclass
class Fault:
    """An injected answer: a status (with headers/body), or a delay before answering normally."""

    status: int = 500
    body: str = "Internal error"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/plain"


class LoopbackServer:
    def __init__(self) -> None:
        self.server = HTTPServer(host="127.0.0.1", threaded=True)
        self.server.expect_request(re.compile(".*")).respond_with_handler(self._handle)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, dict[str, str]]] = []

    def start(self) -> LoopbackServer:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    def reset(self) -> None:
        """Back to a fresh state between tests (the server itself is shared: stopping one costs 0.5 s)."""
        with self.lock:
            self.requests.clear()

    def url(self, path: str = "") -> str:
        return self.server.url_for(path).rstrip("/")

    def _handle(self, request: Request) -> Response:
        with self.lock:
            self.requests.append((request.method, request.path, dict(request.args)))
        return self.dispatch(request)

    def dispatch(self, request: Request) -> Response:  # pragma: no cover - overridden
        raise NotImplementedError


def _fault_response(fault: Fault) -> Response | None:
    if fault.delay:
        time.sleep(fault.delay)
        return None
    return Response(fault.body, status=fault.status, headers=fault.headers, content_type=fault.content_type)


class OneCServer(LoopbackServer):
    """`GET <prefix>/branches?page=&page_size=` with X-API-Key (external-apis.md section 6)."""

    def __init__(self, api_key: str = "onec-test-key-0001", prefix: str = "/ut/hs/exchange") -> None:
        super().__init__()
        self.api_key = api_key
        self.prefix = prefix
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.items: list[dict[str, Any]] = []
        self.faults: list[Fault] = []  # consumed in order, one per /branches request
        self.page_faults: dict[int, Fault] = {}  # always answered for that page

    @property
    def base_url(self) -> str:
        return self.url(self.prefix)

    def dispatch(self, request: Request) -> Response:
        if request.path != f"{self.prefix}/branches":
            return Response("not found", status=404)
        if request.headers.get("X-API-Key") != self.api_key:
            return Response(json.dumps({"detail": "Invalid API Key"}), status=401, content_type="application/json")
        if self.faults:
            response = _fault_response(self.faults.pop(0))
            if response is not None:
                return response
        page = int(request.args.get("page", 1))
        size = int(request.args.get("page_size", 500))
        if page in self.page_faults:
            response = _fault_response(self.page_faults[page])
            if response is not None:
                return response
        pages = max(1, -(-len(self.items) // size))
        body = {"items": self.items[(page - 1) * size: page * size], "page": page, "pages": pages,
                "total": len(self.items)}
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - iiko's protocol


class IikoServer(LoopbackServer):
    """iikoServer `auth`, `logout`, `corporation/departments` under one or more domain prefixes."""

    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.domains: dict[str, dict[str, Any]] = {}
        self.tokens_issued: list[str] = []
        self.tokens_released: list[str] = []
        self.live_tokens: dict[str, str] = {}  # token → domain

    def add_domain(self, prefix: str, *, login: str = "api_sync", password: str = "api_sync_pw",
                   departments: list[dict[str, Any]] | None = None, body: str | None = None) -> str:
        self.domains[prefix] = {"login": login, "pass": sha1(password), "departments": departments or [],
                                "body": body, "faults": []}
        return self.url(prefix)

    def domain(self, prefix: str) -> dict[str, Any]:
        return self.domains[prefix]

    def expire_all_tokens(self) -> None:
        self.live_tokens.clear()

    def dispatch(self, request: Request) -> Response:
        for prefix, domain in self.domains.items():
            root = f"{prefix}/resto/api/"
            if request.path.startswith(root):
                return self._domain(domain, prefix, request.path[len(root):], request)
        return Response("not found", status=404)

    def _domain(self, domain: dict[str, Any], prefix: str, path: str, request: Request) -> Response:
        if path == "auth":
            if request.args.get("login") != domain["login"] or request.args.get("pass") != domain["pass"]:
                return Response("Wrong login or password", status=401)
            token = str(uuid.uuid4())
            with self.lock:
                self.tokens_issued.append(token)
                self.live_tokens[token] = prefix
            return Response(token, content_type="text/plain")
        token = request.args.get("key")
        if path == "logout":
            with self.lock:
                if token in self.tokens_issued and token not in self.tokens_released:
                    self.tokens_released.append(token)
                self.live_tokens.pop(token, None)
            return Response("", content_type="text/plain")
        if self.live_tokens.get(token) != prefix:
            return Response("Token is expired or invalid", status=401)
        if domain["faults"]:
            response = _fault_response(domain["faults"].pop(0))
            if response is not None:
                return response
        if path == "corporation/departments":
            body = domain["body"] if domain["body"] is not None else departments_xml(domain["departments"])
            return Response(body, content_type="application/xml")
        return Response("not found", status=404)

    @property
    def unreleased_tokens(self) -> list[str]:
        return [t for t in self.tokens_issued if t not in self.tokens_released]


def departments_xml(items: list[dict[str, Any]]) -> str:
    def el(tag: str, value: Any) -> str:
        if value is None:
            return f"<{tag}/>"
        text = str(value).replace("&", "&amp;").replace("<", "&lt;")
        return f"<{tag}>{text}</{tag}>"

    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<corporateItemDtoes>"]
    for item in items:
        inner = [el("id", item["id"]), el("parentId", item.get("parentId")), el("code", item.get("code")),
                 el("name", item["name"]), el("type", item.get("type", "DEPARTMENT"))]
        if "taxpayerIdNumber" in item:
            inner.append(el("taxpayerIdNumber", item["taxpayerIdNumber"]))
        if "nestedTaxpayerId" in item:
            inner.append(f"<jurPersonAdditionalPropertiesDto>{el('taxpayerId', item['nestedTaxpayerId'])}"
                         "</jurPersonAdditionalPropertiesDto>")
        parts.append("<corporateItemDto>" + "".join(inner) + "</corporateItemDto>")
    parts.append("</corporateItemDtoes>")
    return "".join(parts)


XXE_PAYLOAD = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
               "<corporateItemDtoes><corporateItemDto><id>1</id><name>&xxe;</name></corporateItemDto>"
               "</corporateItemDtoes>")
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10))
                  + ']><corporateItemDtoes><corporateItemDto><id>1</id><name>&lol9;</name></corporateItemDto>'
                    "</corporateItemDtoes>")


def deep_onec_tree(count: int, depth: int, *, seed: int = 1, root_parent: Any = "0") -> list[dict[str, Any]]:
    """A 1C feed: one chain `depth` deep, the rest spread below random earlier nodes; shuffled."""
    import random

    rng = random.Random(seed)
    items = []
    for i in range(1, count + 1):
        if i == 1:
            parent = root_parent
        elif i <= depth:
            parent = f"{i - 1:09d}"
        else:
            parent = f"{rng.randint(1, i - 1):09d}"
        items.append({"id": f"{i:09d}", "parent_id": parent, "code": f"{i:06d}", "name": f"Branch {i}",
                      "is_group": i <= depth, "inn": ""})
    rng.shuffle(items)
    return items
