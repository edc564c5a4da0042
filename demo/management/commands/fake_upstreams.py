"""``manage.py fake_upstreams``: a local playground serving fakes of all five external systems on loopback."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.dataset import DEFAULT_SEED, SIZES, build_demo_dataset
from demo.fakes import BASE_PATHS, PORT_OFFSETS, build_fakes, default_credentials, start_all


class Command(BaseCommand):
    help = (
        "Serve loopback fakes of 1C, iiko, Sentos, Wildberries and MoySklad (data from the demo data set) "
        "until Ctrl-C, and print the base URL and test credentials of each."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port-base",
            type=int,
            default=8701,
            help="First port; the systems use base+0 (1C) … base+4 (MoySklad). Default 8701.",
        )
        parser.add_argument("--size", choices=sorted(SIZES), default="default", help="Demo data set size.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Demo data set seed.")
        parser.add_argument(
            "--end-date",
            default=None,
            help="The data set's 'today' (YYYY-MM-DD, or 'today' as bin/demo uses); default: its fixed date.",
        )
        parser.add_argument(
            "--rate-limits",
            action="store_true",
            default=False,
            help="Enforce the systems' documented rate limits (429 with their retry headers).",
        )
        parser.add_argument(
            "--no-rate-limits",
            action="store_false",
            dest="rate_limits",
            help="Serve without rate limits (the default: syncs run fast).",
        )
        parser.add_argument(
            "--fail-rate",
            type=float,
            default=0.0,
            help="Share of requests (0..1) answered 503 at random, to exercise client retries.",
        )
        parser.add_argument(
            "--serve-seconds",
            type=float,
            default=0.0,
            help="Stop after this many seconds (0 = run until Ctrl-C).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fail_rate = float(options.get("fail_rate") or 0.0)
        if not 0.0 <= fail_rate <= 1.0:
            raise CommandError(f"--fail-rate must be between 0 and 1, got {fail_rate}")
        port_base = int(options.get("port_base", 8701))
        if port_base and not 1024 <= port_base <= 65535 - max(PORT_OFFSETS.values()):
            raise CommandError(f"--port-base {port_base} is out of range (1024..65530, or 0 for free ports)")
        self.stdout.write(f"Generating the demo data set (size={options.get('size', 'default')}) …")
        end_date = options.get("end_date")
        extra = {}
        if end_date:
            try:
                extra["end_date"] = (dt.date.today() if end_date == "today" else dt.date.fromisoformat(end_date))
            except ValueError:
                raise CommandError(f"--end-date must be YYYY-MM-DD or 'today', got {end_date!r}") from None
        dataset = build_demo_dataset(
            seed=int(options.get("seed", DEFAULT_SEED)), size=options.get("size", "default"), **extra
        )
        apps = build_fakes(dataset, rate_limits=bool(options.get("rate_limits")))
        for app in apps.values():
            app.fail_rate = fail_rate
        try:
            upstreams = start_all(dataset, port_base=port_base, apps=apps)
        except OSError as exc:
            raise CommandError(
                f"Could not bind the fake servers from port {port_base}: {exc}. Choose another --port-base."
            ) from exc
        credentials = default_credentials()
        self.stdout.write(self.style.SUCCESS("Fake upstreams are running (test credentials, not secrets):"))
        for system in PORT_OFFSETS:
            shown = ", ".join(f"{k}={v}" for k, v in credentials[system].items())
            self.stdout.write(f"  {system:<12} {upstreams.base_url(system):<45} {shown}")
        self.stdout.write(
            f"  rate limits: {'on' if options.get('rate_limits') else 'off'}; "
            f"random failures: {fail_rate:.0%}; base paths: "
            + ", ".join(f"{k}{v or '/'}" for k, v in BASE_PATHS.items())
        )
        self.stdout.flush()
        seconds = float(options.get("serve_seconds") or 0.0)
        try:
            started = time.monotonic()
            while not seconds or time.monotonic() - started < seconds:
                time.sleep(min(0.2, seconds) if seconds else 0.5)
        except KeyboardInterrupt:
            self.stdout.write("Stopping …")
        finally:
            upstreams.stop()
        self.stdout.write("Fake upstreams stopped.")
