"""Forecasts partitioned by run on PostgreSQL: blocks of run ids (copy and swap, reversible); SQLite keeps the
plain table.

Every read of forecasts names its run (a run's forecasts, the forecast of record, accuracy scoring), so a block of
runs per partition keeps each read on one partition and lets old blocks go cheaply. Django's state is unchanged;
the primary key becomes (id, run_id), the unique (run, location, product, date) already holds the key.
``manage.py ensure_partitions`` keeps blocks ready past the newest run.
"""

from django.db import migrations

TABLE, KEY = "forecasting_forecast", "run_id"
RUNS_PER_PARTITION = 200
NEWEST_RUN = "SELECT MAX(id) FROM forecasting_modelrun"


def partition(apps, schema_editor) -> None:
    from core.partitions import convert_to_partitioned

    convert_to_partitioned(schema_editor, TABLE, KEY, step=RUNS_PER_PARTITION, current_sql=NEWEST_RUN, ahead=2)


def unpartition(apps, schema_editor) -> None:
    from core.partitions import convert_to_plain

    convert_to_plain(schema_editor, TABLE, KEY)


class Migration(migrations.Migration):
    dependencies = [("forecasting", "0007_forecast_batches")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
