"""Reads the API needs that the apps' own selectors do not offer (yet).

Candidates to move into ``orgs.selectors`` when its owners agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from shangliang.core.errors import NotFound
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
