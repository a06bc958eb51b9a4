from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from shangliang.core.scheduler import tick


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (safe to run on every app server)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = False

        def _stop(*_: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        while not stop:
            for name in tick():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            for _ in range(settings.SCHEDULER_INTERVAL_SECONDS):
                if stop:
                    return
                time.sleep(1)
