"""``manage.py qcluster`` that stops within its grace period (replaces django-q2's command of the same name).

django-q2's cluster answers SIGTERM by letting every worker finish the job it is on (hours for a training run),
so a deploy had to kill it, leaving runs "running" until the stale sweep. Here SIGTERM also reaches the worker
processes, whose handler (``core.jobs.install_worker_sigterm_handler``, installed on django-q2's ``post_spawn``)
interrupts the job in progress: its runs end ``interrupted`` (to be retried) and the worker takes the stop pill.
"""

from __future__ import annotations

import os
import signal

from django_q.cluster import Cluster
from django_q.management.commands.qcluster import Command as DjangoQClusterCommand


def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, from /proc (Linux). Elsewhere nothing is forwarded (django-q2's behaviour)."""
    tree: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return tree
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def worker_pids(cluster_pid: int) -> list[int]:
    """The processes under the sentinel (workers, pusher, monitor): the cluster's grandchildren and below."""
    tree = _children()
    found: list[int] = []
    todo = [grandchild for child in tree.get(cluster_pid, []) for grandchild in tree.get(child, [])]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


class GracefulCluster(Cluster):
    def sig_handler(self, signum, frame):
        if signum == signal.SIGTERM:
            for pid in worker_pids(os.getpid()):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        super().sig_handler(signum, frame)


class Command(DjangoQClusterCommand):
    help = "Starts the django-q2 cluster; SIGTERM interrupts the jobs in progress (runs end 'interrupted')."

    def handle(self, *args, **options):
        from django.conf import settings

        settings.SECRET_KEY  # noqa: B018 - as django-q2: signing needs it, fail before starting
        if options.get("cluster_name"):
            os.environ["Q_CLUSTER_NAME"] = options["cluster_name"]
        cluster = GracefulCluster()
        cluster.start()
        if options.get("run_once", False):
            cluster.stop()
