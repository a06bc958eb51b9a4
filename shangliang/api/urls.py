"""The JSON API at /api/v1/: one NinjaAPI; each app contributes a router."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from shangliang.api.auth import BearerToken
from shangliang.core.errors import DomainError

api = NinjaAPI(
    title="商量 Shangliang API",
    version="1",
    urls_namespace="api",
    auth=BearerToken(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    detail: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body: dict[str, object] = {"code": code, "detail": detail}
    if fields:
        body["fields"] = fields
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.detail, exc.fields)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "body", []).append(str(err.get("msg", "")))
    return _error(request, 422, "invalid", "输入有误，请检查后重试。", fields)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "请先登录（Authorization: Bearer <token>）。")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", "您没有执行此操作的权限。")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "对象不存在或您无权查看。")


from shangliang.api import routes  # noqa: E402,F401  (registers the routers)
