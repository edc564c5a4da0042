from django.apps import AppConfig


class ShopfloorConfig(AppConfig):
    """The shop floor: embroidery jobs, barcode labels and scans. Sits above planning and calls its services."""

    name = "shopfloor"
    verbose_name = "Shop floor"

    def ready(self) -> None:
        # planning must not import shopfloor: it exposes a registry, and the upper app registers with it.
        from planning.services.lead_time import register_make_lead_time_contributor
        from shopfloor.services.embroidery import embroidery_lead_times

        register_make_lead_time_contributor("embroidery", embroidery_lead_times)
