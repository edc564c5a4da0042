"""Issue 14: backups are scheduled nightly with retention, and a restore is all or nothing — a truncated manifest, a
truncated database file or a damaged file archive (even with checksums that match it) is a clear error with the
database and the artefacts left exactly as they were. Runs on the database under test (SQLite or PostgreSQL)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_q.models import Schedule

from core.backups import list_backups
from core.schedules import register_schedules
from core.tasks import run_backup
from integrations.models import IntegrationAccount

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def file_roots(tmp_path, settings):
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.ARTIFACTS_ROOT / "models").mkdir(parents=True)
    (settings.ARTIFACTS_ROOT / "models" / "run-1.lgb").write_bytes(b"model-bytes-v1")
    return settings


@pytest.fixture
def backup_then_changes(tmp_path, file_roots) -> Path:
    """A backup of state A, then state B in the database and the artefacts."""
    IntegrationAccount.objects.create(kind="onec", name="before", base_url="https://1c.example.com")
    call_command("backup", output_dir=str(tmp_path / "b"), stdout=io.StringIO())
    (backup,) = list_backups(tmp_path / "b")
    IntegrationAccount.objects.create(kind="onec", name="after", base_url="https://1c.example.com")
    (file_roots.ARTIFACTS_ROOT / "models" / "run-1.lgb").write_bytes(b"model-bytes-v2")
    return backup


def _reseal(backup: Path, name: str) -> None:
    """Make the manifest's checksum match a damaged file: the checksum alone must not be trusted."""
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"][name]["sha256"] = hashlib.sha256((backup / name).read_bytes()).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))


def _assert_unchanged(file_roots) -> None:
    assert sorted(IntegrationAccount.objects.values_list("name", flat=True)) == ["after", "before"]
    assert (file_roots.ARTIFACTS_ROOT / "models" / "run-1.lgb").read_bytes() == b"model-bytes-v2"
    assert not list(Path(file_roots.ARTIFACTS_ROOT).parent.glob(".restore-*"))


def test_truncated_manifest_is_a_clear_error(backup_then_changes, file_roots):
    manifest = backup_then_changes / "manifest.json"
    manifest.write_text(manifest.read_text()[:40])
    with pytest.raises(CommandError, match="manifest.json is truncated or damaged"):
        call_command("restore", str(backup_then_changes), yes=True, stdout=io.StringIO())
    _assert_unchanged(file_roots)


def test_damaged_file_archive_with_matching_checksum_restores_nothing(backup_then_changes, file_roots):
    archive = backup_then_changes / "files.tar.gz"
    archive.write_bytes(archive.read_bytes()[: len(archive.read_bytes()) // 2])
    _reseal(backup_then_changes, "files.tar.gz")
    with pytest.raises(CommandError, match="files.tar.gz is truncated or damaged"):
        call_command("restore", str(backup_then_changes), yes=True, stdout=io.StringIO())
    _assert_unchanged(file_roots)


def test_archive_that_is_not_a_tar_restores_nothing(backup_then_changes, file_roots):
    (backup_then_changes / "files.tar.gz").write_bytes(gzip.compress(b"not a tar archive" * 100))
    _reseal(backup_then_changes, "files.tar.gz")
    with pytest.raises(CommandError, match="truncated or damaged"):
        call_command("restore", str(backup_then_changes), yes=True, stdout=io.StringIO())
    _assert_unchanged(file_roots)


def test_truncated_database_file_with_matching_checksum_restores_nothing(backup_then_changes, file_roots):
    (database,) = backup_then_changes.glob("database.*")
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 3])
    _reseal(backup_then_changes, database.name)
    with pytest.raises(CommandError, match="damaged|integrity|not a readable"):
        call_command("restore", str(backup_then_changes), yes=True, stdout=io.StringIO())
    _assert_unchanged(file_roots)


def test_a_good_backup_still_restores_everything(backup_then_changes, file_roots):
    call_command("restore", str(backup_then_changes), yes=True, stdout=io.StringIO())
    assert list(IntegrationAccount.objects.values_list("name", flat=True)) == ["before"]
    assert (file_roots.ARTIFACTS_ROOT / "models" / "run-1.lgb").read_bytes() == b"model-bytes-v1"


# --- the nightly schedule -----------------------------------------------------------------------------------------

def test_nightly_backup_is_scheduled(settings):
    settings.BACKUP_SCHEDULE = "30 1 * * *"
    register_schedules()
    schedule = Schedule.objects.get(name="sf:core.backup")
    assert (schedule.func, schedule.cron) == ("core.tasks.run_backup", "30 1 * * *")


def test_backup_schedule_can_be_switched_off_and_a_bad_one_is_skipped(settings):
    settings.BACKUP_SCHEDULE = ""
    register_schedules()
    assert not Schedule.objects.filter(name="sf:core.backup").exists()
    settings.BACKUP_SCHEDULE = "every night"
    skipped: dict[str, str] = {}
    counts = register_schedules(skipped)
    assert counts["skipped"] == 1 and "BACKUP_SCHEDULE" in skipped["core.backup"]


def test_scheduled_backup_keeps_the_newest(tmp_path, file_roots, settings):
    settings.BACKUP_ROOT = tmp_path / "nightly"
    settings.BACKUP_KEEP = 2
    for _ in range(3):
        assert "backup written" in run_backup()
    assert len(list_backups(settings.BACKUP_ROOT)) == 2
