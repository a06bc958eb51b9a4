"""优秀提案: nominate an accepted proposal, take the nomination's steps (one or a list at a
time), and export the nomination list. Every step goes through the engine; confirming
announces ``proposal.excellent`` and revoking ``proposal.excellent_revoked`` (data: the
proposal's id), which the duty ledger turns into points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.accounts.permissions import can
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shangliang.core.events import announce
from shangliang.core.workflow import transition
from shangliang.core.xlsx import safe_row, set_widths
from shangliang.orgs.models import Organization
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.excellent_workflow import EVENTS
from shangliang.proposals.models import Proposal

N = ExcellentNomination.Status
P = Proposal.Status
NOMINABLE = (P.ACCEPTED, P.HANDLING, P.CLOSED)
REASON_MAX = 1000


@transaction.atomic
def excellent_nominate(*, actor: Any, proposal: Proposal, reason: str) -> ExcellentNomination:
    """Nominate an accepted (or handled, or closed) proposal as excellent, with a reason."""
    if not can(actor, "proposals.nominate_excellent", proposal):
        raise Forbidden(_("只有提案委（提案处）或领导可以提名优秀提案。"))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请填写提名理由。"), fields={"reason": [_("必填")]})
    if len(reason) > REASON_MAX:
        message = _("提名理由不能超过 %(n)s 个字。") % {"n": REASON_MAX}
        raise Invalid(message, fields={"reason": [message]})
    locked = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if locked is None:
        raise NotFound()
    if locked.status not in NOMINABLE:
        message = _("只有已立案的提案可以提名为优秀提案。")
        raise Invalid(message, fields={"proposal": [message]})
    if ExcellentNomination.objects.filter(proposal=locked, status__in=ExcellentNomination.ACTIVE):
        raise Conflict(_("这件提案已被提名（或已是优秀提案）。"))
    try:
        with transaction.atomic():
            n = ExcellentNomination.objects.create(
                proposal=locked,
                org_id=locked.org_id,
                session_id=locked.session_id,
                reason=reason,
                nominated_by=actor,
            )
    except IntegrityError:  # another officer nominated it at the same moment
        raise Conflict(_("这件提案已被提名（或已是优秀提案）。")) from None
    audit_record(
        actor=actor,
        action="proposals.excellent_nominated",
        target=n,
        data={"proposal_id": locked.pk, "reason": reason[:200]},
    )
    return n


def nomination_act(
    *, actor: Any, nomination: ExcellentNomination, action: str, **fields: Any
) -> ExcellentNomination:
    """One step of a nomination (review, confirm, decline, publish, withdraw, revoke)."""
    with transaction.atomic():
        n: ExcellentNomination = transition(nomination, action, actor=actor, **fields)
        event = EVENTS.get(action)
        if event:
            data = {"proposal_id": n.proposal_id, "nomination_id": n.pk}
            announce(event, obj=n, actor=actor, data=data)
    return n


@dataclass(frozen=True)
class BulkResult:
    nomination_id: int
    label: str
    ok: bool
    message: str


def nominations_bulk_act(
    *, actor: Any, org: Organization, ids: Sequence[int], action: str, **fields: Any
) -> list[BulkResult]:
    """The same step for many nominations of a committee (the leaders confirm the list, the
    office publishes it); each in its own transaction, a failure does not stop the others."""
    results = []
    found = {
        n.pk: n
        for n in ExcellentNomination.objects.select_related("proposal", "org").filter(
            pk__in=list(ids), org=org
        )
    }
    for pk in ids:
        n = found.get(pk)
        if n is None:
            results.append(BulkResult(pk, f"#{pk}", False, _("提名不存在。")))
            continue
        label = str(n.proposal)
        try:
            nomination_act(actor=actor, nomination=n, action=action, **fields)
        except DomainError as exc:
            results.append(BulkResult(pk, label, False, exc.detail))
        else:
            results.append(BulkResult(pk, label, True, _("已办理。")))
    return results


def nominations_export(*, actor: Any, org: Organization, rows: Sequence[Any]) -> Workbook:
    """The nomination list as an Excel workbook (for the office); audited."""
    if not can(actor, "proposals.view_excellent", org):
        raise Forbidden()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("优秀提案提名"))
    set_widths(ws, [18, 10, 40, 20, 12, 8, 10, 40, 10, 24, 24, 12])
    ws.append(
        safe_row(
            ws,
            [
                _("会议"),
                _("提案编号"),
                _("案由"),
                _("提案人"),
                _("界别"),
                _("类别"),
                _("状态"),
                _("提名理由"),
                _("提名人"),
                _("初评意见"),
                _("审议意见"),
                _("提名时间"),
            ],
            bold=True,
        )
    )
    for n in rows:
        p = n.proposal
        ws.append(
            safe_row(
                ws,
                [
                    p.session.name,
                    p.number_label,
                    p.title,
                    proposer_names(p),
                    p.author.sector.name if p.author.sector_id else "",
                    p.category,
                    n.get_status_display(),
                    n.reason,
                    n.nominated_by.display_name,
                    n.review_note,
                    n.decision_note,
                    n.created_at.strftime("%Y-%m-%d"),
                ],
            )
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="proposals.excellent_exported",
            org=org,
            data={"count": len(rows)},
        )
    return wb


def proposer_names(p: Proposal) -> str:
    """ "张三、李四" (confirmed cosigners prefetched as ``confirmed_cosigners``), or a
    collective's name."""
    if p.kind == Proposal.Kind.COLLECTIVE:
        return p.collective_name
    names = [p.author.user.display_name]
    names += [c.membership.user.display_name for c in getattr(p, "confirmed_cosigners", [])]
    return "、".join(names)
