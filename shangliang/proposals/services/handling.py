"""Writes of handling units and the office on assignments: every workflow step, the signed
reply (PDF), and the exports of the inbox and the deadline board."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.workflow import transition
from shangliang.orgs.models import Organization, Unit
from shangliang.proposals.models import Assignment
from shangliang.proposals.permissions import acts_for
from shangliang.proposals.steps import settings_for
from shangliang.proposals.unit_rows import rows_for
from shangliang.proposals.unit_selectors import InboxFilters, board_for, inbox_for, unit_ids_for
from shangliang.proposals.unit_sheets import assignments_workbook

A = Assignment.Status
PDF_MAGIC = b"%PDF-"
REPLY_FILE_STATES = (A.HANDLING, A.DRAFTED)  # until the reply goes to the office's audit


def assignment_act(*, actor: Any, assignment: Assignment, action: str, **fields: Any) -> Assignment:
    """One step of the assignment workflow (签收, 办前沟通, 答复, 会签, 审核, 延期, 测评...)."""
    result: Assignment = transition(assignment, action, actor=actor, **fields)
    return result


def assignment_attach_reply_pdf(
    *, actor: Any, assignment: Assignment, upload: IO[bytes], size: int
) -> Assignment:
    """The signed and sealed reply (签章答复件) as a PDF, checked by content and size."""
    a = assignment
    if not (a.replies_to_proposers and acts_for(actor, a)):
        raise Forbidden()
    if a.status not in REPLY_FILE_STATES:
        raise Conflict(_("答复已提交审核，不能再更换签章答复件。"))
    limit_mb = settings_for(a.proposal.org).max_attachment_mb
    if size <= 0:
        raise Invalid(_("上传的文件是空的。"), fields={"file": [_("空文件")]})
    if size > limit_mb * 1024 * 1024:
        msg = _("文件不能超过 %(n)s MB。") % {"n": limit_mb}
        raise Invalid(msg, fields={"file": [msg]})
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        msg = _("请上传 PDF 文件（扫描或导出的签章答复件）。")
        raise Invalid(msg, fields={"file": [msg]})
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .filter(pk=a.pk, status=a.status, updated_at=a.updated_at)
            .first()
        )
        if locked is None:
            raise Conflict()
        name = f"reply-{a.pk}-r{a.round}.pdf"
        locked.reply_file.save(name, File(upload), save=False)
        Assignment.objects.filter(pk=a.pk).update(
            reply_file=locked.reply_file.name, updated_at=timezone.now()
        )
        a.refresh_from_db()
        audit_record(
            actor=actor,
            action="proposals.assignment.reply_file_attached",
            target=a,
            data={"size": size, "round": a.round},
        )
    return a


def inbox_export(*, actor: Any, filters: InboxFilters, today: dt.date) -> tuple[Workbook, int]:
    """A unit's inbox (the current tab and search) as a workbook."""
    units = unit_ids_for(actor)
    rows = rows_for(inbox_for(user=actor, filters=filters, units=units), today=today, units=units)
    wb = assignments_workbook(rows, title=_("承办提案"))
    unit = Unit.objects.filter(pk__in=units).select_related("org").first()
    audit_record(
        actor=actor,
        action="proposals.assignments_exported",
        target=unit,
        data={"rows": len(rows), "tab": filters.tab, "q": filters.q},
    )
    return wb, len(rows)


def board_export(
    *, actor: Any, org: Organization, level: int, today: dt.date, q: str = ""
) -> tuple[Workbook, int]:
    """The deadline board (督办) as a workbook."""
    rows = rows_for(board_for(user=actor, org=org, level=level, today=today, q=q), today=today)
    wb = assignments_workbook(rows, title=_("办理期限"), board=True)
    audit_record(
        actor=actor,
        action="proposals.board_exported",
        target=org,
        data={"rows": len(rows), "level": level, "q": q},
    )
    return wb, len(rows)
