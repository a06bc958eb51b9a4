from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from shangliang.core.task_recovery import requeue_stale_tasks


class Command(BaseCommand):
    help = "Queue again the tasks left running by a worker that died (idempotent tasks)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            help="seconds since the task started (default: TASK_STALE_SECONDS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = options["older_than"]
        if seconds is None:
            seconds = settings.TASK_STALE_SECONDS
        count = requeue_stale_tasks(dt.timedelta(seconds=seconds))
        self.stdout.write(f"requeued {count}")
