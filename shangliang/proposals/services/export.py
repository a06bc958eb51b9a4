"""Excel exports of the proposal lists staff work from (audited)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.core.audit import audit_record
from shangliang.core.xlsx import safe_row, set_widths
from shangliang.orgs.models import Organization
from shangliang.proposals.models import Cosigner, Proposal
from shangliang.proposals.selectors import (
    ASSIGNMENT_QUEUES,
    ProposalFilters,
    Queue,
    key_proposals_for,
    office_assignments,
    office_queue,
)

BATCH = 500


def _headers() -> list[str]:
    return [
        _("编号"),
        _("案由"),
        _("类型"),
        _("第一提案人"),
        _("联名人"),
        _("提案单位"),
        _("类别"),
        _("会议"),
        _("大会/平时"),
        _("状态"),
        _("审查阶段"),
        _("提交时间"),
        _("承办单位"),
        _("答复期限"),
        _("重点提案"),
    ]


def proposal_row(p: Proposal, stages: list[str]) -> list[Any]:
    cosigners = [
        c.membership.user.display_name
        for c in getattr(p, "all_cosigners", [])
        if c.status == Cosigner.Status.CONFIRMED
    ]
    live = getattr(p, "live_assignments", [])
    stage = ""
    if p.status == Proposal.Status.IN_REVIEW and p.review_stage < len(stages):
        stage = stages[p.review_stage]
    return [
        p.number_label,
        p.title,
        p.get_kind_display(),
        p.author.user.display_name,
        "、".join(cosigners),
        p.collective_name,
        p.category,
        str(p.session),
        _("大会提案") if p.is_plenary else _("平时提案"),
        p.get_status_display(),
        stage,
        p.submitted_at,
        "、".join(f"{a.unit.name}（{a.get_role_display()}）" for a in live),
        min((a.due_on for a in live), default=None),
        _("是") if p.is_key else "",
    ]


def proposals_workbook(
    rows: Iterable[Proposal], stages: list[str], title: str
) -> tuple[Workbook, int]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    set_widths(ws, [10, 40, 10, 12, 24, 16, 8, 24, 10, 10, 8, 18, 30, 12, 8])
    ws.append(safe_row(ws, _headers(), bold=True))
    count = 0
    for p in rows:
        ws.append(safe_row(ws, proposal_row(p, stages)))
        count += 1
    return wb, count


def assignments_export(*, actor: Any, org: Organization, kind: str) -> tuple[Workbook, int]:
    """One of the office's lists of the units' requests (reassignment, extension, audit)."""
    rows = office_assignments(user=actor, org=org, kind=kind)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(ASSIGNMENT_QUEUES[kind][0])[:31])
    set_widths(ws, [10, 40, 24, 8, 12, 12, 12, 40])
    headers = [_("编号"), _("案由"), _("承办单位"), _("办理方式"), _("状态")]
    headers += [_("答复期限"), _("申请延期至"), _("理由")]
    ws.append(safe_row(ws, headers, bold=True))
    count = 0
    for a in rows.iterator(chunk_size=BATCH):
        reason = a.reassign_reason if kind == "reassign" else a.extension_reason
        ws.append(
            safe_row(
                ws,
                [
                    a.proposal.number_label,
                    a.proposal.title,
                    a.unit.name,
                    a.get_role_display(),
                    a.get_status_display(),
                    a.due_on,
                    a.extension_requested_to,
                    reason if kind != "audit" else a.result_class,
                ],
            )
        )
        count += 1
    audit_record(
        actor=actor,
        action="proposals.exported",
        target=org,
        data={"queue": f"assignments:{kind}", "rows": count},
    )
    return wb, count


def key_export(*, actor: Any) -> tuple[Workbook, int]:
    """The key proposals a leader (or the office) follows, with supervisors and progress."""
    from shangliang.proposals.models import DEFAULT_STAGES

    rows = list(key_proposals_for(user=actor))
    wb, count = proposals_workbook(rows, DEFAULT_STAGES, _("重点提案"))
    audit_record(actor=actor, action="proposals.exported", data={"queue": "key", "rows": count})
    return wb, count


def _chunked(qs: QuerySet[Proposal]) -> Iterable[Proposal]:
    return qs.iterator(chunk_size=BATCH)


def proposals_export(
    *,
    actor: Any,
    org: Organization,
    queue: Queue,
    filters: ProposalFilters,
    stages: list[str],
) -> tuple[Workbook, int]:
    """A queue of the office as a workbook. No transaction: a large file must not hold
    SQLite's write lock while it is built."""
    qs = office_queue(user=actor, org=org, queue=queue, filters=filters)
    wb, count = proposals_workbook(_chunked(qs), stages, str(queue.label))
    audit_record(
        actor=actor,
        action="proposals.exported",
        target=org,
        data={"queue": queue.key, "rows": count, "filters": filters.as_dict()},
    )
    return wb, count
