"""Excellent-proposal nominations (优秀提案): the list, nominating, one nomination and the
steps of its workflow (review, confirm, decline, publish, withdraw, revoke). For the proposal
office, leaders and administrators; every write goes through the proposals app's services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from pydantic import ConfigDict, Field, StringConstraints, WithJsonSchema

from shangliang.api.idempotency import idempotent
from shangliang.api.paging import page_of
from shangliang.api.proposal_out import action_out, history_out, proposal_ref
from shangliang.api.proposal_schemas import ProposalRefOut, WorkflowFields
from shangliang.api.proposals_api import check_fields
from shangliang.api.schemas import ActionOut, HistoryOut, Id, PageIn, RefOut, errors
from shangliang.core.audit import history_for
from shangliang.core.errors import NotFound
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import available_actions, workflow_for
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.excellent_selectors import (
    NominationFilters,
    nomination_visible,
    nominations_visible_to,
    proposers_public,
)
from shangliang.proposals.selectors import proposal_visible
from shangliang.proposals.services.excellent import excellent_nominate, nomination_act

router = Router(tags=["excellent proposals"])

NominationState = Annotated[
    ExcellentNomination.Status,
    WithJsonSchema({"type": "string", "enum": ExcellentNomination.Status.values}),
]
ActionName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class NominationFiltersIn(Schema):
    org: Id | None = None
    session: Id | None = None
    status: NominationState | None = None
    q: Annotated[str, StringConstraints(max_length=100)] = Field(
        "", description="Part of the title (案由), or the proposal number."
    )


class ProposerOut(Schema):
    name: str
    sector: str = Field(description="The sector (界别); a collective's type.")


class NominationRowOut(Schema):
    id: int
    org: RefOut
    session: RefOut
    proposal: ProposalRefOut
    proposers: list[ProposerOut]
    state: str
    state_label: str
    reason: str
    nominated_by: str
    created_at: dt.datetime


class NominationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[NominationRowOut]


class NominationDetailOut(NominationRowOut):
    review_note: str
    decision_note: str
    confirmed_at: dt.datetime | None
    published_at: dt.datetime | None
    revoke_reason: str
    available_actions: list[ActionOut]
    history: list[HistoryOut] = Field(description="Newest first (up to 100).")


class NominationCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    proposal: Id = Field(description="An accepted, handled or closed proposal.")
    reason: Annotated[str, StringConstraints(strict=True, max_length=1000)] = Field(
        description="Why it is excellent (选题准确、针对性强、成效显著)."
    )


def nomination_row(n: ExcellentNomination) -> NominationRowOut:
    return NominationRowOut(
        id=n.pk,
        org=RefOut(id=n.org.pk, name=n.org.name),
        session=RefOut(id=n.session.pk, name=n.session.name),
        proposal=proposal_ref(n.proposal),
        proposers=[ProposerOut(name=name, sector=sector) for name, sector in proposers_public(n)],
        state=n.status,
        state_label=str(n.get_status_display()),
        reason=n.reason,
        nominated_by=n.nominated_by.display_name,
        created_at=n.created_at,
    )


def nomination_detail(user: Any, n: ExcellentNomination) -> NominationDetailOut:
    return NominationDetailOut(
        **nomination_row(n).model_dump(),
        review_note=n.review_note,
        decision_note=n.decision_note,
        confirmed_at=n.confirmed_at,
        published_at=n.published_at,
        revoke_reason=n.revoke_reason,
        available_actions=[action_out(a) for a in available_actions(user, n)],
        history=history_out(history_for(n)),
    )


def _detail(request: AuthedRequest, excellent_id: int) -> NominationDetailOut:
    n = nomination_visible(user=request.user, nomination_id=excellent_id)
    return nomination_detail(request.user, n)


@router.get(
    "/excellent-nominations",
    response={200: NominationPage, **errors(401, 422)},
    summary="Excellent-proposal nominations of the committees where you are proposal office, "
    "leader or administrator (and those below)",
    description="By session (latest first), then proposal number. Proposers are shown by "
    "name and sector only.",
)
def nominations_list(
    request: AuthedRequest, filters: Query[NominationFiltersIn], paging: Query[PageIn]
) -> NominationPage:
    wanted = NominationFilters(
        org=filters.org,
        session=filters.session,
        status=filters.status or "",
        q=filters.q,
    )
    count, rows = page_of(nominations_visible_to(user=request.user, filters=wanted), paging)
    return NominationPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[nomination_row(n) for n in rows],
    )


@router.post(
    "/excellent-nominations",
    response={201: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Nominate a proposal as excellent (优秀提案), with a reason",
    description="The proposal office or a leader of the proposal's committee. Errors: 403 (not "
    "yours to nominate), 404 (the proposal is not visible to you), 409 (it already has a "
    "nomination under way, or is excellent), 422 (not accepted, or no reason).",
)
@idempotent
def nomination_create(
    request: AuthedRequest, payload: NominationCreateIn
) -> Status[NominationDetailOut]:
    p = proposal_visible(user=request.user, proposal_id=payload.proposal)
    n = excellent_nominate(actor=request.user, proposal=p, reason=payload.reason)
    return Status(201, _detail(request, n.pk))


@router.get(
    "/excellent-nominations/{excellent_id}",
    response={200: NominationDetailOut, **errors(401, 404, 422)},
    by_alias=True,
    summary="One nomination: its state, your available actions and its history",
)
def nomination_get(request: AuthedRequest, excellent_id: Id) -> NominationDetailOut:
    return _detail(request, excellent_id)


@router.post(
    "/excellent-nominations/{excellent_id}/actions/{action}",
    response={200: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Take one step of a nomination (review, confirm, decline, publish, withdraw, revoke)",
    description="`review` takes `decision` (`approve` or `reject`) and `note` (needed to "
    "reject); `decline` and `revoke` take `reason`; `confirm` and `withdraw` an optional "
    "`note`. Who reviews is the committee's setting (the proposal office by default, or the "
    "leaders); leaders confirm, decline and revoke; the office publishes. Confirming "
    "announces `proposal.excellent`, revoking `proposal.excellent_revoked`. 404: not visible, "
    "or no such action; 403: not yours to take; 409: it moved on meanwhile; 422: see `fields`.",
)
@idempotent
def nomination_action(
    request: AuthedRequest,
    excellent_id: Id,
    action: ActionName,
    payload: Body[WorkflowFields | None] = None,
) -> NominationDetailOut:
    n = nomination_visible(user=request.user, nomination_id=excellent_id)
    step = next((a for a in workflow_for(n).actions if a.name == action), None)
    if step is None:
        raise NotFound(_("没有这个操作：%(a)s") % {"a": action})
    values = dict(payload or {})
    check_fields(step, values)
    n = nomination_act(actor=request.user, nomination=n, action=action, **values)
    return _detail(request, n.pk)
