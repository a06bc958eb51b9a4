"""A worker killed in the middle of a batch: after a restart every task is done exactly once."""

from __future__ import annotations

import datetime as dt
import signal
import time

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shangliang.core.task_recovery import requeue_stale_tasks
from shangliang.core.tests import procs
from shangliang.notifications.models import Notification
from shangliang.notifications.tasks import deliver_notification
from shangliang.testing import UserFactory

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks():
    with override_settings(TASKS=DB_TASKS):
        yield


def test_it_requeues_only_tasks_running_too_long(db, db_tasks):
    user = UserFactory()
    results = [deliver_notification.enqueue(user.pk, "k", f"k{i}", "t", "", "") for i in range(3)]
    rows = {r.id: DBTaskResult.objects.get(pk=r.id) for r in results}
    stale, fresh, _ready = rows.values()
    stale.claim("dead-worker")
    DBTaskResult.objects.filter(pk=stale.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=1)
    )
    fresh.claim("live-worker")
    assert requeue_stale_tasks(dt.timedelta(minutes=15)) == 1
    assert DBTaskResult.objects.get(pk=stale.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"
    assert requeue_stale_tasks(dt.timedelta(minutes=15)) == 0


@pytest.mark.reliability
@pytest.mark.django_db(transaction=True)
def test_it_delivers_each_of_1000_notifications_once_across_a_killed_worker(db_tasks, tmp_path):
    procs.skip_unless_postgresql()
    user = UserFactory()
    n = 1000
    for i in range(n):
        deliver_notification.enqueue(user.pk, "batch", f"batch:{i}", f"第{i}条", "", "")
    assert DBTaskResult.objects.ready().count() == n

    env = procs.app_env(DATABASE_URL=procs.database_url(), LIVE_BACKEND="memory")
    worker_args = [
        procs.PYTHON,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--no-reload",
        "--interval",
        "0.1",
        "--no-startup-delay",
    ]
    worker = procs.start(worker_args, env, tmp_path / "worker1.log")
    try:
        procs.wait_for(lambda: Notification.objects.count() >= 150, timeout=120, step=0.02)
    finally:
        procs.stop(worker, signal.SIGKILL)  # kill -9, mid-batch
    done = Notification.objects.count()
    assert 150 <= done < n, "the worker must die in the middle of the batch"

    # The narrowest window, made certain: a task whose body committed but whose worker died
    # before recording success is RUNNING with its notification already written.
    finished = DBTaskResult.objects.successful().order_by("finished_at").last()
    assert finished is not None
    DBTaskResult.objects.filter(pk=finished.pk).update(status="RUNNING", finished_at=None)
    stuck = set(DBTaskResult.objects.running().values_list("pk", flat=True))
    assert finished.pk in stuck

    # Restart: the recovery step (what the per-minute sweep does after TASK_STALE_SECONDS),
    # then a worker that runs until the queue is empty.
    time.sleep(1)
    out = procs.manage("requeue_stale_tasks", "--older-than", "0", env=env)
    assert out.strip() == f"requeued {len(stuck)}"
    procs.manage(
        "db_worker",
        "--queue-name",
        "*",
        "--no-reload",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        env=env,
        timeout=600,
    )

    keys = list(Notification.objects.filter(user=user).values_list("key", flat=True))
    assert len(keys) == n and set(keys) == {f"batch:{i}" for i in range(n)}
    assert DBTaskResult.objects.successful().count() == n
    rerun = DBTaskResult.objects.get(pk=finished.pk)
    assert len(rerun.worker_ids) == 2  # it really ran a second time, and changed nothing
