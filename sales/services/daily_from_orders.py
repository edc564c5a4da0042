"""Daily sales derived from order lines: the one place order-level sources (Sentos, WB, MoySklad) feed forecasting.

``rebuild_daily_sales(location_ids, date_from, date_to, *, progress=None) -> IngestReport``
    Recomputes DailySale for every (location, product, business day) in the window from the orders placed
    there, and deletes the window's daily sales that no longer have any order behind them (all cancelled, or
    the order moved). Per day and product: quantity = sold units (positive lines), returns = returned units
    (negative lines, as a positive number), revenue = sum of line amounts (net of returns), discount = sum of
    line discounts, price_paid = sold amount / sold units, on_promotion = any line had a discount. Cancelled
    orders and orders without a location are left out. Idempotent: rebuilding an unchanged window writes
    nothing. Use it only for locations whose sales come from orders: it owns their daily sales in the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from sales.choices import OrderStatus
from sales.models import OrderLine
from sales.services.ingest import ProgressCallback, _DailySaleIngest
from sales.services.reports import IngestReport

_ZERO_QTY = Value(0, output_field=DecimalField(max_digits=14, decimal_places=3))
_ZERO_MONEY = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))


def _aggregates(location_ids: list[int], date_from: dt.date, date_to: dt.date) -> Iterator[dict]:
    sold = Q(quantity__gt=0)
    returned = Q(quantity__lt=0)
    rows = (
        OrderLine.objects.filter(
            order__location_id__in=location_ids,
            order__business_date__gte=date_from,
            order__business_date__lte=date_to,
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .values("order__location_id", "product_id", "order__business_date")
        .annotate(
            sold_qty=Coalesce(Sum("quantity", filter=sold), _ZERO_QTY),
            returned_qty=Coalesce(Sum(-F("quantity"), filter=returned), _ZERO_QTY),
            net_amount=Coalesce(Sum("amount"), _ZERO_MONEY),
            sold_amount=Coalesce(Sum("amount", filter=sold), _ZERO_MONEY),
            discount_sum=Coalesce(Sum("discount"), _ZERO_MONEY),
            discounted=Sum(Case(When(discount__gt=0, then=1), default=0)),
        )
        .order_by("order__location_id", "product_id", "order__business_date")
    )
    for row in rows.iterator(chunk_size=10_000):
        sold_qty = row["sold_qty"]
        yield {
            "location_id": row["order__location_id"],
            "product_id": row["product_id"],
            "date": row["order__business_date"],
            "quantity": sold_qty,
            "returns": row["returned_qty"],
            "revenue": row["net_amount"],
            "discount": row["discount_sum"],
            "price_paid": (row["sold_amount"] / sold_qty).quantize(sold_qty.__class__("0.01")) if sold_qty else None,
            "on_promotion": bool(row["discounted"]),
        }


def rebuild_daily_sales(
    location_ids: Iterable[int],
    date_from: dt.date,
    date_to: dt.date,
    *,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Make DailySale of these locations and days equal to what their orders say (one transaction)."""
    ids = sorted({int(pk) for pk in location_ids})
    if not ids or date_from is None or date_to is None or date_from > date_to:
        return IngestReport()
    ingest = _DailySaleIngest(replace_scope=(ids, date_from, date_to), progress=progress)
    # Derived rows may end "today" in a far-east time zone; the future check is for typed-in data.
    ingest.latest_sale_date = max(ingest.latest_sale_date, date_to)
    return ingest.run(_aggregates(ids, date_from, date_to))
