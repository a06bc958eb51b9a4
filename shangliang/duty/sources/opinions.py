"""社情民意: submitted, adopted per level (采用), instructed (批示); withdrawal undoes them.

Who is credited comes from ``shangliang.opinions.credits.credited`` (``Credit(user_id,
membership_id, org_id, first)``); informants without a membership earn nothing here. The
lines are derived from the report's current state (its adoptions and instructions), so any
of its events, replayed or out of order, leaves the ledger right.
"""

from __future__ import annotations

from typing import Any

from shangliang.core.events import Event, subscribe
from shangliang.duty.ledger import Line, ledger_sync
from shangliang.duty.models import LedgerEntry

SOURCE = "opinions.opinion"
LEVELS = ("county", "city", "province", "national")
ADOPTED = tuple(f"opinion.adopted.{lv}" for lv in LEVELS)
ITEMS = ("opinion.submitted", *ADOPTED, "opinion.instructed")
Role = LedgerEntry.Role


def credited_members(opinion_id: int) -> list[tuple[int, str, int]]:
    """(membership id, role, number of co-reporters) for the members credited."""
    from shangliang.opinions.credits import credited

    credits = [c for c in credited(opinion_id) if c.membership_id]
    n = len(credits) - 1
    out: list[tuple[int, str, int]] = []
    for c in credits:
        role = Role.SOLE if n <= 0 else (Role.FIRST if c.first else Role.COSIGNER)
        out.append((int(c.membership_id or 0), str(role), max(0, n)))
    return out


def facts_for(opinion: Any) -> list[tuple[str, Any]]:
    from shangliang.opinions.models import Opinion

    S = Opinion.Status
    if opinion.status in (S.DRAFT, S.WITHDRAWN):
        return []
    facts: list[tuple[str, Any]] = []
    if opinion.kind == Opinion.Kind.ORIGINAL and opinion.submitted_at:
        facts.append(("opinion.submitted", opinion.submitted_at))
    for level, when in opinion.adoptions.values_list("level", "created_at"):
        if level in LEVELS:
            facts.append((f"opinion.adopted.{level}", when))
    first_instruction = opinion.instructions.order_by("created_at").first()
    if first_instruction is not None:
        facts.append(("opinion.instructed", first_instruction.created_at))
    return facts


def lines_for(opinion: Any) -> list[Line]:
    facts = facts_for(opinion)
    if not facts:
        return []
    people = credited_members(opinion.pk)
    return [
        Line(membership_id=m, item=item, occurred_at=when, role=role, co_count=n)
        for item, when in facts
        for m, role, n in people
    ]


def sync_opinion(opinion: Any) -> None:
    ledger_sync(
        source_type=SOURCE,
        source_id=opinion.pk,
        items=ITEMS,
        lines=lines_for(opinion),
        label=opinion.title,
    )


@subscribe("opinion.submitted")
@subscribe("opinion.withdrawn")
@subscribe("opinion.adopted")
@subscribe("opinion.instructed")
@subscribe("opinion.combined")
def on_opinion_event(event: Event) -> None:
    from shangliang.opinions.models import Opinion

    opinion = Opinion.objects.filter(pk=event.object_id).first()
    if opinion is not None:
        sync_opinion(opinion)
