"""Writes behind the role and unit-user pages: new accounts with a temporary password,
unit managers, removing a unit user, exports. Granting and revoking a role and adding a
unit user are in :mod:`shangliang.accounts.services` (``role_grant``, ``role_revoke``,
``unit_user_add``); everything here checks permissions itself as they do."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shangliang.accounts.models import Role, UnitUser, User
from shangliang.accounts.permissions import require
from shangliang.accounts.services import (
    _temporary_password,
    normalize_phone,
    role_grant,
    unit_user_add,
    user_create,
)
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Invalid
from shangliang.orgs.models import Organization, Unit


def username_for_phone(phone: str, prefix: str = "u") -> str:
    """A free username made of ``prefix`` and the mobile number (``u13812345678``)."""
    base = f"{prefix}{phone}"
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    return next(f"{base}_{n}" for n in range(2, 10_000) if f"{base}_{n}" not in taken)


def required_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("请填写姓名。"), fields={"name": [_("请填写姓名。")]})
    return name


def required_phone(phone: str) -> str:
    normalized = normalize_phone(phone)
    if not normalized:
        raise Invalid(_("请填写手机号。"), fields={"phone": [_("请填写手机号。")]})
    return normalized


def _account_with_temporary_password(*, actor: Any, name: str, phone: str) -> tuple[User, str]:
    """A new account (username from the mobile number) that must change its password at
    the first login. The password is returned once and never stored or audited."""
    phone = required_phone(phone)
    raw = _temporary_password()
    user = user_create(
        actor=actor,
        username=username_for_phone(phone),
        name=required_name(name),
        phone=phone,
        password=raw,
        must_change_password=True,
    )
    return user, raw


@transaction.atomic
def role_grant_new_account(
    *, actor: Any, org: Organization, kind: str, name: str, phone: str, title: str = ""
) -> tuple[Role, str]:
    """Open an account for a new person and give it a role in ``org``; returns the role and
    the temporary password, to be shown once."""
    require(actor, "orgs.configure", org)
    user, raw = _account_with_temporary_password(actor=actor, name=name, phone=phone)
    return role_grant(actor=actor, user=user, org=org, kind=kind, title=title), raw


def roles_export_record(*, actor: Any, org: Organization, rows: int) -> None:
    """Audit an Excel export of an organisation's role holders."""
    require(actor, "orgs.configure", org)
    audit_record(actor=actor, action="accounts.roles_exported", target=org, data={"rows": rows})


@transaction.atomic
def unit_user_add_new_account(
    *, actor: Any, unit: Unit, name: str, phone: str, is_manager: bool = False
) -> tuple[UnitUser, str]:
    """Open an account for a unit's new contact; returns the link and the temporary
    password, to be shown once."""
    require(actor, "orgs.manage_roster", unit.org)
    user, raw = _account_with_temporary_password(actor=actor, name=name, phone=phone)
    return unit_user_add(actor=actor, user=user, unit=unit, is_manager=is_manager), raw


@transaction.atomic
def unit_user_set_manager(*, actor: Any, link: UnitUser, is_manager: bool) -> UnitUser:
    """Mark a unit user as the unit's manager (单位负责人) or as a contact (联络员)."""
    require(actor, "orgs.manage_roster", link.unit.org)
    if link.is_manager != is_manager:
        UnitUser.objects.filter(pk=link.pk).update(is_manager=is_manager)
        link.is_manager = is_manager
        audit_record(
            actor=actor,
            action="accounts.unit_user_updated",
            target=link,
            org=link.unit.org,
            data={"user": link.user_id, "unit": link.unit_id, "is_manager": is_manager},
        )
    return link


@transaction.atomic
def unit_user_remove(*, actor: Any, link: UnitUser) -> None:
    """The user no longer acts for the unit (the account itself stays)."""
    require(actor, "orgs.manage_roster", link.unit.org)
    audit_record(
        actor=actor,
        action="accounts.unit_user_removed",
        target=link,
        org=link.unit.org,
        data={"user": link.user_id, "unit": link.unit_id},
    )
    deleted, _detail = UnitUser.objects.filter(pk=link.pk).delete()
    if not deleted:
        raise Conflict(_("该用户已不在本单位。"))
