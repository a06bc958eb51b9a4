"""Opinion reports (社情民意信息): the list, writing, one report, the steps of its workflow and
similar reports. Every write goes through the opinions app's services."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status
from pydantic import Field, StringConstraints

from shangliang.api.idempotency import idempotent
from shangliang.api.opinion_out import opinion_detail, opinion_row
from shangliang.api.opinion_schemas import (
    OpinionCreateIn,
    OpinionDetailOut,
    OpinionFields,
    OpinionFiltersIn,
    OpinionPage,
    OpinionSimilarIn,
    OpinionSimilarOut,
    OpinionUpdateIn,
)
from shangliang.api.paging import page_of
from shangliang.api.schemas import Id, PageIn, errors
from shangliang.core.errors import Invalid, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import workflow_for
from shangliang.opinions.selectors import OpinionFilters, opinion_visible, opinions_visible_to
from shangliang.opinions.services import opinion_act, opinion_save_draft, reporting_orgs
from shangliang.opinions.similarity import similar_to_text
from shangliang.orgs.models import Organization

router = Router(tags=["opinions"])

ActionName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Limit = Annotated[int, Field(ge=1, le=20)]
WRITE_ERRORS = (
    " Errors: 403 (you are not a member or informant of that committee, or the report is "
    "not yours), 404 (not visible to you), 409 (it was submitted meanwhile), 422 (see "
    "`fields`: over-length text, a joint reporter of another committee, a missing unit)."
)


def _detail(request: AuthedRequest, opinion_id: int) -> OpinionDetailOut:
    return opinion_detail(request.user, opinion_visible(user=request.user, opinion_id=opinion_id))


def _org(request: AuthedRequest, org_id: int | None) -> Organization:
    orgs = reporting_orgs(request.user)
    if org_id is None:
        if not orgs:
            raise Invalid(_("您不是任何政协的委员或特邀信息员。"), fields={"org": [_("必填")]})
        return orgs[0]
    found = Organization.objects.filter(pk=org_id, is_active=True).first()
    if found is None:
        raise NotFound()
    return found


@router.get(
    "/opinions",
    response={200: OpinionPage, **errors(401, 422)},
    summary="The opinion reports you may see, newest first",
    description="Reporters see their own; the information office, leaders and administrators "
    "those of their committee and below (not drafts); units those forwarded to them.",
)
def opinions_list(
    request: AuthedRequest, filters: Query[OpinionFiltersIn], paging: Query[PageIn]
) -> OpinionPage:
    f = OpinionFilters(
        q=filters.q.strip(),
        status=filters.status or "",
        org=filters.org,
        mine=filters.mine,
        kind=filters.kind or "",
    )
    count, rows = page_of(opinions_visible_to(user=request.user, filters=f), paging)
    return OpinionPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[opinion_row(o) for o in rows],
    )


@router.post(
    "/opinions",
    response={201: OpinionDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Write a new report (a draft); send it with the `submit` action",
    description="One matter per report, with situation, analysis and suggestions; the "
    "committee's length limit (default 1,500 characters) counts the three together." + WRITE_ERRORS,
)
@idempotent
def opinion_create(request: AuthedRequest, payload: OpinionCreateIn) -> Status[OpinionDetailOut]:
    data = payload.model_dump()
    org = _org(request, data.pop("org"))
    if data["reporter_kind"] is None:
        data.pop("reporter_kind")
    with transaction.atomic():
        o = opinion_save_draft(actor=request.user, org=org, **data)
    return Status(201, _detail(request, o.pk))


@router.post(
    "/opinions/similar",
    response={200: list[OpinionSimilarOut], **errors(400, 401, 404, 422)},
    summary="Earlier reports like a title and text being written",
    description="Scored from 0 to 1, best first; only reports you may see.",
)
def opinions_similar(
    request: AuthedRequest, payload: OpinionSimilarIn, limit: Limit = 5
) -> list[OpinionSimilarOut]:
    org = _org(request, payload.org)
    found = similar_to_text(
        org=org,
        title=payload.title,
        text=payload.text,
        within=opinions_visible_to(user=request.user),
        limit=limit,
    )
    return [
        OpinionSimilarOut(id=o.pk, title=o.display_title, state=o.status, score=s) for o, s in found
    ]


@router.get(
    "/opinions/{opinion_id}",
    response={200: OpinionDetailOut, **errors(401, 404, 422)},
    by_alias=True,
    summary="One report: state, your available actions, history, checks, adoptions",
)
def opinion_get(request: AuthedRequest, opinion_id: Id) -> OpinionDetailOut:
    return _detail(request, opinion_id)


@router.patch(
    "/opinions/{opinion_id}",
    response={200: OpinionDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Edit a draft (or a report sent back with questions): its author only",
    description="Only the fields in the body change." + WRITE_ERRORS,
)
def opinion_patch(
    request: AuthedRequest, opinion_id: Id, payload: OpinionUpdateIn
) -> OpinionDetailOut:
    o = opinion_visible(user=request.user, opinion_id=opinion_id)
    data = payload.model_dump(exclude_unset=True)
    nulls = sorted(k for k, v in data.items() if v is None)
    if nulls:
        raise Invalid(fields={k: [_("不能为 null")] for k in nulls})
    o = opinion_save_draft(actor=request.user, opinion=o, **data)
    return _detail(request, o.pk)


@router.post(
    "/opinions/{opinion_id}/actions/{action}",
    response={200: OpinionDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Take one step of the report's workflow",
    description="Actions: `submit`, `withdraw`, `start_editing`, `return_to_reporter` "
    "(`questions`), `resubmit`, `edit` (`title`, `text`), `check` (`gate`, `passed`, "
    "`note`), `sign_off`, `keep_on_file` (`reason`), `combine` (`into`), `publish` "
    "(`series`, `issue`), `unpublish` (`reason`: out of its issue, back to signed off, the "
    "issue's other items renumbered), `report_upward`, `record_adoption` (`level`, `kind` ∈ "
    "single, combined), `record_instruction` (`leader_level`: a level the report reached, "
    "`leader`, `text`, `date`: not in the future), `forward` (`units`: unit ids). 404: not "
    "visible or no such action; 403: not yours to take; 409: the report moved on meanwhile; "
    "422: see `fields` (publishing twice, reporting upward from the top, an adoption or an "
    "instruction at a level the report never reached, taking an adopted or instructed item "
    "out of its issue...).",
)
@idempotent
def opinion_action(
    request: AuthedRequest,
    opinion_id: Id,
    action: ActionName,
    payload: Body[OpinionFields | None] = None,
) -> OpinionDetailOut:
    o = opinion_visible(user=request.user, opinion_id=opinion_id)
    step = next((a for a in workflow_for(o).actions if a.name == action), None)
    if step is None:
        raise NotFound(_("没有这个操作：%(a)s") % {"a": action})
    values: dict[str, Any] = dict(payload or {})
    unknown = sorted(set(values) - {f.name for f in step.fields})
    if unknown:
        raise Invalid(
            _("多余的字段：%(f)s") % {"f": ", ".join(unknown)},
            fields={name: [_("此操作没有这个字段")] for name in unknown},
        )
    o = opinion_act(actor=request.user, opinion=o, action=action, **values)
    return _detail(request, o.pk)
