"""Reads for the proposals API, built on the proposals app's selectors (the same visibility
rule as ``proposals.view``, as one filter) so that lists never show more than the detail.

Every list here runs a fixed number of queries whatever the page size.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership, UnitUser
from shangliang.accounts.permissions import roster_orgs_q, staff_orgs_q
from shangliang.api.proposal_schemas import AssignmentFiltersIn, ProposalFiltersIn, UnitFiltersIn
from shangliang.core.errors import Forbidden, Invalid
from shangliang.orgs.models import Unit
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.proposals.selectors import (
    VIEWING_STAFF,
    ProposalFilters,
    apply_filters,
    memberships_for_drafting,
    mine_q,
    visible_q,
)

P = Proposal.Status


def proposals_visible(*, user: Any) -> QuerySet[Proposal]:
    """Every proposal the user may open (no list data: for narrowing other queries)."""
    return Proposal.objects.filter(visible_q(user))


def own_q(user: Any) -> Q:
    """The user's own: as first proposer, or as an invited or confirmed cosigner (ids
    fetched first: two index lookups instead of an ``EXISTS`` per proposal)."""
    return mine_q(user, [Cosigner.Status.INVITED, Cosigner.Status.CONFIRMED])


def proposal_list(*, user: Any, filters: ProposalFiltersIn) -> QuerySet[Proposal]:
    """The proposals the user may see, filtered, newest first (with what a row shows).

    Members see theirs (author, cosigner, invited); the proposal office, leaders and
    administrators their committee's and those below (not drafts); handling units the
    proposals assigned to them.
    """
    qs = proposals_visible(user=user)
    qs = apply_filters(
        qs,
        ProposalFilters(
            q=filters.q,
            session=filters.session,
            category=filters.category,
            kind=filters.kind or "",
            status=filters.status or "",
            org=filters.org,
        ),
    )
    if filters.mine:
        qs = qs.filter(own_q(user))
    return qs.select_related("author__user", "session").order_by("-submitted_at", "-id")


def drafting_membership(*, user: Any, org_id: int | None) -> Membership:
    """The seat a new proposal is written from: in ``org`` or else the user's first one."""
    seats = memberships_for_drafting(user=user).order_by("org__path", "id")
    if org_id is not None:
        seat = seats.filter(org_id=org_id).first()
        if seat is None:
            message = _("您不是该政协本届在职委员。")
            raise Invalid(message, fields={"org": [message]})
        return seat
    seat = seats.first()
    if seat is None:
        raise Forbidden(_("只有本届在职委员可以提出提案。"))
    return seat


def assignment_list(*, user: Any, filters: AssignmentFiltersIn) -> QuerySet[Assignment]:
    """The assignments of the units the user acts for, and those of the committees where
    the user is proposal office, leader or administrator (and below), earliest due first."""
    units = UnitUser.objects.filter(user=user).values("unit_id")
    staff = staff_orgs_q(user, VIEWING_STAFF, prefix="proposal__org__")
    qs = Assignment.objects.filter(Q(unit_id__in=units) | staff)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.proposal:
        qs = qs.filter(proposal_id=filters.proposal)
    return qs.select_related("proposal", "unit").order_by("due_on", "id")


def unit_list(*, user: Any, filters: UnitFiltersIn) -> QuerySet[Unit]:
    """The active handling units of the user's committees: where they serve or hold a role
    (and below), and those of the units they act for."""
    own = UnitUser.objects.filter(user=user).values("unit__org_id")
    qs = Unit.objects.filter(roster_orgs_q(user) | Q(org_id__in=own), is_active=True)
    if filters.org:
        qs = qs.filter(org_id=filters.org)
    if filters.q.strip():
        text = filters.q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    return qs.order_by("org__path", "order", "name", "id")
