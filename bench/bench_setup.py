"""The set-up every Django bench shares: a fresh database (SQLite file or PostgreSQL), bench settings, migrate.

    from bench_setup import setup_django
    setup_django("postgres", name="sf_plan_bench")   # BENCH_PG_URL overrides the server/database
    setup_django("sqlite", name="sf_sales_bench", migrate="child")   # this process's peak RSS stays the bench's
    setup_current_django()                            # the developer's own database (after bin/demo)

A bench imports it as a sibling module (``python bench/<bench>.py`` puts ``bench/`` on the path). The project root
is put first on the path, so a bench file never shadows an app of the same name.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) in sys.path:
    sys.path.remove(str(ROOT))
sys.path.insert(0, str(ROOT))

Migrate = Literal["here", "child", "no"]

_MIGRATE = (
    "import django; django.setup()\n"
    "from django.db.models.signals import post_migrate\n"
    "post_migrate.disconnect(dispatch_uid='core.register_schedules')  # a bench needs no schedules\n"
    "from django.core.management import call_command\n"
    "call_command('migrate', verbosity=0)\n"
)


def _sqlite_path(name: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{name}.sqlite3"


def _pg_url(name: str) -> str:
    return os.environ.get("BENCH_PG_URL", f"postgres://postgres@127.0.0.1:5432/{name}")


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres",
                           autocommit=True)


def fresh_database_url(db: str, name: str) -> str:
    """Drop and create the bench database ``name``; return its URL (SQLite: a file in the temp directory)."""
    if db == "sqlite":
        path = _sqlite_path(name)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = _pg_url(name)
    database = urlsplit(url).path.lstrip("/")
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    return url


def kept_database_url(db: str, name: str) -> str:
    """The bench database ``name``, created if missing and otherwise kept (a bench that loads its rows once)."""
    if db == "sqlite":
        return f"sqlite:///{_sqlite_path(name)}"
    url = _pg_url(name)
    database = urlsplit(url).path.lstrip("/")
    with _pg_admin(url) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    return url


def drop_database(db: str, name: str) -> None:
    """Remove the bench database ``name`` (close Django's connection first)."""
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{_sqlite_path(name)}{suffix}").unlink(missing_ok=True)
        return
    url = _pg_url(name)
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')


def bench_environment(database_url: str, settings: dict[str, str] | None = None) -> dict[str, str]:
    """Production-like settings with throw-away secrets, quiet logs and no .env file; returns the environment
    (for servers or workers a bench starts). ``settings`` are a bench's own (e.g. throttles off)."""
    os.environ["DATABASE_URL"] = database_url
    for key, value in (settings or {}).items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("ENV_FILE", "/nonexistent")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if not os.environ.get("CREDENTIALS_KEYS"):
        from cryptography.fernet import Fernet

        os.environ["CREDENTIALS_KEYS"] = Fernet.generate_key().decode()
    os.environ["DJANGO_SETTINGS_MODULE"] = "salesforecast.settings"
    return dict(os.environ)


def migrate_in_child_process() -> None:
    """Migrate in a child process, so this process's peak memory is the bench's, not the migrations'."""
    subprocess.run([sys.executable, "-c", _MIGRATE], check=True, env=dict(os.environ), cwd=str(ROOT))


def _setup(migrate: Migrate) -> None:
    if migrate == "child":
        migrate_in_child_process()
    import django

    django.setup()
    if migrate == "here":
        from django.core.management import call_command
        from django.db.models.signals import post_migrate

        post_migrate.disconnect(dispatch_uid="core.register_schedules")  # a bench needs no schedules
        call_command("migrate", verbosity=0)


def setup_django(db: str, *, name: str, migrate: Migrate = "here", keep: bool = False,
                 settings: dict[str, str] | None = None) -> str:
    """A migrated bench database ``name`` on ``db`` ("sqlite" or "postgres"), Django set up on it; returns its URL.

    Fresh (dropped and created) unless ``keep``; ``migrate`` "child" keeps the migrations out of this process's
    peak memory, "no" leaves the schema alone.
    """
    url = kept_database_url(db, name) if keep else fresh_database_url(db, name)
    bench_environment(url, settings)
    _setup(migrate)
    return url


def setup_current_django(*, migrate: Migrate = "no", settings: dict[str, str] | None = None) -> None:
    """Django on the developer's own database (DATABASE_URL, or the .env that bin/demo wrote), as manage.py sees it:
    for benches that measure the demo data set or a scratch database the person chose."""
    for key, value in {"LOG_LEVEL": "WARNING", **(settings or {})}.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesforecast.settings")
    _setup(migrate)
