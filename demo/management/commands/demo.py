"""Set up a complete demo on the configured database (SQLite by default): `bin/demo` calls this."""

import contextlib
import secrets
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.progress import TqdmProgress
from core.roles import ensure_roles
from demo.loader import demo_dataset, load_demo, load_planning_inputs
from salesforecast.pipeline import STEPS, StepResult, parse_steps, run_main_job

# The same loopback ports `manage.py fake_upstreams` uses, so the demo accounts keep working when bin/demo
# serves the fakes next to the worker afterwards.
FAKES_PORT_BASE = 8701


class Command(BaseCommand):
    help = (
        "Migrate, load the deterministic demo data set, run the main job (sync → forecast → proposals → "
        "snapshot) and create an admin user. Re-runnable: data is upserted, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["default", "small"], default="default",
                            help="small: a quick look; default: ~16 locations × 30 products × 2 years")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--source", choices=["sync", "direct"], default="sync",
                            help="sync: pull the data set from loopback fakes of the five systems through the real "
                                 "connectors (default); direct: load it straight in (offline, quickest)")
        parser.add_argument("--steps", default=",".join(STEPS),
                            help=f"comma-separated steps of the main job to run (default: {','.join(STEPS)})")
        parser.add_argument("--admin-username", default="admin")
        parser.add_argument("--fakes-port-base", type=int, default=FAKES_PORT_BASE,
                            help=f"first loopback port of the fakes (default {FAKES_PORT_BASE}; five ports from it)")

    def handle(self, *args, size: str, seed: int, source: str, steps: str, admin_username: str, **options):
        started = time.perf_counter()
        self.fakes_port_base = options.get("fakes_port_base") or FAKES_PORT_BASE
        try:
            chosen = parse_steps(steps)
        except ValueError as exc:
            raise CommandError(f"--steps: {exc}") from exc

        self._stage("1/4 migrating the database")
        call_command("migrate", interactive=False, verbosity=0)

        results: list[StepResult] = []
        if source == "direct":
            self._stage(f"2/4 loading the demo data set directly (size {size}, seed {seed})")
            self._lines(load_demo(size=size, seed=seed, progress=TqdmProgress(), end_date=timezone.localdate()))
            chosen = tuple(s for s in chosen if s != "sync")
            self._stage(f"3/4 running the main job: {' → '.join(chosen) or 'nothing'}")
            results += self._run_with_examples(chosen)
        else:
            results += self._sync_demo(size, seed, chosen)

        self._stage("4/4 admin user")
        self._ensure_admin(admin_username)

        failed = [r.name for r in results if not r.ok]
        self.stdout.write(f"demo ready in {time.perf_counter() - started:.0f}s")
        if failed:
            raise CommandError(f"main job steps failed: {', '.join(failed)} (see the log above)")

    def _sync_demo(self, size: str, seed: int, chosen: tuple[str, ...]) -> list[StepResult]:
        from demo.accounts import ensure_demo_accounts
        from demo.fakes import start_all

        # The data set ends yesterday, so forecasts start today and the data is fresh, as in production.
        today = timezone.localdate()
        dataset = demo_dataset(size=size, seed=seed, end_date=today)
        history_days = (today - dataset.start_date).days + 1
        self._stage(f"2/4 serving the demo data set (size {size}, seed {seed}) from loopback fakes of "
                    "1C, iiko, Sentos, Wildberries and MoySklad")
        # The fakes listen on loopback, which accounts may only reach with INTEGRATIONS_ALLOW_PRIVATE_HOSTS: the
        # demo turns it on for itself (bin/demo exports it for the worker and the web server too).
        with self._upstreams(start_all, dataset) as upstreams, override_settings(INTEGRATIONS_ALLOW_PRIVATE_HOSTS=True):
            accounts = ensure_demo_accounts({name: upstreams.base_url(name) for name in upstreams.servers},
                                            history_days=history_days)
            self._lines([f"account '{a.name}' → {a.base_url}" for a in accounts])
            self._stage(f"3/4 running the main job: {' → '.join(chosen) or 'nothing'}")
            results: list[StepResult] = []
            if "sync" in chosen:
                results += self._run(("sync",), sync_mode="full")
            # Drivers and BOMs have no upstream: imported as a planner would, once locations and products exist.
            self._lines(load_planning_inputs(dataset, progress=TqdmProgress(), synced=True))
            results += self._run_with_examples(tuple(s for s in chosen if s != "sync"))
        return results

    def _run_with_examples(self, steps: tuple[str, ...]) -> list[StepResult]:
        """The steps, with the workbench's examples (alert rules, orders, tasks) made from the fresh proposals
        before the monitoring snapshot, so the snapshot and its alerts see them."""
        from demo.workbench_examples import load_workbench_examples

        before = tuple(s for s in steps if s != "snapshot")
        results = self._run(before)
        if "proposals" in steps:
            self._lines(load_workbench_examples())
        if "snapshot" in steps:
            results += self._run(("snapshot",))
        return results

    @contextlib.contextmanager
    def _upstreams(self, start_all, dataset):
        try:
            upstreams = start_all(dataset, port_base=getattr(self, "fakes_port_base", FAKES_PORT_BASE))
        except OSError:
            # The fixed ports are busy (a `fake_upstreams` from an earlier bin/demo still runs): use free ports.
            upstreams = start_all(dataset)
        try:
            yield upstreams
        finally:
            upstreams.stop()

    def _run(self, steps: tuple[str, ...], sync_mode: str = "incremental") -> list[StepResult]:
        if not steps:
            return []
        return run_main_job(steps=steps, progress=TqdmProgress(), sync_mode=sync_mode,
                            on_step=lambda r: self.stdout.write(f"    {r.line}"))

    def _lines(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write(f"    {line}")

    def _stage(self, message: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {message}"))
        self.stdout.flush()

    def _ensure_admin(self, username: str) -> None:
        User = get_user_model()
        with transaction.atomic():
            if User.objects.filter(username=username).exists():
                self.stdout.write(
                    f"    user '{username}' exists (its password was printed when it was created; "
                    f"reset it with: manage.py changepassword {username})"
                )
                return
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(username=username, email=f"{username}@localhost", password=password)
            user.groups.add(ensure_roles()["admin"])
        # Printed once, to the terminal only; it is not stored anywhere else.
        self.stdout.write(self.style.SUCCESS(f"    created superuser '{username}' with password: {password}"))
        self.stdout.write("    (shown only now; change it with manage.py changepassword)")
        sys.stdout.flush()
