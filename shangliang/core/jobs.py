"""The core's own periodic jobs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shangliang.core.scheduler import periodic


@periodic("core.prune_task_results", "47 3 * * *")
def prune_task_results() -> None:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - dt.timedelta(days=14)
    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()


@periodic("core.requeue_stale_tasks", "* * * * *")
def requeue_stale() -> None:
    from shangliang.core.task_recovery import requeue_stale_tasks

    requeue_stale_tasks()
