"""Bench: org-structure sync through the real 1C connector against a loopback exchange service.

Run by hand, one bench at a time (it uses its own databases, created and dropped here):

    .venv/bin/python bench/org_sync.py                          # 611 and 50,000 nodes, SQLite then PostgreSQL
    .venv/bin/python bench/org_sync.py --db postgres --sizes 611
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/sf_org_bench  (default)

For each database and feed size, in one process, on the same feed (shuffled, one chain 60 deep, the rest
hung below random earlier nodes; page size 1000):
1. first sync through the one door `sync_account` (HTTP paging + `apply_org_feed`), into an empty tree;
2. the same sync again (nothing changed: no writes);
3. `apply_org_feed` alone on the parsed nodes, for another account (no HTTP);
4. baseline: a plain `Location.objects.bulk_create` of the same rows (no parents, no paths) for a third account.
It prints seconds, rows/s, query count and the ratio to the baseline, and checks the aims
(611 nodes < 0.3 s, 50,000 nodes < 15 s for the first sync).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench_setup import setup_django  # noqa: E402  (bench/ is on the path)

API_KEY = "bench-api-key-not-a-secret"
AIMS = {611: 0.3, 50_000: 15.0}
CHAIN_DEPTH = 60


def build_feed(count: int, seed: int = 611) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for i in range(1, count + 1):
        if i == 1:
            parent = "0"
        elif i <= CHAIN_DEPTH:
            parent = f"{i - 1:09d}"
        else:
            parent = f"{rng.randint(1, i - 1):09d}"
        items.append({"id": f"{i:09d}", "parent_id": parent, "code": f"{i:06d}", "name": f"Branch {i}",
                      "is_group": i <= CHAIN_DEPTH, "inn": ""})
    rng.shuffle(items)
    return items


class OneCHandler(BaseHTTPRequestHandler):
    items: list[dict] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        if self.headers.get("X-API-Key") != API_KEY or not parts.path.endswith("/branches"):
            self.send_response(401)
            self.end_headers()
            return
        query = parse_qs(parts.query)
        page, size = int(query.get("page", ["1"])[0]), int(query.get("page_size", ["500"])[0])
        body = json.dumps({"items": self.items[(page - 1) * size: page * size], "page": page,
                           "pages": max(1, -(-len(self.items) // size)), "total": len(self.items)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(items: list[dict]) -> tuple[ThreadingHTTPServer, str]:
    handler = type("Handler", (OneCHandler,), {"items": items})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/ut/hs/exchange"


def timed(func):
    """(result, wall seconds, queries); this process's CPU seconds go to _cpu.

    Queries are counted with an execute wrapper: CaptureQueriesContext would format every statement with
    its parameters (a 10 MB JSON document here) and distort the timing."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = func()
        elapsed = time.perf_counter() - start
    _cpu.append(time.process_time() - cpu_start)
    return result, elapsed, count


_cpu: list[float] = []  # this process's CPU seconds per timed step (load-independent; excludes the PG server)


def run_size(db: str, count: int) -> None:
    from branches.models import Location
    from branches.services.org_sync import apply_org_feed
    from integrations.connectors.onec.org import node_from_item
    from integrations.models import IntegrationAccount
    from integrations.services.credentials import set_credentials
    from integrations.services.sync import sync_account

    items = build_feed(count)
    server, base_url = serve(items)
    try:
        account = IntegrationAccount.objects.create(name=f"bench 1C {count}", kind="onec", base_url=base_url,
                                                    options={"page_size": 1000})
        set_credentials(account, {"api_key": API_KEY})
        [first], first_s, first_q = timed(lambda: sync_account(account, "org", mode="full", trigger="command"))
        run = first.run
        assert run.status == "succeeded", run.error
        depth = Location.objects.filter(source=account).order_by("-depth").values_list("depth", flat=True)[0]
        [again], again_s, again_q = timed(lambda: sync_account(account, "org", mode="full", trigger="command"))
        rerun = again.run
        assert rerun.rows_unchanged == count, rerun.rows_unchanged
    finally:
        server.shutdown()

    nodes = [node_from_item(item) for item in items]
    other = IntegrationAccount.objects.create(name=f"bench apply {count}", kind="onec", base_url=base_url)
    _, apply_s, apply_q = timed(lambda: apply_org_feed(other, nodes))

    plain = IntegrationAccount.objects.create(name=f"bench plain {count}", kind="onec", base_url=base_url)
    rows = [Location(source=plain, external_id=n.external_id, name=n.name, code=n.code, type=n.type) for n in nodes]
    _, base_s, base_q = timed(lambda: Location.objects.bulk_create(rows, batch_size=5000))

    aim = AIMS.get(count)
    verdict = "" if aim is None else f"  aim < {aim:g} s: {'OK' if first_s < aim else 'MISSED'}"
    first_cpu, again_cpu, apply_cpu, base_cpu = _cpu[-4:]
    print(f"[{db}] {count:,} nodes, max depth {depth}, {run.details.get('orphans', 0)} orphans")
    for label, seconds, cpu, queries in (("first sync (HTTP + apply)", first_s, first_cpu, first_q),
                                         ("re-sync, nothing changed", again_s, again_cpu, again_q),
                                         ("apply_org_feed only", apply_s, apply_cpu, apply_q),
                                         ("baseline bulk_create", base_s, base_cpu, base_q)):
        print(f"  {label:<26}: {seconds:8.3f} s wall {cpu:7.3f} s cpu {count / seconds:>9,.0f} rows/s "
              f"{queries:5d} queries  ratio to bulk_create {seconds / base_s:5.2f}x"
              + (verdict if label.startswith("first") else ""))
    print("  (baseline: plain bulk_create of the same rows, no parents, no paths, batches of 5,000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="611,50000", help="Comma-separated feed sizes.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        # the fake 1C server listens on loopback, which the SSRF guard refuses unless told otherwise
        setup_django(args.db, name="sf_org_bench", settings={"INTEGRATIONS_ALLOW_PRIVATE_HOSTS": "true"})
        for size in (int(s) for s in args.sizes.split(",")):
            run_size(args.db, size)
        return
    # One process per database: Django settings are read once per process.
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        subprocess.run([sys.executable, __file__, "--child", "--db", db, "--sizes", args.sizes], check=True)


if __name__ == "__main__":
    main()
