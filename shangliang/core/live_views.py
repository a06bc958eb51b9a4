"""``GET /live/<prefix>/<key>/``: a server-sent event stream of one pub/sub channel.

Served by any process: under ASGI (uvicorn, production's ``/live/`` process) the stream is
asynchronous; under WSGI (``runserver``, gunicorn) it is a blocking stream that holds one
worker thread while it lasts. Either way it sends a comment line every
``LIVE_HEARTBEAT_SECONDS`` (so dead connections are noticed and proxies keep it open) and
ends after ``LIVE_MAX_SECONDS``; the browser's EventSource then reconnects by itself.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, StreamingHttpResponse

from shangliang.core import pubsub


def _event(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _limits() -> tuple[float, float]:
    return (
        float(getattr(settings, "LIVE_HEARTBEAT_SECONDS", 15)),
        float(getattr(settings, "LIVE_MAX_SECONDS", 300)),
    )


HELLO = b"retry: 3000\n: connected\n\n"
PING = b": ping\n\n"


def _sync_stream(channel: str) -> Iterator[bytes]:
    heartbeat, lifetime = _limits()
    sub = pubsub.subscribe(channel)
    try:
        yield HELLO
        end = time.monotonic() + lifetime
        while (left := end - time.monotonic()) > 0:
            data = sub.get(timeout=min(heartbeat, left))
            yield _event(data) if data is not None else PING
    finally:
        sub.close()


async def _async_stream(channel: str) -> AsyncIterator[bytes]:
    heartbeat, lifetime = _limits()
    sub = pubsub.subscribe(channel)
    try:
        yield HELLO
        end = time.monotonic() + lifetime
        last = time.monotonic()
        while (left := end - time.monotonic()) > 0:
            data = await sub.aget(timeout=min(heartbeat, left))
            if data is not None:
                yield _event(data)
                last = time.monotonic()
            elif time.monotonic() - last >= heartbeat * 0.9:
                yield PING
                last = time.monotonic()
    finally:
        await sub.aclose()


def _allowed(user: Any, prefix: str, key: str) -> bool:
    reg = pubsub.registration(prefix)
    if reg is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(reg.can_listen(user, key))


async def live_stream(request: HttpRequest, prefix: str, key: str) -> StreamingHttpResponse:
    user = await request.auser()
    if not await sync_to_async(_allowed)(user, prefix, key):
        raise Http404
    channel = pubsub.channel(prefix, key)
    stream: Iterator[bytes] | AsyncIterator[bytes]
    if isinstance(request, ASGIRequest):
        stream = _async_stream(channel)
    else:
        stream = _sync_stream(channel)
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass every event through at once
    return response
