"""CPU per request of the load bench's endpoints in one process, through the WSGI handler gunicorn calls.

    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/bench14 .venv/bin/python bench/request_cost.py \
        --redis-url redis://127.0.0.1:6379/9 [--profile N] [--repeat 200]

Uses bench/load.py's database (run that first: it loads the rows), its settings and its first user's token.
Prints, per endpoint of load.py's READS, the median CPU time (process time: independent of the host's load),
the queries and the response size; then the mix's mean. `--profile N` adds a cProfile of the mix (N lines,
sorted by own time or --sort). No server, no client: what gunicorn adds is small (see bench/README.md).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time

from bench_setup import setup_django
from load import READS, SETTINGS, USER_PREFIX


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""))
    parser.add_argument("--repeat", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--profile", type=int, default=0, help="print this many lines of a cProfile of the mix")
    parser.add_argument("--dump", default="", help="also write the profile's stats to this file (pstats)")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative, …)")
    parser.add_argument("--only", default="", help="comma-separated endpoint names (default: all)")
    args = parser.parse_args()
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    setup_django("postgres", name="sf_load_bench", keep=True, migrate="no", settings=SETTINGS)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from rest_framework_simplejwt.tokens import AccessToken

    from salesforecast.wsgi import application

    user = get_user_model().objects.get(username=f"{USER_PREFIX}000")
    token = str(AccessToken.for_user(user))
    reads = [(n, p) for n, p in READS if not args.only or n in args.only.split(",")]

    def call(path: str) -> tuple[int, int]:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8765", "HTTP_HOST": "127.0.0.1:8765", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT": "*/*", "HTTP_USER_AGENT": "load-bench",
            "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        status: list[str] = []
        body = b"".join(application(environ, lambda s, h, e=None: status.append(s)))
        return int(status[0].split()[0]), len(body)

    for _, path in reads:  # warm: caches filled, code paths imported
        for _ in range(3):
            call(path)
    print(f"{'endpoint':<22}{'status':>7}{'CPU ms':>9}{'queries':>9}{'bytes':>8}")
    for name, path in reads:
        queries: list[str] = []

        def counted(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            code, size = call(path)
        times = []
        for _ in range(args.repeat):
            began = time.process_time()
            call(path)
            times.append(time.process_time() - began)
        print(f"{name:<22}{code:>7}{statistics.median(times) * 1000:>9.2f}{len(queries):>9}{size:>8}")
    mix = [path for _, path in reads] * args.repeat
    random.Random(0).shuffle(mix)
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    began = time.process_time()
    if profiler:
        profiler.enable()
    for path in mix:
        call(path)
    if profiler:
        profiler.disable()
    print(f"mix, random order: {(time.process_time() - began) / len(mix) * 1000:.2f} ms CPU per request"
          f"{' (under cProfile)' if profiler else ''}")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.profile)
        if args.dump:
            profiler.dump_stats(args.dump)


if __name__ == "__main__":
    main()
