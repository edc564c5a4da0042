"""What every commerce stream (products, sales, orders, stock) of every connector shares.

A stream run reads everything first, then applies it in ONE transaction (locations, products, facts and the
cursor together), so a malformed payload, a failed page or a rejected batch leaves the database exactly as it
was and the cursor where it was. Helpers here:

* `StreamSync`: the run's context — mode, date window (full / incremental from the cursor / explicit
  `date_from`/`date_to` params), business time zone, cursor, shapes seen for [U] protocol details, warnings,
  errors that name the stream and the position in the payload, and the final `SyncOutcome`.
* time: source-local naive timestamps → aware UTC datetimes, and the business day in the account's zone;
* numbers: strict parsers whose errors say where the bad value was;
* identity: location and product look-ups by the account's external ids, and `apply_products`, which
  writes source products through `sales.services.ingest.upsert_products` with a `ProductSourceRef` each;
* `apply_locations`: source warehouses/stores into the one location tree via `apply_org_feed`;
* `check_report`: an ingest report with errors fails the run, naming the first rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from branches.models import Location
from branches.services.org_sync import OrgFeedError, OrgNode, apply_org_feed
from integrations.choices import SyncMode
from integrations.errors import ConfigurationError, ResponseFormatError
from integrations.http import HttpClient
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome
from integrations.services.cursors import get_cursor, save_cursor
from integrations.services.runs import RunProgress
from sales.models import Product, ProductBarcode, ProductSourceRef

logger = logging.getLogger("integrations")

UTC = dt.UTC
MOSCOW = ZoneInfo("Europe/Moscow")
ISTANBUL = ZoneInfo("Europe/Istanbul")
MAX_WARNINGS = 30
LOOKUP_CHUNK = 500


# --- time ---------------------------------------------------------------------------------------------------

def zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    """The account's zone when it names one other than the model default "UTC", else the protocol's zone."""
    if not name or name == "UTC":
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(gettext("timezone %(name)r is not a known IANA zone name (e.g. "
                                         "Europe/Moscow)") % {"name": name}) from None


def local_to_utc(moment: dt.datetime, source_tz: ZoneInfo) -> dt.datetime:
    """A source timestamp without offset (local time of `source_tz`) as an aware UTC datetime."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=source_tz)
    return moment.astimezone(UTC)


def business_day(moment: dt.datetime, business_tz: ZoneInfo) -> dt.date:
    """The calendar day of an aware moment in the business' own zone (what a shop calls "that day")."""
    return moment.astimezone(business_tz).date()


def parse_local_datetime(value: Any, formats: Iterable[str] = ()) -> dt.datetime:
    """`YYYY-MM-DD HH:MM:SS(.fff)`, ISO with `T`, with or without offset; ValueError naming the value."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a date-time")
    text = value.strip()
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value!r} is not a date-time (expected YYYY-MM-DD HH:MM:SS)") from None


def date_windows(first: dt.date, last: dt.date, max_days: int) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut into consecutive inclusive windows of at most `max_days` days, oldest first."""
    windows = []
    start = first
    while start <= last:
        end = min(last, start + dt.timedelta(days=max_days - 1))
        windows.append((start, end))
        start = end + dt.timedelta(days=1)
    return windows


def month_windows(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[first, last] cut at calendar-month boundaries: iiko asks for at most one month per OLAP query."""
    windows = []
    start = first
    while start <= last:
        next_month = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        end = min(last, next_month - dt.timedelta(days=1))
        windows.append((start, end))
        start = end + dt.timedelta(days=1)
    return windows


# --- numbers ------------------------------------------------------------------------------------------------

def decimal_of(value: Any, what: str, *, allow_none: bool = False) -> Decimal | None:
    """A finite Decimal from a JSON number or numeric string ("249.90", "14"); ValueError naming `what`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValueError(f"{what} is missing")
    if isinstance(value, bool):
        raise ValueError(f"{what} {value!r} is not a number")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{what} {value!r} is not a finite number")
    return number


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def kopecks(value: Any, what: str) -> Decimal:
    """MoySklad money (kopecks, possibly a float like 129000.0) → roubles with two decimals."""
    amount = decimal_of(value, what)
    return money(amount / 100)


def text_of(value: Any, limit: int = 255) -> str:
    return "" if value is None else str(value).strip()[:limit]


# --- the stream run context -----------------------------------------------------------------------------------

@dataclass
class Window:
    """The business days a date-windowed stream reads, and why (full, incremental, explicit)."""

    first: dt.date
    last: dt.date
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "reason": self.reason}


class StreamSync:
    """One stream run of one account: mode, window, cursor, zone, warnings, errors, outcome."""

    def __init__(self, run: SyncRun, account: IntegrationAccount, progress: RunProgress, *,
                 source_tz: ZoneInfo = UTC) -> None:
        self.run = run
        self.account = account
        self.progress = progress
        self.stream = str(run.stream)
        self.mode = str(run.mode)
        self.params: dict[str, Any] = dict(run.params or {})
        self.options: dict[str, Any] = dict(account.options or {})
        self.source_tz = source_tz
        self.business_tz = zone(account.timezone, source_tz)
        self.now = timezone.now()
        self.cursor: dict[str, Any] = get_cursor(account, self.stream)
        self.details: dict[str, Any] = {"mode": self.mode}
        self.warnings: list[str] = []
        self.shapes: dict[str, str] = {}
        self.clients: list[HttpClient] = []

    # -- mode and window ---------------------------------------------------------------------------------------
    @property
    def is_full(self) -> bool:
        return self.mode == SyncMode.FULL

    @property
    def today(self) -> dt.date:
        return business_day(self.now, self.business_tz)

    def option(self, name: str, default: Any) -> Any:
        value = self.options.get(name, default)
        if isinstance(default, int) and not isinstance(default, bool):
            try:
                return int(value)
            except (TypeError, ValueError):
                raise ConfigurationError(gettext("option %(name)s=%(value)r must be a whole number") % {
                                             "name": name,
                                             "value": value,
                                         },
                                         account=self.account.name) from None
        return value

    def explicit_window(self) -> Window | None:
        """`date_from`/`date_to` run params (commands' --from/--to) override the mode's window."""
        raw_from, raw_to = self.params.get("date_from"), self.params.get("date_to")
        if not raw_from and not raw_to:
            return None
        try:
            first = dt.date.fromisoformat(raw_from) if raw_from else None
            last = dt.date.fromisoformat(raw_to) if raw_to else self.today
        except (TypeError, ValueError):
            raise ConfigurationError(gettext("run parameters date_from=%(raw_from)r / date_to=%(raw_to)r are "
                                             "not YYYY-MM-DD dates") % {"raw_from": raw_from, "raw_to": raw_to},
                                     account=self.account.name) from None
        if first is None:
            first = last
        if first > last:
            raise ConfigurationError(gettext("date_from %(first)s is after date_to %(last)s") % {
                                         "first": first,
                                         "last": last,
                                     }, account=self.account.name)
        return Window(first, last, "explicit")

    def date_window(self, *, full_days: int, lookback_days: int) -> Window:
        """Business days to read: explicit params; full = the last `full_days` days (option `full_days`);
        incremental = from the cursor's `next_from` minus `lookback_days` (option) to today, or full without one.
        """
        explicit = self.explicit_window()
        if explicit is not None:
            return explicit
        today = self.today
        full_days = max(1, self.option("full_days", full_days))
        full_first = today - dt.timedelta(days=full_days - 1)
        next_from = self.cursor.get("next_from")
        if self.is_full or not next_from:
            return Window(full_first, today, "full" if self.is_full else "incremental without a cursor: full window")
        try:
            first = dt.date.fromisoformat(next_from) - dt.timedelta(days=max(0, self.option("lookback_days",
                                                                                           lookback_days)))
        except ValueError:
            self.warn(f"the stored cursor next_from={next_from!r} is not a date; read the full window instead")
            return Window(full_first, today, "incremental with an unreadable cursor: full window")
        return Window(min(first, today), today, "incremental")

    def window_cursor(self, window: Window) -> dict[str, Any]:
        """The cursor after a successful windowed run: never moves back (a backfill of old days keeps it)."""
        old = self.cursor.get("next_from")
        next_from = min(window.last, self.today).isoformat()
        if old and old > next_from:
            next_from = old
        return {**self.cursor, "next_from": next_from, "synced_at": self.now.isoformat()}

    # -- diagnostics ---------------------------------------------------------------------------------------------
    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append("… more warnings left out")
        logger.warning("%s %s: %s", self.account.name, self.stream, message)

    def note_shape(self, what: str, shape: str) -> None:
        """Record which of the plausible shapes of an unverified protocol detail ([U]) this server sent."""
        seen = self.shapes.get(what)
        if seen is None:
            self.shapes[what] = shape
            logger.info("protocol shape seen", extra={"account": self.account.name, "stream": self.stream,
                                                      "what": what, "shape": shape})
        elif shape not in seen.split(" + "):
            self.shapes[what] = f"{seen} + {shape}"

    def error(self, problem: str, position: str = "") -> ResponseFormatError:
        """A run-failing error naming the stream and where in the payload the problem is."""
        where = f" at {position}" if position else ""
        return ResponseFormatError(
            gettext("%(stream)s stream: %(problem)s%(where)s; nothing of this run was stored") % {
                "stream": self.stream,
                "problem": problem,
                "where": where,
            }, account=self.account.name)

    def json(self, response: requests.Response, position: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise self.error("the answer is not valid JSON (truncated or not JSON)", position) from None

    def track(self, client: HttpClient) -> HttpClient:
        self.clients.append(client)
        return client

    # -- writing -------------------------------------------------------------------------------------------------
    def atomic(self) -> transaction.Atomic:
        """The one transaction of the run's writes (locations, products, facts and the cursor)."""
        return transaction.atomic()

    def save_cursor(self, value: dict[str, Any]) -> None:
        """Call inside `atomic()`: the cursor moves only together with the data it covers."""
        save_cursor(self.account, self.stream, value, self.run)

    def outcome(self, *, read: int, created: int = 0, updated: int = 0, unchanged: int = 0, skipped: int = 0,
                **details: Any) -> SyncOutcome:
        info = {**self.details, **details}
        if self.warnings:
            info["warnings"] = list(self.warnings)
        if self.shapes:
            info["shapes"] = dict(self.shapes)
        if self.clients:
            info["http"] = {"requests": sum(c.requests_sent for c in self.clients),
                            "waited_s": round(sum(c.total_waited for c in self.clients), 3)}
        return SyncOutcome(read=read, created=created, updated=updated, unchanged=unchanged, skipped=skipped,
                           details=info)


# --- ingest reports -------------------------------------------------------------------------------------------

def check_report(sync: StreamSync, report: Any, what: str, positions: list[str] | None = None) -> None:
    """An ingest that rejected its batch fails the run; the message names the first bad rows and columns."""
    if report.error_count == 0 and report.applied:
        return
    if report.error_count == 0:
        raise sync.error(f"the {what} batch was not applied")
    shown = []
    for error in report.errors[:3]:
        row = error.get("row")
        place = positions[row - 1] if positions and isinstance(row, int) and 0 < row <= len(positions) else f"row {row}"
        shown.append(f"{place}: {error.get('column')} {error.get('message')}")
    more = f" (and {report.error_count - len(shown)} more)" if report.error_count > len(shown) else ""
    raise sync.error(f"{report.error_count} {what} row(s) were rejected — " + "; ".join(shown) + more)


# --- locations ------------------------------------------------------------------------------------------------

def location_ids(account: IntegrationAccount, external_ids: Iterable[str] | None = None) -> dict[str, int]:
    """external id → location id of the account's locations (active or not)."""
    queryset = Location.objects.filter(source=account)
    if external_ids is not None:
        wanted = list({str(e) for e in external_ids})
        found: dict[str, int] = {}
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            found.update(queryset.filter(external_id__in=wanted[start:start + LOOKUP_CHUNK])
                         .values_list("external_id", "id"))
        return found
    return dict(queryset.values_list("external_id", "id"))


def apply_locations(sync: StreamSync, nodes: list[OrgNode], *, deactivate_missing: bool = True) -> dict[str, Any]:
    """Warehouses/stores of the account into the location tree (parents first, no duplicates, one statement)."""
    try:
        result = apply_org_feed(sync.account, nodes, run=sync.run, deactivate_missing=deactivate_missing)
    except OrgFeedError as exc:
        raise sync.error(str(exc)) from None
    for warning in result.warnings:
        sync.warn(warning)
    return result.as_dict()


# --- products ---------------------------------------------------------------------------------------------------

@dataclass
class SourceProduct:
    """A product as one account knows it; `external_id` is the account's id for it (unique per account)."""

    external_id: str
    sku: str
    name: str
    kind: str | None = None
    unit: str | None = None
    list_price: Decimal | None = None
    barcodes: list[str] = field(default_factory=list)
    category_code: str | None = None
    category_name: str | None = None
    is_active: bool | None = None


def product_ids(account: IntegrationAccount, external_ids: Iterable[str]) -> dict[str, int]:
    """external id → product id through the account's ProductSourceRefs."""
    wanted = list({str(e) for e in external_ids})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        refs = ProductSourceRef.objects.filter(account=account, external_id__in=wanted[start:start + LOOKUP_CHUNK])
        found.update(refs.values_list("external_id", "product_id"))
    return found


def _skus_by_ref(account: IntegrationAccount, external_ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(external_ids), LOOKUP_CHUNK):
        found.update(ProductSourceRef.objects.filter(account=account,
                                                     external_id__in=external_ids[start:start + LOOKUP_CHUNK])
                     .values_list("external_id", "product__sku"))
    return found


def _skus_by_barcode(barcodes: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(barcodes), LOOKUP_CHUNK):
        found.update(ProductBarcode.objects.filter(barcode__in=barcodes[start:start + LOOKUP_CHUNK])
                     .values_list("barcode", "product__sku"))
    return found


def _existing_skus(skus: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(skus), LOOKUP_CHUNK):
        found.update(Product.objects.filter(sku__in=skus[start:start + LOOKUP_CHUNK]).values_list("sku", flat=True))
    return found


def _skus_first_brought_by(account: IntegrationAccount, skus: set[str]) -> set[str]:
    """Of these existing products, the ones this account's sync created (its reference is their first one)."""
    wanted = sorted(skus)
    found: set[str] = set()
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        refs = (ProductSourceRef.objects.filter(product__sku__in=wanted[start:start + LOOKUP_CHUNK])
                .order_by("product_id", "pk").values_list("product__sku", "account_id"))
        first: dict[str, int] = {}
        for sku, account_id in refs:
            first.setdefault(sku, account_id)
        found.update(sku for sku, account_id in first.items() if account_id == account.pk)
    return found


def apply_products(sync: StreamSync, items: list[SourceProduct], *, describe_existing: bool = True
                   ) -> dict[str, int]:
    """Write source products through the sales service, with one ProductSourceRef per external id.

    Identity, in order: the product this account's external id already points at; else a product that
    already carries one of the item's barcodes (the same goods known to another system); else the source's
    SKU/article (shared articles across systems mean the same product). A product is described (name, price,
    category, kind, active) only by the account whose sync created it; for a product that came from another
    account or from an import, a sync adds just its reference and barcodes. With `describe_existing=False` no
    existing product is described at all (products discovered in sales rows carry less than the catalogue).
    Returns counters.
    """
    from sales.services.ingest import upsert_products

    if not items:
        return {"read": 0, "created": 0, "updated": 0, "unchanged": 0}
    by_ref = _skus_by_ref(sync.account, [i.external_id for i in items])
    by_barcode = _skus_by_barcode(sorted({b for i in items for b in i.barcodes}))
    rows: list[dict[str, Any]] = []
    positions: list[str] = []
    sku_owner: dict[str, str] = {}
    barcode_owner: dict[str, str] = {}
    for item in items:
        sku = by_ref.get(item.external_id) or next((by_barcode[b] for b in item.barcodes if b in by_barcode), None)
        sku = sku or text_of(item.sku, 100) or f"{sync.account.kind}-{item.external_id}"[:100]
        if sku in sku_owner and sku_owner[sku] != item.external_id:
            # Two source products claim one SKU (e.g. an article reused): keep them apart, say so.
            alt = f"{sku}~{item.external_id}"[:100]
            sync.warn(f"products {sku_owner[sku]!r} and {item.external_id!r} both have SKU {sku!r}; the second is "
                      f"stored as {alt!r}")
            sku = alt
        sku_owner[sku] = item.external_id
        barcodes = []
        for code in item.barcodes:
            code = text_of(code, 64)
            if not code or code in barcodes:
                continue
            if barcode_owner.get(code, sku) != sku:
                sync.warn(f"barcode {code} is given to SKUs {barcode_owner[code]!r} and {sku!r}; kept on the first")
                continue
            barcode_owner[code] = sku
            barcodes.append(code)
        row: dict[str, Any] = {"sku": sku, "external_id": item.external_id, "barcodes": barcodes, "name": item.name}
        for name in ("kind", "unit", "list_price", "category_code", "category_name", "is_active"):
            value = getattr(item, name)
            if value is not None and value != "":
                row[name] = value
        rows.append(row)
        positions.append(f"product {item.external_id!r} (SKU {sku!r})")
    # Whoever brought a product first describes it (a person's import or another account's sync included); any
    # other sync only adds its reference and barcodes, so names and prices never flip-flop between two systems
    # that sell the same goods.
    existing = _existing_skus([r["sku"] for r in rows])
    keep_only_ref = existing - _skus_first_brought_by(sync.account, existing) if describe_existing else existing
    rows = [{k: v for k, v in r.items() if k in ("sku", "external_id", "barcodes")} if r["sku"] in keep_only_ref
            else r for r in rows]
    report = upsert_products(rows, account=sync.account, create_missing=True)
    check_report(sync, report, "product", positions)
    for warning in report.warnings:
        sync.warn(warning)
    return {"read": len(items), "created": report.created, "updated": report.updated, "unchanged": report.unchanged}


def fingerprint(payload: Any) -> str:
    """A stable hash of a payload, so an unchanged catalogue is recognised without touching the database."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def counted(rows: Iterable[Mapping[str, Any]], counter: list[int]) -> Iterator[Mapping[str, Any]]:
    """Pass rows through, counting them (for generators handed to an ingest)."""
    for row in rows:
        counter[0] += 1
        yield row


# --- stock snapshots ----------------------------------------------------------------------------------------------

def snapshot_time(moment: dt.datetime, every_minutes: int) -> dt.datetime:
    """The snapshot slot a reading belongs to (UTC, floored), so live runs within one slot overwrite one snapshot
    instead of piling up a new one every ten minutes."""
    every = max(1, every_minutes)
    moment = moment.astimezone(UTC)
    minutes = (moment.hour * 60 + moment.minute) // every * every
    return moment.replace(hour=minutes // 60 % 24, minute=minutes % 60, second=0, microsecond=0)


def zero_rows_for_missing_stock(account: IntegrationAccount, as_of: dt.datetime, rows: list[dict[str, Any]]
                                ) -> list[dict[str, Any]]:
    """Products the account's previous snapshot (per location) had on hand that this complete snapshot omits.

    Sources leave zero-stock lines out (iiko, MoySklad's default stockMode); without an explicit zero the last
    non-zero reading would look current forever.
    """
    from django.db.models import Max, Q

    from sales.models import StockLevel

    latest = (StockLevel.objects.filter(source=account, as_of__lt=as_of).values("location_id")
              .annotate(last=Max("as_of")))
    condition = Q(as_of=as_of)  # the slot itself: a product gone since an earlier run in the same slot
    for entry in latest:
        condition |= Q(location_id=entry["location_id"], as_of=entry["last"])
    present = {(r["location_id"], r["product_id"]) for r in rows}
    previous = (StockLevel.objects.filter(condition, source=account).exclude(on_hand=0, reserved=0, in_transit=0)
                .values_list("location_id", "product_id"))
    return [{"location_id": loc, "product_id": prod, "as_of": as_of, "on_hand": 0, "reserved": 0, "in_transit": 0}
            for loc, prod in previous if (loc, prod) not in present]


# --- orders -------------------------------------------------------------------------------------------------------

def customer_of(sync: StreamSync, raw: Any) -> dict[str, str] | None:
    """The buyer of an order as `upsert_orders` takes it (`customer` mapping), or None when the source names none.

    The key is the source's own id (`id`/`customer_id`), else the e-mail, else the phone (prefixed, so they never
    collide with ids): marketplaces behind an integrator often send a buyer without an id. Name, e-mail and phone
    are stored as given; later orders fill in what an earlier one left empty.
    """
    if not isinstance(raw, Mapping):
        return None
    name = text_of(raw.get("name") or raw.get("full_name") or " ".join(
        part for part in (text_of(raw.get("first_name")), text_of(raw.get("last_name"))) if part))
    email = text_of(raw.get("email"), 254).lower()
    phone = text_of(raw.get("phone") or raw.get("phone_number") or raw.get("gsm"), 50)
    source_id = text_of(raw.get("id") or raw.get("customer_id"), 100)
    if source_id:
        key, shape = source_id, "id"
    elif email:
        key, shape = f"email:{email}", "e-mail"
    elif phone:
        key, shape = f"phone:{phone}", "phone"
    else:
        return None
    sync.note_shape("customer key", shape)
    return {"external_id": key[:100], "name": name, "email": email, "phone": phone}


def write_orders(sync: StreamSync, orders: list[dict[str, Any]], *, rebuild_locations: list[int] | None = None,
                 rebuild_window: tuple[dt.date, dt.date] | None = None) -> dict[str, Any]:
    """upsert_orders then rebuild_daily_sales over what changed (plus an optional whole window), in the caller's
    transaction. Returns counters for the outcome."""
    from sales.services.daily_from_orders import rebuild_daily_sales
    from sales.services.ingest import upsert_orders

    positions = [order.pop("_position") for order in orders]
    # Places by id, looked up once for the batch (the ingest would ask once per order for an external id).
    places = location_ids(sync.account, {o["location_external_id"] for o in orders if "location_external_id" in o})
    for order, position in zip(orders, positions, strict=True):
        place = order.pop("location_external_id", None)
        if place is not None:
            if place not in places:
                raise sync.error(f"location {place!r} is not in this account's location tree", position)
            order["location_id"] = places[place]
        for line in order["lines"]:
            for key in [k for k in line if k.startswith("_")]:
                del line[key]
    report = upsert_orders(sync.account, orders)
    check_report(sync, report, "order", positions)
    locations = set(report.location_ids) | set(rebuild_locations or [])
    first, last = report.date_from, report.date_to
    if rebuild_window is not None:
        first = min(filter(None, (first, rebuild_window[0])))
        last = max(filter(None, (last, rebuild_window[1])))
    daily = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    if locations and first is not None and last is not None:
        rebuilt = rebuild_daily_sales(sorted(locations), first, last)
        check_report(sync, rebuilt, "daily sale")
        daily = {"created": rebuilt.created, "updated": rebuilt.updated, "unchanged": rebuilt.unchanged,
                 "deleted": rebuilt.deleted, "from": first.isoformat(), "to": last.isoformat()}
    return {"orders": report, "daily_sales": daily}
