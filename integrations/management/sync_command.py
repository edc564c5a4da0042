"""Shared body of the sync_* commands: resolve accounts, run each stream inline with a progress bar,
print a summary per run, exit non-zero if any run failed. One failing account never stops the others."""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from integrations.choices import SyncMode, SyncStatus, SyncStream, SyncTrigger
from integrations.models import IntegrationAccount, SyncRun
from integrations.services.credentials import update_credentials
from integrations.services.runs import SyncNotAllowed
from integrations.services.sync import sync_account


class SyncCommand(BaseCommand):
    kind: str = ""
    stream: str = SyncStream.ORG
    # Ad-hoc credential options: (option dest, secret name).
    secret_options: tuple[tuple[str, str], ...] = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", action="append", default=[], metavar="NAME",
                            help="Name of a stored account (repeat for several).")
        parser.add_argument("--all", action="store_true", help="Every enabled account of this kind.")
        parser.add_argument("--base-url", help="Ad hoc: server URL. Creates or updates the account with this URL "
                                               "(credentials stored encrypted), then syncs it.")
        parser.add_argument("--name", help="Ad hoc: name of the account to create (default: kind and host).")
        parser.add_argument("--mode", choices=SyncMode.values, default=SyncMode.FULL)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (also off without a TTY).")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = self.resolve_accounts(options)
        failures: list[str] = []
        for account in accounts:
            try:
                run = self.sync_one(account, options)
            except SyncNotAllowed as exc:  # e.g. --account naming a disabled account
                self.stderr.write(str(exc))
                failures.append(str(exc))
                continue
            if run is not None and run.status == SyncStatus.FAILED:
                failures.append(run.error if run.error.startswith(account.name) else f"{account.name}: {run.error}")
        if failures:
            raise CommandError(f"{len(failures)} of {len(accounts)} sync(s) failed:\n  " + "\n  ".join(failures))

    # -- accounts -----------------------------------------------------------------------------------------------
    def resolve_accounts(self, options: dict[str, Any]) -> list[IntegrationAccount]:
        names, use_all, base_url = options["account"], options["all"], options["base_url"]
        if sum(bool(x) for x in (names, use_all, base_url)) != 1:
            raise CommandError("Give exactly one of --account NAME (repeatable), --all, or --base-url with its "
                               "credentials.")
        if base_url:
            return [self.ad_hoc_account(base_url, options)]
        queryset = IntegrationAccount.objects.filter(kind=self.kind)
        if use_all:
            accounts = list(queryset.filter(enabled=True).order_by("name"))
            if not accounts:
                raise CommandError(f"No enabled {self.kind} account; add one in the admin or use --base-url.")
            return accounts
        found = {a.name: a for a in queryset.filter(name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            known = ", ".join(queryset.values_list("name", flat=True)) or "none"
            raise CommandError(f"No {self.kind} account named {', '.join(map(repr, missing))}; known: {known}.")
        return [found[n] for n in names]

    def ad_hoc_account(self, base_url: str, options: dict[str, Any]) -> IntegrationAccount:
        secrets = {secret: options.get(dest) for dest, secret in self.secret_options}
        missing = [f"--{dest.replace('_', '-')}" for dest, secret in self.secret_options if not secrets[secret]]
        if missing:
            raise CommandError(f"--base-url needs {', '.join(missing)} as well.")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandError(f"--base-url {base_url!r} is not an http(s) URL.")
        account = IntegrationAccount.objects.filter(kind=self.kind, base_url=base_url).order_by("pk").first()
        created = account is None
        if created:
            account = IntegrationAccount(kind=self.kind, base_url=base_url,
                                         name=options.get("name") or f"{self.kind} {parts.netloc}"[:100])
            if IntegrationAccount.objects.filter(name=account.name).exists():
                raise CommandError(f"An account named {account.name!r} exists with another URL; pass --name.")
        update_credentials(account, secrets, save=False)
        account.save()
        self.stdout.write(f"{'Created' if created else 'Using'} account {account.name!r} ({base_url}); the given "
                          f"credentials {'were' if created else 'replace the stored ones and are'} stored encrypted.")
        return account

    # -- one run --------------------------------------------------------------------------------------------
    def sync_one(self, account: IntegrationAccount, options: dict[str, Any]) -> SyncRun | None:
        show = not options["no_progress"] and sys.stderr.isatty()
        bar = tqdm(desc=f"{account.name} {self.stream}", unit="rows", disable=not show, file=sys.stderr, leave=False)

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
            [started] = sync_account(account, self.stream, mode=options["mode"], trigger=SyncTrigger.COMMAND,
                                     listener=listener, wait=False)
        finally:
            bar.close()
        run = started.run
        if not started.executed:
            self.stdout.write(self.style.WARNING(
                f"{account.name}: a {self.stream} sync is already {run.status} (run #{run.pk}); not starting another."))
            return None
        self.print_summary(run)
        return run

    def print_summary(self, run: SyncRun) -> None:
        details = run.details or {}
        duration = f"{run.duration_seconds:.2f} s" if run.duration_seconds is not None else "-"
        counters = (f"read {run.rows_read}, created {run.rows_created}, updated {run.rows_updated}, "
                    f"unchanged {run.rows_unchanged}, skipped {run.rows_skipped}")
        extra = ", ".join(f"{k} {details[k]}" for k in ("deactivated", "orphans", "cycles", "duplicates", "linked")
                          if k in details)
        line = f"run #{run.pk} {run.account.name} {run.stream}: {run.status} in {duration} — {counters}"
        line += f", {extra}" if extra else ""
        style = {SyncStatus.SUCCEEDED: self.style.SUCCESS, SyncStatus.FAILED: self.style.ERROR}.get(
            run.status, self.style.WARNING)
        self.stdout.write(style(line))
        for warning in details.get("warnings", []):
            self.stdout.write(f"  warning: {warning}")
        if run.error:
            self.stderr.write(f"  error: {run.error}")
