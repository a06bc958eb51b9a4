"""Issuing and revoking API tokens.

``accounts.services.token_issue`` calls ``authenticate()`` inside its transaction, so the
failed attempt django-axes records is rolled back with it and the lockout never triggers.
This module authenticates first, outside any transaction, and only then writes the token;
and as a token is a login, a success clears the account's failures (``AXES_RESET_ON_SUCCESS``
does that only for ``login()``). Move it into ``accounts.services`` once that app takes it.
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

from shangliang.accounts.models import ApiToken, User
from shangliang.accounts.services import TOKEN_DAYS
from shangliang.core.audit import audit_record
from shangliang.core.errors import Forbidden


def token_issue(*, request: HttpRequest, username: str, password: str) -> tuple[str, ApiToken]:
    """Check the credentials (the lockout applies) and issue a bearer token."""
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise Forbidden(_("用户名或密码不正确。"))
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
