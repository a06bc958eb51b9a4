from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from shangliang.core.diagrams import workflow_markdown
from shangliang.core.workflow import REGISTRY


class Command(BaseCommand):
    help = "Write docs/workflows/<workflow>.md: a state diagram and table of every workflow."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="fail if a file is out of date")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(settings.BASE_DIR) / "docs" / "workflows"
        out.mkdir(parents=True, exist_ok=True)
        stale = []
        for wf in sorted(REGISTRY.values(), key=lambda w: w.name):
            path = out / f"{wf.name}.md"
            text = workflow_markdown(wf)
            if options["check"]:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    stale.append(path.name)
                continue
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path.relative_to(settings.BASE_DIR)}")
        if stale:
            raise SystemExit(f"out of date: {', '.join(stale)} (run make diagram)")
