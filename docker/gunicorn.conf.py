"""gunicorn settings of the web process. docker/entrypoint.sh and bench/load.py both use this file, so the load
bench measures what is deployed. Every value can be overridden from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Threads: requests mostly wait on PostgreSQL, and a thread is far cheaper than a process.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Longer than any client's or proxy's idle reuse of a connection (nginx keeps upstream connections 60 s):
# otherwise the server closes a kept-alive connection just as the client sends its next request on it, and the
# client sees "connection reset by peer" (seen in bench/load.py with gunicorn's default of 2 s).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))

# Prometheus multiprocess mode: each worker writes its counters and histograms to files in a directory and
# /metrics adds them up, so a scrape sees every worker, not just the one that answered. The master sets it (the
# workers inherit it and import prometheus_client after the fork: the app is not preloaded) and empties it.


def on_starting(server) -> None:
    """Sets and empties the metrics directory: files of a previous master would be added to this one's counts."""
    import shutil

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or "/tmp/salesforecast-prometheus"
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker) -> None:
    """A dead worker's live gauges must leave the sum; its counters and histograms stay (they are history)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
