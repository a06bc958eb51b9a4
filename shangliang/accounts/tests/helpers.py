"""Shared steps for the accounts tests."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shangliang.accounts.models import User
from shangliang.core.models import AuditEvent
from shangliang.testing import PASSWORD


def login(client: Client, ident: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": ident, "password": password, **extra}
    )


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or ``steps_ahead`` periods from now)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - steps_ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, n) for n in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in right)


def enrolled(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    return device


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
