"""Session lifetime, the second factor and forced password changes, checked on every page.

Order in ``MIDDLEWARE`` (after authentication, OTP and messages):
``SessionTimeoutMiddleware`` → ``TwoFactorMiddleware`` → ``ForcePasswordChangeMiddleware``.
JSON API requests (bearer tokens, no session) and static files are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.accounts import clock
from shangliang.accounts.access import is_staff_user
from shangliang.accounts.signals import (
    SESSION_SEEN_KEY,
    SESSION_STARTED_KEY,
    context,
    logout_reason,
)
from shangliang.accounts.twofactor import has_confirmed_device

EXEMPT_PREFIXES = ("/static/", "/api/", "/i18n/", "/media/")
SEEN_WRITE_INTERVAL = 60
# Requests a page makes by itself (live streams): checked for the timeouts, never counted as
# activity, so an open live page does not keep an idle session alive.
PASSIVE_PREFIXES = ("/live/",)

GetResponse = Callable[[HttpRequest], HttpResponse]


def _exempt(request: HttpRequest) -> bool:
    return request.path.startswith(EXEMPT_PREFIXES)


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for htmx requests (a full-page redirect, not a swap)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(url: str, request: HttpRequest) -> str:
    """``url?next=<this page>`` for a page view (not for a form post or an htmx fragment)."""
    htmx = request.headers.get("HX-Request") == "true"
    if request.method == "GET" and not htmx and request.path != url:
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SessionTimeoutMiddleware:
    """Log the user out after ``SESSION_IDLE_MINUTES`` without a request, and in any case
    ``SESSION_COOKIE_AGE`` after the login.

    The time of the last request is written to the session at most once a minute, so
    ordinary page views do not rewrite the session row.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _exempt(request) and request.user.is_authenticated:
            reason = self._touch(request)
            if reason:
                with context(logout_reason, reason):
                    logout(request)
                if reason == "idle":
                    text = _("您已 %(m)d 分钟未操作，为保护账号安全已自动退出，请重新登录。") % {
                        "m": int(settings.SESSION_IDLE_MINUTES)
                    }
                else:
                    text = _("登录已超过有效期，请重新登录。")
                messages.warning(request, text)
                return redirect_to(request, _with_next(reverse("accounts:login"), request))
        return self.get_response(request)

    @staticmethod
    def _touch(request: HttpRequest) -> str:
        """Record activity; return why the session has ended ("idle", "expired") or ""."""
        session = request.session
        now = clock.now_ts()
        started = session.get(SESSION_STARTED_KEY)
        seen = session.get(SESSION_SEEN_KEY)
        if not isinstance(started, int):
            session[SESSION_STARTED_KEY] = started = now
        idle = int(settings.SESSION_IDLE_MINUTES) * 60  # 0 turns the idle timeout off
        if idle and isinstance(seen, int) and now - seen > idle:
            return "idle"
        if now - started > int(settings.SESSION_COOKIE_AGE):
            return "expired"
        if request.path.startswith(PASSIVE_PREFIXES):
            return ""  # a live page reconnecting by itself is not the user being active
        if not isinstance(seen, int) or now - seen >= SEEN_WRITE_INTERVAL:
            session[SESSION_SEEN_KEY] = now
        return ""


class TwoFactorMiddleware:
    """A user with a confirmed TOTP device uses the site only from a session verified by a
    code (any other session is logged out); with ``STAFF_TOTP_REQUIRED``, staff without a
    device must enrol first. The admin site's own login page, which knows nothing of
    second factors or of our lockout page, sends people to ours."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _exempt(request):
            return self.get_response(request)
        if request.path == reverse("admin:login"):
            target = reverse("accounts:login")
            nxt = request.GET.get("next") or reverse("admin:index")
            return redirect_to(request, f"{target}?{urlencode({'next': nxt})}")
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if getattr(user, "otp_device", None) is not None:  # verified by OTPMiddleware
            return self.get_response(request)
        if has_confirmed_device(user):
            # Logged in without a code (a session from before the enrolment, or another
            # login page): start again through the password and code pages.
            with context(logout_reason, "second_factor"):
                logout(request)
            messages.info(request, _("您的账号已启用双重验证，请重新登录并输入验证码。"))
            return redirect_to(request, _with_next(reverse("accounts:login"), request))
        if settings.STAFF_TOTP_REQUIRED and is_staff_user(user):
            enrol = reverse("accounts:totp")
            allowed = {enrol, reverse("accounts:logout"), reverse("accounts:password_change")}
            if request.path not in allowed:
                return redirect_to(request, enrol)
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """A user with an administrator-set temporary password must change it first."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not _exempt(request)
        ):
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed:
                return redirect_to(request, reverse("accounts:password_change"))
        return self.get_response(request)
