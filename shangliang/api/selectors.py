"""Reads the API needs that the apps' own selectors do not offer (yet).

Candidates to move into ``orgs.selectors`` when its owners agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from shangliang.core.errors import Invalid, NotFound
from shangliang.orgs.models import (
    Committee,
    Group,
    Organization,
    Sector,
    Session,
    Term,
    Unit,
    Workstation,
)


def org_active(*, org_id: int) -> Organization:
    """An active committee, or NotFound."""
    org = Organization.objects.filter(pk=org_id, is_active=True).first()
    if org is None:
        raise NotFound()
    return org


P = TypeVar("P", Sector, Committee, Group, Term)


def org_parts(model: type[P], *, org: Organization, ids: Sequence[int], field: str) -> list[P]:
    """The organisation's sectors (committees, groups, terms) with these ids, in that order;
    an id of another organisation, or of none, is invalid input for ``field``."""
    found = {p.pk: p for p in model._default_manager.filter(org=org, pk__in=set(ids))}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        message = _("%(o)s没有 id 为 %(ids)s 的%(what)s。") % {
            "o": org,
            "ids": ", ".join(missing),
            "what": model._meta.verbose_name,
        }
        raise Invalid(message, fields={field: [message]})
    return [found[pk] for pk in ids]


@dataclass(frozen=True)
class OrgStructure:
    terms: list[Term]
    sectors: list[Sector]
    committees: list[Committee]
    groups: list[Group]
    units: list[Unit]
    workstations: list[Workstation]


def org_structure(*, org: Organization) -> OrgStructure:
    """Terms (newest first, each with its sessions) and the active parts of one committee."""
    sessions = Prefetch("sessions", queryset=Session.objects.order_by("number"))
    return OrgStructure(
        terms=list(Term.objects.filter(org=org).order_by("-number").prefetch_related(sessions)),
        sectors=list(Sector.objects.filter(org=org, is_active=True).order_by("order", "name")),
        committees=list(
            Committee.objects.filter(org=org, is_active=True).order_by("order", "name")
        ),
        groups=list(Group.objects.filter(org=org, is_active=True).order_by("order", "name")),
        units=list(Unit.objects.filter(org=org, is_active=True).order_by("order", "name")),
        workstations=list(
            Workstation.objects.filter(org=org, is_active=True).order_by("order", "name")
        ),
    )
