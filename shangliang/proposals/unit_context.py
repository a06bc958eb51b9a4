"""What the assignment page shows to each reader (a unit, a co-handler, the office, a
proposer): the proposal, the state and deadlines, contacts, co-handlers' opinions, the reply,
countersigning, ratings (only once final for units), the history and the actions."""

from __future__ import annotations

from typing import Any

from django import forms

from shangliang.core.http import AuthedRequest
from shangliang.core.pdf import cjk_font
from shangliang.core.workflow import available_actions, workflow_for
from shangliang.proposals.models import Assignment, Cosigner
from shangliang.proposals.permissions import acts_for
from shangliang.proposals.services.handling import REPLY_FILE_STATES
from shangliang.proposals.services.printing import letter_ready
from shangliang.proposals.steps import settings_for, today
from shangliang.proposals.unit_forms import ReplyFileForm, assignment_action_form
from shangliang.proposals.unit_rows import rows_for
from shangliang.proposals.unit_selectors import (
    assignment_history_for,
    co_handlers_of,
    contacts_of,
    ratings_visible_to,
    reply_visible,
    sees_as_unit,
    unit_ids_for,
)

A = Assignment.Status


def detail_context(
    request: AuthedRequest,
    a: Assignment,
    *,
    bound: tuple[str, forms.Form] | None = None,
    file_form: forms.Form | None = None,
) -> dict[str, Any]:
    user = request.user
    conf = settings_for(a.proposal.org)
    as_unit = sees_as_unit(user, a)
    actions = []
    for act in available_actions(user, a):
        form = bound[1] if bound and bound[0] == act.name else assignment_action_form(act, a)
        actions.append((act, form))
    co = list(co_handlers_of(a)) if a.role == Assignment.Role.LEAD else []
    lead = None
    if a.role == Assignment.Role.CO:
        lead = (
            Assignment.objects.filter(proposal_id=a.proposal_id, role=Assignment.Role.LEAD)
            .exclude(status=A.CANCELLED)
            .select_related("unit")
            .first()
        )
    may_attach = a.replies_to_proposers and a.status in REPLY_FILE_STATES and acts_for(user, a)
    units = unit_ids_for(user)
    return {
        "a": a,
        "p": a.proposal,
        "row": rows_for([a], today=today(), units=units)[0],
        "cosigners": Cosigner.objects.filter(
            proposal_id=a.proposal_id, status=Cosigner.Status.CONFIRMED
        ).select_related("membership__user"),
        "contacts": contacts_of(a),
        "co_handlers": co,
        "countersigns": [(c.unit, c.unit_id in a.countersigned_units) for c in co],
        "lead": lead,
        "show_reply": reply_visible(user, a) and bool(a.reply_text),
        "result_label": conf.result_class_label(a.result_class) if a.result_class else "",
        "ratings": ratings_visible_to(user=user, assignment=a),
        "ratings_pending": as_unit and a.status == A.RATING,
        "as_unit": as_unit,
        "history": assignment_history_for(user=user, assignment=a),
        "actions": actions,
        "open_action": bound[0] if bound else "",
        "workflow": workflow_for(a),
        "file_form": file_form or (ReplyFileForm() if may_attach else None),
        "nav_active": "unit_inbox" if as_unit else "",
        "letter_ready": letter_ready(a),
        "pdf_font": cjk_font(),
    }
