from __future__ import annotations

import datetime as dt

from shangliang.core import scheduler
from shangliang.core.models import ScheduledJob

RUNS: list[str] = []


def _job() -> None:
    RUNS.append("ran")


def test_it_runs_a_due_job_once_across_schedulers(db, monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", {})
    scheduler.periodic("test.job", "0 3 * * *")(_job)
    RUNS.clear()
    t0 = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)
    assert scheduler.tick(t0) == []  # first tick only schedules
    row = ScheduledJob.objects.get(name="test.job")
    assert row.next_run_at > t0
    later = row.next_run_at + dt.timedelta(seconds=1)
    # Two schedulers (two app servers) tick at the same moment: one claims the run.
    first = scheduler.tick(later)
    second = scheduler.tick(later)
    assert first == ["test.job"] and second == []
    assert RUNS == ["ran"]  # ImmediateBackend in tests runs the task at once
    assert ScheduledJob.objects.get(name="test.job").next_run_at > later


def test_a_stale_claim_loses(db, monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", {})
    scheduler.periodic("test.job", "*/5 * * * *")(_job)
    now = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)
    ScheduledJob.objects.create(name="test.job", next_run_at=now)
    stale = ScheduledJob.objects.get(name="test.job")
    ScheduledJob.objects.filter(pk=stale.pk).update(next_run_at=now + dt.timedelta(minutes=5))
    won = ScheduledJob.objects.filter(pk=stale.pk, next_run_at=stale.next_run_at).update(
        last_claimed_by="other"
    )
    assert won == 0


def test_invalid_cron_is_refused():
    import pytest

    with pytest.raises(ValueError):
        scheduler.periodic("bad", "not cron")


def test_the_real_jobs_are_registered_and_run(db):
    from shangliang.core.scheduler import JOBS, run_job

    assert {"core.prune_task_results", "api.purge_idempotency_keys"} <= set(JOBS)
    for name in JOBS:
        run_job(name)  # each job runs on an empty database without error
