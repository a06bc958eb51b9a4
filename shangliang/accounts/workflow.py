"""Membership status: suspension and exit (the first workflow on the engine)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can
from shangliang.core.workflow import Action, Field, Workflow

S = Membership.Status

EXIT_REASONS = (
    ("resigned", _("本人辞去委员职务")),
    ("transferred", _("工作调动")),
    ("dismissed", _("被撤销委员资格")),
    ("underperforming", _("履职考评不合格")),
    ("deceased", _("去世")),
    ("other", _("其他")),
)

REASON = Field("reason", _("原因"), kind="textarea", max_length=300)
DATE = Field("date", _("生效日期"), kind="date")


def _manage(user: Any, m: Membership) -> bool:
    """办公厅或管理员（本级及上级）"""
    return can(user, "accounts.manage_membership", m)


def _decide(user: Any, m: Membership) -> bool:
    """主席/秘书长（本级及上级）"""
    return can(user, "accounts.decide_exit", m)


def _set_reason(m: Membership, actor: Any, f: dict[str, Any]) -> dict[str, Any]:
    return {"status_reason": f.get("reason") or "", "status_changed_on": f.get("date")}


def _set_exit(m: Membership, actor: Any, f: dict[str, Any]) -> dict[str, Any]:
    with override(settings.LANGUAGE_CODE):  # the record is kept in the official language
        label = str(dict(EXIT_REASONS).get(f["kind"], ""))
    text = label + ("：" + f["reason"] if f.get("reason") else "")
    return {"status_reason": text[:300], "status_changed_on": f.get("date")}


def _clear(m: Membership, actor: Any, f: dict[str, Any]) -> dict[str, Any]:
    return {"status_reason": f.get("note") or "", "status_changed_on": f.get("date")}


def _approve(m: Membership, actor: Any, f: dict[str, Any]) -> dict[str, Any]:
    return {"status_changed_on": f.get("date") or m.status_changed_on}


membership_workflow = Workflow(
    name="accounts.membership",
    model=Membership,
    states=S,
    actions=[
        Action(
            "suspend",
            _("暂停履职"),
            (S.ACTIVE,),
            S.SUSPENDED,
            _manage,
            fields=(REASON, DATE),
            apply=_set_reason,
            event="membership.suspended",
            style="warning",
        ),
        Action(
            "reinstate",
            _("恢复履职"),
            (S.SUSPENDED,),
            S.ACTIVE,
            _manage,
            fields=(
                Field("note", _("说明"), kind="textarea", required=False, max_length=300),
                DATE,
            ),
            apply=_clear,
            event="membership.reinstated",
            style="success",
        ),
        Action(
            "propose_exit",
            _("提请退出"),
            (S.ACTIVE, S.SUSPENDED),
            S.EXIT_PENDING,
            _manage,
            fields=(
                Field("kind", _("退出类别"), kind="choice", choices=EXIT_REASONS),
                Field("reason", _("具体说明"), kind="textarea", required=False, max_length=250),
                DATE,
            ),
            apply=_set_exit,
            event="membership.exit_proposed",
            style="danger",
        ),
        Action(
            "approve_exit",
            _("批准退出"),
            (S.EXIT_PENDING,),
            S.EXITED,
            _decide,
            fields=(Field("date", _("生效日期"), kind="date", required=False),),
            apply=_approve,
            event="membership.exited",
            style="danger",
            confirm=_("批准后该委员将退出本届委员会，确定吗？"),
        ),
        Action(
            "reject_exit",
            _("不予批准"),
            (S.EXIT_PENDING,),
            S.ACTIVE,
            _decide,
            fields=(
                Field("note", _("意见"), kind="textarea", max_length=300),
                Field("date", _("日期"), kind="date", required=False),
            ),
            apply=_clear,
            event="membership.exit_rejected",
            style="secondary",
        ),
    ],
)
