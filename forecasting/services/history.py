"""Sales history and known-in-advance drivers, read from the sales app into the engine's long frame.

Why it is written this way: a nightly run reads millions of ``DailySale`` rows. Going through model
instances (or even ``values_list`` with per-row Decimal/date conversion) costs seconds per million rows
and a lot of memory, so the database does the conversion (quantities cast to float, dates to integer
day numbers) and rows are fetched in chunks from a server-side cursor straight into numpy arrays with
small dtypes. Keys handed to the engine are the database ids as strings, so the forecasts map back
without a lookup and two locations with the same code never merge.

Drivers (``sales.DemandDriver``) map to engine columns: ``is_promotion`` → ``promo``, ``is_open``,
``is_holiday`` → ``holiday``, ``planned_price`` → ``price``, ``is_advertised`` → ``advertised``,
``is_extended_promotion`` → ``promo2``. A product-specific row wins over the
location-wide row (product empty) of the same day; a location-wide row applies to every product of
that location. In the history, a day without a driver row falls back to what the sale itself says
(``DailySale.on_promotion``, ``price_paid``); a day with a sales row is open unless a driver says
otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import NotSupportedError, connections, router
from django.db.models import FloatField, Func, IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext

from forecasting import engine
from forecasting.services.errors import NoHistory
from forecasting.services.policies import DEFAULT_MISSING_DAY_POLICY, missing_day_policies
from forecasting.services.scope import ForecastScope
from sales.models import DailySale, DemandDriver, Product

EPOCH = dt.date(1970, 1, 1)
FETCH_CHUNK = 50_000
COPY_CHUNK_BYTES = 8 << 20  # PostgreSQL: CSV bytes parsed at a time (~250k sales rows)
DRIVER_COLUMNS = ("promo", "is_open", "holiday", "price", "advertised", "promo2")
# Value used for a driver the stored model needs but the data does not mention (engine defaults).
NEUTRAL_DRIVER_VALUE = {"promo": 0.0, "is_open": 1.0, "holiday": 0.0, "advertised": 0.0, "promo2": 0.0}


class EpochDay(Func):
    """Days since 1970-01-01 as an integer, computed by the database (no date object per row)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"EpochDay: database vendor {connection.vendor!r} is not supported")

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra_context
        )


def epoch_day(value: dt.date) -> int:
    return (value - EPOCH).days


def from_epoch_day(value: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(value))


def fetch_columns(queryset: QuerySet, dtypes: Sequence[np.dtype]) -> list[np.ndarray]:
    """Run a ``values_list`` queryset and return one numpy array per column (NULL → NaN for floats).

    PostgreSQL streams the rows with ``COPY … TO STDOUT`` as CSV parsed by pandas' C reader: no Python
    object per value, about twice as fast and a fraction of the memory of a cursor. Other databases
    (SQLite) are read in chunks from a cursor.
    """
    db = router.db_for_read(queryset.model)
    sql, params = queryset.query.get_compiler(db).as_sql()
    connection = connections[db]
    if connection.vendor == "postgresql":
        return _fetch_columns_copy(connection, sql, params, dtypes)
    parts: list[list[np.ndarray]] = [[] for _ in dtypes]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_CHUNK):
            block = np.array(rows, dtype=np.float64).reshape(len(rows), len(dtypes))
            for i, dtype in enumerate(dtypes):
                parts[i].append(block[:, i].astype(dtype))
    return [np.concatenate(p) if p else np.empty(0, dtype=d) for p, d in zip(parts, dtypes, strict=True)]


def _fetch_columns_copy(connection, sql: str, params: Sequence, dtypes: Sequence[np.dtype]) -> list[np.ndarray]:
    """COPY's CSV parsed a few megabytes at a time into typed arrays: memory holds the arrays and one chunk,
    never the whole CSV text or a DataFrame of the whole table (a scope of millions of rows stays flat)."""
    parts: list[list[np.ndarray]] = [[] for _ in dtypes]
    names, types = list(range(len(dtypes))), dict(enumerate(dtypes))

    def parse(data: bytes) -> None:
        # Integer columns never hold NULL here (ids, day numbers); nullable ones are read as floats.
        frame = pd.read_csv(io.BytesIO(data), header=None, names=names, dtype=types, engine="c", na_filter=True)
        for i in names:
            parts[i].append(frame[i].to_numpy())

    pending = bytearray()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for block in copy:
                pending += block
                if len(pending) >= COPY_CHUNK_BYTES:
                    cut = pending.rfind(b"\n") + 1  # whole lines only; the rest waits for the next block
                    if cut:
                        parse(bytes(pending[:cut]))
                        del pending[:cut]
    if pending:
        parse(bytes(pending))
    return [np.concatenate(p) if p else np.empty(0, dtype=d) for p, d in zip(parts, dtypes, strict=True)]


@dataclass
class History:
    """The engine's inputs plus what a run records about them."""

    frame: pd.DataFrame  # location, product, date, y, category, drivers (engine long format)
    future: pd.DataFrame | None  # location, product, date, drivers for the horizon (None: nothing known)
    drivers: list[str]
    missing_policy_by_location: dict[str, str]
    data_start: dt.date | None
    data_end: dt.date | None
    fingerprint: str
    frequency: str | None = None
    seconds: float = 0.0
    series_locations: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @property
    def row_count(self) -> int:
        return len(self.frame)

    @property
    def series_count(self) -> int:
        if not len(self.frame):
            return 0
        return int(self.frame[["location", "product"]].drop_duplicates().shape[0])

    def engine_overrides(self) -> dict:
        """Config keys that follow from the data (the per-location missing-day policies)."""
        return {
            "missing_policy": DEFAULT_MISSING_DAY_POLICY,
            "missing_policy_by_location": self.missing_policy_by_location or None,
        }


def _sales_columns(scope: ForecastScope, until: dt.date | None) -> dict[str, np.ndarray]:
    qs = DailySale.objects.filter(scope.series_q())
    if until is not None:
        qs = qs.filter(date__lte=until)
    qs = (
        qs.order_by()
        .annotate(
            _day=EpochDay("date"),
            _qty=Cast("quantity", FloatField()),
            _price=Cast("price_paid", FloatField()),
            _promo=Cast("on_promotion", IntegerField()),
        )
        .values_list("location_id", "product_id", "_day", "_qty", "_price", "_promo")
    )
    loc, prod, day, qty, price, promo = fetch_columns(
        qs, [np.int64, np.int64, np.int32, np.float32, np.float32, np.float32]
    )
    return {"loc": loc, "prod": prod, "day": day, "y": qty, "price_paid": price, "on_promo": promo}


def _driver_frames(
    scope: ForecastScope, first_day: int, last_day: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(product-specific drivers, location-wide drivers) for the scope between two epoch days."""
    qs = DemandDriver.objects.filter(date__gte=from_epoch_day(first_day), date__lte=from_epoch_day(last_day))
    if scope.locations:
        qs = qs.filter(location_id__in=scope.location_ids())
    if scope.products:
        qs = qs.filter(Q(product__isnull=True) | Q(product_id__in=list(scope.products)))
    if scope.categories:
        qs = qs.filter(Q(product__isnull=True) | Q(product__category_id__in=sorted(scope.category_ids())))
    qs = (
        qs.order_by()
        .annotate(
            _day=EpochDay("date"),
            _promo=Cast("is_promotion", IntegerField()),
            _open=Cast("is_open", IntegerField()),
            _holiday=Cast("is_holiday", IntegerField()),
            _price=Cast("planned_price", FloatField()),
            _advertised=Cast("is_advertised", IntegerField()),
            _promo2=Cast("is_extended_promotion", IntegerField()),
        )
        .values_list("location_id", "product_id", "_day", "_promo", "_open", "_holiday", "_price", "_advertised",
                     "_promo2")
    )
    loc, prod, day, promo, is_open, holiday, price, advertised, promo2 = fetch_columns(
        qs, [np.int64, np.float64, np.int32, np.float32, np.float32, np.float32, np.float32, np.float32, np.float32]
    )
    values = {"promo": promo, "is_open": is_open, "holiday": holiday, "price": price, "advertised": advertised,
              "promo2": promo2}
    specific = ~np.isnan(prod)
    per_product = pd.DataFrame(
        {"loc": loc[specific], "prod": prod[specific].astype(np.int64), "day": day[specific]}
        | {k: v[specific] for k, v in values.items()}
    )
    per_location = pd.DataFrame(
        {"loc": loc[~specific], "day": day[~specific]} | {k: v[~specific] for k, v in values.items()}
    )
    return per_product, per_location


def _attach_drivers(rows: pd.DataFrame, per_product: pd.DataFrame, per_location: pd.DataFrame) -> pd.DataFrame:
    """Driver columns on (loc, prod, day) rows: the product's own row, else its location's row, else NaN."""
    out = rows
    for name in DRIVER_COLUMNS:
        out[name] = np.float32(np.nan)
    if len(per_product):
        merged = out[["loc", "prod", "day"]].merge(per_product, on=["loc", "prod", "day"], how="left")
        for name in DRIVER_COLUMNS:
            out[name] = merged[name].to_numpy(dtype=np.float32)
    if len(per_location):
        merged = out[["loc", "day"]].merge(per_location, on=["loc", "day"], how="left")
        for name in DRIVER_COLUMNS:
            current = out[name].to_numpy()
            out[name] = np.where(np.isnan(current), merged[name].to_numpy(dtype=np.float32), current)
    return out


def _id_categorical(ids: np.ndarray) -> pd.Categorical:
    """Database ids as a categorical of their string form: one small code per row, not one string per row."""
    uniques, codes = np.unique(ids, return_inverse=True)
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=[str(int(u)) for u in uniques])


def _useful(name: str, hist: np.ndarray, fut: np.ndarray) -> bool:
    """A driver worth giving the model: known somewhere and not constant (closures always matter)."""
    values = np.concatenate([hist, fut])
    values = values[~np.isnan(values)]
    if not len(values):
        return False
    if name == "is_open":
        return bool((values == 0).any())
    return bool(values.min() != values.max())


def _future_dates(days: np.ndarray, horizon: int) -> tuple[str, np.ndarray]:
    """The horizon's dates and the few after it whose drivers the last days' features read (a closure or a
    promotion the day after the horizon changes the day before it)."""
    dates = pd.to_datetime(np.unique(days), unit="D")
    freq = engine.detect_frequency(dates)
    ahead = horizon + engine.default_spec(freq).driver_lookahead
    grid = pd.date_range(dates.max(), periods=ahead + 1, freq=freq.alias)[1:]
    return freq.alias, ((grid - pd.Timestamp(EPOCH)).days.to_numpy()).astype(np.int32)


def _fingerprint(frame: pd.DataFrame, future: pd.DataFrame | None, policies: dict[str, str]) -> str:
    """sha256 of the data in a canonical order: same rows and drivers → same fingerprint, on any database."""
    digest = hashlib.sha256()
    for col in frame.columns:
        values = frame[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            digest.update("\x1f".join(map(str, values.cat.categories)).encode())
            digest.update(col.encode() + np.ascontiguousarray(values.cat.codes.to_numpy()).tobytes())
        else:
            digest.update(col.encode() + np.ascontiguousarray(values.to_numpy()).tobytes())
    if future is not None:
        digest.update(pd.util.hash_pandas_object(future, index=False).to_numpy().tobytes())
    digest.update(repr(sorted(policies.items())).encode())
    return digest.hexdigest()


def load_history(
    scope: ForecastScope | None = None,
    *,
    until: dt.date | None = None,
    horizon: int = 0,
    drivers: Sequence[str] | None = None,
) -> History:
    """Daily sales in scope (up to ``until``) as the engine's history, plus drivers for ``horizon`` periods.

    ``drivers``: exactly these driver columns (a stored model needs the ones it was trained with);
    None picks every driver that is known and varies. Raises :class:`NoHistory` when there are no rows.
    """
    started = time.perf_counter()
    scope = scope or ForecastScope()
    cols = _sales_columns(scope, until)
    if not len(cols["day"]):
        where = scope.describe() + (f" up to {until}" if until else "")
        raise NoHistory(gettext("history: no daily sales for %(where)s; load or sync sales first") % {
                            "where": where,
                        }, field="history")
    # Canonical order (series, then day): fingerprint and engine input independent of the database's order.
    order = np.lexsort((cols["day"], cols["prod"], cols["loc"]))
    rows = pd.DataFrame({k: v[order] for k, v in cols.items()})
    first_day, last_day = int(rows["day"].min()), int(rows["day"].max())
    frequency, future_days = _future_dates(rows["day"].to_numpy(), horizon) if horizon else (None, None)
    horizon_end = int(future_days[-1]) if future_days is not None and len(future_days) else last_day
    per_product, per_location = _driver_frames(scope, first_day, horizon_end)

    rows = _attach_drivers(rows, per_product, per_location)
    rows["promo"] = rows["promo"].fillna(rows.pop("on_promo"))
    rows["price"] = rows["price"].fillna(rows.pop("price_paid"))
    rows["is_open"] = rows["is_open"].fillna(1.0)
    rows["holiday"] = rows["holiday"].fillna(0.0)

    series = rows[["loc", "prod"]].drop_duplicates(ignore_index=True)
    future_rows = None
    if future_days is not None and len(future_days):
        future_rows = series.merge(pd.DataFrame({"day": future_days}), how="cross")
        future_rows = _attach_drivers(future_rows, per_product, per_location)
        known = future_rows[list(DRIVER_COLUMNS)].notna().any(axis=1)
        future_rows = future_rows[known].reset_index(drop=True)

    if drivers is None:
        fut_values = future_rows if future_rows is not None else pd.DataFrame(columns=list(DRIVER_COLUMNS))
        chosen = [
            n for n in DRIVER_COLUMNS
            if _useful(n, rows[n].to_numpy(np.float32), fut_values[n].to_numpy(np.float32))
        ]
    else:
        unknown = [d for d in drivers if d not in DRIVER_COLUMNS]
        if unknown:
            raise NoHistory(gettext("drivers: the stored model needs %(unknown)s, which the sales data "
                                    "cannot provide") % {"unknown": unknown},
                            field="drivers")
        chosen = list(drivers)
        for name in chosen:
            if name in NEUTRAL_DRIVER_VALUE:
                rows[name] = rows[name].fillna(NEUTRAL_DRIVER_VALUE[name])

    categories = dict(
        Product.objects.filter(pk__in=series["prod"].unique().tolist(), category__isnull=False).values_list(
            "pk", "category__code"
        )
    )
    loc_ids = series["loc"].unique()
    policies = missing_day_policies(loc_ids.tolist())
    policy_by_location = {str(k): v for k, v in policies.items() if v != DEFAULT_MISSING_DAY_POLICY}

    products = np.unique(rows["prod"].to_numpy())
    category_names, category_codes = np.unique(
        np.array([categories.get(int(pk), "") for pk in products], dtype=object).astype(str), return_inverse=True
    )
    row_product = np.searchsorted(products, rows["prod"].to_numpy())
    frame = pd.DataFrame(
        {
            "location": _id_categorical(rows["loc"].to_numpy()),
            "product": _id_categorical(rows["prod"].to_numpy()),
            "date": pd.to_datetime(rows["day"].to_numpy(), unit="D"),
            "y": rows["y"].to_numpy(np.float32),
            "category": pd.Categorical.from_codes(
                category_codes.astype(np.int32)[row_product], categories=category_names.tolist()
            ),
        }
    )
    for name in chosen:
        frame[name] = rows[name].to_numpy(np.float32)
    future = None
    if future_rows is not None and len(future_rows) and chosen:
        future = pd.DataFrame(
            {
                "location": future_rows["loc"].astype(str),
                "product": future_rows["prod"].astype(str),
                "date": pd.to_datetime(future_rows["day"].to_numpy(), unit="D"),
            }
        )
        for name in chosen:
            future[name] = future_rows[name].to_numpy(np.float32)
    return History(
        frame=frame,
        future=future,
        drivers=chosen,
        missing_policy_by_location=policy_by_location,
        data_start=from_epoch_day(first_day),
        data_end=from_epoch_day(last_day),
        fingerprint=_fingerprint(frame, future, policy_by_location),
        frequency=frequency,
        seconds=round(time.perf_counter() - started, 3),
        series_locations=loc_ids.astype(np.int64),
    )
