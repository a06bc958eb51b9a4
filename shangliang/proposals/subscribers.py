"""Reactions to the proposal workflows' own events (run after the commit, as tasks)."""

from __future__ import annotations

from shangliang.core.events import Event, subscribe
from shangliang.core.workflow import transition
from shangliang.proposals.models import Assignment, Proposal


@subscribe("assignment.rated")
@subscribe("assignment.rating_closed")
def close_when_all_replies_are_rated(event: Event) -> None:
    """办结: when every replying unit's assignment is done, the co-handlers' assignments
    finish and the proposal closes."""
    a = event.get_object()
    if not isinstance(a, Assignment) or a.status != Assignment.Status.DONE:
        return
    p = Proposal.objects.get(pk=a.proposal_id)
    live = Assignment.objects.filter(proposal=p).exclude(status=Assignment.Status.CANCELLED)
    if live.exclude(role=Assignment.Role.CO).exclude(status=Assignment.Status.DONE).exists():
        return
    for co in live.filter(role=Assignment.Role.CO).exclude(status=Assignment.Status.DONE):
        transition(co, "finish", actor=None)
    if p.status == Proposal.Status.HANDLING:
        transition(p, "close", actor=None)
