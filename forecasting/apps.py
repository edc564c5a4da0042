from django.apps import AppConfig


class ForecastingConfig(AppConfig):
    """Demand forecasts, backtests and accuracy."""

    name = "forecasting"
    verbose_name = "Forecasting"

    def ready(self) -> None:
        from forecasting import signals  # noqa: F401  (connects the model-file clean-up)
        from forecasting.services.fanout import register_sweeps

        register_sweeps()
