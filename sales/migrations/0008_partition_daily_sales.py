"""Daily sales partitioned by month on PostgreSQL (copy and swap, reversible); SQLite keeps the plain table.

Django's state is unchanged: same columns, the same unique (location, product, date) and indexes under the same
names. On PostgreSQL the primary key becomes (id, date), since every unique key of a partitioned table must
hold the partition key; ingest's ON CONFLICT (location_id, product_id, date) already does. Future months are
created by ``manage.py ensure_partitions`` and its nightly schedule.
"""

from django.db import migrations

TABLE, KEY = "sales_dailysale", "date"


def partition(apps, schema_editor) -> None:
    from core.partitions import convert_to_partitioned

    convert_to_partitioned(schema_editor, TABLE, KEY)


def unpartition(apps, schema_editor) -> None:
    from core.partitions import convert_to_plain

    convert_to_plain(schema_editor, TABLE, KEY)


class Migration(migrations.Migration):
    dependencies = [("sales", "0007_importjob_job_lifecycle")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
