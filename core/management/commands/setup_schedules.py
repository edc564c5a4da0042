from django.core.management.base import BaseCommand

from core.schedules import register_schedules


class Command(BaseCommand):
    help = "Register every scheduled job with django-q2 (idempotent: re-running never duplicates)."

    def handle(self, *args, **options):
        counts = register_schedules()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
