"""Sales analytics: SQL aggregates over daily sales and order lines, identical on SQLite and PostgreSQL.

Where the numbers come from:
* revenue, units, discounts and returns come from `DailySale` (every source: day-level ones directly,
  order-level ones through `rebuild_daily_sales`);
* orders, average order value and commission come from order lines of non-cancelled orders (only order-level
  sources have orders; without any, they are 0);
* with a `channel` filter every figure comes from order lines of that channel (daily sales carry no channel).

Currencies are never added together. Every figure is in one `currency`: order lines carry their order's currency;
a daily sale is in the currency of the orders booked at its location (order-level sources: Sentos sells in TRY,
Wildberries and MoySklad in RUB), and in `DEFAULT_CURRENCY` at a location without orders (day-level sources:
iiko, 1C, file imports). A location whose orders come in several currencies cannot have its daily sales split and
is left out of daily-sale figures (`mixed_currency_locations` names it; filter by `channel` to read its order lines).
Without a `currency` filter the answer is in the only currency there is, or `DEFAULT_CURRENCY` when there are
several (`currencies` lists them all: ask again with `currency=` for each).

Filters (`AnalyticsFilters`): date range (inclusive; default: the 30 days up to the latest sale), location
(with its subtree), product, category (with its subcategories), channel. The previous period is the same
number of days right before `date_from`. Time series group by day in SQL and sum days into weeks (starting
Monday) or months in Python (see `timeseries` for why not Trunc in SQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from branches.models import Location, subtree_q
from sales.choices import OrderStatus
from sales.filtersets import category_subtree_ids
from sales.models import DailySale, Order, OrderLine, Product, ProductCategory, StockLevel

DEFAULT_DAYS = 30
COVER_WINDOW_DAYS = 28
MAX_TOP_LIMIT = 100
METRICS = ("revenue", "units", "orders", "average_order_value", "discounts", "returns", "commission")
GRANULARITIES = ("day", "week", "month")
_MONEY = DecimalField(max_digits=20, decimal_places=2)
_QTY = DecimalField(max_digits=20, decimal_places=3)
ZERO_MONEY = Decimal("0.00")
ZERO_QTY = Decimal("0.000")
DEFAULT_CURRENCY = Order._meta.get_field("currency").default  # what day-level sources (iiko, 1C, files) sell in


@dataclass(frozen=True)
class AnalyticsFilters:
    date_from: dt.date
    date_to: dt.date
    location: Location | None = None
    product: Product | None = None
    category: ProductCategory | None = None
    channel: str = ""
    currency: str = ""

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> AnalyticsFilters:
        return AnalyticsFilters(
            date_from=self.date_from - dt.timedelta(days=self.days), date_to=self.date_from - dt.timedelta(days=1),
            location=self.location, product=self.product, category=self.category, channel=self.channel,
            currency=self.currency,
        )

    def with_(self, **changes: Any) -> AnalyticsFilters:
        values = {k: getattr(self, k) for k in ("date_from", "date_to", "location", "product", "category", "channel",
                                                "currency")}
        return AnalyticsFilters(**{**values, **changes})


def default_period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """Missing ends: date_to = the latest sale day (today when there are none); date_from = 30 days before it."""
    if date_to is None:
        latest = DailySale.objects.aggregate(latest=Max("date"))["latest"]
        date_to = latest or dt.date.today()
        if date_from is not None and date_from > date_to:
            date_to = date_from + dt.timedelta(days=DEFAULT_DAYS - 1)
    if date_from is None:
        date_from = date_to - dt.timedelta(days=DEFAULT_DAYS - 1)
    return date_from, date_to


@dataclass(frozen=True)
class LocationCurrencies:
    """Which currency each location's orders are in (locations without orders sell in DEFAULT_CURRENCY)."""

    by_currency: dict[str, frozenset[int]]
    mixed: frozenset[int]

    @classmethod
    def load(cls) -> LocationCurrencies:
        """One scan of the orders per data version (any committed write to sales data makes a new one)."""
        from django.core.cache import cache

        from core.read_cache import cache_seconds, data_version

        if cache_seconds() <= 0:
            return cls._scan()
        key = f"sf:location-currencies:{data_version()}"
        found = cache.get(key)
        if found is None:
            found = cls._scan()
            cache.set(key, found, timeout=cache_seconds())
        return found

    @classmethod
    def _scan(cls) -> LocationCurrencies:
        # order_by(): Order's default ordering (-ordered_at) would join DISTINCT and return every order.
        pairs = (Order.objects.filter(location__isnull=False).order_by()
                 .values_list("location_id", "currency").distinct())
        seen: dict[int, set[str]] = {}
        for location_id, currency in pairs:
            seen.setdefault(location_id, set()).add(currency)
        mixed = frozenset(loc for loc, currencies in seen.items() if len(currencies) > 1)
        by_currency: dict[str, set[int]] = {}
        for loc, currencies in seen.items():
            if loc not in mixed:
                by_currency.setdefault(next(iter(currencies)), set()).add(loc)
        return cls({c: frozenset(locs) for c, locs in by_currency.items()}, mixed)

    @property
    def with_orders(self) -> frozenset[int]:
        return frozenset().union(*self.by_currency.values(), self.mixed)

    def daily_sales_q(self, currency: str) -> Q:
        """Daily sales in `currency`: at its order locations, plus (default currency) at locations without orders."""
        q = Q(location_id__in=sorted(self.by_currency.get(currency, ())))
        if currency == DEFAULT_CURRENCY:
            q |= ~Q(location_id__in=sorted(self.with_orders))
        return q


def currencies_present() -> list[str]:
    """Every currency figures can be asked in: those of orders, and the default one when day-level data exists."""
    currencies = set(Order.objects.order_by().values_list("currency", flat=True).distinct())
    known = LocationCurrencies.load()
    if DailySale.objects.exclude(location_id__in=sorted(known.with_orders)).exists():
        currencies.add(DEFAULT_CURRENCY)
    return sorted(currencies)


def resolve_currency(filters: AnalyticsFilters, present: list[str] | None = None) -> AnalyticsFilters:
    """The filters with one currency: the asked one, the only one present, or DEFAULT_CURRENCY."""
    if filters.currency:
        return filters
    present = currencies_present() if present is None else present
    if len(present) == 1 or (present and DEFAULT_CURRENCY not in present):
        return filters.with_(currency=present[0])
    return filters.with_(currency=DEFAULT_CURRENCY)


def currency_info(filters: AnalyticsFilters) -> dict[str, Any]:
    """What an answer says about money: its currency, the others there are, and locations left out."""
    return {"currency": filters.currency, "currencies": currencies_present(),
            "mixed_currency_locations": sorted(LocationCurrencies.load().mixed)}


def _daily_sales(filters: AnalyticsFilters) -> QuerySet:
    qs = DailySale.objects.filter(date__gte=filters.date_from, date__lte=filters.date_to)
    if filters.currency:
        qs = qs.filter(LocationCurrencies.load().daily_sales_q(filters.currency))
    if filters.location is not None:
        qs = qs.filter(subtree_q(filters.location, "location"))
    if filters.product is not None:
        qs = qs.filter(product=filters.product)
    if filters.category is not None:
        qs = qs.filter(product__category__in=category_subtree_ids(filters.category.pk))
    return qs


def _order_lines(filters: AnalyticsFilters) -> QuerySet:
    qs = OrderLine.objects.filter(
        order__business_date__gte=filters.date_from, order__business_date__lte=filters.date_to
    ).exclude(order__status=OrderStatus.CANCELLED)
    if filters.location is not None:
        qs = qs.filter(subtree_q(filters.location, "order__location"))
    if filters.product is not None:
        qs = qs.filter(product=filters.product)
    if filters.category is not None:
        qs = qs.filter(product__category__in=category_subtree_ids(filters.category.pk))
    if filters.channel:
        qs = qs.filter(order__channel=filters.channel)
    if filters.currency:
        qs = qs.filter(order__currency=filters.currency)
    return qs


def _sales_aggregates(filters: AnalyticsFilters) -> dict[str, Any]:
    """revenue, units, discounts, returns as SQL aggregate expressions over the right table."""
    if filters.channel:
        return {
            "revenue": Coalesce(Sum("amount"), Value(ZERO_MONEY), output_field=_MONEY),
            "units": Coalesce(Sum("quantity", filter=Q(quantity__gt=0)), Value(ZERO_QTY), output_field=_QTY),
            "discounts": Coalesce(Sum("discount"), Value(ZERO_MONEY), output_field=_MONEY),
            "returns": Coalesce(Sum(-F("quantity"), filter=Q(quantity__lt=0)), Value(ZERO_QTY), output_field=_QTY),
        }
    return {
        "revenue": Coalesce(Sum("revenue"), Value(ZERO_MONEY), output_field=_MONEY),
        "units": Coalesce(Sum("quantity"), Value(ZERO_QTY), output_field=_QTY),
        "discounts": Coalesce(Sum("discount"), Value(ZERO_MONEY), output_field=_MONEY),
        "returns": Coalesce(Sum("returns"), Value(ZERO_QTY), output_field=_QTY),
    }


_ORDER_AGGREGATES = {
    "orders": Count("order_id", distinct=True),
    "order_revenue": Coalesce(Sum("amount"), Value(ZERO_MONEY), output_field=_MONEY),
    "commission": Coalesce(Sum("commission"), Value(ZERO_MONEY), output_field=_MONEY),
}


def _sales_source(filters: AnalyticsFilters) -> QuerySet:
    return _order_lines(filters) if filters.channel else _daily_sales(filters)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _qty(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.001"))


def totals(filters: AnalyticsFilters) -> dict[str, Any]:
    """The seven headline figures for one period (two aggregate queries)."""
    sales = _sales_source(filters).aggregate(**_sales_aggregates(filters))
    orders = _order_lines(filters).aggregate(**_ORDER_AGGREGATES)
    count = orders["orders"] or 0
    return {
        "revenue": _money(sales["revenue"]),
        "units": _qty(sales["units"]),
        "orders": count,
        "average_order_value": _money(Decimal(orders["order_revenue"] or 0) / count) if count else ZERO_MONEY,
        "discounts": _money(sales["discounts"]),
        "returns": _qty(sales["returns"]),
        "commission": _money(orders["commission"]),
    }


def _delta(current: Any, previous: Any) -> dict[str, Any]:
    absolute = current - previous
    percent = None if not previous else round(float(absolute) / float(previous) * 100, 2)
    return {"absolute": absolute, "percent": percent}


def summary(filters: AnalyticsFilters) -> dict[str, Any]:
    """This period, the previous period of equal length, and the change of every figure."""
    previous_filters = filters.previous()
    current, previous = totals(filters), totals(previous_filters)
    return {
        "period": _period(filters),
        "previous_period": _period(previous_filters),
        "current": current,
        "previous": previous,
        "delta": {name: _delta(current[name], previous[name]) for name in METRICS},
    }


def _period(filters: AnalyticsFilters) -> dict[str, Any]:
    return {"date_from": filters.date_from, "date_to": filters.date_to, "days": filters.days}


def _bucket_starts(date_from: dt.date, date_to: dt.date, granularity: str) -> list[dt.date]:
    if granularity == "day":
        start = date_from
    elif granularity == "week":
        start = date_from - dt.timedelta(days=date_from.weekday())
    else:
        start = date_from.replace(day=1)
    buckets = []
    while start <= date_to:
        buckets.append(start)
        if granularity == "day":
            start += dt.timedelta(days=1)
        elif granularity == "week":
            start += dt.timedelta(days=7)
        else:
            start = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return buckets


def _bucket(day: dt.date, granularity: str) -> dt.date:
    """The first day of the bucket holding `day` (what TruncDay/TruncWeek/TruncMonth return)."""
    if granularity == "week":
        return day - dt.timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def _add(total: dict[str, Any], row: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        total[name] = total.get(name, 0) + (row[name] or 0)


def timeseries(filters: AnalyticsFilters, granularity: str) -> list[dict[str, Any]]:
    """One point per day/week/month of the range (gaps filled with zeros).

    SQL groups by business day (a plain GROUP BY on the date column: the same statement on SQLite and
    PostgreSQL, served by the date index); the at most a few thousand daily totals are then summed into weeks
    (starting Monday) or months here. Grouping by `Trunc*(date)` in SQL gives the same numbers, but on SQLite
    Django implements Trunc as a Python function called once per row, which made a 1M-row month series take
    seconds instead of milliseconds.
    """
    if granularity not in GRANULARITIES:
        raise ValueError(gettext("granularity must be one of %(GRANULARITIES)s") % {
                             "GRANULARITIES": ', '.join(GRANULARITIES),
                         })
    sales_date = "order__business_date" if filters.channel else "date"
    sales_rows = (
        _sales_source(filters).values(sales_date).annotate(**_sales_aggregates(filters)).order_by(sales_date)
    )
    order_rows = (
        _order_lines(filters).values("order__business_date").annotate(**_ORDER_AGGREGATES)
        .order_by("order__business_date")
    )
    sales_by_period: dict[dt.date, dict[str, Any]] = {}
    for row in sales_rows:
        _add(sales_by_period.setdefault(_bucket(row[sales_date], granularity), {}), row,
             ("revenue", "units", "discounts", "returns"))
    orders_by_period: dict[dt.date, dict[str, Any]] = {}
    for row in order_rows:
        # Distinct orders per day add up to distinct orders per week/month: an order has one business day.
        _add(orders_by_period.setdefault(_bucket(row["order__business_date"], granularity), {}), row,
             ("orders", "order_revenue", "commission"))
    points = []
    for start in _bucket_starts(filters.date_from, filters.date_to, granularity):
        sale, order = sales_by_period.get(start, {}), orders_by_period.get(start, {})
        count = order.get("orders") or 0
        points.append({
            "period": start,
            "revenue": _money(sale.get("revenue")),
            "units": _qty(sale.get("units")),
            "discounts": _money(sale.get("discounts")),
            "returns": _qty(sale.get("returns")),
            "orders": count,
            "average_order_value": _money(Decimal(order.get("order_revenue") or 0) / count) if count else ZERO_MONEY,
            "commission": _money(order.get("commission")),
        })
    return points


def _per_product(filters: AnalyticsFilters) -> QuerySet:
    aggregates = _sales_aggregates(filters)
    return _sales_source(filters).values("product_id").annotate(revenue=aggregates["revenue"],
                                                                units=aggregates["units"])


def top_products(filters: AnalyticsFilters, by: str, limit: int) -> list[dict[str, Any]]:
    """The best `limit` products by revenue or units, with their share of the filtered total."""
    rows = list(_per_product(filters).order_by(f"-{by}", "product_id")[:limit])
    total = _sales_source(filters).aggregate(total=_sales_aggregates(filters)[by])["total"] or 0
    products = Product.objects.select_related("category").in_bulk([r["product_id"] for r in rows])
    result = []
    for rank, row in enumerate(rows, start=1):
        product = products[row["product_id"]]
        value = row[by] or 0
        result.append({
            "rank": rank, "product_id": product.pk, "sku": product.sku, "name": product.name,
            "category_id": product.category_id, "category": product.category.name if product.category else None,
            "revenue": _money(row["revenue"]), "units": _qty(row["units"]),
            "share": round(float(value) / float(total) * 100, 2) if total else None,
        })
    return result


def _rank(filters: AnalyticsFilters, revenue: Decimal) -> tuple[int | None, int]:
    """(1 + products that sold more, products that sold anything) under the given filters."""
    per_product = _per_product(filters)
    ranked = per_product.count()
    if not revenue and not ranked:
        return None, 0
    better = per_product.filter(revenue__gt=revenue).count()
    return better + 1, ranked


def _slope(series: list[tuple[int, float]]) -> float | None:
    """Least-squares change of units per day over the period (None with fewer than two days)."""
    n = len(series)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in series) / n
    mean_y = sum(y for _, y in series) / n
    var = sum((x - mean_x) ** 2 for x, _ in series)
    if not var:
        return None
    return round(sum((x - mean_x) * (y - mean_y) for x, y in series) / var, 4)


def product_performance(filters: AnalyticsFilters, product: Product, granularity: str = "week") -> dict[str, Any]:
    """Trend, share of its category, rank and days of cover of one product over the period."""
    own = filters.with_(product=product, category=None)
    current, previous = totals(own), totals(own.previous())
    series = timeseries(own, granularity)
    daily = timeseries(own, "day") if granularity != "day" else series
    trend_slope = _slope([(i, float(p["units"])) for i, p in enumerate(daily)])

    share_of_category = None
    category_revenue = None
    if product.category_id is not None:
        in_category = filters.with_(product=None, category=product.category)
        category_revenue = _money(_sales_source(in_category).aggregate(r=_sales_aggregates(in_category)["revenue"])[
            "r"])
        if category_revenue:
            share_of_category = round(float(current["revenue"]) / float(category_revenue) * 100, 2)
    everything = filters.with_(product=None, category=None)
    rank, ranked = _rank(everything, current["revenue"])
    category_rank = None
    if product.category_id is not None:
        category_rank, _ = _rank(filters.with_(product=None, category=product.category), current["revenue"])

    return {
        "product": {"id": product.pk, "sku": product.sku, "name": product.name, "category_id": product.category_id,
                    "category": product.category.name if product.category_id else None},
        "period": _period(filters),
        "current": current,
        "previous": previous,
        "delta": {name: _delta(current[name], previous[name]) for name in METRICS},
        "trend": {"granularity": granularity, "units_per_day_slope": trend_slope, "series": series},
        "category_revenue": category_revenue,
        "share_of_category": share_of_category,
        "rank": rank,
        "rank_in_category": category_rank,
        "products_ranked": ranked,
        "stock": _cover(filters, product),
    }


def _cover(filters: AnalyticsFilters, product: Product) -> dict[str, Any]:
    """Stock on hand at the end of the period (latest snapshot per location) and how many days it lasts."""
    end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    snapshots = StockLevel.objects.filter(product=product, as_of__lt=end)
    if filters.location is not None:
        snapshots = snapshots.filter(subtree_q(filters.location, "location"))
    latest: dict[int, tuple[dt.datetime, Decimal]] = {}
    for location_id, as_of, on_hand in snapshots.order_by("location_id", "-as_of").values_list(
        "location_id", "as_of", "on_hand"
    ):
        latest.setdefault(location_id, (as_of, on_hand))
    if not latest:
        return {"known": False, "on_hand": None, "as_of": None, "average_daily_units": None, "days_of_cover": None,
                "locations": 0}
    on_hand = _qty(sum((max(value, Decimal(0)) for _, value in latest.values()), Decimal(0)))
    window = filters.with_(product=product, category=None, date_from=filters.date_to - dt.timedelta(
        days=COVER_WINDOW_DAYS - 1))
    units = _sales_source(window).aggregate(u=_sales_aggregates(window)["units"])["u"] or 0
    average = Decimal(units) / COVER_WINDOW_DAYS
    return {
        "known": True,
        "on_hand": on_hand,
        "as_of": max(as_of for as_of, _ in latest.values()),
        "average_daily_units": _qty(average),
        "days_of_cover": round(float(on_hand) / float(average), 1) if average > 0 else None,
        "locations": len(latest),
    }
