"""Fake 1C exchange service: the branch feed of external-apis.md section 6.

Implements ``GET {base}/branches?page=&page_size=`` behind ``X-API-Key`` (401 ``{"detail": "Invalid API
Key"}``), 1-based pages (default size 500, at most 1000), items in no particular order, the root parent
rendered as ``"0"``, ``""``, ``null`` or the all-zero GUID in turn, and page boundaries that overlap by one
item (the same id twice: "a page boundary moved while paging"). Any path prefix before ``/branches`` is
accepted so a base URL like ``http://127.0.0.1:8701/ut/hs/exchange`` works. Not implemented: OData,
CommerceML, sales."""

from __future__ import annotations

import math
import random
from typing import Any

from demo.dataset import ZERO_GUID, DemoDataset
from demo.fakes.base import FakeApp, FakeRequest, FakeResponse

ONEC_API_KEY = "test-onec-api-key-not-a-secret"
ROOT_PARENT_STYLES: tuple[str | None, ...] = ("0", "", None, ZERO_GUID)


def nodes_from_dataset(dataset: DemoDataset) -> list[dict[str, Any]]:
    """The demo 1C branch tree as generic feed nodes (parent None = root)."""
    return [
        {
            "id": b.id,
            "parent_id": b.parent_id,
            "code": b.code,
            "name": b.name,
            "is_group": b.is_group,
            "inn": b.inn,
        }
        for b in dataset.onec_branches
    ]


class OneCFake(FakeApp):
    """Loopback 1C exchange service; ``set_nodes()`` replaces the feed (kept in the given order)."""

    system = "onec"

    def __init__(
        self,
        dataset: DemoDataset | None = None,
        *,
        api_key: str = ONEC_API_KEY,
        nodes: list[dict[str, Any]] | None = None,
        default_page_size: int = 500,
        max_page_size: int = 1000,
        page_overlap: int = 1,
        shuffle_seed: int | None = 7,
        root_parent_styles: tuple[str | None, ...] = ROOT_PARENT_STYLES,
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size
        self.page_overlap = page_overlap
        self.root_parent_styles = root_parent_styles
        self._items: list[dict[str, Any]] = []
        if nodes is not None:
            self.set_nodes(nodes)
        elif dataset is not None:
            feed = nodes_from_dataset(dataset)
            if shuffle_seed is not None:  # children before parents, as the real service does
                random.Random(shuffle_seed).shuffle(feed)
            self.set_nodes(feed)
        self.route("GET", r"(?:/.*)?/branches/?", self.branches)

    def set_nodes(self, nodes: list[dict[str, Any]]) -> None:
        """Serve exactly these nodes in this order; a root's ``None`` parent gets the root styles in turn."""
        items = []
        roots = 0
        for node in nodes:
            parent = node.get("parent_id")
            if parent is None and self.root_parent_styles:
                parent = self.root_parent_styles[roots % len(self.root_parent_styles)]
                roots += 1
            items.append(
                {
                    "id": node["id"],
                    "parent_id": parent,
                    "code": node.get("code", ""),
                    "name": node.get("name", ""),
                    "is_group": bool(node.get("is_group", False)),
                    "inn": node.get("inn", ""),
                }
            )
        with self._lock:
            self._items = items

    @property
    def items(self) -> list[dict[str, Any]]:
        """The wire items of the feed (what paging walks through)."""
        with self._lock:
            return list(self._items)

    def error_response(self, status: int, message: str) -> FakeResponse:
        return FakeResponse.json({"detail": message}, status)

    def before_handler(self, request: FakeRequest, route_is_public: bool) -> FakeResponse | None:
        if request.header("x-api-key") != self.api_key:
            return FakeResponse.json({"detail": "Invalid API Key"}, 401)
        return None

    def page_bounds(self, total: int, page_size: int) -> tuple[int, int]:
        """(number of pages, stride) for a feed of ``total`` items; pages overlap by ``page_overlap``."""
        overlap = self.page_overlap if page_size > 1 and total > page_size else 0
        stride = page_size - overlap
        pages = 1 if total <= page_size else 1 + math.ceil((total - page_size) / stride)
        return pages, stride

    def branches(self, request: FakeRequest) -> FakeResponse:
        try:
            page = int(request.arg("page", "1") or "1")
            page_size = int(request.arg("page_size", str(self.default_page_size)) or self.default_page_size)
        except ValueError:
            return FakeResponse.json({"detail": "page and page_size must be integers"}, 400)
        if page < 1 or page_size < 1:
            return FakeResponse.json({"detail": "page and page_size must be positive"}, 400)
        page_size = min(page_size, self.max_page_size)
        items = self.items
        pages, stride = self.page_bounds(len(items), page_size)
        start = (page - 1) * stride
        chunk = items[start : start + page_size] if page <= pages else []
        return FakeResponse.json({"items": chunk, "page": page, "pages": pages, "total": len(items)})
