"""Counts the SQL statements a block issues, without keeping their text (works with DEBUG off)."""

from __future__ import annotations

from django.db import connection


class QueryCounter:
    """`with QueryCounter() as counter: ...; counter.count` — the number of statements executed."""

    def __init__(self) -> None:
        self.count = 0
        self._wrapper = None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryCounter:
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)
