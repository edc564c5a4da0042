from django.core.management.base import BaseCommand, CommandError

from core.progress import TqdmProgress
from salesforecast.pipeline import STEPS, parse_steps, run_main_job


class Command(BaseCommand):
    help = ("The main job, for cron: sync every enabled account → train and forecast → order proposals → "
            "monitoring snapshot. Every step runs even if an earlier one failed; the exit code is 1 if any failed.")

    def add_arguments(self, parser):
        parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}")
        parser.add_argument("--full", action="store_true", help="full refresh syncs instead of incremental ones")

    def handle(self, *args, steps: str, full: bool, **options):
        try:
            chosen = parse_steps(steps)
        except ValueError as exc:
            raise CommandError(f"--steps: {exc}") from exc
        if not chosen:
            raise CommandError(f"--steps: choose from {', '.join(STEPS)} (got {steps!r})")
        results = run_main_job(
            steps=chosen, progress=TqdmProgress(), sync_mode="full" if full else "incremental",
            on_step=lambda r: self.stdout.write(r.line),
        )
        failed = [r.name for r in results if not r.ok]
        if failed:
            raise CommandError(f"failed steps: {', '.join(failed)}")
