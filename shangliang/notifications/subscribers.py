"""Who is told what: reactions to the proposal workflow's events (run as tasks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from shangliang.core.events import Event, subscribe
from shangliang.notifications.services import notify

if TYPE_CHECKING:
    from shangliang.proposals.models import Proposal


def _proposal_author(event: Event) -> tuple[Proposal, int] | None:
    if event.model != "proposals.proposal":
        return None
    p: Proposal | None = event.get_object()  # type: ignore[assignment]
    if p is None:
        return None
    user_id = p.author.user_id
    return (p, user_id) if user_id else None


@subscribe("proposal.reviewed")
@subscribe("proposal.closed")
def tell_the_proposer(event: Event) -> None:
    """The first proposer hears when the office decides on the proposal and when it closes.
    Titles are written in the official language (stored, shown to whoever reads them)."""
    found = _proposal_author(event)
    if found is None:
        return
    p, user_id = found
    if event.name == "proposal.reviewed" and p.status == "in_review":
        return  # an intermediate stage (初审 → 复审): the proposer hears the decision only
    with translation.override(settings.LANGUAGE_CODE):
        if event.name == "proposal.closed":
            title = _("提案已办结：%(t)s") % {"t": p.title}
        else:
            title = _("提案审查结果：%(t)s（%(s)s）") % {
                "t": p.title,
                "s": p.get_status_display(),
            }
    notify(
        user_ids=[user_id],
        kind=event.name,
        # the same step delivered twice is one notification; a later step (returned again
        # after a resubmission) is a new one
        key=f"{event.name}:{p.pk}:{p.status}:{p.updated_at.isoformat()}",
        title=title,
        link=reverse("proposals:detail", args=[p.pk]),
    )
