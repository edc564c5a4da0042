import importlib
import pkgutil

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Connections to iiko, 1C, Sentos, Wildberries and MoySklad, and their sync runs."""

    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from integrations import connectors, http, signals  # noqa: F401 - signals connects the receivers

        http.install_log_redaction()
        from integrations.services.runs import register_sweep

        register_sweep()
        # Every package under integrations/connectors registers its streams on import.
        for module in pkgutil.iter_modules(connectors.__path__):
            importlib.import_module(f"{connectors.__name__}.{module.name}")
