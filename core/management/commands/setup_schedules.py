from django.core.management.base import BaseCommand

from core.schedules import register_schedules


class Command(BaseCommand):
    help = "Register every scheduled job with django-q2 (idempotent: re-running never duplicates)."

    def handle(self, *args, **options):
        skipped: dict[str, str] = {}
        counts = register_schedules(skipped)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
        for name, reason in skipped.items():
            # A bad stored row is reported, not fatal: the container must start; fix the row and re-run.
            self.stderr.write(f"skipped {name}: {reason}")
