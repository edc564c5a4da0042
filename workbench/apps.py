from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "workbench"
    verbose_name = "Workbench"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from core.jobs import on_progress
        from core.languages import register_language_resolver
        from core.permission_cache import invalidate_on_change
        from planning.models import ProductionTask
        from workbench import live
        from workbench.middleware import preferred_language
        from workbench.models import PlannerProfile

        for kind in live.RUN_KINDS:
            post_save.connect(live.on_run_saved, sender=kind.model, dispatch_uid=f"workbench-live-{kind.name}")
        post_save.connect(live.on_task_saved, sender=ProductionTask, dispatch_uid="workbench-live-task")
        on_progress(live.on_job_progress)
        register_language_resolver(preferred_language)
        invalidate_on_change(PlannerProfile)  # the API user's cached language (core/auth_cache.py)
