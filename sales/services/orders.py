"""Orders of order-level sources (Sentos, Wildberries, MoySklad): idempotent upserts of orders with their lines.

``upsert_orders(account, orders, *, batch_size=1_000, dry_run=False, first_row=1, max_errors=1000)
-> OrdersReport``
    ``account``: the IntegrationAccount (or its id; None for manual orders). ``orders``: mappings keyed
    ``external_id`` (required; unique per account, so a re-sync updates and never duplicates), ``ordered_at``
    (aware datetime or ISO text; required), ``business_date`` (default: the local date of ``ordered_at`` in the
    account's time zone), ``channel``, ``status`` (an OrderStatus value; anything else is stored as "other"
    with the text kept in ``source_status``), ``source_status``, the location as ``location_id`` /
    ``location_code`` / ``location_external_id`` (the account's own id for it), ``customer`` (a mapping with
    ``external_id``, ``name``, ``email``, ``phone``; upserted per account), ``currency``, ``total``,
    ``discount_total``, ``commission_total`` (each defaults to the sum over the lines), ``is_return``, and
    ``lines``: mappings with ``line_no`` (default 1, 2, …), the product as ``product_id`` / ``sku`` /
    ``product_external_id`` (the account's ProductSourceRef), ``quantity`` (required), ``price``,
    ``discount``, ``amount`` (default quantity × price − discount) and ``commission``.
    Returns are negative lines: lines of an order with ``is_return`` are stored negative whatever sign they
    arrive with. An order-level commission with no per-line commission is spread over the lines in proportion
    to their amounts, so analytics can always read commission from lines.

The report's ``location_ids``, ``date_from`` and ``date_to`` cover every (location, business day) the batch
touched — old values of moved orders included — ready for
``sales.services.daily_from_orders.rebuild_daily_sales(report.location_ids, report.date_from, report.date_to)``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from branches.models import Location
from core.errors import Conflict, InvalidInput
from core.read_cache import bump_data_version
from sales.choices import OrderStatus
from sales.models import Customer, Order, OrderLine, Product, ProductSourceRef
from sales.services.lookups import AmbiguousCode, LocationResolver, ProductResolver
from sales.services.parsing import is_empty, parse_bool, parse_date, parse_datetime, parse_number, to_decimal
from sales.services.reports import IngestReport, Rollback, chunks

HEADER_FIELDS = ("channel", "status", "source_status", "location_id", "customer_id", "ordered_at", "business_date",
                 "currency", "total", "discount_total", "commission_total", "is_return")
LINE_FIELDS = ("line_no", "product_id", "quantity", "price", "discount", "amount", "commission")
MONEY_MAX = 1e14
QTY_MAX = 1e11


@dataclass
class OrdersReport(IngestReport):
    lines_written: int = 0
    location_ids: list[int] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def touch(self, location_id: int | None, day: dt.date | None) -> None:
        if location_id is None or day is None:
            return
        if location_id not in self.location_ids:
            self.location_ids.append(location_id)
        self.date_from = day if self.date_from is None else min(self.date_from, day)
        self.date_to = day if self.date_to is None else max(self.date_to, day)

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        for key in ("date_from", "date_to"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def _money(value: Any, column: str, errors: list[tuple[str, str]], *, minimum: float | None = None) -> Decimal:
    if is_empty(value):
        return Decimal("0.00")
    try:
        return to_decimal(parse_number(value, max_abs=MONEY_MAX, minimum=minimum), 2)
    except ValueError as exc:
        errors.append((column, str(exc)))
        return Decimal("0.00")


class _OrderBatch:
    def __init__(self, report: OrdersReport, account) -> None:
        self.report = report
        self.account_id = getattr(account, "pk", account)
        tz_name = getattr(account, "timezone", None)
        if tz_name is None and self.account_id is not None:
            from django.apps import apps

            tz_name = apps.get_model("integrations", "IntegrationAccount").objects.filter(
                pk=self.account_id).values_list("timezone", flat=True).first()
        try:
            self.tz = zoneinfo.ZoneInfo(tz_name) if tz_name else timezone.get_current_timezone()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.tz = timezone.get_current_timezone()
        self.locations = LocationResolver(self.account_id)
        self.products = ProductResolver()
        self.seen: dict[str, int] = {}
        self.known_locations: set[int] = set()
        self.known_products: set[int] = set()

    def _scope(self, qs):
        return qs.filter(account_id=self.account_id) if self.account_id is not None else qs.filter(account__isnull=True)

    def parse(self, row_no: int, raw: Mapping[str, Any], refs: dict[str, int],
              customers: dict[str, int]) -> dict[str, Any] | None:
        errors: list[tuple[str, str]] = []
        external_id = "" if is_empty(raw.get("external_id")) else str(raw["external_id"]).strip()
        if not external_id:
            errors.append(("external_id", gettext("is required")))
        elif len(external_id) > 100:
            errors.append(("external_id", gettext("is longer than 100 characters")))
        elif external_id in self.seen:
            errors.append(("external_id", gettext("duplicate order %(external_id)r: also on row %(seen)s") % {
                                              "external_id": external_id,
                                              "seen": self.seen[external_id],
                                          }))
        else:
            self.seen[external_id] = row_no
        header: dict[str, Any] = {}
        try:
            ordered_at = raw.get("ordered_at")
            header["ordered_at"] = None if is_empty(ordered_at) else parse_datetime(ordered_at)
            if header["ordered_at"] is None:
                errors.append(("ordered_at", gettext("is required")))
        except ValueError as exc:
            errors.append(("ordered_at", str(exc)))
            header["ordered_at"] = None
        if not is_empty(raw.get("business_date")):
            try:
                header["business_date"] = parse_date(raw["business_date"])
            except ValueError as exc:
                errors.append(("business_date", str(exc)))
        elif header["ordered_at"] is not None:
            header["business_date"] = header["ordered_at"].astimezone(self.tz).date()
        status = "" if is_empty(raw.get("status")) else str(raw["status"]).strip()
        header["status"] = status.lower() if status.lower() in OrderStatus.values else (
            OrderStatus.OTHER if status else OrderStatus.NEW)
        source_status = raw.get("source_status")
        header["source_status"] = (status if is_empty(source_status) else str(source_status).strip())[:50]
        header["channel"] = "" if is_empty(raw.get("channel")) else str(raw["channel"]).strip()[:50]
        header["currency"] = "RUB" if is_empty(raw.get("currency")) else str(raw["currency"]).strip().upper()[:3]
        try:
            header["is_return"] = False if is_empty(raw.get("is_return")) else parse_bool(raw["is_return"])
        except ValueError as exc:
            errors.append(("is_return", str(exc)))
            header["is_return"] = False
        header["location_id"] = self._location(raw, errors)
        customer = raw.get("customer")
        header["customer_id"] = None
        if isinstance(customer, Mapping) and not is_empty(customer.get("external_id")):
            header["customer_id"] = customers.get(str(customer["external_id"]).strip())
        lines = []
        for index, line in enumerate(raw.get("lines") or [], start=1):
            lines.append(self._line(index, line, header["is_return"], refs, errors))
        if not lines:
            errors.append(("lines", gettext("an order needs at least one line")))
        numbers = [line.get("line_no") for line in lines]
        if len(set(numbers)) != len(numbers):
            errors.append(("lines", gettext("line numbers repeat")))
        sums = {name: sum((line.get(name, Decimal(0)) for line in lines), Decimal(0))
                for name in ("amount", "discount", "commission")}
        header["total"] = sums["amount"] if is_empty(raw.get("total")) else _money(raw["total"], "total", errors)
        header["discount_total"] = (sums["discount"] if is_empty(raw.get("discount_total"))
                                    else _money(raw["discount_total"], "discount_total", errors, minimum=0))
        header["commission_total"] = (sums["commission"] if is_empty(raw.get("commission_total"))
                                      else _money(raw["commission_total"], "commission_total", errors, minimum=0))
        if header["commission_total"] and not sums["commission"] and lines:
            _spread_commission(lines, header["commission_total"])
        for column, message in errors:
            self.report.add_error(row_no, column, message)
        if errors:
            return None
        return {"row": row_no, "external_id": external_id, "header": header, "lines": lines}

    def _location(self, raw: Mapping[str, Any], errors: list) -> int | None:
        if not is_empty(raw.get("location_id")):
            pk = _int_or_none(raw["location_id"])
            if pk not in self.known_locations:
                errors.append(("location_id", gettext("no location has id %(location_id)r") % {
                                                  "location_id": raw['location_id'],
                                              }))
            return pk
        if not is_empty(raw.get("location_external_id")):
            external_id = str(raw["location_external_id"]).strip()
            qs = Location.objects.filter(external_id=external_id)
            qs = qs.filter(source_id=self.account_id) if self.account_id else qs.filter(source__isnull=True)
            pk = qs.values_list("pk", flat=True).first()
            if pk is None:
                errors.append(("location_external_id", gettext("unknown location %(external_id)r for this "
                                                               "account") % {"external_id": external_id}))
            return pk
        if not is_empty(raw.get("location_code")):
            code = str(raw["location_code"]).strip()
            try:
                pk = self.locations.resolve(code)
            except AmbiguousCode as exc:
                errors.append(("location_code", str(exc)))
                return None
            if pk is None:
                errors.append(("location_code", gettext("unknown location code %(code)r") % {"code": code}))
            return pk
        return None  # orders without a place (rare) are kept but not turned into daily sales

    def _line(self, index: int, raw: Mapping[str, Any], is_return: bool, refs: dict[str, int],
              errors: list) -> dict[str, Any]:
        prefix = f"lines[{index}]."
        line: dict[str, Any] = {"line_no": index}
        if not is_empty(raw.get("line_no")):
            try:
                line["line_no"] = int(raw["line_no"])
            except (TypeError, ValueError):
                errors.append((prefix + "line_no", gettext("%(line_no)r is not a whole number") % {
                                                       "line_no": raw['line_no'],
                                                   }))
        if not is_empty(raw.get("product_id")):
            line["product_id"] = _int_or_none(raw["product_id"])
            if line["product_id"] not in self.known_products:
                errors.append((prefix + "product_id", gettext("no product has id %(product_id)r") % {
                                                          "product_id": raw['product_id'],
                                                      }))
        elif not is_empty(raw.get("product_external_id")):
            pid = refs.get(str(raw["product_external_id"]).strip())
            if pid is None:
                errors.append((prefix + "product_external_id",
                               gettext("unknown product %(product_external_id)r for this account: sync "
                                       "products first") % {"product_external_id": raw['product_external_id']}))
            line["product_id"] = pid
        elif not is_empty(raw.get("sku")):
            pid = self.products.get(str(raw["sku"]).strip())
            if pid is None:
                errors.append((prefix + "sku", gettext("unknown SKU %(sku)r") % {"sku": raw['sku']}))
            line["product_id"] = pid
        else:
            errors.append((prefix + "sku", gettext("a line needs sku, product_id or product_external_id")))
        try:
            if is_empty(raw.get("quantity")):
                raise ValueError(gettext("is required"))
            quantity = to_decimal(parse_number(raw["quantity"], max_abs=QTY_MAX), 3)
        except ValueError as exc:
            errors.append((prefix + "quantity", str(exc)))
            quantity = Decimal("0.000")
        price = _money(raw.get("price"), prefix + "price", errors, minimum=0)
        discount = _money(raw.get("discount"), prefix + "discount", errors, minimum=0)
        amount = (_money(raw.get("amount"), prefix + "amount", errors) if not is_empty(raw.get("amount"))
                  else (abs(quantity) * price - discount).quantize(Decimal("0.01")))
        commission = _money(raw.get("commission"), prefix + "commission", errors)
        if is_return:
            quantity, amount = -abs(quantity), -abs(amount)
        line.update(quantity=quantity, price=price, discount=discount, amount=amount, commission=commission)
        return line

    def prefetch(self, chunk: list[Mapping[str, Any]]) -> tuple[dict[str, int], dict[str, int]]:
        skus = {str(line["sku"]).strip() for order in chunk for line in (order.get("lines") or [])
                if not is_empty(line.get("sku"))}
        self.products.prefetch(skus)
        location_ids = {_int_or_none(o.get("location_id")) for o in chunk} - {None} - self.known_locations
        self.known_locations.update(Location.objects.filter(pk__in=location_ids).values_list("pk", flat=True))
        product_ids = {_int_or_none(line.get("product_id")) for order in chunk for line in (order.get("lines") or [])}
        product_ids -= {None} | self.known_products
        self.known_products.update(Product.objects.filter(pk__in=product_ids).values_list("pk", flat=True))
        external = {str(line["product_external_id"]).strip() for order in chunk for line in (order.get("lines") or [])
                    if not is_empty(line.get("product_external_id"))}
        refs = {}
        if external and self.account_id is not None:
            refs = dict(ProductSourceRef.objects.filter(account_id=self.account_id, external_id__in=list(external))
                        .values_list("external_id", "product_id"))
        return refs, self._upsert_customers(chunk)

    def _upsert_customers(self, chunk: list[Mapping[str, Any]]) -> dict[str, int]:
        wanted: dict[str, dict[str, str]] = {}
        for order in chunk:
            customer = order.get("customer")
            if isinstance(customer, Mapping) and not is_empty(customer.get("external_id")):
                wanted[str(customer["external_id"]).strip()[:100]] = {
                    key: ("" if is_empty(customer.get(key)) else str(customer[key]).strip())[:limit]
                    for key, limit in (("name", 255), ("email", 254), ("phone", 50))
                }
        if not wanted:
            return {}
        existing = {c.external_id: c for c in self._scope(Customer.objects.filter(external_id__in=list(wanted)))}
        changed = []
        for external_id, values in wanted.items():
            customer = existing.get(external_id)
            if customer is None:
                continue
            if any(values[k] and values[k] != getattr(customer, k) for k in values):
                for key, value in values.items():
                    if value:
                        setattr(customer, key, value)
                changed.append(customer)
        Customer.objects.bulk_update(changed, ["name", "email", "phone"])
        new = [Customer(account_id=self.account_id, external_id=e, **v) for e, v in wanted.items() if e not in existing]
        Customer.objects.bulk_create(new)
        ids = {c.external_id: c.pk for c in existing.values()}
        ids.update({c.external_id: c.pk for c in new})
        return ids

    def apply(self, items: list[dict[str, Any]]) -> None:
        report = self.report
        existing = {
            o.external_id: o
            for o in self._scope(Order.objects.filter(external_id__in=[i["external_id"] for i in items]))
            .prefetch_related("lines")
        }
        new_orders: list[tuple[Order, list[dict]]] = []
        changed: list[Order] = []
        relined: list[tuple[Order, list[dict]]] = []
        for item in items:
            header, lines = item["header"], item["lines"]
            order = existing.get(item["external_id"])
            if order is None:
                order = Order(account_id=self.account_id, external_id=item["external_id"], **header)
                new_orders.append((order, lines))
                report.touch(header["location_id"], header["business_date"])
                continue
            old_place = (order.location_id, order.business_date)
            header_changed = any(getattr(order, k) != v for k, v in header.items())
            current_lines = sorted(tuple(getattr(line, f) for f in LINE_FIELDS) for line in order.lines.all())
            new_lines = sorted(tuple(line[f] for f in LINE_FIELDS) for line in lines)
            lines_changed = current_lines != new_lines
            if not header_changed and not lines_changed:
                report.unchanged += 1
                continue
            for key, value in header.items():
                setattr(order, key, value)
            changed.append(order)
            if lines_changed:
                relined.append((order, lines))
            report.touch(*old_place)
            report.touch(header["location_id"], header["business_date"])
        Order.objects.bulk_create([o for o, _ in new_orders])
        now = timezone.now()
        for order in changed:
            order.updated_at = now
        # An upsert on the natural key, not bulk_update: Django's bulk_update writes a CASE per field and row
        # (minutes for a few thousand orders); INSERT … ON CONFLICT DO UPDATE is one plain statement per batch.
        synced = [o for o in changed if o.account_id is not None]
        Order.objects.bulk_create(
            synced, batch_size=500, update_conflicts=True, unique_fields=["account", "external_id"],
            update_fields=[*HEADER_FIELDS, "updated_at"],
        )
        # Manual orders (no account) cannot use that conflict target (NULLs never conflict); they are few.
        Order.objects.bulk_update([o for o in changed if o.account_id is None], [*HEADER_FIELDS, "updated_at"])
        relined_ids = [o.pk for o, _ in relined]
        for start in range(0, len(relined_ids), 500):  # bounded IN lists (SQLite's variable limit)
            OrderLine.objects.filter(order_id__in=relined_ids[start:start + 500]).delete()
        new_lines = [OrderLine(order=order, **line) for order, lines in [*new_orders, *relined] for line in lines]
        OrderLine.objects.bulk_create(new_lines, batch_size=1000)
        report.created += len(new_orders)
        report.updated += len(changed)
        report.lines_written += len(new_lines)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def _spread_commission(lines: list[dict[str, Any]], total: Decimal) -> None:
    weights = [abs(line["amount"]) for line in lines]
    weight_sum = sum(weights) or Decimal(len(lines))
    if not sum(weights):
        weights = [Decimal(1)] * len(lines)
    remaining = total
    for line, weight in zip(lines[:-1], weights[:-1], strict=True):
        share = (total * weight / weight_sum).quantize(Decimal("0.01"))
        line["commission"] = share
        remaining -= share
    lines[-1]["commission"] = remaining


def upsert_orders(
    account,
    orders: Iterable[Mapping[str, Any]],
    *,
    batch_size: int = 1_000,
    dry_run: bool = False,
    first_row: int = 1,
    max_errors: int = 1000,
) -> OrdersReport:
    """Create or update orders (with their lines and customers) of one account; all or nothing."""
    report = OrdersReport(dry_run=dry_run, max_errors=max_errors)
    batch = _OrderBatch(report, account)
    try:
        with transaction.atomic():
            row_no = first_row
            for chunk in chunks(orders, batch_size):
                refs, customers = batch.prefetch(chunk)
                items = [item for offset, raw in enumerate(chunk)
                         if (item := batch.parse(row_no + offset, raw, refs, customers)) is not None]
                row_no += len(chunk)
                report.rows += len(chunk)
                if not report.error_count:
                    batch.apply(items)
            if report.error_count or dry_run:
                raise Rollback
            report.applied = True
            # Bulk writes send no post_save: tell the read cache (analytics, dashboard) here, like the ingests do.
            transaction.on_commit(bump_data_version)
    except Rollback:
        pass
    return report


class OrderRowsInvalid(InvalidInput):
    """The order sent cannot be stored; every error under its column (400)."""

    code = "order_invalid"

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("; ".join(f"{e['column']}: {e['message']}" for e in errors))
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {error["column"]: [error["message"]] for error in self.errors}
        body["code"] = self.code
        return body


def save_manual_order(row: Mapping[str, Any], *, existing: Order | None = None) -> Order:
    """Create (``existing`` None) or replace a manual order (no integration account) from one order row.

    The rules of a manual order: an order synced from an account is changed in its source system, not here
    (409); an order's external id never changes; creating an id that exists already is refused (use the
    update). The order is then written through the same service the connectors use.
    """
    external_id = row["external_id"]
    if existing is not None:
        if existing.account_id is not None:
            raise Conflict(gettext("order %(external_id)r is synced from an integration account; change it "
                                   "in the source system.") % {"external_id": existing.external_id})
        if external_id != existing.external_id:
            raise InvalidInput(gettext("the external id of an order cannot change."), field="external_id")
    elif Order.objects.filter(account__isnull=True, external_id=external_id).exists():
        raise InvalidInput(gettext("order %(external_id)r exists already; update it with PUT.") % {
                               "external_id": external_id,
                           }, field="external_id")
    report = upsert_orders(None, [dict(row)])
    if not report.valid:
        raise OrderRowsInvalid(report.errors)
    return Order.objects.get(account__isnull=True, external_id=external_id)
