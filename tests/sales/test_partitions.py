"""Daily sales partitioned by month on PostgreSQL: partitions exist, queries of one month read one partition,
rows outside the months land in the default partition and move into a month of their own later."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from branches.models import Location
from core.partitions import default_partition_name, ensure_all_partitions, is_partitioned, partitions
from forecasting.services.history import _sales_columns
from forecasting.services.scope import ForecastScope
from sales.models import DailySale, Product
from sales.services.analytics import AnalyticsFilters, _daily_sales
from sales.services.ingest import outside_batch_delete_sql

pytestmark = pytest.mark.django_db
TABLE = DailySale._meta.db_table
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")


def _month_name(day: dt.date) -> str:
    return f"{TABLE}_p{day:%Y%m}"


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def sales_over_months():
    """Three months of one series, around this month (the migration and the schedule cover them)."""
    call_command("ensure_partitions", "--months-ahead", "1")
    loc, prod = Location.objects.create(name="S", code="S"), Product.objects.create(sku="P", name="P")
    start = dt.date.today().replace(day=1) - dt.timedelta(days=40)
    DailySale.objects.bulk_create(
        DailySale(location=loc, product=prod, date=start + dt.timedelta(days=i), quantity=Decimal(i)) for i in range(60)
    )
    return loc, prod, start


def test_sqlite_keeps_a_plain_table_and_the_command_has_nothing_to_do(capsys):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert ensure_all_partitions(3) == {TABLE: [], "forecasting_forecast": []}
    call_command("ensure_partitions", "--months-ahead", "2")
    assert "0 partition(s) created" in capsys.readouterr().out


@on_postgres
def test_partitions_exist_with_the_key_in_every_unique_constraint():
    with connection.cursor() as cursor:
        assert is_partitioned(cursor, TABLE)
        names = partitions(cursor, TABLE)
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype IN ('p', 'u') ORDER BY contype",
            [TABLE],
        )
        keys = [row[0] for row in cursor.fetchall()]
    assert default_partition_name(TABLE) in names and _month_name(dt.date.today()) in names
    assert keys == ["PRIMARY KEY (id, date)", "UNIQUE (location_id, product_id, date)"]


@on_postgres
def test_queries_of_one_month_read_only_that_months_partition(sales_over_months):
    loc, prod, start = sales_over_months
    month = (start + dt.timedelta(days=45)).replace(day=1)
    last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    others = [_month_name(start), _month_name(last + dt.timedelta(days=1)), default_partition_name(TABLE)]

    analytics = str(_daily_sales(AnalyticsFilters(date_from=month, date_to=last)).explain())
    sql, params = _daily_sales(AnalyticsFilters(date_from=month, date_to=last)).query.sql_with_params()
    history = ForecastScope(locations=(loc.pk,))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE staged_keys (location_id bigint, product_id bigint, date date)")
    ingest = _plan(*outside_batch_delete_sql("staged_keys", [loc.pk], month, last))
    chart = str(DailySale.objects.filter(location=loc, product=prod, date__gte=month, date__lte=last).explain())
    for plan in (analytics, ingest, chart):
        assert _month_name(month) in plan, plan
        assert not any(name in plan for name in others), plan
    # The forecasting history read stops at its last day: later months are not read.
    loaded = _sales_columns(history, until=start + dt.timedelta(days=10))
    assert len(loaded["day"]) == 11
    qs = DailySale.objects.filter(history.series_q(), date__lte=start + dt.timedelta(days=10))
    assert _month_name(last + dt.timedelta(days=1)) not in str(qs.explain())
    assert sql and params


@on_postgres
def test_rows_outside_the_months_move_out_of_the_default_partition():
    loc, prod = Location.objects.create(name="S", code="S"), Product.objects.create(sku="P", name="P")
    old = dt.date(2019, 5, 1)
    DailySale.objects.bulk_create(
        DailySale(location=loc, product=prod, date=old + dt.timedelta(days=i), quantity=Decimal(1)) for i in range(40)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {default_partition_name(TABLE)}")
        assert cursor.fetchone()[0] == 40
    created = ensure_all_partitions(0)[TABLE]
    assert _month_name(old) in created and f"{TABLE}_p201906" in created
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {default_partition_name(TABLE)}")
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT count(*) FROM {_month_name(old)}")
        assert cursor.fetchone()[0] == 31
    assert DailySale.objects.count() == 40
    # Ingest's upsert target is unchanged: a second row for the same key is refused by the unique constraint.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DailySale.objects.create(location=loc, product=prod, date=old, quantity=Decimal(2))


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_goes_back_to_a_plain_table_and_forward_again_with_the_rows():
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    loc, prod = Location.objects.create(name="S", code="S"), Product.objects.create(sku="P", name="P")
    DailySale.objects.bulk_create(
        DailySale(location=loc, product=prod, date=dt.date(2026, 1, 1) + dt.timedelta(days=i), quantity=Decimal(i))
        for i in range(50)
    )
    try:
        migrate([("sales", "0007_importjob_job_lifecycle")])
        with connection.cursor() as cursor:
            assert not is_partitioned(cursor, TABLE)
            cursor.execute(f"SELECT count(*), sum(quantity) FROM {TABLE}")
            assert cursor.fetchone() == (50, Decimal(1225))
        migrate([("sales", "0008_partition_daily_sales")])
        with connection.cursor() as cursor:
            assert is_partitioned(cursor, TABLE) and _month_name(dt.date(2026, 2, 1)) in partitions(cursor, TABLE)
        assert DailySale.objects.count() == 50
        DailySale.objects.create(location=loc, product=prod, date=dt.date(2026, 3, 1))  # the id sequence goes on
    finally:
        migrate(latest)


@on_postgres
def test_forecasts_are_partitioned_by_run_and_a_runs_read_prunes():
    from forecasting.models import Forecast, ModelRun

    table = Forecast._meta.db_table
    call_command("ensure_partitions", "--months-ahead", "2")
    loc, prod = Location.objects.create(name="S", code="S"), Product.objects.create(sku="P", name="P")
    run = ModelRun.objects.create(status="succeeded")
    Forecast.objects.bulk_create(
        Forecast(
            run=run,
            location=loc,
            product=prod,
            date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            yhat=1,
            p10=0,
            p50=1,
            p90=2,
        )
        for i in range(5)
    )
    block = f"{table}_p{(run.pk // 200) * 200:010d}"
    with connection.cursor() as cursor:
        assert is_partitioned(cursor, table) and block in partitions(cursor, table)
        cursor.execute(f"SELECT count(*) FROM {block}")
        assert cursor.fetchone()[0] == 5
    plan = str(Forecast.objects.filter(run_id=run.pk).explain())
    assert block in plan and default_partition_name(table) not in plan, plan
