"""Who may do what with proposals and assignments (rules in the one permissions module)."""

from __future__ import annotations

from typing import Any

from shangliang.accounts.models import Role, UnitUser
from shangliang.accounts.permissions import is_staff_of, rule
from shangliang.proposals.models import Assignment, Cosigner, Proposal

OFFICE = [Role.Kind.PROPOSAL_OFFICE]
LEADERS = [Role.Kind.LEADER]


def is_author(user: Any, p: Proposal) -> bool:
    return bool(user.is_authenticated) and p.author.user_id == user.pk


def is_proposer(user: Any, p: Proposal) -> bool:
    """The first proposer (or a collective's contact) or a confirmed cosigner."""
    if is_author(user, p):
        return True
    return Cosigner.objects.filter(
        proposal=p, membership__user=user, status=Cosigner.Status.CONFIRMED
    ).exists()


def is_invited(user: Any, p: Proposal) -> bool:
    return Cosigner.objects.filter(
        proposal=p, membership__user=user, status=Cosigner.Status.INVITED
    ).exists()


def is_office(user: Any, p: Proposal) -> bool:
    return is_staff_of(user, p.org, OFFICE)


def is_leader(user: Any, p: Proposal) -> bool:
    return is_staff_of(user, p.org, LEADERS)


def acts_for(user: Any, a: Assignment) -> bool:
    """A user of the assignment's handling unit."""
    return UnitUser.objects.filter(user=user, unit_id=a.unit_id).exists()


def acts_for_co_unit(user: Any, a: Assignment) -> bool:
    """A user of a co-handling unit of the same proposal (countersigns the lead's reply)."""
    return (
        Assignment.objects.filter(
            proposal_id=a.proposal_id, role=Assignment.Role.CO, unit__users__user=user
        )
        .exclude(status=Assignment.Status.CANCELLED)
        .exists()
    )


@rule("proposals.view")
def _view(user: Any, p: Proposal) -> bool:
    if p.status == Proposal.Status.DRAFT:
        return is_author(user, p) or is_invited(user, p) or is_proposer(user, p)
    return (
        is_proposer(user, p)
        or is_invited(user, p)
        or is_staff_of(user, p.org, OFFICE + LEADERS + [Role.Kind.ADMIN])
        or Assignment.objects.filter(proposal=p, unit__users__user=user).exists()
    )


@rule("proposals.view_assignment")
def _view_assignment(user: Any, a: Assignment) -> bool:
    p = a.proposal
    return (
        acts_for(user, a)
        or acts_for_co_unit(user, a)
        or is_proposer(user, p)
        or is_staff_of(user, p.org, OFFICE + LEADERS + [Role.Kind.ADMIN])
    )


@rule("proposals.manage")
def _manage(user: Any, org: Any) -> bool:
    """The proposal office's queues of a committee."""
    return is_staff_of(user, org, OFFICE)


# --- 优秀提案 (excellent proposals) -------------------------------------------------------


@rule("proposals.nominate_excellent")
def _nominate_excellent(user: Any, p: Proposal) -> bool:
    """The proposal office or a leader nominates an accepted proposal."""
    return is_staff_of(user, p.org, OFFICE + LEADERS)


@rule("proposals.view_excellent")
def _view_excellent(user: Any, org: Any) -> bool:
    """The nominations of a committee (and those below): its office, leaders, administrator."""
    return is_staff_of(user, org, OFFICE + LEADERS + [Role.Kind.ADMIN])
