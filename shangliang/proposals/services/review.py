"""The proposal office's review (初审 → 复审 → 终审): one proposal, or many accepted at once.
Every step goes through the engine, so a second officer acting at the same moment gets a
conflict, never a double step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from shangliang.core.errors import Conflict, DomainError
from shangliang.core.workflow import transition
from shangliang.orgs.models import Organization
from shangliang.proposals.models import Proposal


def proposal_review(
    *,
    actor: Any,
    proposal: Proposal,
    outcome: str,
    reason: str = "",
    merge_into: int | None = None,
    stage: int | None = None,
) -> Proposal:
    """One review decision: accept (pass this stage; the last stage numbers the proposal),
    merge, convert, return or reject. ``stage`` is the stage the officer saw."""
    fields: dict[str, Any] = {"outcome": outcome, "reason": reason, "merge_into": merge_into}
    if stage is not None:
        fields["stage"] = stage
    result: Proposal = transition(proposal, "review", actor=actor, **fields)
    return result


@dataclass(frozen=True)
class BulkResult:
    """What happened to one proposal of a bulk action."""

    proposal_id: int
    label: str
    ok: bool
    message: str
    conflict: bool = False


def _load(org: Organization, proposal_id: int) -> Proposal | None:
    return Proposal.objects.select_related("org", "session").filter(pk=proposal_id, org=org).first()


def run_bulk(
    *, org: Organization, items: Sequence[tuple[int, int | None]], step: Any
) -> list[BulkResult]:
    """Run ``step(proposal, seen_stage)`` for each item, each in its own transaction; one
    failure (a conflict, a guard) is reported and does not stop the others."""
    results = []
    for proposal_id, seen in items:
        p = _load(org, proposal_id)
        if p is None:
            results.append(BulkResult(proposal_id, f"#{proposal_id}", False, _("提案不存在。")))
            continue
        label = str(p)
        try:
            done = step(p, seen)
        except Conflict as exc:
            results.append(BulkResult(p.pk, label, False, exc.detail, conflict=True))
        except DomainError as exc:
            results.append(BulkResult(p.pk, label, False, exc.detail))
        else:
            results.append(BulkResult(p.pk, str(done), True, _("已办理。")))
    return results


def proposals_bulk_accept(
    *, actor: Any, org: Organization, items: Sequence[tuple[int, int | None]]
) -> list[BulkResult]:
    """Pass many proposals through their current review stage. ``items`` are (id, the stage
    the officer saw); a proposal that moved on meanwhile is reported as a conflict."""

    def accept(p: Proposal, seen: int | None) -> Proposal:
        if seen is not None and p.status == Proposal.Status.IN_REVIEW and seen != p.review_stage:
            raise Conflict(_("该提案已进入下一审查阶段，未重复办理。"))
        return proposal_review(actor=actor, proposal=p, outcome="accept", stage=seen)

    return run_bulk(org=org, items=items, step=accept)
