"""`manage.py build_snapshot` — for cron: store this slot's monitoring snapshot and print a summary."""

import json

from django.core.management.base import BaseCommand

from monitoring.choices import SnapshotTrigger
from monitoring.services.snapshots import build_and_persist_snapshot, build_snapshot

SUMMARY_METRICS = (
    ("integrations.streams_failing.count", "failing account streams"),
    ("data.sales.stale_locations.count", "locations with stale sales"),
    ("forecasting.accuracy_7d.wape", "7-day WAPE"),
    ("planning.stockout_risk.count", "items at stock-out risk"),
    ("planning.overstock.count", "overstocked items"),
    ("planning.proposals_awaiting_approval.count", "proposals awaiting approval"),
    ("planning.overdue_purchase_orders.count", "overdue purchase orders"),
    ("planning.overdue_production_tasks.count", "overdue production tasks"),
)


class Command(BaseCommand):
    help = (
        "Build the monitoring snapshot of the current 15-minute slot and store it (skipped when the slot already "
        "has one or another builder is at it; exit code 0 either way). --dry-run builds and prints without storing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Build and print, store nothing.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the whole payload as JSON.")

    def handle(self, *args, dry_run: bool = False, as_json: bool = False, **options):
        if dry_run:
            built = build_snapshot()
            status, slot, metrics, payload = "built (dry run, not stored)", built.slot, built.metrics, built.payload
            seconds, queries, snapshot_id = built.build_seconds, built.query_count, None
            alerts = ""
        else:
            outcome = build_and_persist_snapshot(trigger=SnapshotTrigger.COMMAND)
            slot = outcome.slot
            if outcome.snapshot is None:
                self.stdout.write(f"Slot {slot:%Y-%m-%d %H:%M} UTC: skipped, another builder holds the lock.")
                return
            snapshot = outcome.snapshot
            status = "stored" if outcome.created else f"skipped, the slot already has snapshot {snapshot.pk}"
            metrics, payload = snapshot.metrics, snapshot.payload
            seconds, queries, snapshot_id = snapshot.build_seconds, snapshot.query_count, snapshot.pk
            alerts = (
                f"Alerts: {len(outcome.alerts_opened)} opened, {len(outcome.alerts_resolved)} resolved; "
                f"{outcome.pruned} old snapshot(s) pruned.\n"
                if outcome.created
                else ""
            )
        if as_json:
            self.stdout.write(json.dumps(payload, indent=2, sort_keys=True))
            return
        lines = [f"Slot {slot:%Y-%m-%d %H:%M} UTC: {status}" + (f" (id {snapshot_id})" if snapshot_id else "")]
        lines.append(f"Built in {seconds:.3f} s with {queries} queries.")
        for path, label in SUMMARY_METRICS:
            value = metrics.get(path)
            lines.append(f"  {label:<30} {'-' if value is None else f'{value:g}'}")
        self.stdout.write("\n".join(lines) + "\n" + alerts, ending="")

