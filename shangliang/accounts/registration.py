"""Members of the public (群众) open their own account with a mobile number."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shangliang.accounts import ratelimit
from shangliang.accounts.models import User
from shangliang.accounts.staffing import required_name, required_phone, username_for_phone
from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid, invalid_from_django

# The version of the terms of use shown on the registration page; recorded with each
# registration. Change it whenever the text changes.
TERMS_VERSION = "2026-01"


def _phone_taken() -> Invalid:
    message = _("该手机号已注册。请直接用手机号登录；忘记密码请联系本级政协办公室。")
    return Invalid(message, fields={"phone": [message]})


def public_user_register(*, name: str, phone: str, password: str, request: HttpRequest) -> User:
    """Create a public user's account (``is_public``) and audit it.

    The caller must have obtained consent to the terms of use (``TERMS_VERSION``, recorded
    in the audit row) and logs the new user in. Valid attempts count towards the limit per
    client address (:mod:`ratelimit`): over it, ``Throttled`` (429) and nothing is created.
    """
    user = User(
        name=required_name(name)[:60], phone=required_phone(phone), is_public=True, username=""
    )
    user.username = username_for_phone(str(user.phone))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), fields={"password": list(exc.messages)}) from exc
    ratelimit.registration_hit(request)
    if User.objects.filter(phone=user.phone).exists():
        raise _phone_taken()
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same number registered a moment ago
            raise _phone_taken() from None
        audit_record(
            actor=user,
            action="accounts.public_registered",
            target=user,
            data={"terms": TERMS_VERSION},
        )
    return user
