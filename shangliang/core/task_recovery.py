"""Tasks left "running" by a worker that died (killed, out of memory, power cut).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again
if that worker dies, so the task would wait forever. A task still running
``TASK_STALE_SECONDS`` after it started is put back in the queue; every task body in this
project is idempotent (keyed writes), so running one a second time changes nothing it had
already done. The sweep runs every minute (``core.requeue_stale_tasks``) and whenever
``manage.py requeue_stale_tasks`` is called (e.g. in a worker's start-up script).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)


def requeue_stale_tasks(older_than: dt.timedelta | None = None) -> int:
    """Put back RUNNING tasks that started before ``now - older_than``; returns how many."""
    from django_tasks_db.models import DBTaskResult

    if older_than is None:
        older_than = dt.timedelta(seconds=settings.TASK_STALE_SECONDS)
    cutoff = timezone.now() - older_than
    # One conditional update: a task that finished meanwhile (status no longer RUNNING) is
    # left alone; rows claimed again afterwards have a newer started_at.
    count = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .update(status="READY", started_at=None)
    )
    if count:
        log.warning("requeued %s task(s) left running by a worker that stopped", count)
    return int(count)
