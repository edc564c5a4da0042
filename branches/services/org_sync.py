"""Apply a whole org-structure feed (1C branches, iiko departments, a manual/demo tree) to the location tree.

The one reusable core behind every org connector. A connector fetches and normalises its feed into
`OrgNode`s and calls `apply_org_feed`; everything about trees lives here:

* parents before children whatever the feed order (ids are allocated up front, paths computed in Python);
* `"0"`, `""`, `None` and the all-zero GUID mean "root";
* the same external id twice: the later copy wins (counted as `duplicates`);
* a parent missing from the feed: the node is kept as a root, counted as `orphans`, warned;
* cycles (A → B → A): detected, never looped on. The cycle is cut at its member with the smallest
  external id, which becomes a root (counted in `cycles`, warned); the other members stay below it, so
  no node of the feed is lost;
* rows of the source that are gone from the feed become `is_active=False`; nothing is ever deleted;
* unchanged rows are not written at all (re-running a feed reports only `unchanged`);
* iiko departments whose `code_tco` equals an active branch's `code` are linked to it (`Location.branch`),
  both when the department feed and when the branch feed is applied.

Query count is constant whatever the size or depth of the tree: a handful of SELECTs, one id allocation
and ONE upsert statement for all written rows — on PostgreSQL a single JSON parameter unpacked by
`json_to_recordset` (one round trip), on SQLite (in-process, no round trips) one prepared statement
that the driver runs for every row (`executemany`). The whole feed is applied in one transaction, so a
failure leaves the previous tree as it was.

This module must not import `integrations` (dependencies point down); `source` is whatever model instance
`Location.source` points at, `run`/`progress` are duck-typed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import NotSupportedError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from branches.choices import BRANCH_TYPES, LocationType
from branches.models import SYNCED_FIELDS, Location, subtree_q
from branches.services.tree import allocate_location_ids
from core.errors import Unprocessable

logger = logging.getLogger("branches")

ROOT_PARENT_IDS = frozenset({"", "0", "00000000-0000-0000-0000-000000000000"})
MAX_WARNINGS = 50  # kept on the run; the counters are always exact
_TREE_PATH_MAX = Location._meta.get_field("tree_path").max_length
_TYPE_VALUES = frozenset(LocationType.values)

# Columns compared to decide "unchanged" and written on create/update: the synced fields, then the path.
_SYNCED_FIELDS = (*(Location._meta.get_field(name).attname for name in SYNCED_FIELDS), "tree_path", "depth")


class OrgFeedError(Unprocessable):
    """The feed cannot be applied as a whole (nothing was written)."""

    code = "org_feed_invalid"


class ProgressReporter(Protocol):
    def phase(self, message: str, done: int | None = None, total: int | None = None) -> None: ...


@dataclass(frozen=True, slots=True)
class OrgNode:
    """One normalised org unit of a feed. `external_id` is unique within the feed's source."""

    external_id: str
    name: str
    parent_external_id: str | None = None
    code: str = ""
    code_tco: str = ""
    type: str = LocationType.BRANCH
    taxpayer_id_number: str = ""


@dataclass
class OrgSyncResult:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    orphans: int = 0
    cycles: int = 0
    duplicates: int = 0
    skipped: int = 0
    linked: int = 0
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append("… more warnings left out; the counters are complete.")
        logger.warning(message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "deactivated": self.deactivated, "orphans": self.orphans, "cycles": self.cycles,
            "duplicates": self.duplicates, "skipped": self.skipped, "linked": self.linked,
            "warnings": list(self.warnings),
        }


def normalise_parent_id(value: Any) -> str | None:
    """`"0"`, `""`, `None` and the all-zero GUID (1C's empty reference) all mean "no parent"."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text in ROOT_PARENT_IDS else text


def _clean_text(value: Any, limit: int) -> str:
    return ("" if value is None else str(value).strip())[:limit]


def _source_filter(source: Any) -> Q:
    if source is None:
        return Q(source__isnull=True, external_id__isnull=False)
    return Q(source=source)


def apply_org_feed(
    source: Any,
    nodes: Iterable[OrgNode],
    *,
    run: Any = None,
    progress: ProgressReporter | None = None,
    deactivate_missing: bool = True,
) -> OrgSyncResult:
    """Make the source's part of the location tree equal to `nodes`, in one transaction and O(1) queries.

    `source` is the IntegrationAccount the feed comes from, or None for a manual/demo tree (then every
    manual row with an external id is part of the feed and external ids are unique among manual rows).
    `run` (a SyncRun, optional) only names the run in warnings. Raises OrgFeedError when the feed as a
    whole cannot be stored (e.g. a tree deeper than a path can hold); nothing is written then.
    """
    result = OrgSyncResult()
    label = getattr(source, "name", "manual") if source is not None else "manual"
    if run is not None and getattr(run, "pk", None):
        label = f"{label} run #{run.pk}"
    feed = _dedupe(nodes, result, label)
    if progress:
        progress.phase("Computing the tree", 0, len(feed))
    now = timezone.now()
    with transaction.atomic():
        existing = {
            row[0]: row
            for row in Location.objects.filter(_source_filter(source)).values_list("external_id", "id", *_SYNCED_FIELDS)
        }
        existing_by_pk = {row[1]: row for row in existing.values()}
        new_ids = [ext for ext in feed if ext not in existing]
        allocated = dict(zip(new_ids, _allocate_ids(len(new_ids)), strict=True))
        pk_of = {ext: row[1] for ext, row in existing.items()} | allocated

        # Parent (by external id) of every row we manage: feed rows from the feed, missing rows keep theirs.
        parent_ext: dict[str, str | None] = {}
        for ext, node in feed.items():
            parent = node.parent_external_id
            if parent is not None and parent not in feed:
                result.orphans += 1
                result.warn(f"{label}: node {ext!r} ({node.name}) names parent {parent!r}, which is not in the "
                            "feed; kept as a root.")
                parent = None
            elif parent == ext:
                parent = None  # a self-parent is a one-node cycle
                result.cycles += 1
                result.warn(f"{label}: node {ext!r} ({node.name}) is its own parent; kept as a root.")
            parent_ext[ext] = parent
        missing = [ext for ext in existing if ext not in feed]
        for ext in missing:
            parent_pk = existing[ext][2]
            parent_row = existing_by_pk.get(parent_pk)
            parent_ext[ext] = parent_row[0] if parent_row is not None else None

        _break_cycles(parent_ext, feed, result, label)
        paths = _compute_paths(parent_ext, pk_of)
        too_deep = [ext for ext, (path, _depth) in paths.items() if len(path) > _TREE_PATH_MAX]
        if too_deep:
            raise OrgFeedError(
                gettext("%(label)s: the tree is too deep to store: the path of node %(too_deep)r is longer "
                        "than %(TREE_PATH_MAX)s characters (%(count)s nodes affected). Nothing was changed.") % {
                    "label": label,
                    "too_deep": too_deep[0],
                    "TREE_PATH_MAX": _TREE_PATH_MAX,
                    "count": len(too_deep),
                }
            )

        branch_link = _branch_links(feed, pk_of, source)
        rows: list[dict[str, Any]] = []
        for ext, node in feed.items():
            path, depth = paths[ext]
            parent = parent_ext[ext]
            wanted = {
                "parent_id": pk_of[parent] if parent is not None else None,
                "code": node.code, "code_tco": node.code_tco, "name": node.name, "type": node.type,
                "taxpayer_id_number": node.taxpayer_id_number,
                "branch_id": branch_link.get(node.code_tco) if _links_to_branch(node.type, node.code_tco) else None,
                "is_active": True, "tree_path": path, "depth": depth,
            }
            if wanted["branch_id"] is not None:
                result.linked += 1
            old = existing.get(ext)
            if old is None:
                result.created += 1
                rows.append({"id": pk_of[ext], "external_id": ext, "created_at": now, **wanted})
            elif _differs(old, wanted):
                result.updated += 1
                rows.append({"id": old[1], "external_id": ext, "created_at": None, **wanted})
            else:
                result.unchanged += 1
        for ext in missing:
            old = existing[ext]
            path, depth = paths[ext]
            wanted = dict(zip(_SYNCED_FIELDS, old[2:], strict=True))
            was_active = wanted["is_active"]
            wanted.update(is_active=False if deactivate_missing else was_active, tree_path=path, depth=depth)
            if _differs(old, wanted):
                if was_active and not wanted["is_active"]:
                    result.deactivated += 1
                rows.append({"id": old[1], "external_id": ext, "created_at": None, **wanted})

        rows += _relink_foreign_departments(feed, pk_of, source, existing_by_pk)
        rows += _repath_grafted_rows(source, existing_by_pk, paths, pk_of)
        if progress:
            progress.phase("Writing the tree", 0, len(rows))
        _upsert(rows, now, source_id=None if source is None else source.pk)
    if progress:
        progress.phase("Tree written", len(rows), len(rows))
    logger.info("org feed applied", extra={"source": label, **{f"rows_{k}": v for k, v in result.as_dict().items()
                                                                 if k != "warnings"}})
    return result


def _dedupe(nodes: Iterable[OrgNode], result: OrgSyncResult, label: str) -> dict[str, OrgNode]:
    feed: dict[str, OrgNode] = {}
    for node in nodes:
        result.read += 1
        ext = _clean_text(node.external_id, 100)
        if not ext:
            result.skipped += 1
            result.warn(f"{label}: a node without an id ({node.name!r}) was skipped.")
            continue
        if ext in feed:
            result.duplicates += 1
            del feed[ext]  # the later copy wins, and takes the later position
        node_type = node.type if node.type in _TYPE_VALUES else LocationType.OTHER
        feed[ext] = OrgNode(
            external_id=ext,
            name=_clean_text(node.name, 255) or ext,
            parent_external_id=normalise_parent_id(node.parent_external_id),
            code=_clean_text(node.code, 64),
            code_tco=_clean_text(node.code_tco, 64),
            type=node_type,
            taxpayer_id_number=_clean_text(node.taxpayer_id_number, 20),
        )
    if result.duplicates:
        result.warn(f"{label}: {result.duplicates} node id(s) appeared more than once; the later copy was kept.")
    return feed


def _allocate_ids(count: int) -> list[int]:
    """Primary keys for new rows before inserting them, so paths (which contain ids) are computed in one pass."""
    try:
        return allocate_location_ids(count)
    except NotSupportedError:
        raise OrgFeedError(
            gettext("apply_org_feed supports PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": connection.vendor}
        ) from None


def _break_cycles(parent_ext: dict[str, str | None], feed: dict[str, OrgNode], result: OrgSyncResult,
                  label: str) -> None:
    """Find every cycle with an iterative walk (no recursion, any depth); cut each at its smallest id."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    for start in parent_ext:
        if state.get(start) == 2:
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent_ext.get(node)
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node):]
            cut = min(cycle)
            parent_ext[cut] = None
            result.cycles += 1
            names = ", ".join(repr(c) for c in cycle[:10]) + (" …" if len(cycle) > 10 else "")
            name = feed[cut].name if cut in feed else cut
            result.warn(f"{label}: parent cycle among nodes {names}; {cut!r} ({name}) was made a root to break it.")
        for visited in walk:
            state[visited] = 2


def _compute_paths(parent_ext: dict[str, str | None], pk_of: dict[str, int]) -> dict[str, tuple[str, int]]:
    """Materialised paths for an acyclic parent map, one pass, iterative (a 50,000-deep chain is fine)."""
    paths: dict[str, tuple[str, int]] = {}
    for start in parent_ext:
        if start in paths:
            continue
        chain: list[str] = []
        node: str | None = start
        while node is not None and node not in paths:
            chain.append(node)
            node = parent_ext[node]
        prefix, depth = paths[node] if node is not None else ("/", -1)
        for ext in reversed(chain):
            prefix, depth = f"{prefix}{pk_of[ext]}/", depth + 1
            paths[ext] = (prefix, depth)
    return paths


def _links_to_branch(node_type: str, code_tco: str) -> bool:
    return bool(code_tco) and node_type not in BRANCH_TYPES


def _branch_links(feed: dict[str, OrgNode], pk_of: dict[str, int], source: Any) -> dict[str, int]:
    """code → branch id for every code_tco in the feed: the feed's own branches first, then stored ones."""
    wanted = {n.code_tco for n in feed.values() if _links_to_branch(n.type, n.code_tco)}
    if not wanted:
        return {}
    links: dict[str, int] = {}
    for code, pk in (
        Location.objects.filter(type__in=BRANCH_TYPES, is_active=True).exclude(code="")
        .exclude(_source_filter(source))
        .order_by("-id")
        .values_list("code", "id")
    ):
        if code in wanted:
            links[code] = pk  # lowest id wins when two sources share a code
    for node in feed.values():
        if node.type in BRANCH_TYPES and node.code in wanted:
            links.setdefault(node.code, pk_of[node.external_id])
    return links


def _relink_foreign_departments(feed: dict[str, OrgNode], pk_of: dict[str, int], source: Any,
                                existing_by_pk: dict[int, tuple]) -> list[dict[str, Any]]:
    """When branches are applied, (un)link departments of other sources whose code_tco names them."""
    branch_codes: dict[str, int] = {}
    for node in feed.values():
        if node.type in BRANCH_TYPES and node.code:
            branch_codes.setdefault(node.code, pk_of[node.external_id])
    own_pks = set(existing_by_pk)
    if not branch_codes and not own_pks:
        return []
    # Every linkable department of the other sources (hundreds, not the feed's size): filtered in Python,
    # because an IN list of every code or id of a 50,000-node feed costs more than it saves.
    candidates = (
        Location.objects.exclude(_source_filter(source)).exclude(type__in=BRANCH_TYPES).exclude(code_tco="")
        .values_list("id", "external_id", "source_id", *_SYNCED_FIELDS)
    )
    rows = []
    for row in candidates:
        current = dict(zip(_SYNCED_FIELDS, row[3:], strict=True))
        target = branch_codes.get(current["code_tco"])
        if target is None and current["branch_id"] not in own_pks:
            continue  # not ours: linked to another source's branch, or to none
        if current["branch_id"] != target:
            rows.append({"id": row[0], "external_id": row[1], "created_at": None, "source_id": row[2],
                         **current, "branch_id": target})
    return rows


def _repath_grafted_rows(source: Any, existing_by_pk: dict[int, tuple], paths: dict[str, tuple[str, int]],
                         pk_of: dict[str, int]) -> list[dict[str, Any]]:
    """Rows of other sources (e.g. manual ones) placed below this source's nodes follow their moves."""
    moved = {}
    for pk, old in existing_by_pk.items():
        new_path = paths[old[0]][0]
        old_path = old[1 + 1 + _SYNCED_FIELDS.index("tree_path")]
        if new_path != old_path:
            moved[pk] = (old_path, new_path)
    if not moved:
        return []
    # Rows of other sources whose parent is one of ours (a join, not an IN list of every moved id).
    grafts = [
        path for path, parent_id in Location.objects.exclude(_source_filter(source))
        .filter(parent__in=Location.objects.filter(_source_filter(source)).values("pk"))
        .values_list("tree_path", "parent_id")
        if parent_id in moved
    ]
    if not grafts:
        return []
    prefix_filter = Q()
    for graft_path in grafts:
        prefix_filter |= subtree_q(graft_path)
    by_old_path = {old: new for old, new in moved.values()}
    rows = []
    for row in Location.objects.filter(prefix_filter).values_list("id", "external_id", "source_id", *_SYNCED_FIELDS):
        current = dict(zip(_SYNCED_FIELDS, row[3:], strict=True))
        parts = current["tree_path"].strip("/").split("/")
        # The longest moved ancestor decides: re-root the path on its new position.
        for i in range(len(parts) - 1, 0, -1):
            old_prefix = "/" + "/".join(parts[:i]) + "/"
            if old_prefix in by_old_path:
                new_path = by_old_path[old_prefix] + "/".join(parts[i:]) + "/"
                rows.append({"id": row[0], "external_id": row[1], "created_at": None, "source_id": row[2],
                             **current, "tree_path": new_path, "depth": new_path.strip("/").count("/")})
                break
    return rows


def _differs(old: tuple, wanted: dict[str, Any]) -> bool:
    return any(old[2 + i] != wanted[name] for i, name in enumerate(_SYNCED_FIELDS))


_WRITE_COLUMNS = ("id", "source_id", "external_id", *_SYNCED_FIELDS, "created_at", "updated_at", "synced_at")
_PG_TYPES = {"id": "bigint", "source_id": "bigint", "external_id": "text", "parent_id": "bigint", "code": "text",
             "code_tco": "text", "name": "text", "type": "text", "taxpayer_id_number": "text", "branch_id": "bigint",
             "is_active": "boolean", "tree_path": "text", "depth": "integer", "created_at": "timestamptz",
             "updated_at": "timestamptz", "synced_at": "timestamptz"}
# On conflict (an existing row) everything but the identity and created_at is overwritten.
_UPDATE_COLUMNS = tuple(c for c in _WRITE_COLUMNS if c not in ("id", "source_id", "external_id", "created_at"))


def _upsert(rows: list[dict[str, Any]], now, *, source_id: int | None) -> None:
    """Insert new rows and update changed ones in ONE statement, whatever their number."""
    if not rows:
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    stamp = stamp.isoformat() if hasattr(stamp, "isoformat") else stamp
    payload = []
    for row in rows:
        # created_at is never overwritten on conflict, but NOT NULL is checked before the conflict is.
        record = {**row, "created_at": stamp, "updated_at": stamp, "synced_at": stamp}
        record.setdefault("source_id", source_id)
        payload.append({c: record[c] for c in _WRITE_COLUMNS})
    table = connection.ops.quote_name(Location._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _WRITE_COLUMNS)
    updates = ", ".join(f"{connection.ops.quote_name(c)} = excluded.{connection.ops.quote_name(c)}"
                        for c in _UPDATE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
            record_type = ", ".join(f"{c} {_PG_TYPES[c]}" for c in _WRITE_COLUMNS)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - identifiers come from the model, values are bound
                f"SELECT {columns} FROM json_to_recordset(%s::json) AS r({record_type}) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                [data],
            )
        elif connection.vendor == "sqlite":
            # In-process database, no round trips: one prepared statement run for every row by the driver.
            placeholders = ", ".join(["%s"] * len(_WRITE_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                [tuple(record[c] for c in _WRITE_COLUMNS) for record in payload],
            )
        else:  # pragma: no cover - guarded by _allocate_ids
            raise OrgFeedError(gettext("apply_org_feed supports PostgreSQL and SQLite, not %(vendor)s.") % {
                                   "vendor": connection.vendor,
                               })
