"""Reads of excellent-proposal nominations, scoped to who may see them (the proposal office,
leaders and administrators of the committee and those above), and the public list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import require, staff_orgs_q
from shangliang.core.errors import NotFound
from shangliang.orgs.models import Organization
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.models import Cosigner, Proposal

N = ExcellentNomination.Status
VIEWERS = [Role.Kind.PROPOSAL_OFFICE, Role.Kind.LEADER, Role.Kind.ADMIN]
NOMINABLE = (Proposal.Status.ACCEPTED, Proposal.Status.HANDLING, Proposal.Status.CLOSED)


@dataclass(frozen=True)
class NominationFilters:
    org: int | None = None
    session: int | None = None
    status: str = ""
    q: str = ""  # in the title, or a proposal number


def confirmed_cosigners() -> Prefetch[Any]:
    confirmed = Cosigner.objects.filter(status=Cosigner.Status.CONFIRMED).select_related(
        "membership__user", "membership__sector"
    )
    return Prefetch("proposal__cosigners", confirmed.order_by("id"), to_attr="confirmed_cosigners")


def _base() -> QuerySet[ExcellentNomination]:
    return ExcellentNomination.objects.select_related(
        "org",
        "session",
        "nominated_by",
        "proposal__session",
        "proposal__author__user",
        "proposal__author__sector",
    ).prefetch_related(confirmed_cosigners())


def _filtered(
    qs: QuerySet[ExcellentNomination], filters: NominationFilters
) -> QuerySet[ExcellentNomination]:
    if filters.org:
        qs = qs.filter(org_id=filters.org)
    if filters.session:
        qs = qs.filter(session_id=filters.session)
    if filters.status:
        qs = qs.filter(status=filters.status)
    text = filters.q.strip()
    if text:
        match = Q(proposal__title__icontains=text)
        digits = text.strip("第号")
        if digits.isdigit():
            match |= Q(proposal__number=int(digits))
        qs = qs.filter(match)
    return qs


def nominations_visible_to(
    *, user: Any, filters: NominationFilters | None = None
) -> QuerySet[ExcellentNomination]:
    """Every nomination the user may see, filtered; by session, then proposal number."""
    if not user.is_authenticated:
        return ExcellentNomination.objects.none()
    qs = _base().filter(staff_orgs_q(user, VIEWERS))
    qs = _filtered(qs, filters or NominationFilters())
    return qs.order_by("-session__opens_on", "proposal__number", "id")


def nominations_of(
    *, user: Any, org: Organization, filters: NominationFilters
) -> QuerySet[ExcellentNomination]:
    """One committee's nominations (its office's and leaders' list)."""
    require(user, "proposals.view_excellent", org, hide=True)
    qs = _filtered(_base().filter(org=org), filters)
    return qs.order_by("-session__opens_on", "proposal__number", "id")


def status_counts(*, org: Organization, session: int | None) -> dict[str, int]:
    qs = ExcellentNomination.objects.filter(org=org)
    if session:
        qs = qs.filter(session_id=session)
    counts = {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("pk"))}
    return {s: counts.get(s, 0) for s in N.values}


def nomination_visible(*, user: Any, nomination_id: int) -> ExcellentNomination:
    n = _base().filter(pk=nomination_id).first()
    if n is None:
        raise NotFound()
    require(user, "proposals.view_excellent", n.org, hide=True)
    return n


def nominable_proposals(
    *, org: Organization, session: int | None = None, q: str = ""
) -> QuerySet[Proposal]:
    """Accepted proposals of the committee without a live nomination, by number."""
    live = ExcellentNomination.objects.filter(
        proposal=OuterRef("pk"), status__in=ExcellentNomination.ACTIVE
    )
    qs = Proposal.objects.filter(org=org, status__in=NOMINABLE).exclude(Exists(live))
    if session:
        qs = qs.filter(session_id=session)
    text = q.strip()
    if text:
        match = Q(title__icontains=text)
        digits = text.strip("第号")
        if digits.isdigit():
            match |= Q(number=int(digits))
        qs = qs.filter(match)
    return qs.select_related("session", "author__user").order_by("-session__opens_on", "number")


def active_nomination(p: Proposal) -> ExcellentNomination | None:
    return (
        ExcellentNomination.objects.filter(proposal=p, status__in=ExcellentNomination.ACTIVE)
        .order_by("-id")
        .first()
    )


def excellent_label(p: Proposal) -> str:
    """ "优秀提案" once the committee published it as one, else ""."""
    published = ExcellentNomination.objects.filter(proposal=p, status=N.PUBLISHED).exists()
    return _("优秀提案") if published else ""


# --- the public portal -----------------------------------------------------------------------


def published_excellent(*, org: int | None = None, q: str = "") -> QuerySet[ExcellentNomination]:
    """Published excellent proposals, newest first; names and sectors only, never contacts."""
    qs = _base().filter(status=N.PUBLISHED)
    if org:
        qs = qs.filter(org_id=org)
    if q.strip():
        qs = qs.filter(proposal__title__icontains=q.strip())
    return qs.order_by("-published_at", "-id")


def proposers_public(n: ExcellentNomination) -> list[tuple[str, str]]:
    """(name, sector) of each proposer, or the collective's name; nothing else about them."""
    p = n.proposal
    if p.kind == Proposal.Kind.COLLECTIVE:
        return [(p.collective_name, p.get_collective_type_display())]
    people = [p.author] + [c.membership for c in getattr(p, "confirmed_cosigners", [])]
    return [(m.user.display_name, m.sector.name if m.sector_id else "") for m in people]
