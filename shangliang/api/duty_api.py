"""Duty records (履职档案) and duty reports (述职报告). Every write goes through the duty
app's services."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from shangliang.accounts.models import Membership
from shangliang.api.duty_schemas import (
    DutyItemOut,
    DutyMemberOut,
    DutyReportDraftOut,
    DutyReportIn,
    DutyReportOut,
)
from shangliang.api.idempotency import idempotent
from shangliang.api.schemas import Id, errors
from shangliang.core.errors import Forbidden, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.duty.models import DutyReport
from shangliang.duty.selectors import member_archive, my_memberships
from shangliang.duty.services.reports import report_draft, report_save, report_submit

router = Router(tags=["duty"])


class YearIn(Schema):
    year: int = Field(0, ge=0, le=2100, description="Default: this year.")


def _year(q: YearIn) -> int:
    return q.year if q.year >= 2000 else timezone.localdate().year


@router.get(
    "/duty/members/{membership_id}",
    response={200: DutyMemberOut, **errors(401, 404, 422)},
    summary="A member's duty record for a year: score, grade, every point with its source, "
    "and the minimum requirements",
    description="The member sees their own; the organisation's staff and leaders (and those "
    "of the organisations above) see theirs. 404 for anyone else.",
)
def duty_member(request: AuthedRequest, membership_id: Id, q: Query[YearIn]) -> DutyMemberOut:
    a = member_archive(user=request.user, membership_id=membership_id, year=_year(q))
    return DutyMemberOut(
        membership=a.membership.pk,
        name=a.membership.user.display_name,
        org=a.membership.org_id,
        year=a.year,
        score=float(a.score.score),
        base=float(a.scheme.base),
        points=float(a.score.points),
        grade=a.score.grade,
        grade_label=a.score.get_grade_display(),
        items=[
            DutyItemOut(
                item=e.item,
                label=e.get_item_display(),
                points=float(e.points),  # type: ignore[attr-defined]
                kind=e.kind,
                role=e.role,
                source_type=e.source_type,
                source_id=e.source_id,
                time=e.occurred_at,
            )
            for e in a.entries
        ],
        minimums=a.minimums,
        averages={k: (float(v) if v is not None else None) for k, v in a.averages.items()},
    )


def _report_out(r: DutyReport) -> DutyReportOut:
    return DutyReportOut(
        id=r.pk,
        membership=r.membership_id,
        year=r.year,
        body=r.body,
        state=r.status,
        submitted_at=r.submitted_at,
    )


def _my_membership(request: AuthedRequest) -> Membership:
    m = my_memberships(request.user).filter(term__is_current=True).first()
    if m is None:
        raise Forbidden(_("只有本届委员才能填写述职报告。"))
    return m


@router.get(
    "/duty-reports",
    response={200: list[DutyReportOut], **errors(401)},
    summary="Your duty reports (述职报告), newest year first",
)
def duty_reports(request: AuthedRequest) -> list[DutyReportOut]:
    rows = DutyReport.objects.filter(membership__user=request.user).order_by("-year")[:50]
    return [_report_out(r) for r in rows]


@router.get(
    "/duty-reports/draft",
    response={200: DutyReportDraftOut, **errors(401, 403, 422)},
    summary="A draft of this year's duty report, pre-filled from your duty record",
)
def duty_report_draft(request: AuthedRequest, q: Query[YearIn]) -> DutyReportDraftOut:
    m = _my_membership(request)
    year = _year(q)
    return DutyReportDraftOut(year=year, body=report_draft(m, year))


@router.post(
    "/duty-reports",
    response={201: DutyReportOut, **errors(400, 401, 403, 409, 422)},
    summary="Save your duty report for a year as a draft (creates or replaces the draft)",
    description="An empty body saves the draft pre-filled from the ledger. 409: already submitted.",
)
@idempotent
def duty_report_save(request: AuthedRequest, payload: DutyReportIn) -> Status[DutyReportOut]:
    m = _my_membership(request)
    body = payload.body or report_draft(m, payload.year)
    r = report_save(actor=request.user, membership=m, year=payload.year, body=body)
    return Status(201, _report_out(r))


@router.get(
    "/duty-reports/{report_id}",
    response={200: DutyReportOut, **errors(401, 404, 422)},
    summary="One of your duty reports",
)
def duty_report_get(request: AuthedRequest, report_id: Id) -> DutyReportOut:
    r = DutyReport.objects.filter(pk=report_id, membership__user=request.user).first()
    if r is None:
        raise NotFound()
    return _report_out(r)


@router.post(
    "/duty-reports/{report_id}/actions/submit",
    response={200: DutyReportOut, **errors(400, 401, 404, 409, 422)},
    summary="Submit your duty report (it then counts for the minimum requirement)",
)
@idempotent
def duty_report_submit(request: AuthedRequest, report_id: Id) -> DutyReportOut:
    r = (
        DutyReport.objects.filter(pk=report_id, membership__user=request.user)
        .select_related("membership")
        .first()
    )
    if r is None:
        raise NotFound()
    return _report_out(report_submit(actor=request.user, report=r))
