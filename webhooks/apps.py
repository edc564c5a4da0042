from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Outbound webhooks: signed JSON events to admin-configured HTTPS endpoints. Depends on no other app of ours;
    the apps that have something to tell call `webhooks.services.emit_event`."""

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from webhooks import signals  # noqa: F401 - connects the receivers
