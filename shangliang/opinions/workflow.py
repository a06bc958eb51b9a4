"""The opinion-report and forwarding workflows (domain/rules.md §2): the tables the engine runs.

收集 (submit) → 编辑 (start_editing, edit, check) → 签发 (sign_off) → 编发 (publish) → 报送
(report_upward), with 留存 (keep_on_file), 退回 (return_to_reporter), 综合 (combine) on the
way, 撤出刊期 (unpublish: back to signed off) before adoption or an instruction, and adoption,
instructions and forwarding recorded on a signed-off or published report.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shangliang.core.workflow import STAY, Action, Field, Workflow
from shangliang.opinions import steps
from shangliang.opinions.models import Adoption, Forwarding, Level, Opinion
from shangliang.opinions.permissions import (
    acts_for_unit,
    is_author,
    is_office,
    may_sign_off,
)

S = Opinion.Status
F = Forwarding.Status


def _author(user: Any, o: Opinion) -> bool:
    """反映人"""
    return is_author(user, o)


def _office(user: Any, o: Opinion) -> bool:
    """信息处（本级及上级）"""
    return is_office(user, o)


def _signer(user: Any, o: Opinion) -> bool:
    """签发人（设置中指定，或信息处、领导）"""
    return may_sign_off(user, o)


def _original(o: Opinion) -> bool:
    return o.kind == Opinion.Kind.ORIGINAL


def _unit_user(user: Any, f: Forwarding) -> bool:
    """转送单位"""
    return bool(user.is_authenticated) and f.unit.users.filter(user=user).exists()


LEVELS = tuple(Level.choices)
ADOPTION_KINDS = tuple(Adoption.Kind.choices)
REASON = Field("reason", _("理由"), kind="textarea", required=False, max_length=1000)

opinion_workflow = Workflow(
    name="opinions.opinion",
    model=Opinion,
    states=S,
    lock_fields=("updated_at",),  # a concurrent edit or step wins over a stale one (409)
    actions=[
        Action(
            "submit",
            _("报送"),
            (S.DRAFT,),
            S.SUBMITTED,
            _author,
            guard=steps.check_complete,
            apply=steps.on_submit,
            event="opinion.submitted",
        ),
        Action(
            "withdraw",
            _("撤回"),
            (S.DRAFT, S.SUBMITTED, S.RETURNED),
            S.WITHDRAWN,
            _author,
            fields=(REASON,),
            when=_original,
            apply=steps.on_withdraw,
            event="opinion.withdrawn",
            style="danger",
            confirm=_("撤回后不能恢复，确定撤回这篇信息吗？"),
        ),
        Action(
            "start_editing",
            _("开始编辑"),
            (S.SUBMITTED,),
            S.EDITING,
            _office,
            apply=steps.on_start_editing,
        ),
        Action(
            "return_to_reporter",
            _("退回反映人补充"),
            (S.SUBMITTED, S.EDITING),
            S.RETURNED,
            _office,
            fields=(Field("questions", _("需补充的问题"), kind="textarea", max_length=2000),),
            when=_original,
            apply=lambda o, u, f: {"questions": f["questions"]},
            style="secondary",
        ),
        Action(
            "resubmit",
            _("补充后重新报送"),
            (S.RETURNED,),
            S.SUBMITTED,
            _author,
            guard=steps.check_complete,
            apply=steps.on_resubmit,
        ),
        Action(
            "edit",
            _("编辑"),
            (S.EDITING,),
            STAY,
            _office,
            fields=(
                Field("title", _("标题"), max_length=200),
                Field("text", _("正文"), kind="textarea", max_length=20000),
            ),
            guard=steps.edit_guard,
            apply=steps.on_edit,
        ),
        Action(
            "check",
            _("审核"),
            (S.EDITING,),
            STAY,
            _office,
            fields=(
                Field("gate", _("关口"), max_length=30),
                Field("passed", _("通过"), kind="bool"),
                Field("note", _("说明"), kind="textarea", required=False, max_length=1000),
            ),
            guard=steps.check_guard,
            apply=steps.on_check,
        ),
        Action(
            "sign_off",
            _("签发"),
            (S.EDITING,),
            S.SIGNED_OFF,
            _signer,
            guard=steps.sign_off_guard,
            apply=steps.on_sign_off,
            style="success",
        ),
        Action(
            "keep_on_file",
            _("留存"),
            (S.SUBMITTED, S.EDITING, S.SIGNED_OFF),
            S.KEPT,
            _office,
            fields=(Field("reason", _("留存理由"), kind="textarea", max_length=1000),),
            apply=lambda o, u, f: {"keep_reason": f["reason"]},
            style="secondary",
        ),
        Action(
            "combine",
            _("综合到另一篇"),
            (S.SUBMITTED, S.EDITING),
            S.COMBINED,
            _office,
            fields=(Field("into", _("综合到（信息编号）"), kind="int"),),
            guard=steps.combine_guard,
            apply=steps.on_combine,
            event="opinion.combined",
            style="secondary",
        ),
        Action(
            "publish",
            _("编发"),
            (S.SIGNED_OFF,),
            S.PUBLISHED,
            _office,
            fields=(
                Field("series", _("刊物"), max_length=20),
                Field("issue", _("期号（空则下一期）"), kind="int", required=False),
            ),
            when=lambda o: o.issue_id is None,
            guard=steps.publish_guard,
            apply=steps.on_publish,
            event="opinion.published",
        ),
        Action(
            "unpublish",
            _("撤出刊期"),
            (S.PUBLISHED,),
            S.SIGNED_OFF,
            _office,
            fields=(Field("reason", _("撤出理由"), kind="textarea", max_length=1000),),
            when=lambda o: o.issue_id is not None,
            guard=steps.unpublish_guard,
            apply=steps.on_unpublish,
            event="opinion.unpublished",
            style="danger",
            confirm=_("撤出后本期其余信息将重新编号，确定把这篇信息撤出刊期吗？"),
        ),
        Action(
            "report_upward",
            _("向上级报送"),
            (S.SIGNED_OFF, S.PUBLISHED),
            STAY,
            _office,
            when=lambda o: steps.upward_problem(o) is None,
            guard=steps.upward_guard,
            apply=steps.on_report_upward,
            event="opinion.reported_upward",
        ),
        Action(
            "record_adoption",
            _("记录采用"),
            (S.SIGNED_OFF, S.PUBLISHED),
            STAY,
            _office,
            fields=(
                Field("level", _("采用层级"), kind="choice", choices=LEVELS),
                Field("kind", _("采用方式"), kind="choice", choices=ADOPTION_KINDS),
            ),
            guard=steps.adoption_guard,
            apply=steps.on_adoption,
            event="opinion.adopted",
            style="success",
        ),
        Action(
            "record_instruction",
            _("记录领导批示"),
            (S.SIGNED_OFF, S.PUBLISHED),
            STAY,
            _office,
            fields=(
                Field("leader_level", _("批示领导层级"), kind="choice", choices=LEVELS),
                Field("leader", _("批示领导（职务）"), max_length=100),
                Field("text", _("批示内容"), kind="textarea", max_length=5000),
                Field("date", _("批示日期"), kind="date"),
            ),
            guard=steps.instruction_guard,
            apply=steps.on_instruction,
            event="opinion.instructed",
            style="success",
        ),
        Action(
            "forward",
            _("转送单位"),
            (S.SIGNED_OFF, S.PUBLISHED),
            STAY,
            _office,
            fields=(Field("units", _("单位"), kind="list"),),
            guard=steps.forward_guard,
            apply=steps.on_forward,
            event="opinion.forwarded",
            style="secondary",
        ),
    ],
)


forwarding_workflow = Workflow(
    name="opinions.forwarding",
    model=Forwarding,
    states=F,
    org_of=lambda f: f.opinion.org,
    actions=[
        Action(
            "reply",
            _("回复"),
            (F.TO_REPLY,),
            F.REPLIED,
            _unit_user,
            fields=(Field("text", _("回复内容"), kind="textarea", max_length=5000),),
            apply=steps.on_reply,
            event="opinion.forward_replied",
        ),
    ],
)

__all__ = ["acts_for_unit", "forwarding_workflow", "opinion_workflow"]
