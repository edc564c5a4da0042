from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The figures a front end's first page needs, read from the other apps' services. No models, no writes."""

    name = "dashboard"
    verbose_name = "Dashboard"
