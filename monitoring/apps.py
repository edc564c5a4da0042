from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Snapshots, history and alerts. Reads every other app, writes only its own."""

    name = "monitoring"
    verbose_name = "Monitoring"
