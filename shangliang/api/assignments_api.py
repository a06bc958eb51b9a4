"""Assignments (交办): one proposal with one handling unit; the units' inbox and the steps
of an assignment's workflow (sign, contact, reply, countersign, audit, rate, ...)."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Body, Query, Router
from pydantic import StringConstraints

from shangliang.api.idempotency import idempotent
from shangliang.api.paging import page_of
from shangliang.api.proposal_out import assignment_detail, assignment_row
from shangliang.api.proposal_schemas import (
    AssignmentDetailOut,
    AssignmentFiltersIn,
    AssignmentPage,
    WorkflowFields,
)
from shangliang.api.proposal_selectors import assignment_list
from shangliang.api.proposals_api import check_fields
from shangliang.api.schemas import Id, PageIn, errors
from shangliang.core.errors import NotFound
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import workflow_for
from shangliang.proposals.services.handling import assignment_act
from shangliang.proposals.unit_selectors import assignment_visible

router = Router(tags=["assignments"])

ActionName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


@router.get(
    "/assignments",
    response={200: AssignmentPage, **errors(401, 422)},
    summary="Assignments: those of the units you act for, and of the committees where you "
    "are proposal office, leader or administrator; the earliest due first",
)
def assignments_list(
    request: AuthedRequest, filters: Query[AssignmentFiltersIn], paging: Query[PageIn]
) -> AssignmentPage:
    count, rows = page_of(assignment_list(user=request.user, filters=filters), paging)
    return AssignmentPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[assignment_row(a) for a in rows],
    )


@router.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **errors(401, 404, 422)},
    by_alias=True,
    summary="One assignment: its state, your available actions, history, contacts, reply "
    "and ratings",
    description="Visible to the unit, the co-handling units of the same proposal, the "
    "proposers and the proposal office. A unit sees the ratings once they are final; a "
    "proposer sees the reply once the office approved it.",
)
def assignment_get(request: AuthedRequest, assignment_id: Id) -> AssignmentDetailOut:
    a = assignment_visible(user=request.user, assignment_id=assignment_id)
    return assignment_detail(request.user, a)


@router.post(
    "/assignments/{assignment_id}/actions/{action}",
    response={200: AssignmentDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Take one step of the assignment's workflow (sign_for, record_contact, "
    "draft_reply, countersign, approve_reply, rate, ...)",
    description="The body holds the action's fields (see `available_actions`). Returns the "
    "assignment afterwards. 404: not visible, or no such action; 403: not yours to take; "
    "409: it moved on meanwhile; 422: see `fields` (a rating after the rating window, a "
    "reply before any contact with the proposer, ...).",
)
@idempotent
def assignment_action(
    request: AuthedRequest,
    assignment_id: Id,
    action: ActionName,
    payload: Body[WorkflowFields | None] = None,
) -> AssignmentDetailOut:
    a = assignment_visible(user=request.user, assignment_id=assignment_id)
    step = next((x for x in workflow_for(a).actions if x.name == action), None)
    if step is None:
        raise NotFound(_("没有这个操作：%(a)s") % {"a": action})
    values = dict(payload or {})
    check_fields(step, values)
    a = assignment_act(actor=request.user, assignment=a, action=action, **values)
    return assignment_detail(
        request.user, assignment_visible(user=request.user, assignment_id=a.pk)
    )
