"""提案: submitted, accepted (立案), key (重点) and excellent (优秀) proposals.

Credited: the first proposer (``author``) and the cosigners who confirmed; a collective
proposal credits its contact member alone. The split between them is the rule's (``split``).
"""

from __future__ import annotations

from typing import Any

from shangliang.core.events import Event, subscribe
from shangliang.duty.ledger import Line, ledger_sync
from shangliang.duty.models import LedgerEntry
from shangliang.proposals.models import Cosigner, Proposal

SOURCE = "proposals.proposal"
STATE_ITEMS = ("proposal.submitted", "proposal.accepted", "proposal.key")
EXCELLENT_ITEMS = ("proposal.excellent",)
ITEMS = STATE_ITEMS + EXCELLENT_ITEMS
ACCEPTED = (Proposal.Status.ACCEPTED, Proposal.Status.HANDLING, Proposal.Status.CLOSED)
Role = LedgerEntry.Role


def proposers(p: Proposal) -> list[tuple[int, str, int]]:
    """(membership id, role, number of cosigners) for everyone a proposal credits."""
    if p.kind == Proposal.Kind.COLLECTIVE:
        return [(p.author_id, str(Role.SOLE), 0)]
    cosigners = list(
        Cosigner.objects.filter(proposal=p, status=Cosigner.Status.CONFIRMED)
        .exclude(membership_id=p.author_id)
        .order_by("id")
        .values_list("membership_id", flat=True)
    )
    if not cosigners:
        return [(p.author_id, str(Role.SOLE), 0)]
    n = len(cosigners)
    return [(p.author_id, str(Role.FIRST), n)] + [(m, str(Role.COSIGNER), n) for m in cosigners]


def lines_for(p: Proposal, items: tuple[str, ...] = STATE_ITEMS) -> list[Line]:
    facts: list[tuple[str, Any]] = []
    if p.submitted_at and p.status not in (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN):
        facts.append(("proposal.submitted", p.submitted_at))
    if p.status in ACCEPTED and p.accepted_at:
        facts.append(("proposal.accepted", p.accepted_at))
        if p.is_key:
            facts.append(("proposal.key", p.accepted_at))
    people = proposers(p)
    return [
        Line(membership_id=m, item=item, occurred_at=when, role=role, co_count=n)
        for item, when in facts
        if item in items
        for m, role, n in people
    ]


def sync_proposal(p: Proposal) -> None:
    ledger_sync(
        source_type=SOURCE, source_id=p.pk, items=STATE_ITEMS, lines=lines_for(p), label=str(p)
    )


@subscribe("proposal.submitted")
@subscribe("proposal.withdrawn")
@subscribe("proposal.reviewed")
@subscribe("proposal.cosigned")
@subscribe("proposal.marked_key")
@subscribe("proposal.closed")
def on_proposal_event(event: Event) -> None:
    p = event.get_object()
    if isinstance(p, Proposal):
        sync_proposal(p)


def _proposal_of(event: Event) -> Proposal | None:
    obj = event.get_object()
    if isinstance(obj, Proposal):
        return obj
    pid = event.data.get("proposal_id") or event.data.get("proposal")
    if pid is None:
        pid = getattr(obj, "proposal_id", None)
    return Proposal.objects.filter(pk=pid).first() if pid else None


@subscribe("proposal.excellent")
@subscribe("proposal.excellent_revoked")
def on_excellent(event: Event) -> None:
    p = _proposal_of(event)
    if p is None:
        return
    from django.utils import timezone

    lines = []
    if event.name == "proposal.excellent":
        lines = [
            Line(
                membership_id=m,
                item="proposal.excellent",
                occurred_at=timezone.now(),
                role=role,
                co_count=n,
            )
            for m, role, n in proposers(p)
        ]
    ledger_sync(
        source_type=SOURCE, source_id=p.pk, items=EXCELLENT_ITEMS, lines=lines, label=str(p)
    )
