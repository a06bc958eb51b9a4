"""When the database cannot be reached (restarting, failing over, overloaded), every
request answers at once with a clear 503 — an HTML page, or the API's JSON error format —
instead of hanging or showing a bare 500. Nothing is half-written: each service runs in one
transaction, which the database rolls back when the connection dies. Django drops the
broken connection at the end of the request and ``CONN_HEALTH_CHECKS`` checks the next one,
so the site recovers by itself as soon as the database is back.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


def database_unavailable(exc: BaseException | None) -> bool:
    """Is this the database being unreachable or refusing work (rather than a bug)?"""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def unavailable_detail() -> str:
    return _("系统暂时无法访问数据库，请稍后重试。您刚才的操作没有生效，也没有留下半截记录。")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "unavailable", "detail": unavailable_detail()},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        html = render_to_string(
            "core/unavailable.html",
            {"detail": unavailable_detail(), "retry": RETRY_AFTER_SECONDS},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's database outage into the 503 answer (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if database_unavailable(exception):
            log.warning("database unavailable on %s: %s", request.path, exception)
            return unavailable_response(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: an outage raised outside a view (in a middleware reading the session,
    while saving it) is a 503 too; anything else is Django's plain 500 page."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "detail": _("服务器出错，请稍后重试。")},
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.server_error(request)
