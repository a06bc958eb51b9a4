"""Opinion reports as the API shows them (rows and detail)."""

from __future__ import annotations

from typing import Any

from shangliang.api.opinion_schemas import (
    AdoptionOut,
    CheckOut,
    ForwardingOut,
    InstructionOut,
    IssueOut,
    LinkOut,
    OpinionDetailOut,
    OpinionRowOut,
    ReporterOut,
)
from shangliang.api.proposal_out import action_out, history_out
from shangliang.api.schemas import RefOut
from shangliang.core.models import AuditEvent
from shangliang.core.workflow import available_actions
from shangliang.opinions.models import Opinion
from shangliang.opinions.selectors import history_chain
from shangliang.opinions.steps import settings_for


def opinion_row(o: Opinion) -> OpinionRowOut:
    return OpinionRowOut(
        id=o.pk,
        org_id=o.org_id,
        org_name=o.org.name,
        kind=o.kind,
        title=o.display_title,
        author=o.author.display_name,
        reporter_kind=o.reporter_kind,
        reporter_unit=o.reporter_unit,
        state=o.status,
        state_label=str(o.get_status_display()),
        submitted_at=o.submitted_at,
        updated_at=o.updated_at,
    )


def _link(o: Opinion) -> LinkOut:
    return LinkOut(id=o.pk, org_id=o.org_id, org_name=o.org.name)


def opinion_detail(user: Any, o: Opinion) -> OpinionDetailOut:
    conf = settings_for(o.org)
    issue = o.issue
    history = AuditEvent.objects.filter(
        target_type="opinions.opinion", target_id__in=[str(i) for i in history_chain(o)]
    )
    return OpinionDetailOut(
        **opinion_row(o).model_dump(),
        original_title=o.title,
        situation=o.situation,
        analysis=o.analysis,
        suggestions=o.suggestions,
        edited_title=o.edited_title,
        edited_text=o.edited_text,
        questions=o.questions,
        keep_reason=o.keep_reason,
        reporters=[
            ReporterOut(
                user_id=r.user_id,
                name=r.user.display_name,
                membership_id=r.membership_id,
                org_id=r.org_id,
                first=r.first,
            )
            for r in o.reporters.select_related("user").order_by("-first", "id")
        ],
        checks=[
            CheckOut(gate=c.gate, label=conf.gate_label(c.gate), passed=c.passed, note=c.note)
            for c in o.checks.order_by("id")
        ],
        issue=IssueOut(
            id=issue.pk,
            series=issue.series,
            series_name=conf.series_name(issue.series),
            year=issue.year,
            number=issue.number,
            date=issue.date,
        )
        if issue is not None
        else None,
        adoptions=[
            AdoptionOut(
                level=a.level,
                level_label=str(a.get_level_display()),
                kind=a.kind,
                kind_label=str(a.get_kind_display()),
                recorded_at=a.created_at,
            )
            for a in o.adoptions.order_by("id")
        ],
        instructions=[
            InstructionOut(
                leader_level=i.leader_level,
                leader_level_label=str(i.get_leader_level_display()),
                leader=i.leader,
                text=i.text,
                date=i.date,
                has_scan=bool(i.scan),
            )
            for i in o.instructions.order_by("date", "id")
        ],
        forwardings=[
            ForwardingOut(
                id=f.pk,
                unit=RefOut(id=f.unit.pk, name=f.unit.name),
                state=f.status,
                state_label=str(f.get_status_display()),
                reply_text=f.reply_text,
                replied_at=f.replied_at,
            )
            for f in o.forwardings.select_related("unit").order_by("id")
        ],
        source=_link(o.source) if o.source is not None else None,
        upward=[_link(c) for c in o.upward_copies.select_related("org").order_by("id")],
        reported_national=o.reported_national,
        combined_into=o.combined_into_id,
        available_actions=[action_out(a) for a in available_actions(user, o)],
        history=history_out(history),
    )
