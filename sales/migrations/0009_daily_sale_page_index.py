"""The (date) index becomes (date DESC, location, product): the API's newest-first daily-sales page reads its 50 rows
straight off the index instead of fetching and sorting a whole day. Added before the old one is dropped, so date
ranges keep an index throughout; reversible. On PostgreSQL both act on the partitioned table and its partitions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0003_location_time_zone"),
        ("sales", "0008_partition_daily_sales"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dailysale",
            index=models.Index(fields=["-date", "location", "product"], name="daily_sale_date_loc_prod_idx"),
        ),
        migrations.RemoveIndex(model_name="dailysale", name="daily_sale_date_idx"),
    ]
