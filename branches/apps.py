from django.apps import AppConfig


class BranchesConfig(AppConfig):
    """The location tree: branches, departments, stores."""

    name = "branches"
    verbose_name = "Org structure"
