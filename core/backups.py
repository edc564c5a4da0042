"""Backups: the database and the model artefacts, timestamped, verified on restore, with a retention count.

A backup is a directory `salesforecast-<UTC timestamp>/` holding `database.sqlite3` (SQLite online backup, safe
while the app runs) or `database.dump` (`pg_dump --format=custom`), `files.tar.gz` (ARTIFACTS_ROOT and
MEDIA_ROOT: trained models, uploads) and `manifest.json` (vendor, migrations, sizes, SHA-256 of each file). It is
written to a temporary name and renamed when complete, so a crash never leaves a half backup that looks whole.

A restore is all or nothing: the manifest, every checksum, the database file (SQLite `integrity_check`, or
`pg_restore` reading the whole dump) and the file archive (unpacked into a staging directory) are verified
before anything is touched; then the database is replaced in one transaction and the staged artefacts are
swapped in by renames. A truncated or damaged backup is a BackupError naming the part, with nothing changed.

`manage.py backup` runs nightly as a django-q2 schedule (`BACKUP_SCHEDULE`, default 01:30 UTC) keeping the newest
`BACKUP_KEEP` backups in `BACKUP_ROOT`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext

from core.errors import DomainError

PREFIX = "salesforecast-"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class BackupError(DomainError, RuntimeError):
    """A backup or restore could not be done; the message says what to do."""

    status = 500
    code = "backup_failed"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    vendor: str
    files: dict[str, dict]

    @property
    def size_bytes(self) -> int:
        return sum(f["bytes"] for f in self.files.values())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_roots() -> dict[str, Path]:
    return {"artifacts": Path(settings.ARTIFACTS_ROOT), "media": Path(settings.MEDIA_ROOT)}


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
            "--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # passed to the child only, never on a command line
    return args, env


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(gettext("%(tool)s is not installed; install the PostgreSQL client tools matching "
                                  "the server.") % {"tool": tool})


def _failed(tool: str, stderr: str) -> BackupError:
    return BackupError(gettext("%(tool)s failed: %(error)s") % {"tool": tool, "error": stderr.strip()[:500]})


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = command[0]
    _require(tool)
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise _failed(tool, result.stderr)


def _dump_database(target_dir: Path) -> Path:
    if connection.vendor == "sqlite":
        target = target_dir / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target
    if connection.vendor == "postgresql":
        target = target_dir / "database.dump"
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)
        return target
    raise BackupError(gettext("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {
                          "vendor": connection.vendor,
                      })


def _pack_files(target_dir: Path) -> Path:
    target = target_dir / "files.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        for name, root in _file_roots().items():
            if root.is_dir():
                tar.add(root, arcname=name)
    return target


def create_backup(directory: Path | str, *, keep: int | None = None) -> BackupInfo:
    """Write one complete backup into `directory`; then keep only the newest `keep` backups there."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    created_at = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = directory / f"{PREFIX}{created_at}"
    work = Path(tempfile.mkdtemp(prefix=".incomplete-", dir=directory))
    try:
        produced = [_dump_database(work), _pack_files(work)]
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": created_at,
            "vendor": connection.vendor,
            "django": django.get_version(),
            "migrations": sorted(f"{m.app}.{m.name}" for m in MigrationRecorder(connection).migration_qs.all()),
            "files": {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in produced},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if keep is not None:
        prune_backups(directory, keep)
    return BackupInfo(final, created_at, manifest["vendor"], manifest["files"])


def list_backups(directory: Path | str) -> list[Path]:
    """Complete backups, oldest first (the timestamp sorts)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).is_file()
    )


def prune_backups(directory: Path | str, keep: int) -> list[Path]:
    if keep < 1:
        raise BackupError(gettext("keep must be at least 1: pruning every backup is never what you want."))
    backups = list_backups(directory)
    removed = backups[:-keep] if len(backups) > keep else []
    for path in removed:
        shutil.rmtree(path)
    return removed


DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
FILES_ARCHIVE = "files.tar.gz"


def read_backup(path: Path | str) -> BackupInfo:
    """Load and verify a backup's manifest and checksums (BackupError naming the damaged part)."""
    path = Path(path)
    manifest_file = path / MANIFEST
    if not manifest_file.is_file():
        raise BackupError(gettext("%(path)s is not a backup: it has no %(MANIFEST)s.") % {
                              "path": path,
                              "MANIFEST": MANIFEST,
                          })
    try:
        manifest = json.loads(manifest_file.read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(gettext("%(path)s has backup format %(format)s; this version reads "
                                      "%(FORMAT_VERSION)s.") % {
                                  "path": path,
                                  "format": manifest.get('format'),
                                  "FORMAT_VERSION": FORMAT_VERSION,
                              })
        created_at, vendor, files = manifest["created_at"], manifest["vendor"], manifest["files"]
        checksums = {str(name): str(meta["sha256"]) for name, meta in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise BackupError(gettext("%(manifest_file)s is truncated or damaged (not the JSON a backup writes); "
                                  "choose another backup.") % {"manifest_file": manifest_file}) from None
    needed = {DATABASE_FILES.get(vendor, ""), FILES_ARCHIVE}
    if not needed <= set(checksums):
        raise BackupError(gettext("%(manifest_file)s does not list %(needed)s; the backup is incomplete, "
                                  "choose another one.") % {
                              "manifest_file": manifest_file,
                              "needed": ', '.join(sorted(needed - set(checksums))),
                          })
    for name, sha256 in checksums.items():
        file = path / name
        if not file.is_file() or _sha256(file) != sha256:
            raise BackupError(gettext("%(file)s is missing or damaged (checksum mismatch); choose another "
                                      "backup.") % {"file": file})
    return BackupInfo(path, created_at, vendor, files)


def _verify_database_file(info: BackupInfo) -> None:
    """Read the whole database file of the backup before anything is replaced (checksums only prove that it
    is what was written, not that what was written is whole)."""
    if info.vendor != connection.vendor:
        raise BackupError(gettext("The backup is of a %(vendor)s database; this installation uses "
                                  "%(vendor2)s.") % {"vendor": info.vendor, "vendor2": connection.vendor})
    file = info.path / DATABASE_FILES[info.vendor]
    if info.vendor == "sqlite":
        try:
            probe = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            try:
                result = probe.execute("PRAGMA integrity_check").fetchone()
            finally:
                probe.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(gettext("%(file)s is not a readable SQLite database (%(exc)s); choose another "
                                      "backup.") % {"file": file, "exc": exc}) from None
        if not result or result[0] != "ok":
            raise BackupError(gettext("%(file)s fails SQLite's integrity check (%(value)s); choose another "
                                      "backup.") % {"file": file, "value": result and result[0]})
        return
    tool = "pg_restore"
    _require(tool)
    result = subprocess.run([tool, "--file", os.devnull, str(file)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(gettext("%(file)s is truncated or damaged (%(error)s); choose another backup.") % {
                              "file": file,
                              "error": result.stderr.strip()[:300],
                          })


def _stage_files(info: BackupInfo) -> dict[str, Path | None]:
    """Unpack the artefacts next to their roots (same file system, so the swap is a rename).

    Returns root name → staged directory (None when the backup holds none); BackupError if the archive is
    truncated or damaged, with every staged directory removed again.
    """
    staged: dict[str, Path | None] = {}
    try:
        with tarfile.open(info.path / FILES_ARCHIVE, "r:gz") as tar:
            members = tar.getmembers()  # reads the whole archive: a truncated one fails here
            for name, root in _file_roots().items():
                wanted = [m for m in members if m.name == name or m.name.startswith(name + "/")]
                if not wanted:
                    staged[name] = None
                    continue
                root.parent.mkdir(parents=True, exist_ok=True)
                tmp = Path(tempfile.mkdtemp(prefix=f".restore-{name}-", dir=root.parent))
                staged[name] = tmp
                tar.extractall(tmp, members=wanted, filter="data")  # "data" refuses links/paths outside tmp
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        _discard(staged)
        raise BackupError(gettext("%(path)s is truncated or damaged (%(name)s: %(exc)s); nothing was "
                                  "restored, choose another backup.") % {
                              "path": info.path / FILES_ARCHIVE,
                              "name": type(exc).__name__,
                              "exc": exc,
                          }) from None
    return staged


def _discard(staged: dict[str, Path | None]) -> None:
    for tmp in staged.values():
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _swap_files(staged: dict[str, Path | None]) -> None:
    """Put the staged artefacts in place by renames; the replaced ones are removed only after every swap."""
    retired: list[Path] = []
    for name, root in _file_roots().items():
        if root.exists():
            old = root.parent / f".replaced-{name}-{os.getpid()}"
            shutil.rmtree(old, ignore_errors=True)
            root.rename(old)
            retired.append(old)
        tmp = staged.get(name)
        if tmp is not None:
            Path(tmp, name).rename(root)
            shutil.rmtree(tmp, ignore_errors=True)
    for old in retired:
        shutil.rmtree(old, ignore_errors=True)


def _restore_database(info: BackupInfo) -> None:
    if info.vendor != connection.vendor:
        raise BackupError(gettext("The backup is of a %(vendor)s database; this installation uses "
                                  "%(vendor2)s.") % {"vendor": info.vendor, "vendor2": connection.vendor})
    connections.close_all()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(info.path / "database.sqlite3")
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    _restore_postgres(info.path / "database.dump")


# Everything the product keeps in the public schema, dropped inside the restore's own transaction. Not
# `pg_restore --clean`: it drops a partition's inherited primary key before its table, which PostgreSQL refuses
# for the partitioned daily sales and forecasts. Partitions go with their parent.
CLEAR_PUBLIC_SCHEMA = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT c.relispartition
           ORDER BY c.relkind = 'S'
  LOOP
    EXECUTE format('DROP %s IF EXISTS public.%I CASCADE',
                   CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                  WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname);
  END LOOP;
END $$;
"""


def _restore_postgres(dump: Path) -> None:
    """All or nothing: one psql transaction clears the schema, then runs pg_restore's SQL, streamed.

    If pg_restore fails part-way, psql is killed before it reads the end of its input, so the transaction
    never commits and the database is as it was.
    """
    args, env = _pg_env()
    for tool in ("pg_restore", "psql"):
        _require(tool)
    with tempfile.TemporaryFile() as psql_err, tempfile.TemporaryFile() as restore_err:
        psql = subprocess.Popen(
            ["psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--single-transaction", "--file", "-",
             *args],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env,
        )
        restore = subprocess.Popen(
            ["pg_restore", "--no-owner", "--no-privileges", "--file", "-", str(dump)],
            stdout=subprocess.PIPE, stderr=restore_err, env=env,
        )
        try:
            psql.stdin.write(CLEAR_PUBLIC_SCHEMA.encode())
            shutil.copyfileobj(restore.stdout, psql.stdin, 1 << 20)
        except BrokenPipeError:
            pass  # psql stopped on an error: its message says which
        restore.stdout.close()
        if restore.wait() != 0:
            psql.kill()
            psql.wait()
            restore_err.seek(0)
            raise _failed("pg_restore", restore_err.read().decode(errors="replace"))
        try:
            psql.stdin.close()
        except BrokenPipeError:
            pass
        if psql.wait() != 0:
            psql_err.seek(0)
            raise _failed("psql", psql_err.read().decode(errors="replace"))


def restore_backup(path: Path | str) -> BackupInfo:
    """Replace the database and the artefacts with the backup's: every part is verified (and the artefacts
    unpacked) before anything is touched, so a damaged backup changes nothing."""
    info = read_backup(path)
    _verify_database_file(info)
    staged = _stage_files(info)
    try:
        _restore_database(info)
    except BaseException:
        _discard(staged)
        raise
    _swap_files(staged)
    return info
