from django.apps import AppConfig


class SalesConfig(AppConfig):
    """Item master and demand history."""

    name = "sales"
    verbose_name = "Sales"

    def ready(self) -> None:
        from core.jobs import register_stale_sweep, worker_time_limit
        from sales.models import ImportJob

        register_stale_sweep(ImportJob, stale_after=worker_time_limit())

        from core.partitions import register_partitioned_table
        from sales.models import DailySale

        # Partitioned by month on PostgreSQL (migration sales 0008); ensure_partitions keeps the months ahead.
        register_partitioned_table(DailySale._meta.db_table, "date")
