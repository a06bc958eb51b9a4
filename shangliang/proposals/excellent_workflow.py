"""The excellent-proposal nomination workflow (优秀提案): nominated → recommended (初评) →
confirmed by the leaders (审议确定) → published (公布), or rejected / withdrawn / revoked.

Who reviews (初评) is each committee's setting: the proposal office (default) or the leaders.
The events ``proposal.excellent`` / ``proposal.excellent_revoked`` are announced by the
service (``services/excellent.py``) with the proposal's id.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.permissions import is_staff_of
from shangliang.core.workflow import Action, Field, Workflow
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.permissions import LEADERS, OFFICE
from shangliang.proposals.steps import settings_for

N = ExcellentNomination.Status
DECISIONS = (("approve", _("推荐")), ("reject", _("不推荐")))


def _office(user: Any, n: ExcellentNomination) -> bool:
    """提案委/提案处（本级及上级）"""
    return is_staff_of(user, n.org, OFFICE)


def _leader(user: Any, n: ExcellentNomination) -> bool:
    """主席/秘书长（本级及上级）"""
    return is_staff_of(user, n.org, LEADERS)


def _office_or_leader(user: Any, n: ExcellentNomination) -> bool:
    """提案委/提案处或主席/秘书长"""
    return is_staff_of(user, n.org, OFFICE + LEADERS)


def _reviewer(user: Any, n: ExcellentNomination) -> bool:
    """初评人：提案处（默认）或领导，按本会设置"""
    kinds = LEADERS if settings_for(n.org).excellent_reviewer == "leader" else OFFICE
    return is_staff_of(user, n.org, kinds)


def _review_route(n: ExcellentNomination, actor: Any, f: dict[str, Any]) -> str:
    return N.RECOMMENDED if f["decision"] == "approve" else N.REJECTED


def _note_needed(n: ExcellentNomination, f: dict[str, Any]) -> str | None:
    if f.get("decision") == "reject" and not f.get("note"):
        return str(_("不推荐时请写明理由。"))
    return None


NOTE = Field("note", _("意见"), kind="textarea", required=False, max_length=1000)
REASON = Field("reason", _("理由"), kind="textarea", max_length=1000)

nomination_workflow = Workflow(
    name="proposals.excellent_nomination",
    model=ExcellentNomination,
    states=N,
    lock_fields=("updated_at",),
    actions=[
        Action(
            "review",
            _("初评"),
            (N.NOMINATED,),
            N.RECOMMENDED,
            _reviewer,
            fields=(Field("decision", _("初评结果"), kind="choice", choices=DECISIONS), NOTE),
            guard=_note_needed,
            apply=lambda n, u, f: {"review_note": f.get("note") or ""},
            route=_review_route,
            routes=(N.RECOMMENDED, N.REJECTED),
        ),
        Action(
            "confirm",
            _("确定为优秀提案"),
            (N.RECOMMENDED,),
            N.CONFIRMED,
            _leader,
            fields=(NOTE,),
            apply=lambda n, u, f: {
                "confirmed_at": timezone.now(),
                "decision_note": f.get("note") or "",
            },
            style="success",
        ),
        Action(
            "decline",
            _("不予确定"),
            (N.RECOMMENDED,),
            N.REJECTED,
            _leader,
            fields=(REASON,),
            apply=lambda n, u, f: {"decision_note": f["reason"]},
            style="secondary",
        ),
        Action(
            "publish",
            _("公布"),
            (N.CONFIRMED,),
            N.PUBLISHED,
            _office,
            apply=lambda n, u, f: {"published_at": timezone.now()},
            style="success",
            confirm=_("公布后将在公开栏目展示案由和提案人姓名、界别，确定公布吗？"),
        ),
        Action(
            "withdraw",
            _("撤回提名"),
            (N.NOMINATED, N.RECOMMENDED),
            N.WITHDRAWN,
            _office_or_leader,
            fields=(NOTE,),
            style="secondary",
        ),
        Action(
            "revoke",
            _("撤销优秀提案"),
            (N.CONFIRMED, N.PUBLISHED),
            N.REVOKED,
            _leader,
            fields=(REASON,),
            apply=lambda n, u, f: {"revoke_reason": f["reason"]},
            style="danger",
            confirm=_("撤销后这件提案不再是优秀提案，公开栏目也不再展示，确定撤销吗？"),
        ),
    ],
)

# The events the service announces after these steps (the engine's ``event`` carries only
# the fields; the duty ledger needs the proposal's id).
EVENTS = {"confirm": "proposal.excellent", "revoke": "proposal.excellent_revoked"}
