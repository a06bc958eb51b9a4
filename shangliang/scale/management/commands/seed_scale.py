"""``manage.py seed_scale --preset province``: a generated province-scale dataset for the
benchmarks (see docs/benchmarks.md). Refuses a database that already holds data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shangliang.scale.presets import PRESETS
from shangliang.scale.runner import Refused, generate


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a data command: no need to import every URL
    help = "Generate a benchmark dataset (province, city or county preset) with bulk inserts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), default="county")
        parser.add_argument("--seed", type=int, default=20261207)
        parser.add_argument(
            "--force", action="store_true", help="also seed a database that holds other data"
        )
        parser.add_argument(
            "--no-reindex", action="store_true", help="skip reindex_similar / reindex_search"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            generate(
                preset=opts["preset"],
                seed=opts["seed"],
                force=opts["force"],
                reindex=not opts["no_reindex"],
                out=lambda line: self.stdout.write(line),
            )
        except Refused as exc:
            raise CommandError(str(exc)) from exc
