"""manage.py propose_orders [--location CODE …] [--run ID] [--date YYYY-MM-DD]"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from branches.models import Location
from core.progress import TqdmProgress
from planning.services.proposals import ProposalError, propose_orders


class Command(BaseCommand):
    help = (
        "Store order proposals for every active location × product from the latest succeeded forecast run and "
        "current stock. Re-running replaces open (proposed) proposals; approved ones are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--location", action="append", default=[], metavar="CODE",
                            help="Plan only this location code and its subtree (repeatable).")
        parser.add_argument("--run", type=int, help="Forecast run id (default: the latest succeeded run).")
        parser.add_argument("--date", type=date.fromisoformat, help="Planning date (default: today, or the run's "
                                                                     "first forecast day for a historical run).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        location_ids = None
        if options["location"]:
            location_ids = set()
            for code in options["location"]:
                roots = list(Location.objects.filter(code=code))
                if not roots:
                    raise CommandError(f"No location with code {code!r}.")
                for root in roots:
                    location_ids |= set(
                        Location.objects.descendants_of(root, include_self=True).values_list("pk", flat=True)
                    )
        bar = TqdmProgress(disable=True if options["no_progress"] else None)
        try:
            summary = propose_orders(run=options["run"], location_ids=location_ids, progress=bar,
                                     planning_date=options["date"], trigger="command")
        except ProposalError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(f"{str(summary)[0].upper()}{str(summary)[1:]}.")
        for warning in summary.warnings[:20]:
            self.stderr.write(f"warning: {warning}")
