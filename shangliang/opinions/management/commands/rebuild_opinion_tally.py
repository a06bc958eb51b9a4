"""Rebuild the opinion figures' tally from the records (after a bulk import)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shangliang.opinions.tallies import rebuild_all


class Command(BaseCommand):
    help = "Rewrite the opinion figures' tally and stored year-months from the reports."

    def handle(self, *args: Any, **options: Any) -> None:
        made = rebuild_all()
        self.stdout.write(f"{made} tally rows")
