"""述职报告: the member writes (from a draft pre-filled from the ledger) and submits it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.events import announce
from shangliang.duty.items import REQUIREMENTS
from shangliang.duty.models import DutyReport, LedgerEntry
from shangliang.duty.scoring import scheme_for
from shangliang.duty.selectors import item_totals, minimums_of, priced

MAX_BODY = 8000


def report_draft(membership: Membership, year: int) -> str:
    """A draft from the ledger: what the member did this year, item by item."""
    scheme = scheme_for(membership.org_id, year)
    lines = [
        _("%(y)s年度履职情况报告") % {"y": year},
        "",
        _("本人%(name)s，%(org)s委员。现将%(y)s年度履职情况报告如下：")
        % {"name": membership.user.display_name, "org": membership.org.name, "y": year},
        "",
    ]
    entries = priced(list(LedgerEntry.objects.filter(membership=membership, year=year)))
    totals = [t for t in item_totals(entries, scheme) if t.count > 0]
    if totals:
        for n, t in enumerate(totals, start=1):
            lines.append(
                _("%(n)s. %(label)s %(c)s 次。") % {"n": n, "label": t.label, "c": t.count}
            )
    else:
        lines.append(_("（平台上暂无本年度的履职记录。）"))
    missing = [
        str(REQUIREMENTS[k][0])
        for k, v in minimums_of(membership.pk, year, list(scheme.minimums)).items()
        if not v and k != "duty_report"
    ]
    lines += [
        "",
        _("存在的不足：") + ("、".join(missing) if missing else _("（请填写）")),
        "",
        _("下一步打算：（请填写）"),
    ]
    return "\n".join(lines)


def _own(actor: Any, membership: Membership) -> None:
    if membership.user_id != actor.pk:
        raise Forbidden(_("只能填写本人的述职报告。"))


def report_save(*, actor: Any, membership: Membership, year: int, body: str) -> DutyReport:
    _own(actor, membership)
    body = (body or "").strip()
    if not body:
        raise Invalid(_("请填写述职内容。"), fields={"body": [_("必填")]})
    if len(body) > MAX_BODY:
        raise Invalid(
            _("述职内容不能超过 %(n)s 字。") % {"n": MAX_BODY}, fields={"body": [_("过长")]}
        )
    if not (2000 <= year <= timezone.localdate().year):
        raise Invalid(_("年度无效。"), fields={"year": [_("取值无效")]})
    with transaction.atomic():
        report = (
            DutyReport.objects.select_for_update().filter(membership=membership, year=year).first()
        )
        if report is not None and report.status == DutyReport.Status.SUBMITTED:
            raise Conflict(_("本年度的述职报告已经提交。"))
        try:
            if report is None:
                report = DutyReport.objects.create(
                    org=membership.org, membership=membership, year=year, body=body
                )
            else:
                report.body = body
                report.save(update_fields=["body", "updated_at"])
        except IntegrityError:
            raise Conflict() from None
        audit_record(
            actor=actor,
            action="duty.report_save",
            target=report,
            data={"year": year, "chars": len(body)},
        )
    return report


def report_submit(*, actor: Any, report: DutyReport) -> DutyReport:
    _own(actor, report.membership)
    with transaction.atomic():
        if not DutyReport.objects.filter(pk=report.pk, status=DutyReport.Status.DRAFT).update(
            status=DutyReport.Status.SUBMITTED,
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        ):
            raise Conflict(_("本年度的述职报告已经提交。"))
        report.refresh_from_db()
        audit_record(
            actor=actor, action="duty.report_submit", target=report, data={"year": report.year}
        )
        announce("duty_report.submitted", obj=report, actor=actor)
    return report
