"""manage.py backup / restore: every object and every file comes back, checksums hold."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from shangliang.core import backup
from shangliang.core.tests import procs
from shangliang.notifications.services import notification_deliver
from shangliang.proposals.services.attachments import proposal_add_attachment
from shangliang.proposals.tests.member_office_cast import draft, office_of, submitted
from shangliang.testing import build_world

PDF = b"%PDF-1.4\n" + "附件内容".encode() * 500
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300


def _populate(world) -> None:
    p = draft(world, title="关于备份与恢复的建议")
    proposal_add_attachment(
        actor=world.member, proposal=p, file=SimpleUploadedFile("材料.pdf", PDF)
    )
    proposal_add_attachment(actor=world.member, proposal=p, file=SimpleUploadedFile("图.png", PNG))
    from shangliang.core.workflow import transition

    q = submitted(world, title="关于数据安全的建议")
    transition(q, "review", actor=office_of(world), outcome="accept")
    notification_deliver(user_id=world.member.pk, kind="k", key="n1", title="一条通知")


def _objects(jsonl: str) -> set[str]:
    return {json.dumps(json.loads(line), sort_keys=True) for line in jsonl.splitlines() if line}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _dump_here() -> str:
    out = io.StringIO()
    models = [m._meta.label for m in backup.dumped_models()]
    call_command(
        "dumpdata", *models, format="jsonl", natural_foreign=True, use_base_manager=True, stdout=out
    )
    return out.getvalue()


@pytest.mark.reliability
@pytest.mark.django_db(transaction=True)
def test_it_restores_every_object_and_file_into_an_empty_installation(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    _populate(world)
    call_command("backup", str(tmp_path), stdout=io.StringIO())
    (archive,) = tmp_path.glob("shangliang-backup-*.tar.gz")
    manifest = backup.verify(archive)
    assert manifest["counts"]["proposals.attachment"] == 2
    assert len(manifest["files"]) == 2
    assert (tmp_path / (archive.name + ".sha256")).exists()

    # An empty installation on a fresh SQLite file (whatever database made the archive).
    env = procs.app_env(
        SQLITE_PATH=str(tmp_path / "new.sqlite3"), MEDIA_ROOT=str(tmp_path / "restored")
    )
    env.pop("DATABASE_URL", None)
    procs.manage("migrate", "-v0", env=env)
    out = procs.manage("restore", str(archive), env=env)
    assert "counts verified" in out
    models = [m._meta.label for m in backup.dumped_models()]
    restored = procs.manage(
        "dumpdata", *models, "--format", "jsonl", "--natural-foreign", "--all", env=env
    )
    assert _objects(restored) == _objects(_dump_here())
    assert _tree(tmp_path / "restored") == _tree(tmp_path / "media")

    # A second restore into the now populated installation is refused.
    with pytest.raises(AssertionError, match="not empty"):
        procs.manage("restore", str(archive), env=env)


def test_it_refuses_a_tampered_archive(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _populate(world)
    archive = Path(backup.write_backup(tmp_path / "a.tar.gz")["path"])
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(forged, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("media/") and member.name.endswith(".pdf"):
                data = data.replace("附件".encode(), "篡改".encode(), 1)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", str(forged), "--verify-only")
    call_command("restore", str(archive), "--verify-only", stdout=io.StringIO())


def test_it_refuses_a_database_that_is_not_empty(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = Path(backup.write_backup(tmp_path)["path"])
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_it_refuses_an_archive_of_another_schema(world, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = Path(backup.write_backup(tmp_path)["path"])
    real = backup.applied_migrations
    monkeypatch.setattr(backup, "applied_migrations", lambda: {**real(), "core": ["0001_x"]})
    with pytest.raises(CommandError, match="another schema version"):
        call_command("restore", str(archive), "--force")
