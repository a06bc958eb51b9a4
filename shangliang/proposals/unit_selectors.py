"""Reads for handling units, the office's reply audit and deadline board, and members' ratings.

Every selector is scoped to what the user may see; the HTML views and the JSON API share them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from shangliang.accounts.models import Role, UnitUser
from shangliang.accounts.permissions import can, is_staff_of, paths_for, require
from shangliang.core.audit import history_for
from shangliang.core.errors import Forbidden, NotFound
from shangliang.core.models import AuditEvent
from shangliang.orgs.models import Organization
from shangliang.proposals.models import Assignment, Contact, Cosigner, Rating
from shangliang.proposals.permissions import acts_for, acts_for_co_unit, is_proposer

A = Assignment.Status
OWING = (A.TO_SIGN, A.REASSIGN_REQUESTED, A.HANDLING, A.DRAFTED)  # the unit still owes a reply
ESCALATE_DAYS = 15  # overdue by more than this: escalated to the leaders (level 2)
WATCHERS = [Role.Kind.PROPOSAL_OFFICE, Role.Kind.LEADER, Role.Kind.ADMIN]

# inbox tab → filter; "countersign" also holds the leads' drafts a co-handler countersigns
TABS: dict[str, Q] = {
    "all": ~Q(status=A.CANCELLED),
    "to_sign": Q(status__in=[A.TO_SIGN, A.REASSIGN_REQUESTED]),
    "handling": Q(status__in=[A.HANDLING, A.OPINION_SENT]),
    "countersign": Q(status=A.DRAFTED),
    "in_audit": Q(status=A.IN_AUDIT),
    "rating": Q(status=A.RATING),
    "done": Q(status=A.DONE),
    "round2": Q(round__gte=2) & ~Q(status=A.CANCELLED),
}


@dataclass(frozen=True)
class InboxFilters:
    tab: str = "all"
    q: str = ""


def _base() -> QuerySet[Assignment]:
    return Assignment.objects.select_related(
        "proposal", "proposal__org", "proposal__author__user", "unit"
    )


def unit_ids_for(user: Any) -> list[int]:
    """The handling units the user acts for."""
    if not user.is_authenticated:
        return []
    return list(UnitUser.objects.filter(user=user).values_list("unit_id", flat=True))


def _unit_scope(units: list[int]) -> QuerySet[Assignment]:
    """The units' own assignments, and the leads' drafts their co-handling units countersign."""
    co_of_mine = Assignment.objects.filter(
        proposal_id=OuterRef("proposal_id"), role=Assignment.Role.CO, unit_id__in=units
    ).exclude(status=A.CANCELLED)
    return (
        _base()
        .alias(co_mine=Exists(co_of_mine))
        .filter(Q(unit_id__in=units) | Q(co_mine=True, role=Assignment.Role.LEAD, status=A.DRAFTED))
    )


def inbox_for(
    *, user: Any, filters: InboxFilters, units: list[int] | None = None
) -> QuerySet[Assignment]:
    """A handling unit's assignments (待签收, 办理中, 待会签, ...), the earliest due first."""
    units = unit_ids_for(user) if units is None else units
    qs = _unit_scope(units).filter(TABS.get(filters.tab, TABS["all"]))
    if filters.q:
        text = filters.q.strip()
        match = Q(proposal__title__icontains=text)
        if text.isdigit():
            match |= Q(proposal__number=int(text))
        qs = qs.filter(match)
    return qs.order_by("due_on", "id")


def inbox_counts(*, user: Any, units: list[int] | None = None) -> dict[str, int]:
    """The number of assignments under each inbox tab, in one query."""
    units = unit_ids_for(user) if units is None else units
    return _unit_scope(units).aggregate(**{k: Count("pk", filter=q) for k, q in TABS.items()})


def assignment_visible(*, user: Any, assignment_id: int) -> Assignment:
    """One assignment, or NotFound: a unit sees its own and (as co-handler) the lead's."""
    a = _base().select_related("proposal__session").filter(pk=assignment_id).first()
    if a is None:
        raise NotFound()
    require(user, "proposals.view_assignment", a, hide=True)
    return a


def sees_as_unit(user: Any, a: Assignment) -> bool:
    """The user reads the assignment as a handling unit (not as the office or a proposer)."""
    if is_staff_of(user, a.proposal.org, WATCHERS):
        return False
    return acts_for(user, a) or acts_for_co_unit(user, a)


def ratings_final(a: Assignment) -> Q:
    """Ratings a unit may read: those of an earlier round, or all once the assignment is done."""
    return Q() if a.status == A.DONE else Q(round__lt=a.round)


def ratings_visible_to(*, user: Any, assignment: Assignment) -> QuerySet[Rating]:
    """满意度测评: the office always; a unit only once final; a proposer their own."""
    qs = Rating.objects.filter(assignment=assignment).select_related("membership__user")
    qs = qs.order_by("round", "id")
    if is_staff_of(user, assignment.proposal.org, WATCHERS):
        return qs
    if acts_for(user, assignment) or acts_for_co_unit(user, assignment):
        return qs.filter(ratings_final(assignment))
    if is_proposer(user, assignment.proposal):
        return qs.filter(membership__user=user)
    return qs.none()


def reply_visible(user: Any, a: Assignment) -> bool:
    """The reply while it is drafted is for the units and the office; proposers read it
    once the office approved it."""
    if sees_as_unit(user, a) or is_staff_of(user, a.proposal.org, WATCHERS):
        return True
    return a.status in (A.RATING, A.DONE)


def assignment_history_for(*, user: Any, assignment: Assignment) -> QuerySet[AuditEvent]:
    """The assignment's history; a unit does not see the ratings of a round still open."""
    qs = history_for(assignment).select_related("actor").order_by("created_at", "id")
    if assignment.status == A.RATING and not is_staff_of(user, assignment.proposal.org, WATCHERS):
        qs = qs.exclude(action="proposals.assignment.rate")
    return qs


def co_handlers_of(a: Assignment) -> QuerySet[Assignment]:
    """The co-handlers' assignments of the same proposal (their opinions, for the lead)."""
    return (
        Assignment.objects.filter(proposal_id=a.proposal_id, role=Assignment.Role.CO)
        .exclude(status=A.CANCELLED)
        .select_related("unit")
        .order_by("id")
    )


def contacts_of(a: Assignment) -> QuerySet[Contact]:
    return Contact.objects.filter(assignment=a).order_by("date", "id")


# --- the office ------------------------------------------------------------------------------


def top_org_id(user: Any, kinds: list[str]) -> int | None:
    """The highest committee where the user holds one of ``kinds`` (the shortest path)."""
    paths = paths_for(user, kinds)
    if not paths:
        return None
    top = min(paths, key=lambda p: (p.count("/"), p))
    return int(top.strip("/").split("/")[-1])


def may_watch_board(user: Any, org: Organization) -> bool:
    """The deadline board: the proposal office, and the leaders (read-only)."""
    return can(user, "proposals.manage", org) or (
        user.is_authenticated and is_staff_of(user, org, [Role.Kind.LEADER])
    )


def _org_scope(org: Organization) -> QuerySet[Assignment]:
    return _base().filter(proposal__org__path__startswith=org.path)


def _manage(user: Any, org: Organization) -> None:
    if not can(user, "proposals.manage", org):
        raise Forbidden()


def board_for(
    *, user: Any, org: Organization, level: int = 0, today: dt.date, q: str = ""
) -> QuerySet[Assignment]:
    """督办: every assignment of the committee and those below whose reply is still owed,
    the earliest due (the most overdue) first. ``level`` 1: overdue; 2: overdue by more than
    ESCALATE_DAYS days (escalated to the leaders)."""
    if not may_watch_board(user, org):
        raise Forbidden()
    qs = _org_scope(org).filter(status__in=OWING)
    if level == 1:
        qs = qs.filter(due_on__lt=today)
    elif level >= 2:
        qs = qs.filter(due_on__lt=today - dt.timedelta(days=ESCALATE_DAYS))
    if q:
        qs = qs.filter(Q(proposal__title__icontains=q) | Q(unit__name__icontains=q))
    return qs.order_by("due_on", "proposal__number", "id")


def audit_queue_for(*, user: Any, org: Organization) -> QuerySet[Assignment]:
    """答复待审核: replies waiting for the office, the oldest first."""
    _manage(user, org)
    return _org_scope(org).filter(status=A.IN_AUDIT).order_by("updated_at", "id")


def reassignment_requests_for(*, user: Any, org: Organization) -> QuerySet[Assignment]:
    _manage(user, org)
    return _org_scope(org).filter(status=A.REASSIGN_REQUESTED).order_by("updated_at", "id")


def extension_requests_for(*, user: Any, org: Organization) -> QuerySet[Assignment]:
    _manage(user, org)
    return (
        _org_scope(org)
        .filter(status=A.HANDLING, extension_requested_to__isnull=False)
        .order_by("updated_at", "id")
    )


def contact_mismatches_for(*, user: Any, org: Organization) -> QuerySet[Rating]:
    """Ratings whose "contacted before the reply" answer disagrees with the unit's records:
    the member says yes but no contact was recorded, or says no though one was."""
    _manage(user, org)
    recorded = Exists(Contact.objects.filter(assignment_id=OuterRef("assignment_id")))
    return (
        Rating.objects.filter(assignment__proposal__org__path__startswith=org.path)
        .alias(recorded=recorded)
        .filter(
            Q(contacted_before_reply=True, recorded=False)
            | Q(contacted_before_reply=False, recorded=True)
        )
        .select_related(
            "membership__user",
            "assignment__unit",
            "assignment__proposal",
            "assignment__proposal__org",
        )
        .order_by("-created_at", "-id")
    )


# --- members ---------------------------------------------------------------------------------


def ratings_waiting_for(*, user: Any) -> QuerySet[Assignment]:
    """待我测评: replies in their rating window that the user (a proposer) has not rated in
    this round; those whose window passed stay listed until the daily job closes them."""
    cosigned = Cosigner.objects.filter(
        proposal_id=OuterRef("proposal_id"),
        membership__user=user,
        status=Cosigner.Status.CONFIRMED,
    )
    rated = Rating.objects.filter(
        assignment_id=OuterRef("pk"), round=OuterRef("round"), membership__user=user
    )
    return (
        _base()
        .filter(status=A.RATING)
        .alias(cosigned=Exists(cosigned), rated=Exists(rated))
        .filter(Q(proposal__author__user=user) | Q(cosigned=True))
        .filter(rated=False)
        .order_by("rating_due_on", "id")
    )
