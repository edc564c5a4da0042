"""Job pickup throughput of django-q2: the Redis broker against the ORM broker, with one and two workers.

Run by hand (never in CI), against a PostgreSQL database of its own (bench_setup's fresh ``sf_bench_queue``, or
``--database-url``) and a Redis database number of its own:

    nice .venv/bin/python bench/queue_pickup.py --redis-url redis://127.0.0.1:6379/7 --jobs 300

For each broker and worker count it enqueues JOBS no-op tasks (`math.sqrt`), starts `manage.py qcluster` and
measures from the first task's start to the last task's end as django-q2 records them (so the cluster's start-up
is not counted). Prints jobs/s per case, the host's load average before each case (the bench adds no load of its
own: "idle" means whatever else the host runs), and the Redis/ORM ratio measured in the same run. The ORM broker
polls (Q_CLUSTER poll = 1 s) and locks rows in the database; Redis pops from a list.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench_setup import ROOT, bench_environment, fresh_database_url, migrate_in_child_process

ENQUEUE = """
import django, sys
django.setup()
from django_q.tasks import async_task
from django_q.models import OrmQ, Task
from django_q.brokers import get_broker
Task.objects.all().delete(); OrmQ.objects.all().delete()
broker = get_broker()
broker.purge_queue()
for i in range(int(sys.argv[1])):
    async_task("math.sqrt", i, broker=broker, group="bench")
"""

RESULT = """
import django, sys
django.setup()
from django.db.models import Count, Max, Min
from django_q.models import Task
agg = Task.objects.filter(group="bench").aggregate(n=Count("id"), first=Min("started"), last=Max("stopped"))
print(agg["n"], (agg["last"] - agg["first"]).total_seconds() if agg["n"] else 0)
"""


def run_case(env: dict, jobs: int, workers: int) -> tuple[int, float]:
    env = {**env, "Q_WORKERS": str(workers)}
    subprocess.run([sys.executable, "-c", ENQUEUE, str(jobs)], cwd=ROOT, env=env, check=True)
    cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            time.sleep(2)
            done, seconds = subprocess.run([sys.executable, "-c", RESULT], cwd=ROOT, env=env, check=True,
                                           capture_output=True, text=True).stdout.split()
            if int(done) >= jobs:
                return int(done), float(seconds)
        return int(done), float(seconds)
    finally:
        cluster.terminate()
        cluster.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: a fresh PostgreSQL bench database")
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--jobs", type=int, default=300, help="at most 500 (Q_CLUSTER save_limit keeps 500 rows)")
    args = parser.parse_args()
    url = args.database_url or fresh_database_url("postgres", "sf_bench_queue")
    os.environ["REDIS_URL"] = ""  # migrate (and every case's own REDIS_URL) without the broker of a former case
    base = bench_environment(url, {"DEBUG": "true", "LOG_LEVEL": "WARNING", "Q_SYNC": "false"})
    migrate_in_child_process()
    results = {}
    for broker, redis_url in (("orm", ""), ("redis", args.redis_url)):
        for workers in (1, 2):
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            done, seconds = run_case({**base, "REDIS_URL": redis_url}, args.jobs, workers)
            results[broker, workers] = done / seconds if seconds else 0.0
            print(f"{broker:5s} broker, {workers} worker(s): {done} jobs in {seconds:.2f} s = "
                  f"{results[broker, workers]:.1f} jobs/s (host load average {load} before)", flush=True)
    for workers in (1, 2):
        orm, redis = results["orm", workers], results["redis", workers]
        print(f"{workers} worker(s): redis/orm = {redis / orm:.2f}x" if orm else f"{workers} worker(s): orm n/a")


if __name__ == "__main__":
    main()
