"""Staged upserts: rows go into a temporary table, then `INSERT … SELECT … ON CONFLICT DO UPDATE` merges them.

Why a stage: the merge is one set-based statement (fast on both databases), the database — not Python memory —
holds the batch (so memory stays flat however large the file is), duplicates inside the batch are found with a
GROUP BY over the staged keys, and a rejected batch disappears when the transaction rolls back. The merge only
touches rows whose values differ (`WHERE … IS DISTINCT FROM …`), so re-importing the same data writes nothing
and is counted as unchanged.

Two sinks, one interface (`write(rows)`, `finish() -> MergeResult`, `duplicates(limit)`, `keys_table`):

* `SqliteSink`: `executemany` into one stage, one merge at the end (SQLite has a single writer anyway).
* `PostgresSink`: each chunk is loaded with psycopg 3 `COPY … FROM STDIN` into a chunk stage and merged by a
  helper thread on the same psycopg connection while Python validates the next chunk, so the server's insert
  work overlaps the client's parsing (the same overlap a raw COPY enjoys). The chunk's keys are kept in a keys
  stage for the batch-wide duplicate check. psycopg connections are thread-safe (statements serialise on the
  connection lock); callers must call `wait()` on every sink before they use the connection themselves.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from core.errors import InvalidInput


@dataclass(frozen=True)
class StageColumn:
    name: str
    pg_type: str  # bigint, date, numeric, boolean, timestamptz
    sqlite_type: str = ""  # INTEGER, TEXT, NUMERIC; derived from pg_type when empty
    places: int | None = None  # decimals of the target column: SQLite rounds to them in the merge

    @property
    def sqlite(self) -> str:
        if self.sqlite_type:
            return self.sqlite_type
        return {"bigint": "INTEGER", "boolean": "INTEGER", "numeric": "NUMERIC"}.get(self.pg_type, "TEXT")


@dataclass
class MergeResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class MergeSpec:
    """How stage rows become target rows.

    `columns`: stage columns copied as they are; `extra_values`: constant columns (e.g. updated_at);
    `conflict` (+ `conflict_where` for a partial unique index): the key; `update`: columns rewritten on conflict,
    with `update_exprs` overriding `excluded.<col>` (e.g. COALESCE to keep a value the batch does not carry).
    The target needs an auto-increment `id` primary key (SQLite counts inserted rows by it).
    """

    table: str
    columns: tuple[str, ...]
    conflict: tuple[str, ...]
    update: tuple[str, ...]
    update_exprs: dict[str, str] = field(default_factory=dict)
    conflict_where: str = ""
    extra_values: dict[str, object] = field(default_factory=dict)


class DuplicateKeys(InvalidInput):
    """The batch holds the same key more than once."""

    code = "duplicate_keys"

    def __init__(self, message: str = "The batch holds the same key more than once.", **kwargs) -> None:
        super().__init__(message, **kwargs)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)  # int, float, Decimal, numeric text, date (ISO), aware datetime (ISO with offset)


class Stage:
    """A temporary table on the current connection; create it inside the caller's transaction."""

    def __init__(self, prefix: str, columns: Sequence[StageColumn]) -> None:
        self.name = f"sf_stage_{prefix}_{uuid.uuid4().hex[:10]}"
        self.columns = list(columns)
        self.count = 0
        self._pg = is_postgres()
        self._copy_sql = f"COPY {self.name} ({', '.join(c.name for c in self.columns)}) FROM STDIN"
        self._insert_sql = f"INSERT INTO {self.name} VALUES ({', '.join('?' for _ in self.columns)})"

    def create(self) -> Stage:
        assert transaction.get_connection().in_atomic_block, "create stages inside transaction.atomic()"
        ddl = ", ".join(f"{c.name} {c.pg_type if self._pg else c.sqlite}" for c in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {self.name} ({ddl})")
        return self

    def write(self, rows: list[tuple]) -> None:
        """Append rows (tuples in column order) to the stage."""
        if not rows:
            return
        self.count += len(rows)
        if self._pg:
            # The stage holds only numbers, dates, timestamps and booleans (validated upstream), so COPY's text
            # format needs no escaping; formatting here is several times faster than copy.write_row().
            text = "".join(["\t".join([_pg_text(v) for v in row]) + "\n" for row in rows])
            with connection.cursor() as cursor, cursor.copy(self._copy_sql) as copy:
                copy.write(text)
            return
        # SQLite: callers pass dates as ISO text (what Django stores); numbers go in as they are and the merge
        # rounds them to the target's decimals, so they equal the doubles Django writes for the same Decimal.
        raw = connection.connection.cursor()
        try:
            raw.executemany(self._insert_sql, rows)
        finally:
            raw.close()

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def duplicates(self, key: Sequence[str], limit: int) -> list[tuple]:
        """(first row_no, another row_no, *key) for keys staged more than once; NULL keys compare equal."""
        group = ", ".join(key)
        sql = (
            f"SELECT MIN(row_no), MAX(row_no), {group} FROM {self.name} "
            f"GROUP BY {group} HAVING COUNT(*) > 1 ORDER BY MIN(row_no) LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [limit])
            return list(cursor.fetchall())


def merge_sql(stage: Stage, spec: MergeSpec) -> tuple[str, list]:
    """The upsert statement (on PostgreSQL wrapped to return (inserted, updated) counts) and its parameters."""
    pg = is_postgres()
    op = "IS DISTINCT FROM" if pg else "IS NOT"
    qn = connection.ops.quote_name
    target = qn(spec.table)
    insert_cols = list(spec.columns) + list(spec.extra_values)
    places = {c.name: c.places for c in stage.columns if c.places is not None}
    if pg:
        selected = list(spec.columns)  # numeric(p, s) columns round on insert
    else:
        selected = [f"ROUND({c}, {places[c]})" if c in places else c for c in spec.columns]
    select_list = ", ".join(selected + ["%s"] * len(spec.extra_values))
    conflict_target = f"({', '.join(qn(c) for c in spec.conflict)})"
    if spec.conflict_where:
        conflict_target += f" WHERE {spec.conflict_where}"

    def new_value(col: str) -> str:
        return spec.update_exprs.get(col, f"excluded.{qn(col)}")

    set_sql = ", ".join(f"{qn(c)} = {new_value(c)}" for c in spec.update)
    differs = " OR ".join(f"{target}.{qn(c)} {op} {new_value(c)}" for c in spec.update if c not in spec.extra_values)
    insert = (
        f"INSERT INTO {target} ({', '.join(qn(c) for c in insert_cols)}) "
        f"SELECT {select_list} FROM {stage.name} WHERE true "  # SQLite needs a WHERE before ON CONFLICT
        f"ON CONFLICT {conflict_target} DO UPDATE SET {set_sql} WHERE {differs}"
    )
    if pg and _partitioned(spec.table):
        # A partitioned table has no xmax to return: count the staged keys already stored (the CTEs share one
        # snapshot, so "already stored" means before this insert); the rest were inserted.
        match = " AND ".join(f"t.{qn(c)} = s.{qn(c)}" for c in spec.conflict)
        staged = f"(SELECT COUNT(*) FROM {stage.name})"
        insert = (
            f"WITH existing AS (SELECT COUNT(*) AS n FROM {stage.name} s WHERE EXISTS "
            f"(SELECT 1 FROM {target} t WHERE {match})), merged AS ({insert} RETURNING 1) "
            f"SELECT {staged} - existing.n, (SELECT COUNT(*) FROM merged) - ({staged} - existing.n) FROM existing"
        )
    elif pg:
        insert = (
            f"WITH merged AS ({insert} RETURNING (xmax = 0) AS inserted) "
            "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM merged"
        )
    return insert, list(spec.extra_values.values())


def _partitioned(table: str) -> bool:
    from core.partitions import is_partitioned

    with connection.cursor() as cursor:
        return is_partitioned(cursor, table)


class SqliteSink:
    """Everything into one stage; one merge at the end."""

    def __init__(self, prefix: str, columns: Sequence[StageColumn], key: Sequence[str], spec: MergeSpec) -> None:
        self.stage = Stage(prefix, columns).create()
        self.key, self.spec = list(key), spec
        self.keys_table = self.stage.name

    @property
    def count(self) -> int:
        return self.stage.count

    def write(self, rows: list[tuple], *, merge: bool = True) -> None:
        self.stage.write(rows)

    def wait(self) -> None:
        return None

    def duplicates(self, limit: int) -> list[tuple]:
        return self.stage.duplicates(self.key, limit)

    def finish(self) -> MergeResult:
        """Merge the stage; raises DuplicateKeys first if a key is staged twice (SQLite would apply the last)."""
        if not self.stage.count:
            return MergeResult()
        if self.duplicates(1):
            raise DuplicateKeys
        sql, params = merge_sql(self.stage, self.spec)
        target = connection.ops.quote_name(self.spec.table)
        with connection.cursor() as cursor:
            # No xmax on SQLite: inserted rows are those above the table's largest id before the merge (Django
            # declares SQLite primary keys AUTOINCREMENT, so new ids only grow); rowcount = inserted + updated.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {target}")
            max_id_before = cursor.fetchone()[0]
            cursor.execute(sql, params)
            changed = cursor.rowcount
            cursor.execute(f"SELECT COUNT(*) FROM {target} WHERE id > %s", [max_id_before])
            created = cursor.fetchone()[0]
        return MergeResult(created, changed - created, self.stage.count - changed)

    def drop(self) -> None:
        self.stage.drop()


class PostgresSink:
    """Chunk by chunk: COPY into a chunk stage, then merge it in a helper thread while the caller goes on."""

    def __init__(self, prefix: str, columns: Sequence[StageColumn], key: Sequence[str], spec: MergeSpec) -> None:
        self.chunk = Stage(f"{prefix}c", columns).create()
        by_name = {c.name: c for c in columns}
        self.keys = Stage(f"{prefix}k", [by_name["row_no"], *(by_name[k] for k in key)]).create()
        self.key, self.spec = list(key), spec
        self.keys_table = self.keys.name
        self._key_positions = [0, *([c.name for c in columns].index(k) for k in key)]
        self._sql, self._params = merge_sql(self.chunk, spec)
        self._thread: threading.Thread | None = None
        self._outcome: list = []
        self.result = MergeResult()
        self.duplicate_found = False
        self.count = 0

    def write(self, rows: list[tuple], *, merge: bool = True) -> None:
        """Stage the chunk's keys and, unless `merge` is off (the batch is already rejected), merge the chunk."""
        self.wait()
        if not rows:
            return
        self.count += len(rows)
        if not merge or self.duplicate_found:
            self.keys.write([tuple(row[i] for i in self._key_positions) for row in rows])
            return
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self.chunk.name}")
        self.chunk.write(rows)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.keys.name} SELECT {', '.join(['row_no', *self.key])} "
                           f"FROM {self.chunk.name}")
        raw = connection.connection
        staged = len(rows)
        self._thread = threading.Thread(target=self._merge, args=(raw, staged), name="sales-merge", daemon=True)
        self._thread.start()

    def _merge(self, raw, staged: int) -> None:
        import psycopg

        # One statement: the savepoint, the merge and its release can never interleave with the caller's work.
        sql = f"SAVEPOINT sf_merge; {self._sql}; RELEASE SAVEPOINT sf_merge"
        try:
            with psycopg.ClientCursor(raw) as cursor:
                cursor.execute(sql, self._params)
                cursor.nextset()
                created, updated = cursor.fetchone()
            self._outcome.append(MergeResult(created, updated, staged - created - updated))
        except psycopg.errors.CardinalityViolation:  # the chunk holds a key twice
            self._outcome.append("duplicate")
        except BaseException as exc:  # handed to the caller's thread by wait()
            self._outcome.append(exc)

    def wait(self) -> None:
        """Block until the running merge ends; apply its outcome (re-raises its error in the caller's thread)."""
        if self._thread is None:
            return
        self._thread.join()
        self._thread = None
        outcome = self._outcome.pop()
        if isinstance(outcome, MergeResult):
            self.result.created += outcome.created
            self.result.updated += outcome.updated
            self.result.unchanged += outcome.unchanged
            return
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT sf_merge")
            cursor.execute("RELEASE SAVEPOINT sf_merge")
        if outcome == "duplicate":
            self.duplicate_found = True
            return
        raise outcome

    def duplicates(self, limit: int) -> list[tuple]:
        self.wait()
        return self.keys.duplicates(self.key, limit)

    def finish(self) -> MergeResult:
        """All chunks merged; a key repeated across chunks is found here (within a chunk, by the merge)."""
        self.wait()
        if self.duplicate_found or (self.count and self.duplicates(1)):
            raise DuplicateKeys
        return self.result

    def drop(self) -> None:
        self.wait()
        self.chunk.drop()
        self.keys.drop()


def make_sink(prefix: str, columns: Sequence[StageColumn], key: Sequence[str], spec: MergeSpec):
    cls = PostgresSink if is_postgres() else SqliteSink
    return cls(prefix, columns, key, spec)
