"""Reads of proposals, always scoped to what the user may see (the same rules as
``permissions.py``, as query filters). The HTML pages and the API share them:

* :func:`proposals_visible_to` — every proposal the user may open (``proposals.view``), filtered;
* :func:`proposal_visible` — one of them, or ``NotFound``;
* :func:`proposals_of_member` — the user's own proposals (as author or cosigner);
* :func:`office_queue` / :func:`queue_counts` — the proposal office's queues of a committee.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Membership, Role, UnitUser
from shangliang.accounts.permissions import can, paths_for, require, scope_q, staff_orgs_q
from shangliang.core import search
from shangliang.core.errors import NotFound
from shangliang.orgs.models import Organization, Session
from shangliang.proposals import similarity
from shangliang.proposals.models import Assignment, Cosigner, Proposal

P = Proposal.Status
VIEWING_STAFF = [Role.Kind.PROPOSAL_OFFICE, Role.Kind.LEADER, Role.Kind.ADMIN]


@dataclass(frozen=True)
class ProposalFilters:
    q: str = ""  # in the title (案由) or the body: core.search, the same hits as LIKE
    session: int | None = None
    category: str = ""
    kind: str = ""
    plenary: bool | None = None  # 大会提案 / 平时提案
    status: str = ""
    org: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


def member_ids(user: Any) -> list[int]:
    """The user's seats (memberships of any term and status): the authors they may be."""
    return list(Membership.objects.filter(user=user).values_list("pk", flat=True))


def cosigned_ids(user: Any, statuses: Iterable[str]) -> list[int]:
    """The proposals the user cosigns with one of ``statuses`` (a short list, fetched first so
    that the proposals' filter is an index lookup instead of an ``EXISTS`` per proposal)."""
    rows = Cosigner.objects.filter(membership__user=user, status__in=statuses)
    return list(rows.values_list("proposal_id", flat=True).distinct())


def mine_q(user: Any, statuses: Iterable[str]) -> Q:
    """Authored by one of the user's seats, or cosigned with one of ``statuses``."""
    q = Q(pk__in=[])
    authors = member_ids(user)
    if authors:
        q |= Q(author_id__in=authors)
    cosigned = cosigned_ids(user, statuses)
    if cosigned:
        q |= Q(pk__in=cosigned)
    return q


def staff_q(user: Any, kinds: Iterable[str]) -> Q:
    """Proposals of the committees under the user's staff roles, as ``org_id IN (subquery)``
    (no join: the planner can walk an index in the list's order and filter)."""
    if user.is_superuser:
        return Q()
    paths = paths_for(user, kinds)
    if not paths:
        return Q(pk__in=[])
    return Q(org_id__in=Organization.objects.filter(scope_q(paths, prefix="")).values("pk"))


def visible_q(user: Any) -> Q:
    """Proposals the user may open: the same rule as ``proposals.view``, as one filter.

    Built from what the user is (seats, cosignatures, units, roles), fetched first, so that
    each branch is an index lookup; branches the user has nothing for are left out."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = mine_q(user, [Cosigner.Status.INVITED, Cosigner.Status.CONFIRMED])
    not_draft = ~Q(status=P.DRAFT)
    if user.is_superuser:
        return mine | not_draft
    others = staff_q(user, VIEWING_STAFF)
    units = list(UnitUser.objects.filter(user=user).values_list("unit_id", flat=True))
    if units:
        assigned = Assignment.objects.filter(proposal=OuterRef("pk"), unit_id__in=units)
        others |= Q(Exists(assigned))
    return mine | (not_draft & others)


def apply_filters(qs: QuerySet[Proposal], filters: ProposalFilters) -> QuerySet[Proposal]:
    if filters.q:
        qs = qs.filter(search.search_q(similarity.KIND, filters.q, similarity.SEARCH_FIELDS))
    if filters.session:
        qs = qs.filter(session_id=filters.session)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.plenary is not None:
        qs = qs.filter(is_plenary=filters.plenary)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.org:
        qs = qs.filter(org_id=filters.org)
    return qs


def with_list_data(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a list row shows, in a fixed number of queries whatever the number of rows."""
    # ordered by the proposal's id, not Meta's "proposal" (its submitted_at: a join of every
    # proposal); the rows of one proposal keep their order (role, id)
    live = (
        Assignment.objects.exclude(status=Assignment.Status.CANCELLED)
        .select_related("unit")
        .order_by("proposal_id", "role", "id")
    )
    return qs.select_related("author__user", "session", "org", "supervisor").prefetch_related(
        Prefetch("assignments", queryset=live, to_attr="live_assignments"),
        Prefetch(
            "cosigners",
            queryset=Cosigner.objects.select_related("membership__user"),
            to_attr="all_cosigners",
        ),
    )


def proposals_visible_to(
    *, user: Any, filters: ProposalFilters | None = None
) -> QuerySet[Proposal]:
    """Every proposal the user may open, newest first, with what a list row shows."""
    qs = Proposal.objects.filter(visible_q(user))
    qs = apply_filters(qs, filters or ProposalFilters())
    return with_list_data(qs).order_by("-submitted_at", "-id")


def proposal_visible(*, user: Any, proposal_id: int) -> Proposal:
    """One proposal the user may open, or NotFound (also for another committee's ids)."""
    p = (
        Proposal.objects.select_related("org", "session__term", "author__user", "merged_into")
        .filter(pk=proposal_id)
        .first()
    )
    if p is None:
        raise NotFound()
    require(user, "proposals.view", p, hide=True)
    return p


def proposals_of_member(*, user: Any) -> QuerySet[Proposal]:
    """The user's proposals: as first proposer (or collective contact) or confirmed cosigner."""
    authors = member_ids(user)
    mine = mine_q(user, [Cosigner.Status.CONFIRMED])
    qs = Proposal.objects.filter(mine).exclude(Q(status=P.DRAFT) & ~Q(author_id__in=authors))
    return with_list_data(qs).order_by("-updated_at", "-id")


def cosign_invitations_for(*, user: Any) -> QuerySet[Cosigner]:
    """Invitations to cosign that wait for the user's answer."""
    return (
        Cosigner.objects.filter(
            membership__user=user,
            status=Cosigner.Status.INVITED,
            proposal__status__in=[P.DRAFT, P.IN_REVIEW, P.RETURNED],
        )
        .select_related("proposal__author__user", "proposal__session", "proposal__org")
        .order_by("-created_at")
    )


def memberships_for_drafting(*, user: Any) -> QuerySet[Membership]:
    """The seats from which the user may draft a proposal (serving, current term)."""
    return Membership.objects.filter(
        user=user, status=Membership.Status.ACTIVE, term__is_current=True, org__is_active=True
    ).select_related("org", "term")


def cosigner_candidates(*, proposal: Proposal, q: str, limit: int = 20) -> QuerySet[Membership]:
    """Serving members of the proposal's committee and term, by name, who are not on it."""
    author = Membership.objects.only("term_id").get(pk=proposal.author_id)
    taken = proposal.cosigners.values("membership_id")
    qs = (
        Membership.objects.filter(
            org_id=proposal.org_id, term_id=author.term_id, status=Membership.Status.ACTIVE
        )
        .exclude(pk=proposal.author_id)
        .exclude(pk__in=taken)
        .select_related("user", "sector")
    )
    q = q.strip()
    if not q:
        return qs.none()
    return qs.filter(user__name__icontains=q).order_by("user__name", "id")[:limit]


def current_session(org: Organization) -> Session | None:
    """The session proposals are drafted for: the current term's next deadline, else its
    latest session."""
    sessions = Session.objects.filter(term__org=org, term__is_current=True)
    upcoming = sessions.filter(proposal_deadline__gte=timezone.now()).order_by("proposal_deadline")
    return upcoming.first() or sessions.order_by("-proposal_deadline", "-id").first()


# --- the proposal office --------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    key: str
    label: str | Promise
    q: Q


def office_queues(stages: list[str]) -> list[Queue]:
    """The office's queues; one per review stage of the committee's settings."""
    review = [
        Queue(
            f"review_{i}", _("待%(stage)s") % {"stage": name}, Q(status=P.IN_REVIEW, review_stage=i)
        )
        for i, name in enumerate(stages)
    ]
    return [
        *review,
        Queue("accepted", _("已立案待交办"), Q(status=P.ACCEPTED)),
        Queue("handling", _("办理中"), Q(status=P.HANDLING)),
        Queue("closed", _("已办结"), Q(status=P.CLOSED)),
        Queue("returned", _("退回修改"), Q(status=P.RETURNED)),
        Queue("merged", _("已并案"), Q(status=P.MERGED)),
        Queue("converted", _("转为意见建议"), Q(status=P.CONVERTED)),
        Queue("rejected", _("不予立案"), Q(status=P.REJECTED)),
        Queue("withdrawn", _("已撤案"), Q(status=P.WITHDRAWN)),
    ]


def queue_by_key(stages: list[str], key: str) -> Queue:
    queues = office_queues(stages)
    return next((q for q in queues if q.key == key), queues[0])


def office_orgs_for(*, user: Any) -> QuerySet[Organization]:
    """Committees whose proposal queues the user manages."""
    if user.is_superuser:
        return Organization.objects.filter(is_active=True).order_by("path")
    paths = paths_for(user, [Role.Kind.PROPOSAL_OFFICE])
    return Organization.objects.filter(scope_q(paths, prefix=""), is_active=True).order_by("path")


def office_org(*, user: Any, org_id: int) -> Organization:
    org = Organization.objects.filter(pk=org_id, is_active=True).first()
    if org is None or not can(user, "proposals.manage", org):
        raise NotFound()
    return org


def office_queue(
    *, user: Any, org: Organization, queue: Queue, filters: ProposalFilters
) -> QuerySet[Proposal]:
    require(user, "proposals.manage", org, hide=True)
    qs = apply_filters(Proposal.objects.filter(queue.q, org=org), filters)
    return with_list_data(qs).order_by("number", "submitted_at", "id")


def queue_counts(
    *, org: Organization, stages: list[str], filters: ProposalFilters
) -> dict[str, int]:
    """{queue key: count} in one query."""
    queues = office_queues(stages)
    qs = apply_filters(Proposal.objects.filter(org=org), filters)
    row = qs.aggregate(**{q.key: Count("pk", filter=q.q) for q in queues})
    return {k: v or 0 for k, v in row.items()}


def merge_targets(*, proposal: Proposal) -> QuerySet[Proposal]:
    """This session's proposals a proposal may be merged into (in review or accepted)."""
    return (
        Proposal.objects.filter(
            session_id=proposal.session_id,
            org_id=proposal.org_id,
            status__in=[P.IN_REVIEW, P.ACCEPTED],
        )
        .exclude(pk=proposal.pk)
        .only("pk", "number", "title")
        .order_by("number", "id")
    )


ASSIGNMENT_QUEUES: dict[str, tuple[str | Promise, Q]] = {
    "reassign": (_("调整交办申请"), Q(status=Assignment.Status.REASSIGN_REQUESTED)),
    "extension": (
        _("延期申请"),
        Q(status=Assignment.Status.HANDLING, extension_requested_to__isnull=False),
    ),
    "audit": (_("答复待审核"), Q(status=Assignment.Status.IN_AUDIT)),
}


def assignment_queue_counts(scope: Q) -> dict[str, int]:
    """{assignment queue key: count} of the assignments matching ``scope``, in one query.

    Only the assignments waiting in a queue are read (``status IN`` / the extension's date,
    served by the status index), not every assignment of the committee and those below."""
    waiting = Q(pk__in=[])
    for _label, q in ASSIGNMENT_QUEUES.values():
        waiting |= q
    rows = Assignment.objects.filter(scope).filter(waiting)
    counts = {k: Count("pk", filter=q) for k, (_label, q) in ASSIGNMENT_QUEUES.items()}
    row = rows.aggregate(**counts)
    return {k: v or 0 for k, v in row.items()}


def office_assignments(*, user: Any, org: Organization, kind: str) -> QuerySet[Assignment]:
    """Assignments of a committee waiting for the office: reassignment, extension, audit."""
    require(user, "proposals.manage", org, hide=True)
    _label, q = ASSIGNMENT_QUEUES[kind]
    return (
        Assignment.objects.filter(q, proposal__org=org)
        .select_related("proposal", "unit")
        .order_by("due_on", "id")
    )


def key_proposals_for(*, user: Any) -> QuerySet[Proposal]:
    """重点提案 of the committees the user leads (or works on as proposal office)."""
    q = staff_orgs_q(user, [Role.Kind.LEADER, Role.Kind.PROPOSAL_OFFICE])
    return with_list_data(Proposal.objects.filter(q, is_key=True)).order_by("org__path", "number")


def key_candidates_for(*, user: Any) -> QuerySet[Proposal]:
    """Accepted or handled proposals a leader may still mark as key."""
    q = staff_orgs_q(user, [Role.Kind.LEADER])
    return (
        Proposal.objects.filter(q, is_key=False, status__in=[P.ACCEPTED, P.HANDLING])
        .select_related("org")
        .order_by("org__path", "number")
    )


def with_stage_names(proposals: Any) -> list[Proposal]:
    """Set ``stage_name`` (初审, 复审...) on proposals in review, from their committees'
    settings, in one query."""
    from shangliang.proposals.models import DEFAULT_STAGES, ProposalSettings

    rows = list(proposals)
    orgs = {p.org_id for p in rows}
    stages = dict(
        ProposalSettings.objects.filter(org_id__in=orgs).values_list("org_id", "review_stages")
    )
    for p in rows:
        names = stages.get(p.org_id, DEFAULT_STAGES)
        in_review = p.status == P.IN_REVIEW and p.review_stage < len(names)
        p.stage_name = names[p.review_stage] if in_review else ""
    return rows
