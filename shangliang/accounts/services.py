"""Writes about people: accounts, memberships, roles, passwords and API tokens."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shangliang.accounts.access import can_manage_user, is_staff_user, managing_org
from shangliang.accounts.models import ApiToken, Membership, Role, UnitUser, User
from shangliang.accounts.permissions import require
from shangliang.accounts.twofactor import confirmed_device, unconfirmed_device, verify_code
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid, invalid_from_django
from shangliang.orgs.models import Group, Organization, Term, Unit

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
TOKEN_DAYS = 30


def normalize_phone(raw: str | None) -> str | None:
    if raw is None:
        return None
    phone = re.sub(r"[\s-]", "", str(raw)).removeprefix("+86")
    if not phone:
        return None
    if not PHONE_RE.match(phone):
        raise Invalid(
            _("手机号“%(p)s”无效：应为 11 位中国大陆手机号。") % {"p": raw},
            fields={"phone": [_("手机号无效")]},
        )
    return phone


def _full_clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    name: str,
    phone: str | None = None,
    password: str | None = None,
    **profile: Any,
) -> User:
    phone = normalize_phone(phone)
    if phone and User.objects.filter(phone=phone).exists():
        raise Invalid(
            _("手机号 %(p)s 已被其他账号使用。") % {"p": phone}, fields={"phone": [_("重复")]}
        )
    user = User(username=username, name=name, phone=phone, **profile)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _full_clean(user, exclude=["password"])
    user.save()
    audit_record(actor=actor, action="accounts.user_created", target=user)
    return user


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    user: User,
    org: Organization,
    term: Term,
    position: str = "member",
    sector: Any = None,
    committee: Any = None,
    groups: Iterable[Group] = (),
    joined_on: dt.date | None = None,
) -> Membership:
    if term.org_id != org.pk:
        raise Invalid(_("届次不属于该政协。"), fields={"term": [_("无效")]})
    for part in (sector, committee, *groups):
        if part is not None and part.org_id != org.pk:
            raise Invalid(_("“%(p)s”不属于该政协。") % {"p": part}, fields={"org": [_("无效")]})
    if Membership.objects.filter(user=user, org=org, term=term).exists():
        raise Invalid(
            _("%(u)s 已是本届委员。") % {"u": user.display_name}, fields={"user": [_("重复")]}
        )
    membership = Membership(
        user=user,
        org=org,
        term=term,
        position=position,
        sector=sector,
        committee=committee,
        joined_on=joined_on or term.starts_on,
    )
    _full_clean(membership)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise Conflict(_("%(u)s 已是本届委员。") % {"u": user.display_name}) from None
    if groups:
        membership.groups.set(groups)
    audit_record(
        actor=actor,
        action="accounts.membership_added",
        target=membership,
        data={"position": position},
    )
    return membership


@transaction.atomic
def role_grant(*, actor: Any, user: User, org: Organization, kind: str, title: str = "") -> Role:
    if actor is not None and not getattr(actor, "is_superuser", False):
        require(actor, "orgs.configure", org)
    role, created = Role.objects.get_or_create(
        user=user, org=org, kind=kind, defaults={"title": title}
    )
    if created:
        audit_record(
            actor=actor,
            action="accounts.role_granted",
            target=role,
            data={"user": user.pk, "kind": kind},
        )
    return role


@transaction.atomic
def role_revoke(*, actor: Any, role: Role) -> None:
    require(actor, "orgs.configure", role.org)
    audit_record(
        actor=actor,
        action="accounts.role_revoked",
        target=role,
        data={"user": role.user_id, "kind": role.kind},
    )
    role.delete()


@transaction.atomic
def unit_user_add(*, actor: Any, user: User, unit: Unit, is_manager: bool = False) -> UnitUser:
    link, created = UnitUser.objects.get_or_create(
        user=user, unit=unit, defaults={"is_manager": is_manager}
    )
    if created:
        audit_record(actor=actor, action="accounts.unit_user_added", target=link, org=unit.org)
    return link


# Read aloud over the telephone: no 0/O, 1/l/I.
_TEMP_LOWER = "abcdefghijkmnpqrstuvwxyz"
_TEMP_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_TEMP_DIGITS = "23456789"


def _temporary_password() -> str:
    """Twelve characters from three classes plus a symbol: passes the password rules."""
    chars = [secrets.choice(_TEMP_LOWER), secrets.choice(_TEMP_UPPER), secrets.choice(_TEMP_DIGITS)]
    alphabet = _TEMP_LOWER + _TEMP_UPPER + _TEMP_DIGITS
    chars += [secrets.choice(alphabet) for _ in range(9)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars[:6]) + "#" + "".join(chars[6:])


def _account_org(actor: Any, user: User) -> Organization | None:
    """The organisation through which ``actor`` manages ``user`` (Forbidden if none)."""
    if not can_manage_user(actor, user):
        raise Forbidden()
    return managing_org(actor, user)


@transaction.atomic
def password_set_temporary(*, actor: Any, user: User) -> str:
    """An administrator resets a password; the user must change it at the next login.

    Returns the new password, to be shown once: it is stored only as a hash and never
    written to the audit trail. Revokes the user's API tokens (their sessions end by
    themselves, the password hash having changed) and lifts a lockout.
    """
    org = _account_org(actor, user)
    if actor.pk == user.pk:
        raise Invalid(_("不能为自己设置临时密码，请使用“修改密码”。"))
    raw = _temporary_password()
    user.set_password(raw)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revoked = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
    cleared = axes_reset(username=user.username)
    audit_record(
        actor=actor,
        action="accounts.password_reset",
        target=user,
        org=org,
        data={"tokens_revoked": revoked, "unlocked": cleared > 0},
    )
    return raw


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise Invalid(_("原密码不正确。"), fields={"old_password": [_("不正确")]})
    if old_password == new_password:
        raise Invalid(_("新密码不能与原密码相同。"), fields={"new_password": [_("相同")]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), fields={"new_password": list(exc.messages)}) from exc
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action="accounts.password_changed", target=user)


@transaction.atomic
def account_unlock(*, actor: Any, user: User) -> int:
    """Lift a brute-force lockout before its cool-off ends; returns the attempts cleared."""
    org = _account_org(actor, user)
    cleared = axes_reset(username=user.username)
    audit_record(
        actor=actor, action="accounts.unlocked", target=user, org=org, data={"cleared": cleared}
    )
    return cleared


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Disable an account (it can no longer log in; sessions and API tokens stop working)
    or enable it again."""
    org = _account_org(actor, user)
    if actor.pk == user.pk:
        raise Invalid(_("不能停用或启用自己的账号。"))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    data: dict[str, Any] = {}
    if not active:
        data["tokens_revoked"] = ApiToken.objects.filter(user=user, revoked=False).update(
            revoked=True
        )
    action = "accounts.user_activated" if active else "accounts.user_deactivated"
    audit_record(actor=actor, action=action, target=user, org=org, data=data)
    return user


def totp_enrol_start(*, actor: User) -> TOTPDevice:
    """The device a staff member is enrolling (created on first use, unconfirmed)."""
    if not is_staff_user(actor):
        raise Forbidden(_("双重验证仅供工作人员账号使用。"))
    if confirmed_device(actor) is not None:
        raise Conflict(_("您已启用双重验证。"))
    device = unconfirmed_device(actor)
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="totp", confirmed=False)
    return device


def totp_enrol_confirm(*, actor: User, code: str) -> TOTPDevice:
    """Confirm enrolment with a code from the app; from now on logins need a code."""
    device = unconfirmed_device(actor)
    if device is None or not is_staff_user(actor):
        raise Invalid(_("绑定已失效，请刷新页面重新开始。"))
    if not verify_code(device, code):
        raise Invalid(
            _("验证码不正确，请核对手机时间后输入验证器中当前显示的 6 位数字。"),
            fields={"code": [_("验证码不正确")]},
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        audit_record(actor=actor, action="accounts.totp_enabled", target=actor)
    return device


def totp_disable(*, actor: User, password: str) -> None:
    """Turn the second factor off; the current password confirms it is really the owner."""
    if not actor.check_password(password):
        raise Invalid(_("密码不正确。"), fields={"password": [_("密码不正确")]})
    with transaction.atomic():
        count, _detail = TOTPDevice.objects.filter(user=actor).delete()
        if count:
            audit_record(actor=actor, action="accounts.totp_disabled", target=actor)


@transaction.atomic
def totp_reset(*, actor: Any, user: User) -> None:
    """An administrator removes a user's second factor (a lost or replaced phone)."""
    org = _account_org(actor, user)
    count, _detail = TOTPDevice.objects.filter(user=user).delete()
    if count:
        audit_record(actor=actor, action="accounts.totp_reset", target=user, org=org)


@transaction.atomic
def token_issue(*, request: HttpRequest, username: str, password: str) -> tuple[str, ApiToken]:
    """Check the credentials (lockout applies) and issue a bearer token."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise Forbidden(_("用户名或密码不正确，或账号已被暂时锁定。"))
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(raw),
        name="api",
        expires_at=timezone.now() + dt.timedelta(days=TOKEN_DAYS),
    )
    audit_record(actor=user, action="accounts.token_issued", target=user)
    return raw, token


def token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def membership_act(*, actor: Any, membership: Membership, action: str, **fields: Any) -> Membership:
    """Suspend, reinstate, propose or decide an exit: a step of the membership workflow."""
    from shangliang.core.workflow import transition

    result: Membership = transition(membership, action, actor=actor, **fields)
    return result
