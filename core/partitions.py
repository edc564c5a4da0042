"""Range partitions of a fact table on PostgreSQL (calendar months of a date, or blocks of an integer key such
as a run id); a no-op on every other database.

Converting a table is copy-and-swap, both ways (migrations call :func:`convert_to_partitioned` and
:func:`convert_to_plain`): a new table ``LIKE`` the old one, partitioned by ``RANGE (key)``, one partition per
month that holds rows plus a ``DEFAULT`` partition for anything outside them, the rows copied, the old table
dropped and the new one renamed into its place with the same constraint and index names, so Django's
migration state (which knows nothing of partitions) stays true and later migrations find what they expect.

PostgreSQL requires the partition key in every unique constraint of a partitioned table: the primary key
becomes ``(id, key)`` (``id`` still comes from the table's identity sequence, so it stays unique), and unique
constraints must already contain the key (``DailySale``'s (location, product, date) does, so ingest's
``ON CONFLICT (location_id, product_id, date)`` keeps working unchanged).

:func:`ensure_partitions_of` creates the ranges ahead (the maintenance command and its schedule), and moves rows
that landed in the default partition (a history import) into ranges of their own; :func:`drop_empty_partitions`
detaches and drops the ranges retention has emptied.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import OperationalError, connections, transaction

logger = logging.getLogger("salesforecast")


@dataclass(frozen=True)
class Scheme:
    """How a table is cut: by calendar month of a date ``key`` (``step`` None), or into blocks of ``step``
    values of an integer ``key``. ``current_sql`` says where "now" is for the key (today; the newest run id)."""

    key: str
    step: int | None = None
    current_sql: str = "SELECT CURRENT_DATE"

    def start(self, value):
        if self.step is None:
            return value.replace(day=1)
        return (int(value) // self.step) * self.step

    def after(self, start):
        if self.step is None:
            return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return start + self.step

    def name(self, table: str, start) -> str:
        return f"{table}_p{start:%Y%m}" if self.step is None else f"{table}_p{int(start):010d}"

    def starts(self, first, last, ahead: int) -> list:
        """Range starts from ``first``'s through ``ahead`` ranges past ``last``'s."""
        end = self.start(last)
        for _ in range(max(ahead, 0)):
            end = self.after(end)
        found, start = [], self.start(first)
        while start <= end:
            found.append(start)
            start = self.after(start)
        return found


# table → its scheme, registered by the owning app's AppConfig.ready (sales: daily sales by month).
_registry: dict[str, Scheme] = {}


def register_partitioned_table(
    table: str, key: str, *, step: int | None = None, current_sql: str = "SELECT CURRENT_DATE"
) -> None:
    """Let :func:`ensure_all_partitions` (command and schedule) keep this table's ranges ahead."""
    _registry[table] = Scheme(key, step, current_sql)


def registered_tables() -> dict[str, Scheme]:
    return dict(_registry)


def ensure_all_partitions(ahead: int = 3, *, using: str = "default") -> dict[str, list[str]]:
    """The maintenance job (``manage.py ensure_partitions``, the nightly schedule): every registered table's
    partitions through ``ahead`` ranges (months, or blocks of run ids) past now; returns those created."""
    if ahead < 0:
        raise ValueError("months_ahead: must be 0 or more")
    return {table: ensure_partitions_of(table, scheme, ahead=ahead, using=using) for table, scheme in _registry.items()}


def default_partition_name(table: str) -> str:
    return f"{table}_pdefault"


def is_partitioned(cursor, table: str) -> bool:
    cursor.execute(
        "SELECT relkind FROM pg_class WHERE relname = %s AND relnamespace = current_schema()::regnamespace", [table]
    )
    row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def _children(cursor, table: str) -> list[tuple[str, str | None]]:
    """(name, bound as PostgreSQL prints it) of each of the table's partitions, by name (empty for a plain table)."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s ORDER BY c.relname",
        [table],
    )
    return cursor.fetchall()


def partitions(cursor, table: str) -> list[str]:
    """Names of the table's partitions (empty for a plain table)."""
    return [name for name, _bound in _children(cursor, table)]


def _constraints(cursor, table: str) -> list[tuple[str, str, str]]:
    """(name, type, definition) of the table's primary key, unique and foreign-key constraints."""
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype, conname",
        [table],
    )
    return list(cursor.fetchall())


def _indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes that are not behind a constraint."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
        [table],
    )
    return list(cursor.fetchall())


def _swap(cursor, table: str, new: str, scheme: Scheme | None, starts: list) -> None:
    """Copy ``table`` into ``new`` (already created), drop the old, rename, and recreate its keys and indexes."""
    q = cursor.db.ops.quote_name
    constraints, indexes = _constraints(cursor, table), _indexes(cursor, table)
    if scheme is not None:
        for start in starts:
            cursor.execute(
                f"CREATE TABLE {q(scheme.name(table, start))} PARTITION OF {q(new)} FOR VALUES FROM (%s) TO (%s)",
                [start, scheme.after(start)],
            )
        cursor.execute(f"CREATE TABLE {q(default_partition_name(table))} PARTITION OF {q(new)} DEFAULT")
    cursor.execute(f"INSERT INTO {q(new)} SELECT * FROM {q(table)}")
    cursor.execute(f"DROP TABLE {q(table)} CASCADE")
    cursor.execute(f"ALTER TABLE {q(new)} RENAME TO {q(table)}")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    if sequence:
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {q(table + '_id_seq')}")
        cursor.execute(
            f"SELECT setval(%s, COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {q(table)}", [table + "_id_seq"]
        )
    for name, kind, definition in constraints:
        if kind == "p":
            definition = f"PRIMARY KEY (id, {q(scheme.key)})" if scheme is not None else "PRIMARY KEY (id)"
        cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
    for _name, definition in indexes:
        cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))  # a partitioned parent's own index reads ONLY


def _span(cursor, table: str, scheme: Scheme):
    """(first, last) of the key: the oldest stored value, and the newest of the stored ones and "now"."""
    q = cursor.db.ops.quote_name
    cursor.execute(f"SELECT MIN({q(scheme.key)}), MAX({q(scheme.key)}) FROM {q(table)}")
    first, last = cursor.fetchone()
    cursor.execute(scheme.current_sql)
    now = cursor.fetchone()[0]
    now = now if now is not None else (first if first is not None else 0)
    first = now if first is None else min(first, now)
    last = now if last is None else max(last, now)
    return first, last


def convert_to_partitioned(
    schema_editor,
    table: str,
    key: str,
    *,
    step: int | None = None,
    current_sql: str = "SELECT CURRENT_DATE",
    ahead: int = 3,
) -> None:
    """Turn a plain table into one partitioned by ranges of ``key`` (PostgreSQL only; idempotent)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    q = connection.ops.quote_name
    scheme = Scheme(key, step, current_sql)
    with connection.cursor() as cursor:
        if is_partitioned(cursor, table):
            return
        first, last = _span(cursor, table, scheme)
        new = f"{table}_partitioned"
        cursor.execute(
            f"CREATE TABLE {q(new)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY "
            f"INCLUDING STORAGE) PARTITION BY RANGE ({q(key)})"
        )
        _swap(cursor, table, new, scheme, scheme.starts(first, last, ahead))


def convert_to_plain(schema_editor, table: str, key: str) -> None:
    """The way back: one plain table with the same rows, keys and indexes (PostgreSQL only; idempotent)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            return
        new = f"{table}_plain"
        cursor.execute(
            f"CREATE TABLE {q(new)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY "
            "INCLUDING STORAGE)"
        )
        _swap(cursor, table, new, None, [])


def ensure_partitions_of(table: str, scheme: Scheme, *, ahead: int = 3, using: str = "default") -> list[str]:
    """Create the partitions of every range from the oldest row through ``ahead`` ranges past now; rows sitting
    in the default partition move into their range. Returns the partitions created.

    Nothing to do (empty list) on a database other than PostgreSQL or for a table that is not partitioned.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    q = connection.ops.quote_name
    key = q(scheme.key)
    created: list[str] = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            return []
        existing = set(partitions(cursor, table))
        default = default_partition_name(table)
        first, last = _span(cursor, table, scheme)
        for start in scheme.starts(first, last, ahead):
            name = scheme.name(table, start)
            if name in existing:
                continue
            bounds = [start, scheme.after(start)]
            stranded = False
            if default in existing:
                cursor.execute(f"SELECT 1 FROM {q(default)} WHERE {key} >= %s AND {key} < %s LIMIT 1", bounds)
                stranded = cursor.fetchone() is not None
            if stranded:
                # A partition cannot be created over rows the default partition holds: move them first.
                cursor.execute(f"CREATE TABLE {q(name)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {q(default)} WHERE {key} >= %s AND {key} < %s RETURNING *) "
                    f"INSERT INTO {q(name)} SELECT * FROM moved",
                    bounds,
                )
                cursor.execute(
                    f"ALTER TABLE {q(table)} ATTACH PARTITION {q(name)} FOR VALUES FROM (%s) TO (%s)", bounds
                )
            else:
                cursor.execute(f"CREATE TABLE {q(name)} PARTITION OF {q(table)} FOR VALUES FROM (%s) TO (%s)", bounds)
            created.append(name)
    if created:
        logger.info("partitions created", extra={"table": table, "partitions": created})
    return created


_BOUND = re.compile(r"FOR VALUES FROM \('?([^')]*)'?\) TO \('?([^')]*)'?\)")


def partition_bounds(cursor, table: str) -> list[tuple[str, str, str]]:
    """(name, from, to) of each range partition, as PostgreSQL prints the bounds; the default partition is left out."""
    found = []
    for name, bound in _children(cursor, table):
        match = _BOUND.search(bound or "")
        if match:  # "DEFAULT" has no range
            found.append((name, match.group(1), match.group(2)))
    return found


def drop_empty_partitions(
    table: str, in_use: Callable[[int, int], bool], *, below: int, using: str = "default"
) -> list[str]:
    """Detach and drop the empty partitions of an integer-keyed table wholly below ``below`` that the owner no longer
    uses (``in_use(start, end)`` is False); returns their names. PostgreSQL only; never the default partition.

    Why: pruning rows (old forecast runs) leaves their partitions behind, empty, and every query plan and
    maintenance pass still walks them. A partition reaching ``below`` (the block new rows go to) is left alone.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    q = connection.ops.quote_name
    dropped: list[str] = []
    with connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            return []
        candidates = []
        for name, start, end in partition_bounds(cursor, table):
            try:
                lo, hi = int(start), int(end)
            except ValueError:  # not an integer range (months): not this function's business
                continue
            if hi <= below and not in_use(lo, hi):
                candidates.append(name)
    for name in candidates:
        try:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                # The parent first (as every query takes them), the row check and the drop under that one lock: no
                # writer slips a row in between. A long reader holds us up at most lock_timeout; then next night.
                cursor.execute("SET LOCAL lock_timeout = '5s'")
                # deferred foreign-key checks of rows deleted earlier in an enclosing transaction would block the
                # DROP ("pending trigger events"): run them now
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
                cursor.execute(f"SELECT 1 FROM {q(name)} LIMIT 1")
                if cursor.fetchone() is not None:
                    continue
                cursor.execute(f"ALTER TABLE {q(table)} DETACH PARTITION {q(name)}")
                cursor.execute(f"DROP TABLE {q(name)}")
        except OperationalError as exc:
            logger.warning("partition not dropped", extra={"table": table, "partition": name, "error": str(exc)})
            continue
        dropped.append(name)
    if dropped:
        logger.info("empty partitions dropped", extra={"table": table, "partitions": dropped})
    return dropped
