"""Brute-force lockout on top of django-axes.

Failures are counted per account, not per address (a county office often shares one NAT
address). Whatever the person typed — the username or the mobile number — is turned into
the account's username first, so both spellings share one counter and an administrator's
unlock clears both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from shangliang.accounts.backends import find_login_user
from shangliang.accounts.models import User

MAX_IDENT = 150


def canonical_username(typed: Any) -> str:
    """The username an identifier stands for, or the typed text (truncated) if none."""
    ident = str(typed or "").strip()[:MAX_IDENT]
    user = find_login_user(ident)
    return user.username if user is not None else ident


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """``AXES_USERNAME_CALLABLE``: what axes counts failures against."""
    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = request.POST.get("username")
    return canonical_username(typed)


def lockout_minutes() -> int:
    cool_off = get_cool_off()
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


@dataclass(frozen=True)
class LockState:
    failures: int
    locked: bool

    @property
    def remaining(self) -> int:
        return max(0, failure_limit() - self.failures)


def lock_state(request: HttpRequest, user: User) -> LockState:
    """Recent failures of an account and whether it is locked now."""
    credentials = {"username": user.username}
    failures = int(AxesProxyHandler.get_failures(request, credentials))
    return LockState(failures=failures, locked=failures >= failure_limit())


def is_locked(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": username}))


def record_failure(request: HttpRequest, user: User, *, stage: str) -> None:
    """Count a failed step of a login (a wrong one-time code) like a wrong password.

    Sends Django's ``user_login_failed``: axes counts it (and may lock the account, which
    sets ``request.axes_locked_out``), and :mod:`shangliang.accounts.signals` audits it.
    """
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.username, "stage": stage},
        request=request,
    )


def failures_in_request(request: HttpRequest) -> int | None:
    """How many recent failures axes counted while handling this request, if it counted."""
    value = getattr(request, "axes_failures_since_start", None)
    return int(value) if value is not None else None


def locked_in_request(request: HttpRequest) -> bool:
    return bool(getattr(request, "axes_locked_out", False))
