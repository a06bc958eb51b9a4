"""Domain events: services announce what happened; other apps subscribe.

``announce()`` is called inside the service's transaction. After the commit, one task per
subscriber is enqueued on the task queue, so a slow or failing subscriber never holds up
or undoes the change that announced it. Subscribers must be idempotent (key their writes
by the source object), since a task may be retried.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    model: str = ""  # "app_label.model_name"
    object_id: str = ""
    actor_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def get_object(self) -> models.Model | None:
        if not self.model:
            return None
        model = apps.get_model(self.model)
        return model._default_manager.filter(pk=self.object_id).first()


Subscriber = Callable[[Event], None]
_SUBSCRIBERS: dict[str, list[str]] = defaultdict(list)


def subscribe(name: str) -> Callable[[Subscriber], Subscriber]:
    """Register a subscriber (by dotted path, so the worker can find it again)."""

    def register(func: Subscriber) -> Subscriber:
        path = f"{func.__module__}.{func.__qualname__}"
        if path not in _SUBSCRIBERS[name]:
            _SUBSCRIBERS[name].append(path)
        return func

    return register


def subscribers_of(name: str) -> list[str]:
    return list(_SUBSCRIBERS.get(name, ()))


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dt.date | dt.datetime):
            out[key] = value.isoformat()
        elif isinstance(value, models.Model):
            out[key] = value.pk
        else:
            out[key] = value
    return out


def announce(
    name: str,
    *,
    obj: models.Model | None = None,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    event = Event(
        name=name,
        model=f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        actor_id=getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None,
        data=_jsonable(data or {}),
    )

    def dispatch() -> None:
        from shangliang.core.tasks import deliver_event

        for path in subscribers_of(name):
            deliver_event.enqueue(
                path, event.name, event.model, event.object_id, event.actor_id, event.data
            )

    transaction.on_commit(dispatch)
    return event


def deliver(path: str, event: Event) -> None:
    import_string(path)(event)
