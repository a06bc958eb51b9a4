from __future__ import annotations

from typing import Any

from django_tasks import task

from shangliang.core.events import Event, deliver


@task()
def deliver_event(
    path: str, name: str, model: str, object_id: str, actor_id: int | None, data: dict[str, Any]
) -> None:
    deliver(path, Event(name=name, model=model, object_id=object_id, actor_id=actor_id, data=data))


@task()
def run_scheduled_job(name: str) -> None:
    from shangliang.core.scheduler import run_job

    run_job(name)
