"""manage.py check_stock_ledger — exits 1 when a balance differs from the sum of its movements."""

from django.core.management.base import BaseCommand, CommandError

from planning.services.ledger import verify_ledger


class Command(BaseCommand):
    help = "Verify that every stock balance equals the sum of its movements (it always should)."

    def handle(self, *args, **options):
        drifts = verify_ledger()
        for d in drifts[:50]:
            self.stderr.write(d.describe())
        if drifts:
            raise CommandError(f"{len(drifts)} items drifted from their movements.")
        self.stdout.write("Stock ledger consistent: every balance equals the sum of its movements.")
