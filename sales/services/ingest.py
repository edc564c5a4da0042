"""Ingest: batches of rows from files, connectors and the demo become upserts of the demand history.

Contracts other apps rely on (keep these names and keywords):

``ingest_daily_sales(rows, *, source=None, create_missing=False, batch_size=50_000, progress=None, dry_run=False,
first_row=1, max_errors=1000) -> IngestReport``
    ``rows``: any iterable of mappings (a generator is best: it is consumed once, in chunks of ``batch_size``).
    Keys: ``location_code`` (or ``location_id``), ``sku`` (or ``product_id``), ``date`` (date, datetime or
    ``YYYY-MM-DD``), ``quantity``, ``revenue``, ``discount``, ``returns``, ``price_paid``, ``on_promotion``;
    optional demand-driver keys ``is_open``, ``is_holiday``, ``planned_price``, ``promotion``; optional
    ``product_name`` (the name given to a product created by ``create_missing``).
    A row whose ``quantity`` is None/empty/NaN carries drivers only and is never stored as a sale. A row with
    any driver value also upserts a ``DemandDriver`` for (location, product, date); SKU ``ALL`` or an empty SKU
    means "all products of the location" (product NULL). Driver values the row leaves empty keep what is stored.
    Defaults: revenue = quantity × price_paid when only the price is given, else 0; discount, returns 0;
    on_promotion false. Validation: types, unknown location/product codes (created as manual branches and
    products with ``create_missing``), negative quantity/returns/discount/price, sale dates after tomorrow,
    duplicate keys inside the batch. ``source`` (an IntegrationAccount) prefers that account's locations when a
    code matches several.

``ingest_stock_levels(rows, *, source=None, create_missing=False, batch_size=50_000, progress=None,
dry_run=False, first_row=1, max_errors=1000) -> IngestReport``
    Keys: ``location_code``/``location_id``, ``sku``/``product_id``, ``as_of`` (datetime, or a date = midnight
    in the server's time zone), ``on_hand`` (may be negative, as iiko reports it), ``reserved``, ``in_transit``.
    Unique per (location, product, as_of); ``source`` is stored on the rows.

``upsert_demand_drivers(rows, *, source=None, create_missing=False, ...) -> IngestReport``
    Keys: ``location_code``/``location_id``, ``sku``/``product_id`` (empty/``ALL`` = all products), ``date``,
    ``promotion`` (or ``is_promotion``), ``is_open``, ``is_holiday``, ``planned_price``. Past and future dates.

``upsert_categories(categories, *, dry_run=False, first_row=1, max_errors=1000) -> IngestReport`` and
``upsert_products(products, *, account=None, create_missing=True, batch_size=5_000, progress=None, dry_run=False,
first_row=1, max_errors=1000) -> IngestReport``
    See ``sales.services.catalog``; re-exported here.

``upsert_orders(account, orders, *, batch_size=1_000, dry_run=False, first_row=1, max_errors=1000)
-> OrdersReport``
    See ``sales.services.orders``; re-exported here. Follow it with
    ``sales.services.daily_from_orders.rebuild_daily_sales(report.location_ids, report.date_from, report.date_to)``.

``sales.services.daily_from_orders.rebuild_daily_sales(location_ids, date_from, date_to, *, progress=None)
-> IngestReport``
    The one service deriving DailySale from order lines (see its module).

``progress`` (optional) is called with the number of rows consumed so far after each chunk.

``IngestReport`` (``sales.services.reports``): ``rows, created, updated, unchanged, skipped`` (rows that are not
sales: driver-only or empty), ``deleted``, ``errors`` (at most ``max_errors`` of [{row, column, message}]),
``error_count`` (all of them), ``drivers_created/updated/unchanged``, ``locations_created``,
``products_created``, ``warnings``, ``dry_run``, ``applied``; ``.valid`` and ``.as_dict()`` (JSON-able).

Every call is one transaction: the whole batch is validated first and then applied, or rejected whole with
``IngestReport.errors`` = [{row, column, message}] (row numbers start at ``first_row``: pass 2 for a file with a
header line so they match what a spreadsheet shows). ``dry_run`` does everything (counts included) and rolls
back. Memory stays flat: rows are consumed chunk by chunk and staged in a temporary table (COPY on PostgreSQL),
then merged with one ``INSERT … ON CONFLICT DO UPDATE … WHERE <values differ>`` per table, so re-ingesting the
same rows writes nothing and counts them as ``unchanged``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.read_cache import bump_data_version
from sales.models import DailySale, DemandDriver, StockLevel
from sales.services.catalog import upsert_categories, upsert_products
from sales.services.lookups import STORE_LEVEL_SKU, AmbiguousCode, LocationResolver, ProductResolver
from sales.services.orders import OrdersReport, upsert_orders
from sales.services.parsing import (
    FALSE_WORDS,
    TRUE_WORDS,
    is_empty,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_text,
)
from sales.services.reports import IngestReport, Rollback, chunks
from sales.services.staging import DuplicateKeys, MergeSpec, StageColumn, is_postgres, make_sink

__all__ = [
    "IngestReport",
    "OrdersReport",
    "ingest_daily_sales",
    "ingest_stock_levels",
    "upsert_categories",
    "upsert_demand_drivers",
    "upsert_orders",
    "upsert_products",
]

logger = logging.getLogger("sales")

ProgressCallback = Callable[[int], None]

QTY_MAX = 1e11  # numeric(14, 3)
MONEY_MAX = 1e14  # numeric(16, 2)
MIN_YEAR = 1900
MAX_YEAR = 2200


class _Numbers:
    """Fast number validation for the hot loop: returns a value both drivers accept, or raises ValueError."""

    __slots__ = ()

    @staticmethod
    def parse(value: Any, max_abs: float, non_negative: bool) -> Any:
        kind = type(value)
        if kind is int or kind is float:
            number = value
            result = value
        elif kind is str:
            text = value.strip()
            if "," in text:
                text = text.replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                raise ValueError(gettext("%(value)r is not a number") % {"value": value}) from None
            if "_" in text:
                raise ValueError(gettext("%(value)r is not a number") % {"value": value})
            result = text
        elif kind is bool:
            raise ValueError(gettext("%(value)r is not a number") % {"value": value})
        elif isinstance(value, Decimal):
            number, result = float(value), value
        else:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise ValueError(gettext("%(value)r is not a number") % {"value": value}) from None
            result = number
        if number != number or number in (math.inf, -math.inf):
            raise ValueError(gettext("%(value)r is not a finite number") % {"value": value})
        if number >= max_abs or number <= -max_abs:
            raise ValueError(gettext("%(value)r is too large") % {"value": value})
        if non_negative and number < 0:
            raise ValueError(gettext("%(value)r is negative") % {"value": value})
        return result


def _number_or_none(value: Any, max_abs: float, non_negative: bool) -> Any:
    """`_Numbers.parse`, with None/''/whitespace/NaN meaning "no value" (one call per cell on the hot path)."""
    kind = type(value)
    if kind is int:
        if value >= max_abs or value <= -max_abs:
            raise ValueError(gettext("%(value)r is too large") % {"value": value})
        if non_negative and value < 0:
            raise ValueError(gettext("%(value)r is negative") % {"value": value})
        return value
    if value is None or value == "":
        return None
    if kind is float and value != value:
        return None
    if kind is str and not value.strip():
        return None
    if kind is not float and kind is not str and is_empty(value):
        return None
    return _Numbers.parse(value, max_abs, non_negative)


def _flag_or_share(value: Any) -> bool | None:
    """yes/no, or the share of the period it held (Dominick's feature ads: 0.9645): yes from one half up."""
    try:
        return _bool_or_none(value)
    except ValueError:
        try:
            share = float(value)
        except (TypeError, ValueError):
            share = float("nan")
        if 0.0 <= share <= 1.0:
            return share >= 0.5
        raise ValueError(gettext("expected yes/no (or a share between 0 and 1), got %(value)r") % {
                             "value": value,
                         }) from None


def _bool_or_none(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if value is True or value is False:
        return value
    if type(value) is str:
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        if not word:
            return None
    if is_empty(value):
        return None
    return parse_bool(value)


class _DateCache:
    """Dates repeat on every row of a day; parse each distinct text once."""

    def __init__(self) -> None:
        self._cache: dict[Any, dt.date] = {}

    def parse(self, value: Any) -> dt.date:
        try:
            return self._cache[value]
        except (KeyError, TypeError):
            pass
        parsed = parse_date(value)
        if parsed.year < MIN_YEAR or parsed.year > MAX_YEAR:
            raise ValueError(gettext("%(value)r is outside %(MIN_YEAR)s–%(MAX_YEAR)s") % {
                                 "value": value,
                                 "MIN_YEAR": MIN_YEAR,
                                 "MAX_YEAR": MAX_YEAR,
                             })
        if len(self._cache) < 100_000:
            try:
                self._cache[value] = parsed
            except TypeError:
                pass
        return parsed


class _StagedIngest:
    """The shape every staged ingest shares: one transaction, chunked validation, stage, merge, report."""

    kind = "rows"

    def __init__(self, *, source=None, create_missing: bool = False, batch_size: int = 50_000,
                 progress: ProgressCallback | None = None, dry_run: bool = False, first_row: int = 1,
                 max_errors: int = 1000) -> None:
        if batch_size < 1:
            raise ValueError(gettext("batch_size must be at least 1"))
        self.source_id = getattr(source, "pk", source)
        self.create_missing = create_missing
        self.batch_size = batch_size
        self.progress = progress
        self.dry_run = dry_run
        self.first_row = first_row
        self.report = IngestReport(dry_run=dry_run, max_errors=max_errors)
        self.locations = LocationResolver(self.source_id, before_db=self.wait_for_merges)
        self.products = ProductResolver(before_db=self.wait_for_merges)
        self.dates = _DateCache()
        self.location_cache: dict[str, int] = {}
        self.known_location_ids: set[int] = set()
        self.known_product_ids: set[int] = set()
        self.iso_days: dict = {}
        self.now = timezone.now()

    # Hooks ------------------------------------------------------------------------------------------------------
    def create_stages(self) -> None:
        raise NotImplementedError

    def handle_chunk(self, chunk: list[Mapping[str, Any]], first_row_no: int) -> None:
        raise NotImplementedError

    def check_duplicates(self) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        raise NotImplementedError

    def sinks(self) -> list:
        raise NotImplementedError

    def drop_stages(self) -> None:
        for sink in self.sinks():
            sink.drop()

    def wait_for_merges(self) -> None:
        """PostgreSQL merges chunks in a helper thread; finish them before using the connection here."""
        for sink in self.sinks():
            sink.wait()

    # Shared helpers ---------------------------------------------------------------------------------------------
    def run(self, rows: Iterable[Mapping[str, Any]]) -> IngestReport:
        report = self.report
        timings: dict[str, float] = {}
        started = time.perf_counter()
        try:
            with transaction.atomic():
                self.create_stages()
                try:
                    row_no = self.first_row
                    for chunk in chunks(rows, self.batch_size):
                        self.prefetch_products(chunk)
                        self.handle_chunk(chunk, row_no)
                        row_no += len(chunk)
                        report.rows += len(chunk)
                        if self.progress is not None:
                            self.progress(report.rows)
                    timings["read_validate_stage_s"] = time.perf_counter() - started
                    if report.error_count:
                        self.check_duplicates()
                        raise Rollback
                    try:
                        self.apply()
                    except DuplicateKeys:
                        self.check_duplicates()
                        raise Rollback from None
                    timings["merge_s"] = time.perf_counter() - started - sum(timings.values())
                    self.drop_stages()
                finally:
                    self.wait_for_merges()  # never leave the transaction with a merge still running
                if self.dry_run:
                    raise Rollback
                report.applied = True
                # COPY and bulk merges save no model row, so no signal tells the read cache; say it here.
                transaction.on_commit(bump_data_version)
        except Rollback:
            pass
        report.locations_created = list(self.locations.created)
        report.products_created = list(self.products.created)
        logger.info(
            "ingest finished",
            extra={"kind": self.kind, "rows": report.rows, "rows_created": report.created,
                   "rows_updated": report.updated, "rows_unchanged": report.unchanged, "errors": report.error_count,
                   "applied": report.applied, **{k: round(v, 2) for k, v in timings.items()}},
        )
        return report

    def prefetch_products(self, chunk: list[Mapping[str, Any]]) -> None:
        skus: set[str] = set()
        names: dict[str, str] = {}
        location_ids: set[Any] = set()
        product_ids: set[Any] = set()
        for row in chunk:
            if row.get("location_id") is not None:
                location_ids.add(row["location_id"])
            if row.get("product_id") is not None:
                product_ids.add(row["product_id"])
                continue
            sku = row.get("sku")
            if is_empty(sku):
                continue
            sku = sku.strip() if type(sku) is str else _text_or_none(sku)
            if sku and self.needs_product(row, sku):
                skus.add(sku)
                if self.create_missing and not is_empty(row.get("product_name")):
                    names.setdefault(sku, str(row["product_name"]).strip())
        self.products.prefetch(skus, create_missing=self.create_missing, names=names)
        self._check_ids(location_ids, self.known_location_ids, "branches", "Location")
        self._check_ids(product_ids, self.known_product_ids, "sales", "Product")

    def _check_ids(self, wanted: set[Any], known: set[int], app: str, model: str) -> None:
        """Remember which of the ids rows give directly exist (a missing one must be an error, not an FK crash)."""
        from django.apps import apps

        ids = {int(v) for v in wanted if isinstance(v, int) or (isinstance(v, str) and v.isdigit())} - known
        if ids:
            self.wait_for_merges()
            known.update(apps.get_model(app, model).objects.filter(pk__in=list(ids)).values_list("pk", flat=True))

    def needs_product(self, row: Mapping[str, Any], sku: str) -> bool:
        return True

    def location_id(self, row: Mapping[str, Any], row_no: int) -> int | None:
        pk = row.get("location_id")
        if pk is not None:
            if _as_id(pk) not in self.known_location_ids:
                self.report.add_error(row_no, "location_id", gettext("no location has id %(pk)r") % {"pk": pk})
                return None
            return _as_id(pk)
        code = row.get("location_code")
        if is_empty(code):
            self.report.add_error(row_no, "location_code", gettext("is required"))
            return None
        code = code.strip() if type(code) is str else _text_or_none(code)
        try:
            pk = self.locations.resolve(code, create_missing=self.create_missing)
        except AmbiguousCode as exc:
            self.report.add_error(row_no, "location_code", str(exc))
            return None
        except Exception as exc:  # e.g. a code too long for a new Location
            self.report.add_error(row_no, "location_code", gettext("could not create location %(code)r: "
                                                                   "%(exc)s") % {"code": code, "exc": exc})
            return None
        if pk is None:
            self.report.add_error(
                row_no, "location_code",
                gettext("unknown location code %(code)r: create the branch first or import with "
                        "create-missing") % {"code": code},
            )
        return pk

    def product_id(self, row: Mapping[str, Any], row_no: int, *, all_products_ok: bool = False) -> int | None | bool:
        """The product id; None for "all products" when allowed; False after reporting an error."""
        pk = row.get("product_id")
        if pk is not None:
            if _as_id(pk) not in self.known_product_ids:
                self.report.add_error(row_no, "product_id", gettext("no product has id %(pk)r") % {"pk": pk})
                return False
            return _as_id(pk)
        sku = row.get("sku")
        if is_empty(sku):
            if all_products_ok:
                return None
            self.report.add_error(row_no, "sku", gettext("is required"))
            return False
        sku = sku.strip() if type(sku) is str else _text_or_none(sku)
        if all_products_ok and sku == STORE_LEVEL_SKU:
            return None
        pk = self.products.get(sku)
        if pk is None:
            self.report.add_error(
                row_no, "sku", gettext("unknown SKU %(sku)r: import the product first or import with "
                                       "create-missing") % {"sku": sku}
            )
            return False
        return pk

    def duplicates_to_errors(self, sink, label: str) -> None:
        """Report every key staged twice, naming the location code, SKU and day (not internal ids)."""
        found = sink.duplicates(self.report.max_errors)
        if not found:
            return
        from branches.models import Location
        from sales.models import Product

        codes = dict(Location.objects.filter(pk__in={f[2] for f in found}).values_list("pk", "code"))
        skus = dict(Product.objects.filter(pk__in={f[3] for f in found if f[3]}).values_list("pk", "sku"))
        for first, other, location_id, product_id, when in found:
            product = skus.get(product_id, product_id) if product_id else "all products"
            self.report.add_error(other, label, gettext("duplicate %(label)s for location %(get)r, "
                                                        "%(product)r, %(when)s: also on row %(first)s") % {
                                                    "label": label,
                                                    "get": codes.get(location_id),
                                                    "product": product,
                                                    "when": when,
                                                    "first": first,
                                                })


def _as_id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _is_store_level(row: Mapping[str, Any]) -> bool:
    if row.get("product_id") is not None:
        return False
    sku = row.get("sku")
    return is_empty(sku) or str(sku).strip() == STORE_LEVEL_SKU


def _text_or_none(value: Any) -> str | None:
    if is_empty(value):
        return None
    return parse_text(value, max_length=100)


SALE_STAGE = [
    StageColumn("row_no", "bigint"),
    StageColumn("location_id", "bigint"),
    StageColumn("product_id", "bigint"),
    StageColumn("date", "date"),
    StageColumn("quantity", "numeric", places=3),
    StageColumn("revenue", "numeric", places=2),
    StageColumn("discount", "numeric", places=2),
    StageColumn("returns", "numeric", places=3),
    StageColumn("price_paid", "numeric", places=2),
    StageColumn("on_promotion", "boolean"),
]
DRIVER_STAGE = [
    StageColumn("row_no", "bigint"),
    StageColumn("location_id", "bigint"),
    StageColumn("product_id", "bigint"),
    StageColumn("date", "date"),
    StageColumn("is_promotion", "boolean"),
    StageColumn("is_open", "boolean"),
    StageColumn("is_holiday", "boolean"),
    StageColumn("planned_price", "numeric", places=2),
    StageColumn("is_advertised", "boolean"),
    StageColumn("is_extended_promotion", "boolean"),
]
_SALE_NUMBERS = (("discount", MONEY_MAX, True), ("returns", QTY_MAX, True), ("price_paid", MONEY_MAX, True),
                 ("revenue", MONEY_MAX, False))
SALE_VALUE_COLUMNS = ["quantity", "revenue", "discount", "returns", "price_paid", "on_promotion"]
DRIVER_VALUE_COLUMNS = ["is_promotion", "is_open", "is_holiday", "planned_price", "is_advertised",
                        "is_extended_promotion"]
class _DailySaleIngest(_StagedIngest):
    kind = "daily_sales"

    def __init__(self, *, drivers_only: bool = False, replace_scope: tuple | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drivers_only = drivers_only
        self.replace_scope = replace_scope  # (location_ids, date_from, date_to): delete rows not in the batch
        self.latest_sale_date = timezone.localdate() + dt.timedelta(days=1)

    def create_stages(self) -> None:
        updated_at = {"updated_at": connection.ops.adapt_datetimefield_value(self.now)}
        key = ("location_id", "product_id", "date")
        self.sales = make_sink("sales", SALE_STAGE, key, MergeSpec(
            table=DailySale._meta.db_table, columns=(*key, *SALE_VALUE_COLUMNS), conflict=key,
            update=(*SALE_VALUE_COLUMNS, "updated_at"), extra_values=updated_at,
        ))
        table = DemandDriver._meta.db_table
        keep = {c: f"COALESCE(excluded.{c}, {connection.ops.quote_name(table)}.{c})" for c in DRIVER_VALUE_COLUMNS}
        drivers = {"table": table, "columns": (*key, *DRIVER_VALUE_COLUMNS), "update_exprs": keep,
                   "update": (*DRIVER_VALUE_COLUMNS, "updated_at"), "extra_values": updated_at}
        self.drivers_for_product = make_sink("drv", DRIVER_STAGE, key, MergeSpec(
            conflict=key, conflict_where="product_id IS NOT NULL", **drivers))
        self.drivers_for_all = make_sink("drvall", DRIVER_STAGE, key, MergeSpec(
            conflict=("location_id", "date"), conflict_where="product_id IS NULL", **drivers))

    def sinks(self) -> list:
        return [s for s in (getattr(self, n, None) for n in ("sales", "drivers_for_product", "drivers_for_all")) if s]

    def needs_product(self, row: Mapping[str, Any], sku: str) -> bool:
        # Driver-only rows for SKU ALL mean "all products": no product row needed.
        if sku != STORE_LEVEL_SKU:
            return True
        return not self.drivers_only and not is_empty(row.get("quantity"))

    def handle_chunk(self, chunk: list[Mapping[str, Any]], first_row_no: int) -> None:
        report = self.report
        parse_num = _Numbers.parse
        number = _number_or_none
        parse_date = self.dates.parse
        latest = self.latest_sale_date
        sales: list[tuple] = []
        for_product: list[tuple] = []
        for_all: list[tuple] = []
        drivers_only = self.drivers_only
        loc_cache = self.location_cache
        product_ids = self.products.ids
        pg = is_postgres()
        iso_days = self.iso_days  # SQLite stores dates as ISO text
        for offset, row in enumerate(chunk):
            row_no = row.get("_row") or first_row_no + offset
            errors_before = report.error_count
            get = row.get
            quantity_raw = None if drivers_only else get("quantity")
            is_sale = type(quantity_raw) is int or not (quantity_raw is None or quantity_raw == ""
                                                        or is_empty(quantity_raw))
            # Drivers (any present value makes a driver row).
            try:
                is_open = _bool_or_none(get("is_open"))
            except ValueError as exc:
                report.add_error(row_no, "is_open", str(exc))
                is_open = None
            try:
                is_holiday = _bool_or_none(get("is_holiday"))
            except ValueError as exc:
                report.add_error(row_no, "is_holiday", str(exc))
                is_holiday = None
            promo_key = "promotion" if get("promotion") is not None else "is_promotion"
            try:
                promotion = _bool_or_none(get(promo_key))
            except ValueError as exc:
                report.add_error(row_no, promo_key, str(exc))
                promotion = None
            try:
                planned_price = number(get("planned_price"), MONEY_MAX, True)
            except ValueError as exc:
                report.add_error(row_no, "planned_price", str(exc))
                planned_price = None
            flags = []
            for flag in ("is_advertised", "is_extended_promotion"):
                try:
                    flags.append(_flag_or_share(get(flag)))
                except ValueError as exc:
                    report.add_error(row_no, flag, str(exc))
                    flags.append(None)
            has_driver = not (is_open is None and is_holiday is None and promotion is None and planned_price is None
                              and flags[0] is None and flags[1] is None)
            if not is_sale and not has_driver:
                if report.error_count == errors_before:
                    report.skipped += 1
                continue

            code = get("location_code")
            location_id = loc_cache.get(code) if type(code) is str and get("location_id") is None else None
            if location_id is None:
                location_id = self.location_id(row, row_no)
                if location_id is not None and type(code) is str and get("location_id") is None:
                    loc_cache[code] = location_id
            try:
                day = parse_date(get("date"))
            except ValueError as exc:
                message = gettext("is required") if is_empty(get("date")) else str(exc)
                report.add_error(row_no, "date", message)
                day = None
            if is_sale:
                sku = get("sku")
                product_id = product_ids.get(sku) if type(sku) is str and get("product_id") is None else None
                if product_id is None:
                    product_id = self.product_id(row, row_no)
                if day is not None and day > latest:
                    report.add_error(row_no, "date", gettext("%(isoformat)s is in the future; sales end "
                                                             "tomorrow (put future prices and promotions in "
                                                             "driver-only rows)") % {
                                                         "isoformat": day.isoformat(),
                                                     })
                try:
                    quantity = parse_num(quantity_raw, QTY_MAX, False)
                    if (float(quantity) if type(quantity) is str else quantity) < 0:
                        report.add_error(row_no, "quantity", gettext("%(quantity_raw)r is negative; returned "
                                                                     "units go in 'returns' as a positive "
                                                                     "number") % {"quantity_raw": quantity_raw})
                except ValueError as exc:
                    report.add_error(row_no, "quantity", str(exc))
                    quantity = None
                values = []
                for column, max_abs, non_negative in _SALE_NUMBERS:
                    try:
                        values.append(number(get(column), max_abs, non_negative))
                    except ValueError as exc:
                        report.add_error(row_no, column, str(exc))
                        values.append(None)
                discount, returns, price_paid, revenue = values
                if revenue is None:
                    revenue = 0
                    if price_paid is not None and quantity is not None:
                        revenue = round(float(quantity) * float(price_paid), 2)
                try:
                    on_promotion = _bool_or_none(get("on_promotion"))
                except ValueError as exc:
                    report.add_error(row_no, "on_promotion", str(exc))
                    on_promotion = None
                if on_promotion is None:
                    on_promotion = False
            else:
                report.skipped += 1
            if has_driver:
                if is_sale and not _is_store_level(row):
                    driver_product = product_id
                else:
                    driver_product = self.product_id(row, row_no, all_products_ok=True)
            if report.error_count != errors_before:
                continue
            if not pg:
                day = iso_days.get(day) or iso_days.setdefault(day, day.isoformat())
            if is_sale:
                sales.append((row_no, location_id, product_id, day, quantity, revenue, discount or 0, returns or 0,
                              price_paid, on_promotion))
            if has_driver:
                driver = (row_no, location_id, driver_product, day, promotion, is_open, is_holiday, planned_price,
                          *flags)
                (for_all if driver_product is None else for_product).append(driver)
        merge_now = not report.error_count  # a rejected batch only stages keys, for the duplicate check
        self.sales.write(sales, merge=merge_now)
        self.drivers_for_product.write(for_product, merge=merge_now)
        self.drivers_for_all.write(for_all, merge=merge_now)

    def check_duplicates(self) -> None:
        self.duplicates_to_errors(self.sales, "sale")
        self.duplicates_to_errors(self.drivers_for_product, "driver")
        self.duplicates_to_errors(self.drivers_for_all, "driver")

    def apply(self) -> None:
        report = self.report
        sales = self.sales.finish()
        report.created, report.updated, report.unchanged = sales.created, sales.updated, sales.unchanged
        for sink in (self.drivers_for_product, self.drivers_for_all):
            drivers = sink.finish()
            report.drivers_created += drivers.created
            report.drivers_updated += drivers.updated
            report.drivers_unchanged += drivers.unchanged
        if self.replace_scope is not None:
            report.deleted = self._delete_outside_batch(*self.replace_scope)

    def _delete_outside_batch(self, location_ids: list[int], date_from: dt.date, date_to: dt.date) -> int:
        """Rows of the scope the batch no longer has (e.g. all orders of that day were cancelled)."""
        if not location_ids:
            return 0
        qn = connection.ops.quote_name
        keys = self.sales.keys_table
        sql, params = outside_batch_delete_sql(keys, location_ids, date_from, date_to)
        with connection.cursor() as cursor:
            # Without an index on the staged keys the anti-join scans the whole stage once per stored row:
            # quadratic, hours for a two-year rebuild on SQLite. One index build makes it a lookup per row.
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {qn(keys + '_key')} "
                           f"ON {keys} (location_id, product_id, {qn('date')})")
            cursor.execute(sql, params)
            return cursor.rowcount


def outside_batch_delete_sql(keys_table: str, location_ids: list[int], date_from: dt.date,
                             date_to: dt.date) -> tuple[str, list]:
    """The replace-scope delete: rows of the locations and days that the staged keys no longer hold.

    Bounded by the date window, so on PostgreSQL it touches only that window's monthly partitions.
    """
    qn = connection.ops.quote_name
    table = qn(DailySale._meta.db_table)
    placeholders = ", ".join(["%s"] * len(location_ids))
    sql = (
        f"DELETE FROM {table} WHERE location_id IN ({placeholders}) AND {qn('date')} BETWEEN %s AND %s "
        f"AND NOT EXISTS (SELECT 1 FROM {keys_table} s WHERE s.location_id = {table}.location_id "
        f"AND s.product_id = {table}.product_id AND s.date = {table}.{qn('date')})"
    )
    params = [*location_ids, connection.ops.adapt_datefield_value(date_from),
              connection.ops.adapt_datefield_value(date_to)]
    return sql, params


STOCK_STAGE = [
    StageColumn("row_no", "bigint"),
    StageColumn("location_id", "bigint"),
    StageColumn("product_id", "bigint"),
    StageColumn("as_of", "timestamptz"),
    StageColumn("on_hand", "numeric", places=3),
    StageColumn("reserved", "numeric", places=3),
    StageColumn("in_transit", "numeric", places=3),
    StageColumn("source_id", "bigint"),
]


class _StockIngest(_StagedIngest):
    kind = "stock_levels"

    def create_stages(self) -> None:
        key = ("location_id", "product_id", "as_of")
        self.stage = make_sink("stock", STOCK_STAGE, key, MergeSpec(
            table=StockLevel._meta.db_table, columns=(*key, "on_hand", "reserved", "in_transit", "source_id"),
            conflict=key, update=("on_hand", "reserved", "in_transit", "source_id"),
        ))

    def sinks(self) -> list:
        return [self.stage] if getattr(self, "stage", None) else []

    def handle_chunk(self, chunk: list[Mapping[str, Any]], first_row_no: int) -> None:
        report = self.report
        parse_num = _Numbers.parse
        out: list[tuple] = []
        timestamps: dict[Any, dt.datetime] = {}
        for offset, row in enumerate(chunk):
            row_no = row.get("_row") or first_row_no + offset
            errors_before = report.error_count
            location_id = self.location_id(row, row_no)
            product_id = self.product_id(row, row_no)
            raw_as_of = row.get("as_of")
            as_of = None
            if is_empty(raw_as_of):
                report.add_error(row_no, "as_of", gettext("is required"))
            else:
                try:
                    as_of = timestamps.get(raw_as_of) if not isinstance(raw_as_of, dt.datetime) else None
                    if as_of is None:
                        as_of = parse_datetime(raw_as_of)
                        if isinstance(raw_as_of, (str, dt.date)) and not isinstance(raw_as_of, dt.datetime):
                            timestamps[raw_as_of] = as_of
                    if as_of.year < MIN_YEAR or as_of > self.now + dt.timedelta(days=1):
                        report.add_error(row_no, "as_of", gettext("%(raw_as_of)s is not a plausible snapshot "
                                                                  "time (from 1900 up to now)") % {
                                                              "raw_as_of": raw_as_of,
                                                          })
                except ValueError as exc:
                    report.add_error(row_no, "as_of", str(exc))
            values = []
            for column, non_negative in (("on_hand", False), ("reserved", True), ("in_transit", True)):
                raw = row.get(column)
                if raw is None or is_empty(raw):
                    if column == "on_hand":
                        report.add_error(row_no, column, gettext("is required"))
                    values.append(0)
                    continue
                try:
                    values.append(parse_num(raw, QTY_MAX, non_negative))
                except ValueError as exc:
                    report.add_error(row_no, column, str(exc))
                    values.append(None)
            if report.error_count != errors_before:
                continue
            out.append((row_no, location_id, product_id, as_of, *values, self.source_id))
        if not is_postgres():
            adapt = connection.ops.adapt_datetimefield_value
            out = [(*row[:3], adapt(row[3]), *row[4:]) for row in out]
        self.stage.write(out, merge=not report.error_count)

    def check_duplicates(self) -> None:
        self.duplicates_to_errors(self.stage, "stock")

    def apply(self) -> None:
        result = self.stage.finish()
        self.report.created, self.report.updated, self.report.unchanged = (
            result.created, result.updated, result.unchanged)


def ingest_daily_sales(
    rows: Iterable[Mapping[str, Any]],
    *,
    source=None,
    create_missing: bool = False,
    batch_size: int = 50_000,
    progress: ProgressCallback | None = None,
    dry_run: bool = False,
    first_row: int = 1,
    max_errors: int = 1000,
) -> IngestReport:
    """Upsert daily sales (and the demand drivers rows carry) as one all-or-nothing batch; see the module doc."""
    return _DailySaleIngest(
        source=source, create_missing=create_missing, batch_size=batch_size, progress=progress, dry_run=dry_run,
        first_row=first_row, max_errors=max_errors,
    ).run(rows)


def upsert_demand_drivers(
    rows: Iterable[Mapping[str, Any]],
    *,
    source=None,
    create_missing: bool = False,
    batch_size: int = 50_000,
    progress: ProgressCallback | None = None,
    dry_run: bool = False,
    first_row: int = 1,
    max_errors: int = 1000,
) -> IngestReport:
    """Upsert known-in-advance drivers (past or future) per location and product or all products."""
    return _DailySaleIngest(
        drivers_only=True, source=source, create_missing=create_missing, batch_size=batch_size, progress=progress,
        dry_run=dry_run, first_row=first_row, max_errors=max_errors,
    ).run(rows)


def ingest_stock_levels(
    rows: Iterable[Mapping[str, Any]],
    *,
    source=None,
    create_missing: bool = False,
    batch_size: int = 50_000,
    progress: ProgressCallback | None = None,
    dry_run: bool = False,
    first_row: int = 1,
    max_errors: int = 1000,
) -> IngestReport:
    """Upsert stock snapshots (on hand, reserved, in transit) as one all-or-nothing batch."""
    return _StockIngest(
        source=source, create_missing=create_missing, batch_size=batch_size, progress=progress, dry_run=dry_run,
        first_row=first_row, max_errors=max_errors,
    ).run(rows)
