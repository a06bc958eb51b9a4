"""One error format for the whole API: ``{code, detail, fields?}``.

Every failure the API can produce goes through here: service errors (``DomainError``),
ninja's own 401/422/400 paths, Django's 403/404, a method the path does not take (405),
a path that does not exist, and unexpected exceptions (a logged 500, never an HTML page).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
)
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shangliang.api.rendering import json_response
from shangliang.core.errors import DomainError
from shangliang.core.unavailable import (
    RETRY_AFTER_SECONDS,
    database_unavailable,
    unavailable_detail,
)

logger = logging.getLogger("django.request")

# ninja's HttpError carries only a status; these are the codes we give each one.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}
# Where a pydantic error location starts, and the name every JSON body parameter has.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
BODY_PARAM = "payload"


def error_body(
    code: str, detail: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "detail": detail}
    if fields:
        body["fields"] = fields
    return body


def error_response(
    status: int, code: str, detail: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    return json_response(None, error_body(code, detail, fields), status=status)


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    """The top-level input a pydantic error location points at ("reason", "page", "body")."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] == BODY_PARAM:
        parts = parts[1:]
    return str(parts[0]) if parts else "body"


def fields_from_validation(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """pydantic's error list → ``{"field": [messages]}``.

    Where a value failed every branch of a union (text or integer), a constraint the value
    nearly met ("at most 300 characters") is more useful than "should be an integer".
    """
    grouped: dict[str, list[dict[str, Any]]] = {}
    for err in errors:
        grouped.setdefault(_field_of(err.get("loc", ())), []).append(err)
    fields: dict[str, list[str]] = {}
    for name, errs in grouped.items():
        specific = [e for e in errs if not str(e.get("type", "")).endswith("_type")]
        messages: list[str] = []
        for err in specific or errs:
            msg = str(err.get("msg", ""))
            if msg not in messages:
                messages.append(msg)
        fields[name] = messages
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error ``api`` returns use the one format."""

    def respond(
        request: HttpRequest,
        status: int,
        code: str,
        detail: str,
        fields: dict[str, list[str]] | None = None,
    ) -> HttpResponse:
        return api.create_response(request, error_body(code, detail, fields), status=status)

    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.detail, exc.fields)

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = fields_from_validation(exc.errors)
        return respond(request, 422, "invalid", _("输入有误，请检查后重试。"), fields)

    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = _("请先登录（Authorization: Bearer <token>），或令牌已失效。")
        response = respond(request, 401, "unauthenticated", detail)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = int(exc.status_code)
        code = HTTP_CODES.get(status, "error")
        detail = _("请求体不是有效的 JSON。") if status == 400 else str(exc)
        return respond(request, status, code, detail)

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "forbidden", _("您没有执行此操作的权限。"))

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("对象不存在或您无权查看。"))

    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return respond(request, 400, "bad_request", _("请求体过大。"))
        return respond(request, 400, "bad_request", _("请求无效。"))

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if database_unavailable(exc):  # the database is down or restarting: a clear 503
            logger.warning("database unavailable on %s: %s", request.path, exc)
            response = respond(request, 503, "unavailable", unavailable_detail())
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return respond(request, 500, "server_error", _("服务器出错，请稍后重试。"))

    api.add_exception_handler(Exception, unexpected)
    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(SuspiciousOperation, suspicious)


def _not_found_response() -> HttpResponse:
    return error_response(404, "not_found", _("对象不存在或您无权查看。"))


def _json_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Turn the plain-text 405 and the bare Http404 that ninja's URL views produce into JSON."""

    @functools.wraps(view)  # keeps csrf_exempt, which ninja sets on its views
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _not_found_response()
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            out = error_response(
                405,
                "method_not_allowed",
                _("此地址不支持 %(m)s 请求（可用：%(a)s）。") % {"m": request.method, "a": allowed},
            )
            out["Allow"] = allowed
            return out
        return response

    return wrapped


@csrf_exempt
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _not_found_response()


def _chain(views: list[Callable[..., HttpResponseBase]]) -> Callable[..., HttpResponseBase]:
    """One view for a path that several routers declare (GET in one, PATCH in another): each
    answers the methods it has; a 405 from one passes the request on to the next."""

    @functools.wraps(views[0])  # keeps csrf_exempt
    def chained(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        allowed: set[str] = set()
        for view in views:
            response = view(request, *args, **kwargs)
            if not isinstance(response, HttpResponseNotAllowed):
                return response
            allowed.update(m.strip() for m in response["Allow"].split(","))
        return HttpResponseNotAllowed(sorted(allowed))

    return chained


def _merge_routes(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """ninja makes one URL pattern per router and path, and Django stops at the first one
    that matches the path: without this, a method that a second router adds to the same path
    would answer 405."""
    views: dict[str, list[Callable[..., HttpResponseBase]]] = {}
    for p in patterns:
        if isinstance(p, URLPattern):
            found = views.setdefault(str(p.pattern), [])
            if p.callback not in found:
                found.append(p.callback)
    merged: list[URLPattern | URLResolver] = []
    seen: set[str] = set()
    for p in patterns:
        if not isinstance(p, URLPattern):
            merged.append(p)
            continue
        route = str(p.pattern)
        chain = views[route]
        callback = p.callback if route in seen or len(chain) == 1 else _chain(chain)
        seen.add(route)
        merged.append(URLPattern(p.pattern, callback, p.default_args, p.name))
    return merged


class JsonErrorsAPI(NinjaAPI):
    """A NinjaAPI whose every URL answers errors in the one JSON format."""

    @property
    def urls(self) -> tuple[list[URLPattern | URLResolver], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLPattern | URLResolver] = [
            URLPattern(p.pattern, _json_errors(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern)
            else p
            for p in _merge_routes(patterns)
        ]
        wrapped.append(re_path(r"^", unknown_path))
        return wrapped, app_name, namespace
