from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from shangliang.core.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup (database dump and uploaded files, with SHA-256 checksums) "
        "while the site runs. DEST: a directory (a dated file is written in it) or a file."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dest", help="directory or .tar.gz file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = write_backup(Path(options["dest"]))
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"{manifest['path']}: {rows} rows in {len(manifest['counts'])} tables, "
            f"{len(manifest['files'])} files"
        )
