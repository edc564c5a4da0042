"""A real `manage.py qcluster` told to stop (SIGTERM) mid-job stops within its grace period, and the run it was
on ends "interrupted" (to be retried) at once: no stale sweep needed, no kill."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.models import Schedule
from django_q.tasks import async_task

from integrations.models import IntegrationAccount, SyncRun
from integrations.services.credentials import set_credentials
from integrations.services.runs import start_sync

GRACE_SECONDS = 30  # docker stop waits 10 s, systemd 90 s; generous for a loaded test machine
START_SECONDS = 180  # Django and the cluster starting on a loaded machine


class SilentUpstream:
    """Accepts connections and never answers: a sync reading from it blocks, as on a slow source."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.server.close()
        for conn in self.held:
            conn.close()


def _database_url(tmp_path: Path) -> tuple[str, callable]:
    """A URL the worker process can reach holding this test's data, and a reader of a run's status there."""
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: hand the worker a copy on disk.
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

        def status(pk: int) -> str:
            with sqlite3.connect(path, timeout=30) as db:
                return db.execute(f"SELECT status FROM {SyncRun._meta.db_table} WHERE id = ?", [pk]).fetchone()[0]

        return f"sqlite:///{path}", status
    params = connection.settings_dict
    url = (f"postgres://{params['USER']}:{params.get('PASSWORD') or ''}@{params['HOST'] or '127.0.0.1'}:"
           f"{params['PORT'] or 5432}/{params['NAME']}")
    return url, lambda pk: SyncRun.objects.get(pk=pk).status


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_cluster_and_marks_the_run_in_progress_interrupted(tmp_path):
    upstream = SilentUpstream()
    try:
        account = IntegrationAccount.objects.create(kind="onec", name="1C slow",
                                                    base_url=f"http://127.0.0.1:{upstream.port}")
        set_credentials(account, {"api_key": "key"})
        run, _ = start_sync(account, "org")
        Schedule.objects.all().delete()  # only our job for the worker
        async_task("integrations.tasks.run_sync", run.pk, sync=False)
        url, status_of = _database_url(tmp_path)

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": url, "Q_WORKERS": "1"}
        worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            deadline = time.monotonic() + START_SECONDS
            while status_of(run.pk) != "running":
                assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the worker never started the run"
                time.sleep(0.2)
            while not upstream.held:  # the sync is now waiting for the upstream's answer
                assert time.monotonic() < deadline, "the sync never called the upstream"
                time.sleep(0.1)

            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=GRACE_SECONDS)  # raises TimeoutExpired if it ignores SIGTERM
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        assert status_of(run.pk) == "interrupted"
    finally:
        upstream.close()
