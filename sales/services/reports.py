"""The report every ingest returns: counts plus errors naming row, column and reason (JSON-able)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any


@dataclass
class IngestReport:
    """What an ingest did (or, rejected or dry-run, would have done). JSON-able via `as_dict()`."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    deleted: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    drivers_created: int = 0
    drivers_updated: int = 0
    drivers_unchanged: int = 0
    locations_created: list[str] = field(default_factory=list)
    products_created: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False
    max_errors: int = field(default=1000, repr=False)
    # The HTTP status of a file that could not be read at all (413 over a limit, 422 damaged); not serialised.
    file_status: int | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_errors:
            self.errors.append({"row": row, "column": column, "message": message})

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("max_errors")
        data.pop("file_status")
        data["valid"] = self.valid
        # Long lists of created codes are summarised; the counts stay exact.
        for key in ("locations_created", "products_created"):
            data[f"{key}_count"] = len(data[key])
            data[key] = data[key][:100]
        return data


class Rollback(Exception):
    """Raised inside the transaction to undo a rejected or dry-run batch."""




def chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    """Consume an iterable in lists of at most `size` items: only one chunk is ever held in memory."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
