from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from shangliang.core.context import client_ip_var, request_id_var

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ClientAddressMiddleware:
    """Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the client is the address that the
    outermost trusted proxy saw: that many entries from the right of X-Forwarded-For.
    ``REMOTE_ADDR`` is rewritten so rate limits, the lockout and the audit trail all see
    the client, never the proxy; nothing else is believed (the header is forgeable)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.count:
            hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
            hops = [h for h in hops if h]
            if len(hops) >= self.count:
                request.META["REMOTE_ADDR"] = hops[-self.count]
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives every request an id that the audit rows it writes share."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
        token = request_id_var.set(rid)
        ip_token = client_ip_var.set(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
            client_ip_var.reset(ip_token)
        response["X-Request-Id"] = rid
        return response


class ContentSecurityPolicyMiddleware:
    """No page may load anything from another host (government intranets)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        return response
