from django.apps import AppConfig

RUNS_PER_PARTITION = 200  # as in migration forecasting 0008


class ForecastingConfig(AppConfig):
    """Demand forecasts, backtests and accuracy."""

    name = "forecasting"
    verbose_name = "Forecasting"

    def ready(self) -> None:
        from forecasting import signals  # noqa: F401  (connects the model-file clean-up)
        from forecasting.services.fanout import register_sweeps

        register_sweeps()

        from core.partitions import register_partitioned_table
        from forecasting.models import Forecast

        # Partitioned by blocks of run ids on PostgreSQL (migration forecasting 0008); ensure_partitions keeps
        # blocks ready past the newest run.
        register_partitioned_table(Forecast._meta.db_table, "run_id", step=RUNS_PER_PARTITION,
                                   current_sql="SELECT MAX(id) FROM forecasting_modelrun")
