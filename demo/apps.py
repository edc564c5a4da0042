from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The attic: the demo data set, its loader, the loopback fakes and their commands. No production app imports it."""

    name = "demo"
    label = "demo"
    verbose_name = "demo"
