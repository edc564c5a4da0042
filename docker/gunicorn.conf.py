"""gunicorn settings of the web process. docker/entrypoint.sh and bench/load.py both use this file, so the load
bench measures what is deployed. Every value can be overridden from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One worker per core (at least 2, so a restarting worker never leaves none). A request here is CPU-bound Python
# (about 5 ms of it to 0.5 ms of PostgreSQL), and a worker's threads share one GIL, so a worker can use one core at
# most; more workers than cores only makes the kernel time-slice them, and a worker paused for a slice stalls every
# request its threads hold. bench/load.py, closed loop on 2 cores, 60 s runs interleaved: 3 workers p95 352 / 361 ms,
# 284 / 249 requests/s; 2 workers p95 246 / 214 ms, 315 / 350 requests/s (bench/README.md, issue 14 third session).
# The cores are those this process may run on (a cpuset or taskset counts; a CFS quota does not: set
# GUNICORN_WORKERS there). Every top-level name in this file is read as a gunicorn setting, hence no helper.
workers = int(os.environ.get("GUNICORN_WORKERS") or max(
    2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)))
# Threads: while one request waits on PostgreSQL or Redis, another thread of the worker runs.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Longer than any client's or proxy's idle reuse of a connection (nginx keeps upstream connections 60 s):
# otherwise the server closes a kept-alive connection just as the client sends its next request on it, and the
# client sees "connection reset by peer" (seen in bench/load.py with gunicorn's default of 2 s).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))

# Load the app once in the master and fork the workers from it: every worker is ready at the same moment (each
# loading it on its own took seconds of CPU, so the first worker up took nearly every kept-alive connection of a
# burst of clients — 45 of 50 in bench/load.py — and served them alone while the others idled), and the workers
# share the imported code's memory. Nothing opens a database or Redis connection at import time. New code needs a
# restart of the container (a HUP re-forks workers from the already imported app).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")


def pre_fork(server, worker) -> None:
    """Moves every object the master holds (with preload_app, the whole imported app: ~290,000 objects) into the
    garbage collector's permanent generation before a worker is forked (`gc.freeze`, as the Python docs advise for
    a fork without exec). A worker's full collections then scan only what it allocated itself: measured on the
    load bench's request mix, 0.41 -> 0.27 ms of collection per request, and a full collection ~5 ms instead of
    ~250 ms, a pause every thread of the worker waited through. It also keeps the shared pages unwritten."""
    import gc

    if not gc.get_freeze_count():
        gc.collect()  # once: garbage left by the imports is not kept forever
    gc.freeze()

# Prometheus multiprocess mode: each worker writes its counters and histograms to files in a directory and
# /metrics adds them up, so a scrape sees every worker, not just the one that answered. prometheus_client reads the
# variable when it is imported, which under preload is in the master before on_starting: gunicorn sets `raw_env`
# just before it loads the app, and the directory must exist by then (metrics without labels open their file when
# defined). The master's own files are never written to (prometheus_client opens new ones in each worker after the
# fork, as it sees its process id change), and on_starting empties the directory.
METRICS_DIRECTORY = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or "/tmp/salesforecast-prometheus"
raw_env = [f"PROMETHEUS_MULTIPROC_DIR={METRICS_DIRECTORY}"]
os.makedirs(METRICS_DIRECTORY, exist_ok=True)


def on_starting(server) -> None:
    """Sets and empties the metrics directory: files of a previous master would be added to this one's counts."""
    import shutil

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or METRICS_DIRECTORY
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker) -> None:
    """A dead worker's live gauges must leave the sum; its counters and histograms stay (they are history)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
