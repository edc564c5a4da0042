from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project on top of every app: the main job (`run_main_job`) that runs sync → forecast → plan → snapshot."""

    name = "salesforecast"
    label = "salesforecast"
    verbose_name = "salesforecast"
