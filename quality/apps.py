from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Quality control on the shop floor: finished-goods inspections and the quality lab."""

    name = "quality"
    verbose_name = "Quality"
