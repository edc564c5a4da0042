from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Order proposals, purchasing, stock ledger, BOMs and production."""

    name = "planning"
    verbose_name = "Planning"
