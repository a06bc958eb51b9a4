"""The TOTP second factor: devices, the enrolment QR code, and the half-finished login.

After a correct password, a user with a confirmed device is not logged in yet: the
session only remembers who is waiting for the code (:func:`pending_start`) for a few
minutes. The code page then finishes the login.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import segno
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from shangliang.accounts import clock
from shangliang.accounts.models import User

PENDING_KEY = "_sl_otp_pending"
PENDING_SECONDS = 300
CODE_RE = re.compile(r"^\d{6}$")


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()
    )
    return device


def has_confirmed_device(user: Any) -> bool:
    if not getattr(user, "pk", None):
        return False
    return bool(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists())


def unconfirmed_device(user: Any) -> TOTPDevice | None:
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    )
    return device


def normalize_code(raw: Any) -> str:
    """What the person typed as a code, without spaces ("123 456" → "123456")."""
    return re.sub(r"\s", "", str(raw or ""))


def secret_base32(device: TOTPDevice) -> str:
    """The secret for manual entry in an authenticator app, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG ``data:`` URI (the CSP allows ``img-src data:``)."""
    qr = segno.make(device.config_url, error="m")
    uri: str = qr.svg_data_uri(scale=5, border=4, dark="#000", light="#fff")
    return uri


def verify_code(device: TOTPDevice, code: str) -> bool:
    """Check a code (throttled and replay-proof: django-otp accepts each code once)."""
    if not CODE_RE.match(code):
        device.throttle_increment(commit=True)
        return False
    return bool(device.verify_token(code))


def throttled(device: TOTPDevice) -> bool:
    allowed, _ = device.verify_is_allowed()
    return not allowed


# --- the login waiting for its second factor ---------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    user: User
    backend: str
    next_url: str


def pending_start(request: HttpRequest, user: User, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "started": clock.now_ts(),
        "auth_hash": user.get_session_auth_hash(),
    }


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_get(request: HttpRequest) -> PendingLogin | None:
    """The login waiting for a code, or None (none, expired, or the account changed)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if clock.now_ts() - int(data.get("started", 0)) > PENDING_SECONDS:
        pending_clear(request)
        return None
    user_id = data.get("user_id")
    user = (
        User.objects.filter(pk=user_id, is_active=True).first()
        if isinstance(user_id, int)
        else None
    )
    if user is None or user.get_session_auth_hash() != data.get("auth_hash"):
        pending_clear(request)  # the account was disabled or its password changed meanwhile
        return None
    return PendingLogin(user=user, backend=str(data.get("backend", "")), next_url=data["next"])
