"""Writes about people: accounts, memberships, roles, passwords and API tokens."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import ApiToken, Membership, Role, UnitUser, User
from shangliang.accounts.permissions import require
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


def _temporary_password() -> str:
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{core}#{secrets.randbelow(90) + 10}"


@transaction.atomic
def password_set_temporary(*, actor: Any, user: User) -> str:
    """An administrator resets a password; the user must change it at the next login."""
    allowed = actor.is_superuser or any(
        m.org for m in user.memberships.select_related("org") if _can_manage(actor, m.org)
    )
    if not allowed:
        raise Forbidden()
    raw = _temporary_password()
    user.set_password(raw)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
    audit_record(actor=actor, action="accounts.password_reset", target=user)
    return raw


def _can_manage(actor: Any, org: Organization) -> bool:
    from shangliang.accounts.permissions import can

    return can(actor, "orgs.manage_roster", org)


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
