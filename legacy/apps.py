from django.apps import AppConfig


class LegacyConfig(AppConfig):
    """Deprecated aliases answering in the old ERP's shapes for clients written against it. No models."""

    name = "legacy"
    verbose_name = "Legacy aliases"
