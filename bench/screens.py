"""Workbench bench: server time and query count of the planner's screens on the current database.

Run after `bin/demo` (the demo data set in db.sqlite3, or DATABASE_URL), by hand, never in CI::

    .venv/bin/python bench/screens.py            # home, review queue, board, accounts
    .venv/bin/python bench/screens.py --runs 20

Each page is requested through Django's test client as a superuser: one warm-up, then the median (p50), the
95th percentile and the worst of N runs, with the number of SQL queries. The target for the home screen is under
300 ms on the demo data set.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from bench_setup import setup_current_django

PAGES = [("home", "admin:index"), ("review queue", "workbench:queue"), ("board", "workbench:kanban"),
         ("accounts", "workbench:accounts")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    # the demo's database, as bin/demo left it; as bin/demo, the superuser logs in without a second factor
    setup_current_django(settings={"DEBUG": "true", "OTP_REQUIRED_FOR_ADMIN_ROLE": "false"})
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        sys.exit("No superuser: run bin/demo first (it creates 'admin').")
    client = Client()
    client.force_login(user)
    print(f"{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'worst ms':>9} {'queries':>8}")
    for label, name in PAGES:
        url = reverse(name)
        client.get(url)  # warm-up (templates, session preferences)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]
        print(f"{label:<14} {statistics.median(times):>8.1f} {p95:>8.1f} {max(times):>9.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
