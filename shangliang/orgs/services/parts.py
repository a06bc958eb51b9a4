"""Sectors (界别), committees (专门委员会), groups (学习组/工作组), handling units (承办单位)
and workstations (委员工作室/站, 协商议事室). See the package docstring for the conventions
(actor, one transaction, audit, permissions checked by the caller)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid
from shangliang.orgs.models import Group, Organization, OrgPart, Sector, Workstation
from shangliang.orgs.services._common import apply_values, field_error, save_or, validate

P = TypeVar("P", bound=OrgPart)


def _name_taken(obj: OrgPart) -> Invalid:
    return field_error(
        "name",
        _("本组织已有名为“%(name)s”的%(what)s。")
        % {"name": obj.name, "what": obj._meta.verbose_name},
    )


def _check_group(group: Group) -> None:
    if group.kind == Group.Kind.WORK:
        if group.sector_id is None:
            raise field_error("sector", _("工作组须选择所属界别。"))
        if not Sector.objects.filter(pk=group.sector_id, org_id=group.org_id).exists():
            raise field_error("sector", _("所选界别不属于本组织。"))
    elif group.sector_id is not None:
        raise field_error("sector", _("学习组按片区组成，不设界别。"))


def _check_workstation(ws: Workstation) -> None:
    if (ws.latitude is None) != (ws.longitude is None):
        raise field_error("latitude", _("经度和纬度须同时填写或同时留空。"))
    if ws.latitude is not None and not -90 <= ws.latitude <= 90:
        raise field_error("latitude", _("纬度应在 -90 到 90 之间。"))
    if ws.longitude is not None and not -180 <= ws.longitude <= 180:
        raise field_error("longitude", _("经度应在 -180 到 180 之间。"))


def _check(obj: OrgPart) -> None:
    if isinstance(obj, Group):
        _check_group(obj)
    elif isinstance(obj, Workstation):
        _check_workstation(obj)
    clash = type(obj)._default_manager.filter(org_id=obj.org_id, name=obj.name)
    if clash.exclude(pk=obj.pk).exists():
        raise _name_taken(obj)


def _action(obj: models.Model, verb: str) -> str:
    return f"orgs.{obj._meta.model_name}_{verb}"


@transaction.atomic
def part_create(*, actor: Any, model: type[P], org: Organization, **values: Any) -> P:
    """Create a sector, committee, group, unit or workstation of ``org``.

    Names are unique within a committee; a work group (工作组) needs a sector of the same
    committee and a study group (学习组) has none; a workstation's coordinates come as a pair.
    """
    obj = model(org=org, **values)
    validate(obj, _check)
    save_or(obj, duplicate=_name_taken(obj))
    audit_record(actor=actor, action=_action(obj, "created"), target=obj, data={"name": str(obj)})
    return obj


@transaction.atomic
def part_update(*, actor: Any, obj: P, **values: Any) -> P:
    """Edit a part's fields (not its committee, not ``is_active``); same checks as create."""
    before, after = apply_values(obj, values)
    if not after:
        return obj
    validate(obj, _check)
    save_or(obj, duplicate=_name_taken(obj))
    audit_record(
        actor=actor,
        action=_action(obj, "updated"),
        target=obj,
        data={"before": before, "after": after},
    )
    return obj


def _set_active(*, actor: Any, obj: P, active: bool) -> P:
    changed = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, is_active=not active)
        .update(is_active=active, updated_at=timezone.now())
    )
    obj.is_active = active
    if changed:  # a second click (or a second officer) changes and records nothing
        audit_record(
            actor=actor,
            action=_action(obj, "reactivated" if active else "deactivated"),
            target=obj,
            data={"before": {"is_active": not active}, "after": {"is_active": active}},
        )
    return obj


@transaction.atomic
def part_deactivate(*, actor: Any, obj: P) -> P:
    """Withdraw a part from new choices; memberships and proposals that refer to it keep it."""
    return _set_active(actor=actor, obj=obj, active=False)


@transaction.atomic
def part_reactivate(*, actor: Any, obj: P) -> P:
    return _set_active(actor=actor, obj=obj, active=True)


# --- workstations and the members who staff them --------------------------------------------


def _check_staff(ws: Workstation, member_ids: list[int]) -> None:
    """Staff are memberships of the workstation's committee in its current term.

    The membership model is reached through the relation, so ``orgs`` imports nothing from
    ``accounts``.
    """
    membership_model: Any = Workstation.members.field.related_model
    found = membership_model._default_manager.filter(
        pk__in=member_ids, org_id=ws.org_id, term__is_current=True
    ).count()
    if found != len(member_ids):
        raise field_error("members", _("驻站委员须是本组织本届的委员。"))


def _ids(members: Iterable[Any]) -> list[int]:
    return sorted({m if isinstance(m, int) else m.pk for m in members})


@transaction.atomic
def workstation_create(
    *, actor: Any, org: Organization, members: Iterable[Any] = (), **values: Any
) -> Workstation:
    """Create a workstation (委员工作室/站, 协商议事室) with the members who staff it."""
    ws = part_create(actor=actor, model=Workstation, org=org, **values)
    member_ids = _ids(members)
    if member_ids:
        _check_staff(ws, member_ids)
        ws.members.set(member_ids)
    return ws


@transaction.atomic
def workstation_update(
    *, actor: Any, workstation: Workstation, members: Iterable[Any] | None = None, **values: Any
) -> Workstation:
    """Edit a workstation; ``members`` (when given) replaces the members who staff it."""
    before, after = apply_values(workstation, values)
    if members is not None:
        old_ids = sorted(workstation.members.values_list("pk", flat=True))
        new_ids = _ids(members)
        if new_ids != old_ids:
            _check_staff(workstation, new_ids)
            before["members"], after["members"] = old_ids, new_ids
    if not after:
        return workstation
    validate(workstation, _check)
    save_or(workstation, duplicate=_name_taken(workstation))
    if "members" in after:
        workstation.members.set(after["members"])
    audit_record(
        actor=actor,
        action="orgs.workstation_updated",
        target=workstation,
        data={"before": before, "after": after},
    )
    return workstation
