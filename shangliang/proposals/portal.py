"""The public portal's reads (公开的提案答复): proposals whose proposers agreed to publish the
reply and whose office approved it, with at least one approved reply to show.

Nothing here depends on the user: the portal is open to everyone. Only names are shown of
the proposers; the templates never reach contact details.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from shangliang.core import search
from shangliang.core.errors import NotFound
from shangliang.orgs.models import Organization
from shangliang.proposals import similarity
from shangliang.proposals.models import Assignment, Cosigner, Proposal

P = Proposal.Status
A = Assignment.Status


def approved_replies() -> QuerySet[Assignment]:
    """Replies the office approved and sent to the proposers (not a co-handler's opinion)."""
    return (
        Assignment.objects.filter(replied_at__isnull=False, status__in=[A.RATING, A.DONE])
        .exclude(role=Assignment.Role.CO)
        .select_related("unit")
        .order_by("replied_at", "id")
    )


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
        in_title = search.search_q(similarity.KIND, q, ("title",))
        qs = qs.filter(in_title | Exists(replies.filter(reply_text__icontains=q)))
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
