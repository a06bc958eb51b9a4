"""Writes about people: accounts, memberships, roles, passwords and API tokens."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shangliang.accounts.access import can_attach, can_manage_user, is_staff_user, managing_org
from shangliang.accounts.models import ApiToken, Membership, Role, UnitUser, User
from shangliang.accounts.permissions import require
from shangliang.accounts.twofactor import confirmed_device, unconfirmed_device, verify_code
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid, invalid_from_django
from shangliang.orgs.models import Group, Organization, Term, Unit

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


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
    audit_action: str = "accounts.membership_added",
    audit_data: Callable[[Membership], dict[str, Any]] | None = None,
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
        action=audit_action,
        target=membership,
        data=audit_data(membership) if audit_data else {"position": position},
    )
    return membership


def _check_link(actor: Any, user: User) -> None:
    """May ``actor`` attach ``user`` to an organisation (a role, a unit)? See
    :func:`access.can_attach`; nobody attaches themselves. ``None`` is the system."""
    if actor is None:
        return
    if actor.pk == user.pk:
        raise Forbidden(_("不能为自己授予角色或单位身份，请由其他管理员办理。"))
    if not can_attach(actor, user):
        raise Forbidden(
            _("%(u)s 的账号属于您无权管理的组织，请联系上级政协管理员办理。")
            % {"u": user.display_name}
        )


@transaction.atomic
def role_grant(*, actor: Any, user: User, org: Organization, kind: str, title: str = "") -> Role:
    """Give ``user`` a role in ``org`` (idempotent). Every kind, the administrator role
    included, needs ``orgs.configure`` in ``org`` (superusers have it everywhere): nobody
    hands out more than they hold. ``actor=None`` is the system (demo data)."""
    if actor is not None:
        require(actor, "orgs.configure", org)
    if kind not in Role.Kind.values:
        raise Invalid(_("未知的角色。"), fields={"kind": [_("无效")]})
    _check_link(actor, user)
    existing = Role.objects.filter(user=user, org=org, kind=kind).first()
    if existing is not None:
        return existing
    role = Role(user=user, org=org, kind=kind, title=title.strip())
    _full_clean(role, exclude=["user", "org"])
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError:
        return Role.objects.get(user=user, org=org, kind=kind)
    audit_record(
        actor=actor,
        action="accounts.role_granted",
        target=role,
        data={"user": user.pk, "kind": kind},
    )
    return role


@transaction.atomic
def role_revoke(*, actor: Any, role: Role) -> None:
    """Take a role away (``orgs.configure`` in its organisation). An administrator cannot
    revoke their own last administrator role: nobody would be left to undo it."""
    require(actor, "orgs.configure", role.org)
    if (
        role.user_id == actor.pk
        and role.kind == Role.Kind.ADMIN
        and not actor.is_superuser
        and not Role.objects.filter(user=actor, kind=Role.Kind.ADMIN, org__is_active=True)
        .exclude(pk=role.pk)
        .exists()
    ):
        raise Invalid(
            _(
                "不能撤销您自己仅有的系统管理员角色，否则将无法再管理角色。"
                "如确需撤销，请由上级政协管理员操作。"
            )
        )
    audit_record(
        actor=actor,
        action="accounts.role_revoked",
        target=role,
        data={"user": role.user_id, "kind": role.kind},
    )
    deleted, _detail = Role.objects.filter(pk=role.pk).delete()
    if not deleted:
        raise Conflict(_("该角色已被撤销。"))


@transaction.atomic
def unit_user_add(*, actor: Any, user: User, unit: Unit, is_manager: bool = False) -> UnitUser:
    """Let ``user`` act for a handling unit (``orgs.manage_roster`` in the unit's
    organisation; idempotent)."""
    if actor is not None:
        require(actor, "orgs.manage_roster", unit.org)
        if not unit.is_active:
            raise Invalid(_("承办单位“%(u)s”已停用。") % {"u": unit})
    _check_link(actor, user)
    link, created = UnitUser.objects.get_or_create(
        user=user, unit=unit, defaults={"is_manager": is_manager}
    )
    if created:
        audit_record(
            actor=actor,
            action="accounts.unit_user_added",
            target=link,
            org=unit.org,
            data={"user": user.pk, "unit": unit.pk, "is_manager": is_manager},
        )
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
    ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)  # phones log in again
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


def membership_act(*, actor: Any, membership: Membership, action: str, **fields: Any) -> Membership:
    """Suspend, reinstate, propose or decide an exit: a step of the membership workflow."""
    from shangliang.core.workflow import transition

    result: Membership = transition(membership, action, actor=actor, **fields)
    return result
