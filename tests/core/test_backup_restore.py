"""Round trip of `backup` and `restore` on the database under test (SQLite or PostgreSQL) and the artefacts."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.backups import list_backups
from integrations.models import IntegrationAccount

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def file_roots(tmp_path, settings):
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.ARTIFACTS_ROOT / "models").mkdir(parents=True)
    (settings.ARTIFACTS_ROOT / "models" / "run-1.lgb").write_bytes(b"model-bytes-v1")
    return settings


def test_backup_then_restore_brings_back_database_and_artefacts(tmp_path, file_roots):
    IntegrationAccount.objects.create(kind="onec", name="kept", base_url="https://1c.example.com")
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), keep=3, stdout=out)
    assert "backup written" in out.getvalue()
    (backup,) = list_backups(tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["files"] and all(len(f["sha256"]) == 64 for f in manifest["files"].values())

    # Change everything after the backup …
    IntegrationAccount.objects.create(kind="iiko", name="added later", base_url="https://iiko.example.com")
    IntegrationAccount.objects.filter(name="kept").update(base_url="https://changed.example.com")
    (file_roots.ARTIFACTS_ROOT / "models" / "run-1.lgb").write_bytes(b"overwritten")
    (file_roots.ARTIFACTS_ROOT / "models" / "run-2.lgb").write_bytes(b"new")

    call_command("restore", str(backup), yes=True, stdout=io.StringIO())

    # … and the restore brings back exactly the backed-up state.
    assert list(IntegrationAccount.objects.values_list("name", "base_url")) == [("kept", "https://1c.example.com")]
    assert (file_roots.ARTIFACTS_ROOT / "models" / "run-1.lgb").read_bytes() == b"model-bytes-v1"
    assert not (file_roots.ARTIFACTS_ROOT / "models" / "run-2.lgb").exists()


def test_retention_keeps_the_newest(tmp_path, file_roots):
    for _ in range(4):
        call_command("backup", output_dir=str(tmp_path / "b"), keep=2, stdout=io.StringIO())
    assert len(list_backups(tmp_path / "b")) == 2


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, file_roots):
    IntegrationAccount.objects.create(kind="onec", name="before", base_url="https://1c.example.com")
    call_command("backup", output_dir=str(tmp_path / "b"), stdout=io.StringIO())
    (backup,) = list_backups(tmp_path / "b")
    IntegrationAccount.objects.create(kind="onec", name="after", base_url="https://1c.example.com")
    damaged = next(backup.glob("database.*"))
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(backup), yes=True, stdout=io.StringIO())
    assert IntegrationAccount.objects.count() == 2


def test_restore_of_something_that_is_not_a_backup(tmp_path, db):
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path), yes=True, stdout=io.StringIO())
