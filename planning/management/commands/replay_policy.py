"""manage.py replay_policy [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--location CODE] [--category CODE]
[--service-levels 0.8,0.9,0.95,0.98] [--retrain-every DAYS]"""

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from core.progress import TqdmProgress
from planning.services.replay.runs import run_replay, validate_request


class Command(BaseCommand):
    help = (
        "Replay the replenishment policy on a past window: what the proposals would have done (fill rate, "
        "stock-outs, stock held, orders) against the same policy on a seasonal-naive forecast, a min–max rule "
        "and, where stock history exists, what actually happened. Stores the result as a replay run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="First day of the window (default: 26 weeks back).")
        parser.add_argument("--to", dest="date_to", help="Last day of the window (default: yesterday).")
        parser.add_argument("--scope", "--location", dest="location", action="append", default=[],
                            metavar="CODE", help="A location code or id: its subtree only (repeatable).")
        parser.add_argument("--category", action="append", default=[], metavar="CODE",
                            help="A product category code or id: it and its sub-categories (repeatable).")
        parser.add_argument("--service-levels", default="", help="Comma-separated, e.g. 0.8,0.9,0.95,0.98.")
        parser.add_argument("--retrain-every", type=int, default=None, metavar="DAYS",
                            help="Re-train the model every this many days of the window (default 28).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            request = validate_request(
                date_from=options["date_from"], date_to=options["date_to"], location=options["location"] or None,
                category=options["category"] or None, service_levels=options["service_levels"] or None,
                retrain_every_days=options["retrain_every"],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        bar = TqdmProgress(disable=True if options["no_progress"] else None)
        try:
            run = run_replay(request, progress=bar)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(f"Replay #{run.pk}: {run.date_from} … {run.date_to}, {run.series_count} series.")
        if run.contenders:
            self.stdout.write(format_table(run.contenders))
        for note in run.notes:
            self.stdout.write(f"note: {note}")


def format_table(contenders: list[dict]) -> str:
    """The contenders side by side: fill rate, stock-out days, units short, stock held (units, value), orders."""
    head = (f"{'contender':<58} {'fill rate':>9} {'short days':>10} {'units short':>12} {'avg stock':>11} "
            f"{'avg value':>12} {'peak value':>12} {'orders':>7}")
    lines = [head, "-" * len(head)]
    for c in contenders:
        fill = "n/a" if c["fill_rate"] is None else f"{c['fill_rate'] * 100:.1f} %"
        short = "n/a" if c["units_short"] is None else f"{c['units_short']:,.0f}"
        lines.append(f"{c['label'][:58]:<58} {fill:>9} {c['stockout_days']:>10,} {short:>12} "
                     f"{c['avg_stock_units']:>11,.0f} {c['avg_stock_value']:>12,.0f} {c['peak_stock_value']:>12,.0f} "
                     f"{c['orders']:>7,}")
    return "\n".join(lines)
