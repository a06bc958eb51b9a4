"""Every login, logout, failed login and lockout leaves an audit event.

Credentials never reach the audit trail: Django masks the password in ``user_login_failed``
and these receivers copy only the identifier that was typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shangliang.accounts import clock
from shangliang.accounts.backends import find_login_user
from shangliang.accounts.lockout import MAX_IDENT, failures_in_request, locked_in_request
from shangliang.core.audit import audit_record

SESSION_STARTED_KEY = "_sl_auth_at"
SESSION_SEEN_KEY = "_sl_seen_at"

FAILED_ACTIONS = {
    "password": "accounts.login_failed",
    "otp": "accounts.otp_failed",
    "reauth": "accounts.reauth_failed",
}

# Why the current logout happens ("idle", "expired"), set around ``logout()`` by middleware.
logout_reason: ContextVar[str] = ContextVar("logout_reason", default="")
# How the current login was verified ("totp"), set around ``login()`` by the code page.
login_factor: ContextVar[str] = ContextVar("login_factor", default="")


@contextmanager
def context(var: ContextVar[str], value: str) -> Iterator[None]:
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = clock.now_ts()
        session[SESSION_STARTED_KEY] = now
        session[SESSION_SEEN_KEY] = now
    data = {"second_factor": login_factor.get()} if login_factor.get() else {}
    audit_record(actor=user, action="accounts.login", target=user, data=data)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        data = {"reason": logout_reason.get()} if logout_reason.get() else {}
        audit_record(actor=user, action="accounts.logout", target=user, data=data)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    typed = str(credentials.get("username", "") or "")[:MAX_IDENT]
    stage = str(credentials.get("stage", "password"))
    data: dict[str, Any] = {"username": typed}
    if stage != "password":
        data["stage"] = stage
    if request is not None and locked_in_request(request) and failures_in_request(request) is None:
        data["refused"] = "locked"  # axes refused the attempt without checking the password
    audit_record(
        actor=None,
        action=FAILED_ACTIONS.get(stage, "accounts.login_failed"),
        target=find_login_user(typed),
        target_label=typed,
        data=data,
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: Any, **kwargs: Any) -> None:
    failures = failures_in_request(request) if request is not None else None
    if failures is None:
        return  # an attempt refused during an existing lockout, audited as a failed login
    typed = str(username or "")[:MAX_IDENT]
    audit_record(
        actor=None,
        action="accounts.locked_out",
        target=find_login_user(typed),
        target_label=typed,
        data={"username": typed, "failures": failures},
    )
