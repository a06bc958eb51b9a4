"""Log in with the username or the mobile number."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from shangliang.accounts.models import User

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def phone_candidate(ident: str) -> str | None:
    """The typed text as a mainland mobile number ("+86 137-0000-0000" → "13700000000")."""
    phone = re.sub(r"[\s-]", "", ident).removeprefix("+86")
    return phone if PHONE_RE.match(phone) else None


def find_login_user(ident: str | None) -> User | None:
    """The account a login identifier names: the username first, then the mobile number.

    A username wins over another account's mobile number, so the answer never depends on
    which row the database happens to return first.
    """
    ident = (ident or "").strip()
    if not ident:
        return None
    user = User._default_manager.filter(username=ident).first()
    if user is None:
        phone = phone_candidate(ident)
        if phone:
            user = User._default_manager.filter(phone=phone).first()
    return user


class UsernameOrPhoneBackend(ModelBackend):
    """Authenticate by username or mobile number; inactive accounts never authenticate."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or not password:
            return None
        user = find_login_user(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
