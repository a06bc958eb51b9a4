"""Proposals (提案): the list, drafting, one proposal, the steps of its workflow, and
similar proposals. Every write goes through the proposals app's services."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status
from pydantic import Field, StringConstraints

from shangliang.api.idempotency import idempotent
from shangliang.api.paging import page_of
from shangliang.api.proposal_out import proposal_detail, proposal_row
from shangliang.api.proposal_schemas import (
    ProposalCreateIn,
    ProposalDetailOut,
    ProposalFiltersIn,
    ProposalPage,
    ProposalUpdateIn,
    SimilarIn,
    SimilarOut,
    WorkflowFields,
)
from shangliang.api.proposal_selectors import drafting_membership, proposal_list, proposals_visible
from shangliang.api.schemas import Id, PageIn, RefOut, errors
from shangliang.api.selectors import org_active
from shangliang.core.errors import Conflict, Invalid, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import workflow_for
from shangliang.proposals.models import Proposal
from shangliang.proposals.selectors import memberships_for_drafting, proposal_visible
from shangliang.proposals.services.drafting import (
    proposal_act,
    proposal_create_draft,
    proposal_invite_cosigners,
    proposal_remove_cosigner,
    proposal_save_draft,
)
from shangliang.proposals.similarity import similar_to, similar_to_text

router = Router(tags=["proposals"])

ActionName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Limit = Annotated[int, Field(ge=1, le=50)]
DRAFT_ERRORS = (
    " Errors: 403 (you do not serve this term, or the proposal is not yours), 404 (not "
    "visible to you), 409 (it was submitted meanwhile), 422 (see `fields`: a title or body "
    "too long for the committee's settings, an unknown category, a cosigner who is not a "
    "serving member of the same committee and term, a unit of another committee)."
)


def _set_cosigners(actor: Any, p: Proposal, wanted: list[int]) -> None:
    """Make the invitations exactly ``wanted`` (membership ids), through the services."""
    current = {c.membership_id: c.pk for c in p.cosigners.all()}
    for membership_id, cosigner_id in current.items():
        if membership_id not in wanted:
            proposal_remove_cosigner(actor=actor, proposal=p, cosigner_id=cosigner_id)
    new = [m for m in dict.fromkeys(wanted) if m not in current]
    if not new:
        return
    try:
        proposal_invite_cosigners(actor=actor, proposal=p, memberships=new)
    except Invalid as exc:
        raise Invalid(exc.detail, fields={"cosigners": [exc.detail]}) from None


def _detail(request: AuthedRequest, proposal_id: int) -> ProposalDetailOut:
    return proposal_detail(
        request.user, proposal_visible(user=request.user, proposal_id=proposal_id)
    )


@router.get(
    "/proposals",
    response={200: ProposalPage, **errors(401, 422)},
    summary="The proposals you may see, filtered, newest first",
    description="Members see their own (as author, cosigner or invited cosigner); the "
    "proposal office, leaders and administrators those of their committee and the "
    "committees below (not drafts); handling units those assigned to them.",
)
def proposals_list(
    request: AuthedRequest, filters: Query[ProposalFiltersIn], paging: Query[PageIn]
) -> ProposalPage:
    count, rows = page_of(proposal_list(user=request.user, filters=filters), paging)
    return ProposalPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[proposal_row(p) for p in rows],
    )


@router.post(
    "/proposals",
    response={201: ProposalDetailOut, **errors(400, 401, 403, 409, 422)},
    by_alias=True,
    summary="Write a new proposal (a draft); submit it with the `submit` action",
    description="The committee is your seat's (`org` chooses among several); the session is "
    "the one whose proposal deadline comes next in the current term (else the latest). "
    "`cosigners` are invited and must confirm (`cosign`)." + DRAFT_ERRORS,
)
@idempotent
def proposal_create(request: AuthedRequest, payload: ProposalCreateIn) -> Status[ProposalDetailOut]:
    data = payload.model_dump()
    seat = drafting_membership(user=request.user, org_id=data.pop("org"))
    cosigners = data.pop("cosigners")
    with transaction.atomic():
        p = proposal_create_draft(actor=request.user, membership=seat, **data)
        if cosigners:
            _set_cosigners(request.user, p, cosigners)
    return Status(201, _detail(request, p.pk))


@router.post(
    "/proposals/similar",
    response={200: list[SimilarOut], **errors(400, 401, 404, 422)},
    summary="Proposals like a title and body being written (this session and earlier years)",
    description="Scored from 0 to 1 (Chinese word segmentation, TF-IDF and a character "
    "comparison), best first; only proposals you may see. `org` defaults to your seat's.",
)
def proposals_similar_text(
    request: AuthedRequest, payload: SimilarIn, limit: Limit = 10
) -> list[SimilarOut]:
    if payload.org is not None:
        org_id = org_active(org_id=payload.org).pk
    else:
        seat = memberships_for_drafting(user=request.user).order_by("org__path", "id").first()
        if seat is None:
            message = _("请指定要查找的政协（org）。")
            raise Invalid(message, fields={"org": [message]})
        org_id = seat.org_id
    found = similar_to_text(
        org=org_id,
        title=payload.title,
        body=payload.body,
        limit=limit,
        within=proposals_visible(user=request.user),
    )
    return [_similar_out(p, score) for p, score in found]


def _similar_out(p: Proposal, score: float) -> SimilarOut:
    return SimilarOut(
        id=p.pk,
        title=p.title,
        number=p.number,
        session=RefOut(id=p.session.pk, name=p.session.name),
        state=p.status,
        score=min(max(score, 0.0), 1.0),
    )


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalDetailOut, **errors(401, 404, 422)},
    by_alias=True,
    summary="One proposal: its state, your available actions, history, cosigners and assignments",
)
def proposal_get(request: AuthedRequest, proposal_id: Id) -> ProposalDetailOut:
    return _detail(request, proposal_id)


@router.patch(
    "/proposals/{proposal_id}",
    response={200: ProposalDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Edit a draft (or a returned proposal): its author only",
    description="Only the fields in the body change; `cosigners` replaces the list of "
    "invitations." + DRAFT_ERRORS,
)
def proposal_patch(
    request: AuthedRequest, proposal_id: Id, payload: ProposalUpdateIn
) -> ProposalDetailOut:
    p = proposal_visible(user=request.user, proposal_id=proposal_id)
    data = payload.model_dump(exclude_unset=True)
    nulls = sorted(k for k, v in data.items() if v is None)
    if nulls:
        raise Invalid(fields={k: [_("不能为 null")] for k in nulls})
    cosigners = data.pop("cosigners", None)
    with transaction.atomic():
        p = proposal_save_draft(actor=request.user, proposal=p, **data)
        if cosigners is not None:
            _set_cosigners(request.user, p, cosigners)
    return _detail(request, p.pk)


@router.get(
    "/proposals/{proposal_id}/similar",
    response={200: list[SimilarOut], **errors(401, 404, 422)},
    summary="Proposals like this one, of this session and earlier years, with a score",
    description="Best first, scores from 0 to 1; only proposals you may see.",
)
def proposal_similar(
    request: AuthedRequest, proposal_id: Id, limit: Limit = 10
) -> list[SimilarOut]:
    p = proposal_visible(user=request.user, proposal_id=proposal_id)
    found = similar_to(p, limit, within=proposals_visible(user=request.user))
    return [_similar_out(q, score) for q, score in found]


def check_fields(action: Any, values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - {f.name for f in action.fields})
    if unknown:
        raise Invalid(
            _("多余的字段：%(f)s") % {"f": ", ".join(unknown)},
            fields={name: [_("此操作没有这个字段")] for name in unknown},
        )


@router.post(
    "/proposals/{proposal_id}/actions/{action}",
    response={200: ProposalDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Take one step of the proposal's workflow (submit, cosign, review, assign, ...)",
    description="The body holds the action's fields (see `available_actions`): `review` "
    "takes `outcome`, `reason`, `merge_into`, `stage` (the review stage you saw: if "
    "another officer passed it meanwhile, 409); `assign` takes `mode` and `units` "
    '(`[{"unit": 3, "role": "lead"}, {"unit": 5, "role": "co"}]`). Returns the proposal '
    "afterwards. 404: not visible, or no such action; 403: not yours to take; 409: the "
    "proposal moved on meanwhile; 422: see `fields`.",
)
@idempotent
def proposal_action(
    request: AuthedRequest,
    proposal_id: Id,
    action: ActionName,
    payload: Body[WorkflowFields | None] = None,
) -> ProposalDetailOut:
    p = proposal_visible(user=request.user, proposal_id=proposal_id)
    step = next((a for a in workflow_for(p).actions if a.name == action), None)
    if step is None:
        raise NotFound(_("没有这个操作：%(a)s") % {"a": action})
    values = {k: _plain(v) for k, v in (payload or {}).items()}
    check_fields(step, values)
    stage = values.get("stage")
    if action == "review" and isinstance(stage, int) and stage != p.review_stage:
        if step.allowed(request.user, p):  # who may not review learns nothing
            # the stage the officer decided on was passed by another officer meanwhile
            raise Conflict(_("该提案已进入下一审查阶段，请刷新后重试。"))
    p = proposal_act(actor=request.user, proposal=p, action=action, **values)
    return _detail(request, p.pk)


def _plain(value: Any) -> Any:
    """Schemas in a list (``units``) → plain dicts, as the workflow's fields take them."""
    if isinstance(value, list):
        return [v.model_dump() if hasattr(v, "model_dump") else v for v in value]
    return value
