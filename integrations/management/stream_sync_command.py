"""Body of the stream-aware sync commands (sync_iiko, sync_sentos, sync_wildberries, sync_moysklad, sync).

Adds to SyncCommand's account selection (--account NAME … | --all | --base-url …):
  --stream S (repeatable; "all" = every stream of the kind, in order: org, products, orders, sales, stock),
  --full (full refresh; default: incremental from each stream's cursor), --from/--to YYYY-MM-DD (read exactly
  these business days), and a progress bar per run. Each account's streams run one after another; a failing
  stream or account never stops the others, and the exit code is 1 when any run failed.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from integrations.choices import SyncMode, SyncStatus, SyncTrigger
from integrations.management.sync_command import SyncCommand
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import ordered_streams
from integrations.services.runs import SyncNotAllowed
from integrations.services.sync import sync_account


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; use YYYY-MM-DD.") from None


class StreamSyncCommand(SyncCommand):
    # Streams synced when no --stream is given: None = every stream of the kind.
    default_streams: tuple[str, ...] | None = None
    default_mode: str = SyncMode.INCREMENTAL

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(mode=None)
        parser.add_argument("--stream", action="append", default=[], metavar="STREAM",
                            help="Stream to sync (repeatable), or 'all'. Default: "
                                 + (", ".join(self.default_streams) if self.default_streams else "all streams")
                                 + ".")
        parser.add_argument("--full", action="store_true",
                            help="Full refresh (re-read the whole window) instead of incremental from the cursor.")
        parser.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD",
                            help="First business day to read (date-windowed streams).")
        parser.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD",
                            help="Last business day to read; for stock: the stock at the end of that day.")

    def handle(self, *args: Any, **options: Any) -> None:
        mode = SyncMode.FULL if options["full"] else (options.get("mode") or self.default_mode)
        params = {k: options[k].isoformat() for k in ("date_from", "date_to") if options.get(k)}
        if options.get("date_from") and options.get("date_to") and options["date_from"] > options["date_to"]:
            raise CommandError(f"--from {options['date_from']} is after --to {options['date_to']}.")
        accounts = self.resolve_accounts(options)
        plan = [(account, self.streams_for(account, options["stream"])) for account in accounts]
        failures: list[str] = []
        total = 0
        for account, streams in plan:
            for stream in streams:
                try:
                    run = self.run_stream(account, stream, mode, params, options)
                except SyncNotAllowed as exc:  # e.g. --account naming a disabled account: its streams are skipped
                    self.stderr.write(str(exc))
                    failures.append(str(exc))
                    total += 1
                    break
                if run is None:
                    continue
                total += 1
                if run.status == SyncStatus.FAILED:
                    detail = run.error.removeprefix(f"{account.name}: ")
                    failures.append(f"{account.name} {stream}: {detail}")
        if failures:
            raise CommandError(f"{len(failures)} of {total} sync(s) failed:\n  " + "\n  ".join(failures))

    def streams_for(self, account: IntegrationAccount, wanted: list[str]) -> list[str]:
        available = ordered_streams(account.kind)
        if not wanted:
            return ordered_streams(account.kind, self.default_streams) if self.default_streams else available
        if "all" in wanted:
            return available
        unknown = [s for s in wanted if s not in available]
        if unknown:
            raise CommandError(f"{account.name} ({account.kind}) cannot sync {', '.join(map(repr, unknown))}; "
                               f"streams: {', '.join(available)} (or all).")
        return ordered_streams(account.kind, wanted)

    def run_stream(self, account: IntegrationAccount, stream: str, mode: str, params: dict[str, str],
                   options: dict[str, Any]) -> SyncRun | None:
        show = not options["no_progress"] and sys.stderr.isatty()
        bar = tqdm(desc=f"{account.name} {stream}", unit="step", disable=not show, file=sys.stderr, leave=False)

        def listener(run: SyncRun, message: str) -> None:
            if run.progress_total and bar.total != run.progress_total:
                bar.total = run.progress_total
            bar.n = run.progress_done
            if message:
                bar.set_postfix_str(message[:40], refresh=False)
            bar.refresh()

        try:
            # The one door, inline: a run queued elsewhere is claimed and run here; one running elsewhere is
            # reported, not waited for.
            [started] = sync_account(account, stream, mode=mode, trigger=SyncTrigger.COMMAND, params=params or None,
                                     listener=listener, wait=False)
            run = started.run
            if not started.executed:
                self.stdout.write(self.style.WARNING(
                    f"{account.name}: a {stream} sync is already {run.status} (run #{run.pk}); not starting another."))
                return None
        finally:
            bar.close()
        self.print_summary(run)
        return run


class AllAccountsSyncCommand(StreamSyncCommand):
    """`sync`: every kind; --account NAME of any kind or --all enabled accounts (optionally --kind)."""

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--kind", action="append", default=[], help="Only accounts of this kind (repeatable).")

    def resolve_accounts(self, options: dict[str, Any]) -> list[IntegrationAccount]:
        names, use_all = options["account"], options["all"]
        if options.get("base_url"):
            raise CommandError("--base-url belongs to the per-system commands (sync_iiko, sync_sentos, …).")
        if bool(names) == bool(use_all):
            raise CommandError("Give exactly one of --account NAME (repeatable) or --all.")
        queryset = IntegrationAccount.objects.all()
        if options["kind"]:
            queryset = queryset.filter(kind__in=options["kind"])
        if use_all:
            accounts = list(queryset.filter(enabled=True).order_by("kind", "name"))
            if not accounts:
                raise CommandError("No enabled integration account" + (" of that kind" if options["kind"] else "")
                                   + "; add one in the admin.")
            return accounts
        found = {a.name: a for a in queryset.filter(name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise CommandError(f"No account named {', '.join(map(repr, missing))}; known: "
                               f"{', '.join(queryset.values_list('name', flat=True)) or 'none'}.")
        return [found[n] for n in names]
