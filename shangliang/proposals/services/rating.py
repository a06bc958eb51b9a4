"""Writes of members' ratings (满意度测评) and the end of the rating windows."""

from __future__ import annotations

import logging
from typing import Any

from shangliang.core.errors import Conflict
from shangliang.core.workflow import transition
from shangliang.proposals.models import Assignment
from shangliang.proposals.steps import today

log = logging.getLogger(__name__)


def assignment_rate(
    *,
    actor: Any,
    assignment: Assignment,
    rating: str,
    contacted_before_reply: bool | str,
    comment: str = "",
) -> Assignment:
    """A proposer rates a reply; refused once the window (rating_due_on) has passed."""
    result: Assignment = transition(
        assignment,
        "rate",
        actor=actor,
        rating=rating,
        contacted_before_reply=contacted_before_reply,
        comment=comment,
    )
    return result


def ratings_close_expired() -> int:
    """测评期满: every assignment whose rating window passed moves on by the ratings given
    (the missing ones count as not given); returns how many moved."""
    moved = 0
    expired = Assignment.objects.filter(
        status=Assignment.Status.RATING, rating_due_on__lt=today()
    ).select_related("proposal__org")
    for a in list(expired.order_by("id")):
        try:
            transition(a, "close_rating", actor=None)
        except Conflict:  # somebody rated (or the office acted) meanwhile
            log.info("assignment %s moved on before its rating window closed", a.pk)
            continue
        moved += 1
    return moved
