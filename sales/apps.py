from django.apps import AppConfig


class SalesConfig(AppConfig):
    """Item master and demand history."""

    name = "sales"
    verbose_name = "Sales"
