"""Proposals and assignments as the API shows them (rows and detail)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shangliang.api.proposal_schemas import (
    AssignmentDetailOut,
    AssignmentRowOut,
    ContactOut,
    CosignerOut,
    ProposalAssignmentOut,
    ProposalDetailOut,
    ProposalRefOut,
    ProposalRowOut,
    RatingOut,
)
from shangliang.api.schemas import ActionOut, HistoryOut, RefOut
from shangliang.core.audit import history_for
from shangliang.core.audit_labels import label_for
from shangliang.core.models import AuditEvent
from shangliang.core.workflow import Action, available_actions
from shangliang.proposals.models import Assignment, Proposal
from shangliang.proposals.unit_selectors import (
    assignment_history_for,
    contacts_of,
    ratings_visible_to,
    reply_visible,
)

HISTORY_LIMIT = 100


def action_out(action: Action) -> ActionOut:
    return ActionOut(
        name=action.name,
        label=str(action.label),
        confirm=str(action.confirm),
        fields=[f.as_dict() for f in action.fields],
    )


def history_out(events: QuerySet[AuditEvent]) -> list[HistoryOut]:
    out = []
    for event in events.order_by("-created_at", "-id")[:HISTORY_LIMIT]:
        data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
        fields = data.get("fields", {k: v for k, v in data.items() if k not in ("from", "to")})
        out.append(
            HistoryOut(
                action=event.action,
                label=label_for(event.action),
                actor=event.actor_label or None,
                time=event.created_at,
                from_state=data.get("from"),
                to_state=data.get("to"),
                fields=fields if isinstance(fields, dict) else {},
            )
        )
    return out


def proposal_ref(p: Proposal) -> ProposalRefOut:
    return ProposalRefOut(id=p.pk, title=p.title, number=p.number)


def proposal_row(p: Proposal) -> ProposalRowOut:
    return ProposalRowOut(
        id=p.pk,
        org_id=p.org_id,
        session=RefOut(id=p.session.pk, name=p.session.name),
        kind=p.kind,
        kind_label=str(p.get_kind_display()),
        title=p.title,
        number=p.number,
        number_label=p.number_label,
        category=p.category,
        author=p.author.user.display_name,
        state=p.status,
        state_label=str(p.get_status_display()),
        is_key=p.is_key,
        submitted_at=p.submitted_at,
        updated_at=p.updated_at,
    )


def proposal_detail(user: Any, p: Proposal) -> ProposalDetailOut:
    cosigners = p.cosigners.select_related("membership__user").order_by("id")
    assignments = p.assignments.select_related("unit").order_by("id")
    return ProposalDetailOut(
        **proposal_row(p).model_dump(),
        org_name=p.org.name,
        author_id=p.author_id,
        collective_type=p.collective_type,
        collective_name=p.collective_name,
        situation=p.situation,
        analysis=p.analysis,
        suggestions=p.suggestions,
        suggested_units=[
            RefOut(id=u.pk, name=u.name) for u in p.suggested_units.order_by("order", "name")
        ],
        publish_consent=p.publish_consent,
        review_stage=p.review_stage,
        is_plenary=p.is_plenary,
        decision_reason=p.decision_reason,
        merged_into=proposal_ref(p.merged_into) if p.merged_into else None,
        supervisor=RefOut(id=p.supervisor.pk, name=p.supervisor.display_name)
        if p.supervisor
        else None,
        accepted_at=p.accepted_at,
        closed_at=p.closed_at,
        cosigners=[
            CosignerOut(
                id=c.membership_id,
                name=c.membership.user.display_name,
                status=c.status,
                status_label=str(c.get_status_display()),
                responded_at=c.responded_at,
            )
            for c in cosigners
        ],
        assignments=[
            ProposalAssignmentOut(
                id=a.pk,
                unit=RefOut(id=a.unit.pk, name=a.unit.name),
                role=a.role,
                role_label=str(a.get_role_display()),
                round=a.round,
                state=a.status,
                state_label=str(a.get_status_display()),
                due_on=a.due_on,
            )
            for a in assignments
        ],
        available_actions=[action_out(a) for a in available_actions(user, p)],
        history=history_out(history_for(p)),
    )


def assignment_row(a: Assignment) -> AssignmentRowOut:
    return AssignmentRowOut(
        id=a.pk,
        proposal=proposal_ref(a.proposal),
        unit=RefOut(id=a.unit.pk, name=a.unit.name),
        role=a.role,
        role_label=str(a.get_role_display()),
        round=a.round,
        state=a.status,
        state_label=str(a.get_status_display()),
        due_on=a.due_on,
    )


def assignment_detail(user: Any, a: Assignment) -> AssignmentDetailOut:
    return AssignmentDetailOut(
        **assignment_row(a).model_dump(),
        org_id=a.proposal.org_id,
        assigned_at=a.assigned_at,
        sign_due_on=a.sign_due_on,
        signed_at=a.signed_at,
        first_due_on=a.first_due_on,
        extension_requested_to=a.extension_requested_to,
        extension_reason=a.extension_reason,
        co_opinion=a.co_opinion,
        reply_text=a.reply_text if reply_visible(user, a) else None,
        result_class=a.result_class,
        replied_at=a.replied_at,
        rating_due_on=a.rating_due_on,
        done_at=a.done_at,
        audit_comment=a.audit_comment,
        contacts=[
            ContactOut(
                date=c.date,
                way=c.way,
                way_label=str(c.get_way_display()),
                person=c.person,
                note=c.note,
            )
            for c in contacts_of(a)
        ],
        ratings=[
            RatingOut(
                member=r.membership.user.display_name,
                round=r.round,
                value=r.value,
                value_label=str(r.get_value_display()),
                contacted_before_reply=r.contacted_before_reply,
                comment=r.comment,
            )
            for r in ratings_visible_to(user=user, assignment=a)
        ],
        available_actions=[action_out(x) for x in available_actions(user, a)],
        history=history_out(assignment_history_for(user=user, assignment=a)),
    )
