"""API bearer tokens: issue (with the lockout and the second factor), revoke, resolve.

``authenticate()`` runs outside any transaction, so the failed attempt django-axes records
is never rolled back with a failing request. A token is a login: a success clears the
account's failures, and an account with a confirmed TOTP device must also send its
current code, exactly as on the login page.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.lockout import record_failure
from shangliang.accounts.models import ApiToken, User
from shangliang.accounts.twofactor import confirmed_device, normalize_code, throttled, verify_code
from shangliang.core.audit import audit_record
from shangliang.core.errors import DomainError, Forbidden

TOKEN_DAYS = 30
TOUCH_EVERY = dt.timedelta(minutes=5)


class CodeRequired(DomainError):
    status = 401
    code = "otp_required"
    default_detail = _("该账号已开启双重验证：请同时提交验证器上的 6 位动态码（code）。")


def token_issue(
    *, request: HttpRequest, username: str, password: str, code: str = ""
) -> tuple[str, ApiToken]:
    """Check the credentials (the lockout applies) and issue a bearer token."""
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise Forbidden(_("用户名或密码不正确。"))
    device = confirmed_device(user)
    if device is not None:
        if not code:
            raise CodeRequired()
        if throttled(device) or not verify_code(device, normalize_code(code)):
            record_failure(request, user, stage="api_otp")
            raise Forbidden(_("动态码不正确或已过期。"))
    if settings.AXES_RESET_ON_SUCCESS:
        axes_reset(username=user.username)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=ApiToken.digest_of(raw),
            name="api",
            expires_at=timezone.now() + dt.timedelta(days=TOKEN_DAYS),
        )
        audit_record(actor=user, action="accounts.token_issued", target=user)
    return raw, token


@transaction.atomic
def token_revoke(*, actor: Any, raw: str) -> bool:
    """Revoke the caller's own token; False if it was not live."""
    revoked = ApiToken.objects.filter(
        user=actor, digest=ApiToken.digest_of(raw), revoked=False
    ).update(revoked=True)
    if revoked:
        audit_record(actor=actor, action="accounts.token_revoked", target=actor)
    return bool(revoked)


def token_user(raw: str) -> User | None:
    """The live token's user, or None; notes the use at most every few minutes."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked=False, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
