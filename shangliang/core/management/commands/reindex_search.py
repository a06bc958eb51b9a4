"""Rebuild the search index (``core.search``) of one kind or of all."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shangliang.core import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index (all kinds, or --kind proposals)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", help="only this kind (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = search.kinds()
        wanted = options["kind"] or sorted(sources)
        unknown = set(wanted) - set(sources)
        if unknown:
            raise CommandError(f"unknown kind(s): {', '.join(sorted(unknown))}")
        for kind in wanted:
            start = time.monotonic()
            n = search.rebuild(kind, sources[kind]())
            self.stdout.write(f"{kind}: {n} documents in {time.monotonic() - start:.1f} s")
