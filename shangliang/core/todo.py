"""The personal home page's "waiting for me" (待办): each app registers a provider."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class TodoItem:
    title: str | Promise
    url: str
    count: int
    detail: str | Promise = ""
    urgent: bool = False


TodoProvider = Callable[[Any], list[TodoItem]]
PROVIDERS: list[TodoProvider] = []


def todo_provider(func: TodoProvider) -> TodoProvider:
    PROVIDERS.append(func)
    return func


def todos_for(user: Any) -> list[TodoItem]:
    items: list[TodoItem] = []
    for provider in PROVIDERS:
        items.extend(provider(user))
    return [i for i in items if i.count]
