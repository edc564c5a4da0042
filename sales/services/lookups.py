"""Turning the codes people and files use (location code, SKU) into row ids, with optional creation.

Location codes are not unique in `branches.Location` (a 1C branch, the iiko department linked to it and a
MoySklad store may all carry code "000007"). A code resolves to one location by this preference: locations of
the ingest's own source account first, then active before inactive, then manual entries (source empty,
external id = code, which is what `--create-missing` and the "branches" import create), then type BRANCH.
Two candidates that tie on all of that are ambiguous and reported as an error naming them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext

from branches.choices import LocationType
from branches.models import Location
from core.errors import InvalidInput
from sales.models import Product

# SQLite allows 999 bound variables per statement in old builds; stay well below it.
LOOKUP_CHUNK = 500
# A file's store-level rows use this SKU (`item_id = ALL`): one product standing for "everything sold here".
STORE_LEVEL_SKU = "ALL"


class AmbiguousCode(InvalidInput, ValueError):
    """A code names more than one location or product; the caller must say which."""

    code = "ambiguous_code"


def create_manual_location(code: str, name: str = "", parent: Location | None = None) -> Location:
    """A manual branch (no source account) whose external id is its code: what imports create for new codes."""
    location = Location(
        source=None, external_id=code, code=code, name=name or code, type=LocationType.BRANCH, parent=parent
    )
    location.save()  # save() maintains tree_path
    return location


class LocationResolver:
    """Location code → id for one ingest, loading the (small) location table once."""

    def __init__(self, source_id: int | None = None, before_db: Callable[[], None] | None = None) -> None:
        self.source_id = source_id
        self.before_db = before_db or (lambda: None)
        self._ids: dict[str, int] | None = None
        self._ambiguous: dict[str, list[int]] = {}
        self.created: list[str] = []

    def _load(self) -> dict[str, int]:
        candidates: dict[str, list[tuple]] = {}
        rows = Location.objects.exclude(code="").values_list("id", "code", "is_active", "source_id", "external_id",
                                                              "type")
        for pk, code, is_active, source_id, external_id, type_ in rows:
            rank = (
                self.source_id is not None and source_id == self.source_id,
                bool(is_active),
                source_id is None and external_id == code,
                type_ == LocationType.BRANCH,
            )
            candidates.setdefault(code, []).append((rank, pk))
        ids: dict[str, int] = {}
        for code, ranked in candidates.items():
            ranked.sort(key=lambda item: (item[0], -item[1]), reverse=True)
            if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
                self._ambiguous[code] = sorted(pk for rank, pk in ranked if rank == ranked[0][0])
            else:
                ids[code] = ranked[0][1]
        return ids

    def resolve(self, code: str, *, create_missing: bool = False) -> int | None:
        """The location id for `code`; None when unknown (and not created). Raises AmbiguousCode."""
        if self._ids is None:
            self.before_db()
            self._ids = self._load()
        pk = self._ids.get(code)
        if pk is not None:
            return pk
        if code in self._ambiguous:
            raise AmbiguousCode(
                gettext("location code %(code)r matches several locations (ids %(ambiguous)s); give "
                        "location_id instead, or make the codes unique") % {
                    "code": code,
                    "ambiguous": self._ambiguous[code],
                }
            )
        if not create_missing:
            return None
        self.before_db()
        pk = create_manual_location(code).pk
        self._ids[code] = pk
        self.created.append(code)
        return pk


class ProductResolver:
    """SKU → product id for one ingest; looks SKUs up in chunks and caches them."""

    def __init__(self, before_db: Callable[[], None] | None = None) -> None:
        self.before_db = before_db or (lambda: None)
        self.ids: dict[str, int] = {}
        self._missing: set[str] = set()
        self.created: list[str] = []

    def prefetch(self, skus: Iterable[str], *, create_missing: bool = False,
                 names: dict[str, str] | None = None) -> None:
        """Load the ids of `skus` not seen yet; with create_missing, create the unknown ones (name = SKU)."""
        wanted = [sku for sku in set(skus) if sku not in self.ids and (create_missing or sku not in self._missing)]
        if not wanted:
            return
        self.before_db()
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start : start + LOOKUP_CHUNK]
            self.ids.update(Product.objects.filter(sku__in=chunk).values_list("sku", "id"))
        unknown = [sku for sku in wanted if sku not in self.ids]
        if not unknown:
            return
        if not create_missing:
            self._missing.update(unknown)
            return
        names = names or {}
        new = [
            Product(sku=sku, name=(names.get(sku) or ("All products" if sku == STORE_LEVEL_SKU else sku))[:255])
            for sku in unknown
        ]
        for start in range(0, len(new), LOOKUP_CHUNK):
            Product.objects.bulk_create(new[start : start + LOOKUP_CHUNK], ignore_conflicts=True)
            chunk = unknown[start : start + LOOKUP_CHUNK]
            self.ids.update(Product.objects.filter(sku__in=chunk).values_list("sku", "id"))
        self.created.extend(unknown)
        self._missing.difference_update(unknown)

    def get(self, sku: str) -> int | None:
        return self.ids.get(sku)
