"""The set-up every Django bench shares: a fresh database (SQLite file or PostgreSQL), bench settings, migrate.

    from bench_setup import setup_django
    setup_django("postgres", name="sf_plan_bench")   # BENCH_PG_URL overrides the server/database

A bench imports it as a sibling module (``python bench/<bench>.py`` puts ``bench/`` on the path).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def fresh_database_url(db: str, name: str) -> str:
    """Drop and create the bench database ``name``; return its URL (SQLite: a file in the temp directory)."""
    if db == "sqlite":
        path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    url = os.environ.get("BENCH_PG_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    database = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    return url


def bench_environment(database_url: str) -> None:
    """Production-like settings with throw-away secrets, quiet logs and no .env file."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("ENV_FILE", "/nonexistent")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if not os.environ.get("CREDENTIALS_KEYS"):
        from cryptography.fernet import Fernet

        os.environ["CREDENTIALS_KEYS"] = Fernet.generate_key().decode()
    os.environ["DJANGO_SETTINGS_MODULE"] = "salesforecast.settings"


def setup_django(db: str, *, name: str) -> None:
    """A fresh, migrated bench database ``name`` on ``db`` ("sqlite" or "postgres"), Django set up on it."""
    bench_environment(fresh_database_url(db, name))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
