from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shangliang.core.backup import BackupError, restore_backup, verify


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this installation (migrated to the "
        "same release). Refuses a database or media directory that is not empty unless --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="replace whatever the installation holds"
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="check the checksums and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"no such archive: {archive}")
        try:
            if options["verify_only"]:
                manifest = verify(archive)
                self.stdout.write(f"{archive}: checksums verified")
                return
            manifest = restore_backup(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"restored {rows} rows in {len(manifest['counts'])} tables and "
            f"{len(manifest['files'])} files; counts verified"
        )
