"""Backups: one tar archive holding a logical dump of the database and the uploaded files,
with a manifest of SHA-256 checksums, the schema version (applied migrations) and the number
of rows per model. ``manage.py backup`` writes one while the site runs; ``manage.py restore``
loads one into an empty installation (SQLite or PostgreSQL, whichever made it).

Consistency: the dump is read in one transaction — REPEATABLE READ on PostgreSQL, a
deferred read transaction on SQLite (WAL) — so it is one moment's state however long it
takes, and writers are never blocked. Uploaded files are copied after the dump: a file
uploaded meanwhile may be in the archive without its row (harmless); files are never
rewritten in place (each upload has a new name), so a file's content is that of its row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.jsonl"
MEDIA_PREFIX = "media/"
# Rebuilt by ``migrate`` in every installation, and referred to by natural keys in the dump.
EXCLUDED = ("contenttypes", "auth.permission")
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256_of(fp: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := fp.read(CHUNK):
        digest.update(block)
    return digest.hexdigest()


def dumped_models() -> list[type[models.Model]]:
    out = []
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED:
            continue
        out.append(model)
    return sorted(out, key=lambda m: m._meta.label_lower)


def model_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in dumped_models()}


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


@contextmanager
def snapshot() -> Iterator[None]:
    """One read transaction that sees a single moment of the database."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # a deferred transaction reads a WAL snapshot without taking the write lock
        if not hasattr(connection, "transaction_mode"):
            connection.get_connection_params()
        old = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = old  # type: ignore[attr-defined]
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for dirpath, _dirs, files in os.walk(root):
        for name in sorted(files):
            path = Path(dirpath) / name
            yield path.relative_to(root).as_posix(), path


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def archive_name(now: dt.datetime | None = None) -> str:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return f"shangliang-backup-{stamp}.tar.gz"


def write_backup(target: Path) -> dict[str, Any]:
    """Write the archive to ``target`` (a directory: a new dated file in it); returns the
    manifest. The archive appears under its name only when complete."""
    if target.is_dir():
        target = target / archive_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sl-backup-") as tmp:
        dump = Path(tmp) / DUMP
        with snapshot():
            migrations_now = applied_migrations()
            counts = model_counts()
            call_command(
                "dumpdata",
                *[m._meta.label for m in dumped_models()],
                format="jsonl",
                natural_foreign=True,
                use_base_manager=True,
                output=str(dump),
                verbosity=0,
            )
        with dump.open("rb") as fp:
            parts = {DUMP: sha256_of(fp)}
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": migrations_now,
            "counts": counts,
            "parts": parts,
            "files": {},
        }
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=DUMP)
            root = Path(settings.MEDIA_ROOT)
            for rel, path in media_files(root):
                try:
                    with path.open("rb") as fp:
                        digest = sha256_of(fp)
                    tar.add(path, arcname=MEDIA_PREFIX + rel, recursive=False)
                except FileNotFoundError:
                    continue  # deleted while we were copying: its row is gone too
                manifest["files"][rel] = digest
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            _add_bytes(tar, MANIFEST, body)
        os.replace(partial, target)
    digest_line = f"{hashlib.sha256(target.read_bytes()).hexdigest()}  {target.name}\n"
    target.with_name(target.name + ".sha256").write_text(digest_line, encoding="ascii")
    manifest["path"] = str(target)
    return manifest


# --- restore -----------------------------------------------------------------------------


def _safe_member(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name.startswith(MEDIA_PREFIX):
        raise BackupError(f"unexpected path in the archive: {name}")
    return name[len(MEDIA_PREFIX) :]


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:*") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError("the archive has no manifest")
        manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    return manifest


def verify(archive: Path) -> dict[str, Any]:
    """Check every part against the manifest; returns the manifest."""
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.exists():
        expected = sidecar.read_text(encoding="ascii").split()[0]
        with archive.open("rb") as fp:
            if sha256_of(fp) != expected:
                raise BackupError("the archive does not match its .sha256 file")
    manifest = read_manifest(archive)
    seen: set[str] = set()
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            if member.name == MANIFEST or not member.isfile():
                continue
            content = tar.extractfile(member)
            if content is None:
                raise BackupError(f"unreadable member: {member.name}")
            digest = sha256_of(content)
            if member.name == DUMP:
                ok = manifest["parts"].get(DUMP) == digest
            else:
                ok = manifest["files"].get(_safe_member(member.name)) == digest
            if not ok:
                raise BackupError(f"checksum mismatch: {member.name}")
            seen.add(member.name)
    missing = {DUMP, *(MEDIA_PREFIX + f for f in manifest["files"])} - seen
    if missing:
        raise BackupError(f"missing from the archive: {', '.join(sorted(missing))[:500]}")
    return manifest


def database_is_empty() -> bool:
    return not any(m._base_manager.exists() for m in dumped_models())


def restore_backup(archive: Path, *, force: bool = False) -> dict[str, Any]:
    manifest = verify(archive)
    if applied_migrations() != manifest["migrations"]:
        raise BackupError(
            "the archive was made at another schema version: install the release that made "
            "it, run `migrate`, restore, then upgrade (docs/deploy.md)"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if not database_is_empty():
            raise BackupError("the database is not empty (use --force to replace it)")
        if any(True for _ in media_files(media_root)):
            raise BackupError(f"{media_root} is not empty (use --force to replace it)")
    with tempfile.TemporaryDirectory(prefix="sl-restore-") as tmp:
        with tarfile.open(archive, "r:*") as tar:
            dump = tar.extractfile(DUMP)
            if dump is None:
                raise BackupError("the archive has no database dump")
            path = Path(tmp) / DUMP
            with path.open("wb") as out:
                while block := dump.read(CHUNK):
                    out.write(block)
        if force:
            call_command("flush", interactive=False, verbosity=0)
        with transaction.atomic():
            call_command("loaddata", str(path), verbosity=0)
            counts = model_counts()
            if counts != manifest["counts"]:
                diff = {
                    k: (manifest["counts"].get(k), counts.get(k))
                    for k in set(counts) | set(manifest["counts"])
                    if counts.get(k) != manifest["counts"].get(k)
                }
                raise BackupError(f"row counts differ after loading (expected, got): {diff}")
    _restore_media(archive, media_root, force=force)
    return manifest


def _restore_media(archive: Path, root: Path, *, force: bool) -> None:
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            if member.name in (MANIFEST, DUMP) or not member.isfile():
                continue
            rel = _safe_member(member.name)
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            fp = tar.extractfile(member)
            if fp is None:
                raise BackupError(f"unreadable member: {member.name}")
            tmp = dest.with_name(dest.name + ".restoring")
            with tmp.open("wb") as out:
                while block := fp.read(CHUNK):
                    out.write(block)
            os.replace(tmp, dest)
