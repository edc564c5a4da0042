from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Order proposals, purchasing, stock ledger, BOMs and production."""

    name = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        from core.jobs import register_stale_sweep, worker_time_limit
        from planning.models import ProposalRun, ReplayRun

        register_stale_sweep(ProposalRun, stale_after=worker_time_limit())
        # A replay trains models for minutes between progress writes: its worker's time limit is the threshold.
        register_stale_sweep(ReplayRun, stale_after=worker_time_limit())
