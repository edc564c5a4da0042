"""Faults that really happen, made to really happen: a database connection killed mid-sync, a worker killed
mid-job, upstreams that reset or never answer, a disk too full to hold an upload.

Nothing of our own code is mocked: PostgreSQL terminates the sync's backend (pg_terminate_backend), a real
child process gets SIGKILL, real sockets misbehave on loopback, and a real 64 KB tmpfs fills up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import socketserver
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from branches.models import Location
from demo.dataset import build_demo_dataset
from demo.fakes import BASE_PATHS, IikoFake, OneCFake, default_credentials, serve, synthetic_org_tree
from integrations.choices import SyncStatus
from integrations.models import IntegrationAccount, SyncCursor, SyncRun
from integrations.services.credentials import set_credentials
from integrations.services.runs import STALE_AFTER, mark_stale_runs, start_sync
from sales.models import ImportJob
from tests.integrations.inline import sync_now

REPO = Path(__file__).resolve().parents[2]
SECRET = "fault-test-secret-0xC0FFEE"
FAST_HTTP = {"max_attempts": 3, "backoff_base": 0.001, "backoff_max": 0.01, "connect_timeout": 1.0,
             "read_timeout": 0.5}

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database server whose connection can be killed; SQLite is a file opened in-process "
           "(there is no server-side session to terminate)",
)


def onec_account(url: str, *, name: str = "1C faults", **options: Any) -> IntegrationAccount:
    account = IntegrationAccount.objects.create(kind="onec", name=name, base_url=url,
                                                options={**FAST_HTTP, **options}, request_rate_per_minute=600_000)
    set_credentials(account, {"api_key": SECRET})
    return account


def location_state() -> list[tuple]:
    return list(Location.objects.order_by("external_id").values_list("external_id", "name", "parent_id",
                                                                      "is_active"))


# --- upstream timeouts and connection resets --------------------------------------------------------------


class _MisbehavingHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: MisbehavingServer = self.server  # type: ignore[assignment]
        data = b""
        self.request.settimeout(5)
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in data:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                data += chunk
        with server.lock:
            server.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
        if server.behaviour == "silent":
            server.release.wait(10)  # hold the connection open, answer nothing
        elif server.behaviour == "reset":
            # SO_LINGER 0: close() sends a TCP RST instead of a FIN.
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()


class MisbehavingServer(socketserver.ThreadingTCPServer):
    """Accepts, reads the request, then closes without an answer ('close'/'reset') or never answers ('silent')."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: str) -> None:
        super().__init__(("127.0.0.1", 0), _MisbehavingHandler)
        self.behaviour = behaviour
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> MisbehavingServer:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [("close", "connection failed after 3 attempt(s)"), ("reset", "connection failed after 3 attempt(s)"),
     ("silent", "no answer within 0.5 s")],
)
def test_upstream_that_drops_or_never_answers_fails_the_run_after_retries(behaviour, expected, db):
    with MisbehavingServer(behaviour) as upstream:
        account = onec_account(upstream.url + "/exchange", name=f"1C {behaviour}")
        run, executed = sync_now(account, "org")
    assert executed and run.status == SyncStatus.FAILED
    assert len(upstream.requests) == 3, f"expected 3 attempts at the server, saw {upstream.requests}"
    assert all(line.startswith("GET /exchange/branches?") for line in upstream.requests)
    assert account.name in run.error and "/exchange/branches" in run.error and expected in run.error, run.error
    assert SECRET not in run.error
    assert Location.objects.count() == 0 and not SyncCursor.objects.exists()


# --- a full disk for imports ------------------------------------------------------------------------------


@contextlib.contextmanager
def tiny_tmpfs(size: str = "64k") -> Iterator[Path]:
    """A real, tiny filesystem; skips the test when this environment may not mount one."""
    mount_point = Path(tempfile.mkdtemp(prefix="sf-full-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a {size} tmpfs here (needs root/CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        if subprocess.run(["umount", str(mount_point)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)
        mount_point.rmdir()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def branches_csv(rows: int, prefix: str = "B") -> bytes:
    lines = ["code,name,parent_code"] + [f"{prefix}{i:06d},Branch number {i:06d} of the full-disk test," for i in
                                         range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_an_upload_that_does_not_fit_on_the_disk_is_a_clear_error(client_for, settings):
    client = client_for("integrator")
    with tiny_tmpfs("64k") as imports_root:
        settings.IMPORTS_ROOT = imports_root
        big = branches_csv(2000)
        assert len(big) > 64 * 1024

        def upload(content: bytes, name: str):
            return client.post("/api/v1/import-export/upload/",
                               {"kind": "branches", "file": SimpleUploadedFile(name, content, "text/csv")},
                               format="multipart")

        response = upload(big, "big.csv")
        assert response.status_code == 507, response.content
        assert response["Content-Type"].startswith("application/json")
        detail = response.json()["detail"]
        assert "space" in detail.lower() and "big.csv" in detail, detail
        assert files_under(imports_root) == [], "a half-written upload was left on the disk"
        assert ImportJob.objects.count() == 0 and Location.objects.count() == 0

        # The failed upload took no space with it: a small file fits right away.
        small = upload(branches_csv(3, prefix="S"), "small.csv")
        assert small.status_code == 201, small.content
        assert Location.objects.filter(code__startswith="S").count() == 3

        # A disk filled by something else: refused the same way, and accepted again once space is freed.
        filler = imports_root / "filler.bin"
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            handle.write(b"\0" * 128 * 1024)
        refused = upload(branches_csv(3, prefix="T"), "third.csv")
        assert refused.status_code == 507, refused.content
        filler.unlink()
        accepted = upload(branches_csv(3, prefix="T"), "third.csv")
        assert accepted.status_code == 201, accepted.content
        assert ImportJob.objects.count() == 2


# --- the database going away mid-sync (PostgreSQL) --------------------------------------------------------


def terminate_backend(pid: int) -> None:
    """pg_terminate_backend from a connection of our own: what a DBA, a failover or an OOM kill does."""
    killer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0], f"backend {pid} was not terminated"
    finally:
        killer.close()


class OneCFakeThatKillsTheDatabase(OneCFake):
    """The 1C fake, plus a hook: on page `kill_on_page` it terminates the syncing process's database backend."""

    def __init__(self, *args: Any, kill_on_page: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kill_on_page = kill_on_page
        self.victim_pid: int | None = None
        self.killed = threading.Event()

    def enter_request(self, request):
        if self.victim_pid and not self.killed.is_set() and request.arg("page") == str(self.kill_on_page):
            terminate_backend(self.victim_pid)
            self.killed.set()
        return super().enter_request(request)


def sync_backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_database_connection_killed_while_paging_fails_the_run_and_the_next_run_succeeds():
    first_feed = synthetic_org_tree(30, depth=4, seed=1)
    fake = OneCFakeThatKillsTheDatabase(nodes=first_feed, kill_on_page=2, api_key=SECRET)
    with serve(fake) as server:
        account = onec_account(server.url + BASE_PATHS["onec"], page_size=10, read_timeout=10.0)
        baseline, _ = sync_now(account, "org")
        assert baseline.status == SyncStatus.SUCCEEDED, baseline.error
        before = location_state()

        fake.set_nodes([{**node, "name": node["name"] + " (renamed)"} for node in synthetic_org_tree(40, seed=2)])
        fake.victim_pid = sync_backend_pid()
        # Page 2 is answered after the kill and a little over a second later, so the progress write that follows
        # it is due (progress is written at most once a second) and meets the dead connection outside any
        # transaction, the case Django does not recover from by itself.
        fake.delay_next(1.2, path="branches", query={"page": "2"})
        killed, executed = sync_now(account, "org")

        assert fake.killed.is_set() and executed
        killed.refresh_from_db()
        assert killed.status == SyncStatus.FAILED, f"the run is {killed.status}: {killed.error}"
        assert "database" in killed.error.lower() and account.name in killed.error, killed.error
        assert killed.finished_at is not None
        assert location_state() == before, "rows of the killed run were applied"
        cursor = SyncCursor.objects.filter(account=account, stream="org").first()
        assert cursor is None or cursor.last_run_id != killed.pk

        recovered, _ = sync_now(account, "org")
        assert recovered.status == SyncStatus.SUCCEEDED, recovered.error
        assert Location.objects.filter(name__endswith="(renamed)", is_active=True).count() == 40


class IikoFakeThatKillsTheDatabaseMidWrite(IikoFake):
    """The iiko fake, plus a hook on logout (the last request before a products run writes): it locks the cursor
    table, waits until the run's transaction has written its products and is blocked on that lock, and then
    terminates the run's backend — a connection lost in the middle of applying a run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.victim_pid: int | None = None
        self.wrote_before_kill: bool | None = None
        self.killed = threading.Event()
        self.killer: threading.Thread | None = None

    def enter_request(self, request):
        if self.victim_pid and self.killer is None and request.path.endswith("/logout"):
            lock = _raw_connection()
            lock.execute(f"LOCK TABLE {SyncCursor._meta.db_table} IN ACCESS EXCLUSIVE MODE")  # held until rollback
            self.killer = threading.Thread(target=self._kill_when_blocked, args=(lock,), daemon=True)
            self.killer.start()
        return super().enter_request(request)

    def _kill_when_blocked(self, lock) -> None:
        watcher = _raw_connection(autocommit=True)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                row = watcher.execute("SELECT wait_event_type = 'Lock', backend_xid IS NOT NULL FROM "
                                      "pg_stat_activity WHERE pid = %s", [self.victim_pid]).fetchone()
                if row and row[0]:
                    self.wrote_before_kill = row[1]
                    break
                time.sleep(0.01)
            watcher.execute("SELECT pg_terminate_backend(%s)", [self.victim_pid])
            self.killed.set()
        finally:
            lock.rollback()
            lock.close()
            watcher.close()


def _raw_connection(autocommit: bool = False):
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**{k: v for k, v in params.items() if v not in (None, "")}, autocommit=autocommit)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_database_connection_killed_while_applying_leaves_nothing_half_written():
    from sales.models import Product, ProductSourceRef

    dataset = build_demo_dataset(size="small")
    fake = IikoFakeThatKillsTheDatabaseMidWrite(dataset)
    with serve(fake) as server:
        account = IntegrationAccount.objects.create(kind="iiko", name="iiko faults", base_url=server.url,
                                                    options={**FAST_HTTP, "read_timeout": 10.0},
                                                    request_rate_per_minute=600_000)
        set_credentials(account, default_credentials()["iiko"])
        products_before = Product.objects.count()
        fake.victim_pid = sync_backend_pid()
        killed, _ = sync_now(account, "products")

        assert fake.killed.is_set() and fake.wrote_before_kill, "the run was not killed in the middle of writing"
        assert killed.status == SyncStatus.FAILED, f"the run is {killed.status}: {killed.error}"
        assert "database connection was lost" in killed.error and account.name in killed.error, killed.error
        assert Product.objects.count() == products_before and not ProductSourceRef.objects.exists()
        assert not SyncCursor.objects.filter(account=account).exists(), "the cursor moved without its data"

        recovered, _ = sync_now(account, "products")
        assert recovered.status == SyncStatus.SUCCEEDED, recovered.error
        assert recovered.rows_created > 0 and ProductSourceRef.objects.filter(account=account).count() > 0
        assert SyncCursor.objects.get(account=account, stream="products").last_run_id == recovered.pk


# --- a worker killed mid-job --------------------------------------------------------------------------------


class OneCFakeThatStallsOnPage2(OneCFake):
    """Answers page 1, then holds page 2 (up to a minute): the syncing process is busy when we kill it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stalled = threading.Event()
        self.release = threading.Event()

    def enter_request(self, request):
        if not self.release.is_set() and request.arg("page") == "2":
            self.stalled.set()
            self.release.wait(60)
        return super().enter_request(request)


@contextlib.contextmanager
def database_for_another_process(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL another process can open, holding this test's data.

    PostgreSQL: the test database itself. SQLite: pytest-django's test database lives in this process's memory,
    so it is copied to a file (sqlite3's backup API) for the child and copied back, with what the child left in
    it, when the block ends.
    """
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
        yield f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/" \
              f"{settings_dict['NAME']}"
        return
    shared = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(shared)) as copy:
        connection.connection.backup(copy)
    try:
        yield f"sqlite:///{shared}"
    finally:
        with contextlib.closing(sqlite3.connect(shared)) as copy:
            copy.backup(connection.connection)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sync_leaves_a_run_that_stale_detection_fails(tmp_path, settings):
    fake = OneCFakeThatStallsOnPage2(nodes=synthetic_org_tree(30, seed=4), api_key=SECRET)
    with serve(fake) as server:
        account = onec_account(server.url + BASE_PATHS["onec"], name="1C killed worker", page_size=10,
                               read_timeout=120.0)
        with database_for_another_process(tmp_path) as database_url:
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url,
                   "CREDENTIALS_KEYS": ",".join(settings.CREDENTIALS_KEYS), "PYTHONUNBUFFERED": "1"}
            log = (tmp_path / "worker.log").open("w+")
            worker = subprocess.Popen([sys.executable, "manage.py", "sync_1c", "--account", account.name,
                                       "--no-progress"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                if not fake.stalled.wait(120):
                    log.seek(0)
                    pytest.fail(f"the worker never reached page 2; its output:\n{log.read()[-3000:]}")
                worker.send_signal(signal.SIGKILL)
                assert worker.wait(30) == -signal.SIGKILL
            finally:
                if worker.poll() is None:
                    worker.kill()
                log.close()
        fake.release.set()

        orphan = SyncRun.objects.get(account=account)
        assert orphan.status == SyncStatus.RUNNING and orphan.heartbeat_at is not None
        # While it looks alive, it blocks new triggers (one active run per account and stream) …
        again, created = start_sync(account, "org", trigger="command")
        assert (again.pk, created) == (orphan.pk, False)
        # … and a fresh heartbeat is not mistaken for a dead worker.
        assert mark_stale_runs() == 0
        # Once the heartbeat is older than STALE_AFTER, the check fails it with a message saying what to do.
        assert mark_stale_runs(now=timezone.now() + STALE_AFTER + timedelta(seconds=1)) == 1
        orphan.refresh_from_db()
        assert orphan.status == SyncStatus.FAILED and orphan.finished_at is not None
        assert "worker stopped responding" in orphan.error and account.name in orphan.error, orphan.error
        assert Location.objects.count() == 0

        fresh, executed = sync_now(account, "org")
        assert executed and fresh.pk != orphan.pk and fresh.status == SyncStatus.SUCCEEDED, fresh.error
        assert Location.objects.count() == 30
