"""Periodic jobs: a cron expression per job, claimed in the database so that however many
scheduler processes run (one per app server), each due run is enqueued exactly once."""

from __future__ import annotations

import datetime as dt
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

from croniter import croniter
from django.db import IntegrityError, transaction
from django.utils import timezone

from shangliang.core.models import ScheduledJob

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    cron: str  # in the project's time zone
    func: Callable[[], None]


JOBS: dict[str, Job] = {}


def periodic(name: str, cron: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    if not croniter.is_valid(cron):
        raise ValueError(f"invalid cron expression for {name}: {cron}")

    def register(func: Callable[[], None]) -> Callable[[], None]:
        JOBS[name] = Job(name=name, cron=cron, func=func)
        return func

    return register


def next_run(job: Job, after: dt.datetime) -> dt.datetime:
    local = timezone.localtime(after)
    nxt: dt.datetime = croniter(job.cron, local).get_next(dt.datetime)
    return nxt


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job that is due; returns the names this process claimed."""
    from shangliang.core.tasks import run_scheduled_job

    now = now or timezone.now()
    claimed: list[str] = []
    me = f"{socket.gethostname()}:{id(JOBS)}"[:100]
    for job in JOBS.values():
        row = ScheduledJob.objects.filter(name=job.name).first()
        if row is None:
            try:
                with transaction.atomic():
                    ScheduledJob.objects.create(name=job.name, next_run_at=next_run(job, now))
            except IntegrityError:
                pass  # another scheduler created it first
            continue
        if row.next_run_at > now:
            continue
        won = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=next_run(job, now), last_run_at=now, last_claimed_by=me
        )
        if won:
            run_scheduled_job.enqueue(job.name)
            claimed.append(job.name)
    return claimed


def run_job(name: str) -> None:
    job = JOBS.get(name)
    if job is None:
        log.warning("scheduled job %s is no longer defined", name)
        return
    job.func()
