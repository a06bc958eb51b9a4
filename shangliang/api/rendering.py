"""JSON rendering shared by the API, its error paths and idempotent replays."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

CONTENT_TYPE = "application/json; charset=utf-8"


class Utf8JSONRenderer(JSONRenderer):
    """ninja's renderer, writing Chinese as UTF-8 rather than ``\\u`` escapes."""

    json_dumps_params = {"ensure_ascii": False}


RENDERER = Utf8JSONRenderer()


def json_response(request: HttpRequest | None, data: Any, *, status: int = 200) -> HttpResponse:
    content = RENDERER.render(request, data, response_status=status)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPE)
