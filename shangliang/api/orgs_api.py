"""Organisations: the public tree of committees and what each one is made of."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shangliang.api.schemas import (
    GroupOut,
    Id,
    OrgDetailOut,
    OrgOut,
    RefOut,
    SessionOut,
    TermOut,
    UnitOut,
    WorkstationOut,
    errors,
)
from shangliang.api.selectors import org_active, org_structure
from shangliang.orgs.models import Organization, Term
from shangliang.orgs.selectors import org_tree

router = Router(tags=["orgs"])


def org_out(org: Organization) -> OrgOut:
    return OrgOut(
        id=org.pk,
        name=org.name,
        short_name=org.short_name,
        level=org.level,
        level_label=str(org.get_level_display()),
        parent_id=org.parent_id,
        path=org.path,
    )


def term_out(term: Term) -> TermOut:
    return TermOut(
        id=term.pk,
        number=term.number,
        name=term.name,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        is_current=term.is_current,
        sessions=[
            SessionOut(
                id=s.pk,
                number=s.number,
                name=s.name,
                opens_on=s.opens_on,
                closes_on=s.closes_on,
                proposal_deadline=s.proposal_deadline,
            )
            for s in term.sessions.all()
        ],
    )


@router.get(
    "/orgs",
    auth=None,
    response={200: list[OrgOut], **errors()},
    summary="Every active committee, parents before children (public)",
)
def org_list(request: HttpRequest) -> list[OrgOut]:
    return [org_out(org) for org in org_tree()]


@router.get(
    "/orgs/{org_id}",
    auth=None,
    response={200: OrgDetailOut, **errors(404, 422)},
    summary="One committee with its terms, sessions, sectors, committees, groups, units "
    "and workstations (public)",
)
def org_detail(request: HttpRequest, org_id: Id) -> OrgDetailOut:
    org = org_active(org_id=org_id)
    parts = org_structure(org=org)
    return OrgDetailOut(
        **org_out(org).model_dump(),
        terms=[term_out(t) for t in parts.terms],
        sectors=[RefOut(id=s.pk, name=s.name) for s in parts.sectors],
        committees=[RefOut(id=c.pk, name=c.name) for c in parts.committees],
        groups=[
            GroupOut(
                id=g.pk,
                name=g.name,
                kind=g.kind,
                kind_label=str(g.get_kind_display()),
                sector_id=g.sector_id,
                region=g.region,
            )
            for g in parts.groups
        ],
        units=[
            UnitOut(
                id=u.pk,
                name=u.name,
                short_name=u.short_name,
                kind=u.kind,
                kind_label=str(u.get_kind_display()),
            )
            for u in parts.units
        ],
        workstations=[
            WorkstationOut(
                id=w.pk,
                name=w.name,
                kind=w.kind,
                kind_label=str(w.get_kind_display()),
                address=w.address,
                latitude=w.latitude,
                longitude=w.longitude,
                contact_phone=w.contact_phone,
                description=w.description,
            )
            for w in parts.workstations
        ],
    )
