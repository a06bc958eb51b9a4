"""The public portal's reads (公开的提案答复): proposals whose proposers agreed to publish the
reply and whose office approved it, with at least one approved reply to show.

Nothing here depends on the user: the portal is open to everyone. Only names are shown of
the proposers; the templates never reach contact details.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from shangliang.core import search
from shangliang.core.errors import NotFound
from shangliang.orgs.models import Organization
from shangliang.proposals import reply_search
from shangliang.proposals.models import Assignment, Cosigner, Proposal

P = Proposal.Status
A = Assignment.Status


def _approved() -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        replied_at__isnull=False, status__in=[A.RATING, A.DONE]
    ).exclude(role=Assignment.Role.CO)


def approved_replies() -> QuerySet[Assignment]:
    """Replies the office approved and sent to the proposers (not a co-handler's opinion)."""
    return _approved().select_related("unit").order_by("replied_at", "id")


def proposals_with_reply_matching(q: str) -> QuerySet[Assignment, int]:
    """The proposal ids of the approved replies containing ``q`` (through the search index;
    the same hits as ``reply_text__icontains``): the index's candidates are read first, so
    PostgreSQL filters them instead of scanning every published reply."""
    matching = search.search_ids_q(reply_search.KIND, q, reply_search.FIELDS)
    return _approved().filter(matching).order_by().values_list("proposal_id", flat=True)


def published_proposals(q: str = "", org: int | None = None) -> QuerySet[Proposal]:
    """Published proposals, newest first; ``q`` in the title or a published reply."""
    replies = approved_replies().filter(proposal=OuterRef("pk"))
    qs = Proposal.objects.filter(
        Exists(replies),
        status__in=[P.HANDLING, P.CLOSED],
        publish_consent=True,
        publish_approved=True,
    )
    q = q.strip()
    if q:
        in_title = Q(title__icontains=q)  # short titles of published proposals: a plain scan
        qs = qs.filter(in_title | Q(pk__in=proposals_with_reply_matching(q)))
    if org:
        qs = qs.filter(org_id=org)
    return (
        qs.select_related("org", "session")
        .prefetch_related(Prefetch("assignments", approved_replies(), to_attr="published_replies"))
        .order_by("-closed_at", "-accepted_at", "-id")
    )


def published_proposal(proposal_id: int) -> Proposal:
    """One published proposal with its proposers' names and approved replies, or NotFound."""
    confirmed = Cosigner.objects.filter(status=Cosigner.Status.CONFIRMED).select_related(
        "membership__user"
    )
    found = (
        published_proposals()
        .select_related("author__user")
        .prefetch_related(Prefetch("cosigners", confirmed, to_attr="confirmed_cosigners"))
        .filter(pk=proposal_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def portal_orgs() -> QuerySet[Organization]:
    """The committees that have anything published, for the filter."""
    published = published_proposals().filter(org=OuterRef("pk"))
    return Organization.objects.filter(Exists(published), is_active=True).order_by("path")
