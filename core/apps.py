from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The ground floor every app stands on: API conventions, roles, schedules, caches, jobs, errors."""

    name = "core"
    label = "core"
    verbose_name = "core"

    def ready(self) -> None:
        from core import permission_cache, read_cache
        from core.roles import sync_role_permissions
        from core.schedules import register_schedules_after_migrate

        # Permissions exist only after every app migrated, so roles get theirs on post_migrate.
        post_migrate.connect(sync_role_permissions, dispatch_uid="core.sync_role_permissions")
        post_migrate.connect(register_schedules_after_migrate, dispatch_uid="core.register_schedules")
        read_cache.connect_invalidation()
        from django_q.signals import post_spawn

        from core.jobs import install_worker_sigterm_handler

        post_spawn.connect(install_worker_sigterm_handler, dispatch_uid="core.worker_sigterm")
        permission_cache.connect_invalidation()
