"""Publish/subscribe for live pages (server-sent events, ``core/live_views.py``).

A channel is ``"<prefix>:<key>"`` (``channel("meetings", 12)`` → ``"meetings:12"``); a browser
listens on ``GET /live/<prefix>/<key>/`` if the ``can_listen`` check registered for the
prefix lets it. ``publish()`` is safe inside a transaction: the message leaves on commit
(and never if the transaction rolls back).

Backends, chosen by ``LIVE_BACKEND`` (default: ``redis`` when ``REDIS_URL`` is set, else
``postgres`` on PostgreSQL, else ``memory``):

- ``memory``: in this process only (the embedded install, tests);
- ``redis``: Redis PUBLISH/SUBSCRIBE, for several app servers and workers;
- ``postgres``: PostgreSQL NOTIFY/LISTEN on the application's own database.

Messages are best effort (a browser that is not connected misses them): a live page
re-reads its state on every message and on reconnecting, never relying on the payload
alone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

PG_CHANNEL = "shangliang_live"


def channel(prefix: str, key: object) -> str:
    return f"{prefix}:{key}"


# --- channels and who may listen ---------------------------------------------------------

CanListen = Callable[[Any, str], bool]


@dataclass(frozen=True)
class Registration:
    prefix: str
    can_listen: CanListen


_CHANNELS: dict[str, Registration] = {}


def register_channel(prefix: str, can_listen: CanListen) -> None:
    """Declare a channel family; ``can_listen(user, key)`` decides who may open the stream
    (it runs in a thread, so it may query the database)."""
    if not prefix or ":" in prefix or "/" in prefix:
        raise ValueError(f"invalid channel prefix {prefix!r}")
    _CHANNELS[prefix] = Registration(prefix=prefix, can_listen=can_listen)


def registration(prefix: str) -> Registration | None:
    return _CHANNELS.get(prefix)


# --- backends ------------------------------------------------------------------------------


class Subscription(Protocol):
    def get(self, timeout: float) -> dict[str, Any] | None: ...

    async def aget(self, timeout: float) -> dict[str, Any] | None: ...

    def close(self) -> None: ...

    async def aclose(self) -> None: ...


class Backend(Protocol):
    def send(self, channel: str, data: dict[str, Any]) -> None: ...

    def subscribe(self, channel: str) -> Subscription: ...


class _MemorySubscription:
    def __init__(self, backend: MemoryBackend, channel: str) -> None:
        self.backend = backend
        self.channel = channel
        self.queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1000)

    def put(self, data: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(data)
        except queue.Full:  # a stalled listener loses messages, never blocks a publisher
            log.warning("live: listener on %s is full, dropping a message", self.channel)

    def get(self, timeout: float) -> dict[str, Any] | None:
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None

    async def aget(self, timeout: float) -> dict[str, Any] | None:
        step = 0.1
        waited = 0.0
        while waited < timeout:
            try:
                return self.queue.get_nowait()
            except queue.Empty:
                await asyncio.sleep(step)
                waited += step
        return None

    def close(self) -> None:
        self.backend.drop(self)

    async def aclose(self) -> None:
        self.close()


class MemoryBackend:
    """Listeners in this process only."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.listeners: dict[str, set[_MemorySubscription]] = {}

    def send(self, channel: str, data: dict[str, Any]) -> None:
        with self.lock:
            targets = list(self.listeners.get(channel, ()))
        for sub in targets:
            sub.put(data)

    def subscribe(self, channel: str) -> _MemorySubscription:
        sub = _MemorySubscription(self, channel)
        with self.lock:
            self.listeners.setdefault(channel, set()).add(sub)
        return sub

    def drop(self, sub: _MemorySubscription) -> None:
        with self.lock:
            subs = self.listeners.get(sub.channel)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self.listeners[sub.channel]


def _decode(raw: Any) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class _RedisSubscription:
    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self._sync: Any = None
        self._async: Any = None

    def get(self, timeout: float) -> dict[str, Any] | None:
        import redis

        if self._sync is None:
            self._sync = redis.Redis.from_url(self.url).pubsub(ignore_subscribe_messages=True)
            self._sync.subscribe(self.channel)
        msg = self._sync.get_message(timeout=timeout)
        return _decode(msg["data"]) if msg else None

    async def aget(self, timeout: float) -> dict[str, Any] | None:
        import redis.asyncio

        if self._async is None:
            client = redis.asyncio.Redis.from_url(self.url)
            self._async = client.pubsub(ignore_subscribe_messages=True)
            await self._async.subscribe(self.channel)
        msg = await self._async.get_message(timeout=timeout)
        if msg is None:
            await asyncio.sleep(0)  # get_message may return early: yield anyway
        return _decode(msg["data"]) if msg else None

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()
            self._sync = None

    async def aclose(self) -> None:
        if self._async is not None:
            await self._async.aclose()
            self._async = None
        self.close()


class RedisBackend:
    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        self.client = redis.Redis.from_url(url)

    def send(self, channel: str, data: dict[str, Any]) -> None:
        self.client.publish(channel, json.dumps(data, ensure_ascii=False))

    def subscribe(self, channel: str) -> _RedisSubscription:
        # A subscription connects lazily: the sync (WSGI) or async (ASGI) client, whichever
        # the stream uses.
        return _RedisSubscription(self.url, channel)


class _PostgresSubscription:
    """LISTEN on a connection of its own (never the request's)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._sync: Any = None
        self._async: Any = None

    @staticmethod
    def _conninfo() -> dict[str, Any]:
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        params["autocommit"] = True
        return params

    def _match(self, payload: str) -> dict[str, Any] | None:
        message = _decode(payload)
        if message and message.get("channel") == self.channel:
            data = message.get("data")
            return data if isinstance(data, dict) else None
        return None

    def get(self, timeout: float) -> dict[str, Any] | None:
        import psycopg

        if self._sync is None:
            self._sync = psycopg.Connection.connect(**self._conninfo())
            self._sync.execute(f"LISTEN {PG_CHANNEL}")
        for note in self._sync.notifies(timeout=timeout, stop_after=1):
            return self._match(note.payload)
        return None

    async def aget(self, timeout: float) -> dict[str, Any] | None:
        import psycopg

        if self._async is None:
            self._async = await psycopg.AsyncConnection.connect(**self._conninfo())
            await self._async.execute(f"LISTEN {PG_CHANNEL}")
        async for note in self._async.notifies(timeout=timeout, stop_after=1):
            return self._match(note.payload)
        return None

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()
            self._sync = None

    async def aclose(self) -> None:
        if self._async is not None:
            await self._async.close()
            self._async = None
        self.close()


class PostgresBackend:
    def send(self, channel: str, data: dict[str, Any]) -> None:
        payload = json.dumps({"channel": channel, "data": data}, ensure_ascii=False)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [PG_CHANNEL, payload])

    def subscribe(self, channel: str) -> _PostgresSubscription:
        return _PostgresSubscription(channel)


_backend: Backend | None = None
_backend_lock = threading.Lock()


def backend_name() -> str:
    name = str(getattr(settings, "LIVE_BACKEND", "") or "")
    if name:
        return name
    if getattr(settings, "REDIS_URL", ""):
        return "redis"
    if connection.vendor == "postgresql":
        return "postgres"
    return "memory"


def get_backend() -> Backend:
    global _backend
    with _backend_lock:
        if _backend is None:
            name = backend_name()
            if name == "redis":
                _backend = RedisBackend(settings.REDIS_URL)
            elif name == "postgres":
                _backend = PostgresBackend()
            elif name == "memory":
                _backend = MemoryBackend()
            else:
                raise ValueError(f"unknown LIVE_BACKEND {name!r}")
        return _backend


def reset_backend() -> None:
    """Forget the chosen backend (tests that change the settings)."""
    global _backend
    with _backend_lock:
        _backend = None


def publish(channel: str, data: dict[str, Any]) -> None:
    """Send ``data`` (JSON-serialisable) to everyone listening on ``channel``, after the
    current transaction commits (at once outside a transaction). A failure to publish is
    logged, never raised: the change itself has already been committed."""
    json.dumps(data)  # fail early, in the caller, on data that cannot be sent

    def send() -> None:
        try:
            get_backend().send(channel, data)
        except Exception:
            log.exception("live: publishing on %s failed", channel)

    transaction.on_commit(send)


def subscribe(channel: str) -> Subscription:
    return get_backend().subscribe(channel)
