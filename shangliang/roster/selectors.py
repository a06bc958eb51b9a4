"""Reads of the roster, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can, require, roster_orgs_q
from shangliang.core.errors import NotFound
from shangliang.orgs.models import Organization
from shangliang.roster.models import ImportJob


@dataclass(frozen=True)
class RosterFilters:
    q: str = ""
    sector: int | None = None
    committee: int | None = None
    group: int | None = None
    position: str = ""
    status: str = ""
    term: int | None = None


def roster_for(*, user: Any, org: Organization, filters: RosterFilters) -> QuerySet[Membership]:
    require(user, "orgs.view_roster", org, hide=True)
    qs = (
        Membership.objects.filter(org=org)
        .select_related("user", "sector", "committee", "term")
        .prefetch_related("groups")
    )
    if filters.term:
        qs = qs.filter(term_id=filters.term)
    else:
        qs = qs.filter(term__is_current=True)
    if filters.q:
        qs = qs.filter(
            Q(user__name__icontains=filters.q)
            | Q(user__workplace__icontains=filters.q)
            | Q(user__username=filters.q)
        )
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    if filters.committee:
        qs = qs.filter(committee_id=filters.committee)
    if filters.group:
        qs = qs.filter(groups__id=filters.group)
    if filters.position:
        qs = qs.filter(position=filters.position)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("sector__order", "sector__name", "user__name", "id")


def membership_visible(*, user: Any, membership_id: int) -> Membership:
    """One membership, or NotFound if it does not exist or the user may not see it."""
    m = (
        Membership.objects.select_related("user", "org", "term", "sector", "committee")
        .filter(pk=membership_id)
        .first()
    )
    if m is None:
        raise NotFound()
    require(user, "accounts.view_membership", m, hide=True)
    return m


def roster_org_visible(*, user: Any, org_id: int) -> Organization:
    """An active organisation whose roster the user may read, or NotFound."""
    org = Organization.objects.filter(pk=org_id, is_active=True).first()
    if org is None:
        raise NotFound()
    require(user, "orgs.view_roster", org, hide=True)
    return org


def roster_orgs_for(*, user: Any) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(is_active=True)
        .filter(roster_orgs_q(user, prefix=""))
        .order_by("path")
    )


def import_job_visible(*, user: Any, job_id: int) -> ImportJob:
    """An import job, for its uploader or anyone who may manage that roster; else NotFound."""
    job = ImportJob.objects.select_related("org", "term", "uploaded_by").filter(pk=job_id).first()
    if job is None or not (
        job.uploaded_by_id == user.pk or can(user, "orgs.manage_roster", job.org)
    ):
        raise NotFound()
    return job


def import_jobs_for(*, user: Any, org: Organization) -> QuerySet[ImportJob]:
    require(user, "orgs.manage_roster", org)
    return ImportJob.objects.filter(org=org).select_related("term", "uploaded_by").defer("errors")
