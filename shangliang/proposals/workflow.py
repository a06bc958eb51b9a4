"""The proposal and assignment workflows: the transition tables the engine runs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.workflow import STAY, Action, Field, Workflow
from shangliang.proposals import reply_search, steps
from shangliang.proposals.models import Assignment, Proposal
from shangliang.proposals.permissions import (
    acts_for,
    acts_for_co_unit,
    is_author,
    is_invited,
    is_leader,
    is_office,
)

P = Proposal.Status
A = Assignment.Status


def _author(user: Any, p: Proposal) -> bool:
    """第一提案人（集体提案的联系人）"""
    return is_author(user, p)


def _invited(user: Any, p: Proposal) -> bool:
    """受邀联名人"""
    return is_invited(user, p)


def _office(user: Any, p: Proposal) -> bool:
    """提案委/提案处（本级及上级）"""
    return is_office(user, p)


def _leader(user: Any, p: Proposal) -> bool:
    """主席/秘书长（本级及上级）"""
    return is_leader(user, p)


def _system_or_office(user: Any, p: Proposal) -> bool:
    """系统（全部答复测评完毕时）或提案处"""
    return user is None or is_office(user, p)


def _before_deadline(p: Proposal) -> bool:
    return timezone.now() <= p.session.proposal_deadline or p.status == P.DRAFT


OUTCOMES = (
    ("accept", _("立案（或通过本阶段）")),
    ("merge", _("并案")),
    ("convert", _("不予立案，转为意见建议")),
    ("return", _("退回修改")),
    ("reject", _("不予立案")),
)
MODES = (("sole", _("独办")), ("lead_co", _("主办、会办")), ("split", _("分办")))
DECISIONS = (("approve", _("同意")), ("reject", _("不同意")))
RATINGS = (
    ("satisfied", _("满意")),
    ("basically_satisfied", _("基本满意")),
    ("dissatisfied", _("不满意")),
)
REASON = Field("reason", _("理由"), kind="textarea", required=False, max_length=1000)

proposal_workflow = Workflow(
    name="proposals.proposal",
    model=Proposal,
    states=P,
    lock_fields=("updated_at",),  # any concurrent step or edit wins over a stale one
    actions=[
        Action(
            "submit",
            _("提交"),
            (P.DRAFT,),
            P.IN_REVIEW,
            _author,
            guard=steps.check_complete,
            apply=steps.on_submit,
            event="proposal.submitted",
        ),
        Action(
            "cosign",
            _("确认联名"),
            (P.DRAFT, P.IN_REVIEW, P.RETURNED),
            STAY,
            _invited,
            when=_before_deadline,
            apply=steps.on_cosign("confirmed"),
            event="proposal.cosigned",
            style="success",
        ),
        Action(
            "decline_cosign",
            _("谢绝联名"),
            (P.DRAFT, P.IN_REVIEW, P.RETURNED),
            STAY,
            _invited,
            apply=steps.on_cosign("declined"),
            style="secondary",
        ),
        Action(
            "withdraw",
            _("撤案"),
            (P.DRAFT, P.IN_REVIEW, P.RETURNED),
            P.WITHDRAWN,
            _author,
            fields=(REASON,),
            event="proposal.withdrawn",
            style="danger",
            confirm=_("撤案后不能恢复，确定撤回这件提案吗？"),
        ),
        Action(
            "review",
            _("审查"),
            (P.IN_REVIEW,),
            STAY,
            _office,
            fields=(
                Field("outcome", _("审查结果"), kind="choice", choices=OUTCOMES),
                REASON,
                Field("merge_into", _("并入提案编号（系统 id）"), kind="int", required=False),
                Field("stage", _("审查阶段"), kind="int", required=False),
            ),
            guard=steps.review_guard,
            apply=steps.on_review,
            event="proposal.reviewed",
            route=steps.review_route,
            routes=(STAY, P.ACCEPTED, P.MERGED, P.CONVERTED, P.RETURNED, P.REJECTED),
        ),
        Action(
            "resubmit",
            _("修改后重新提交"),
            (P.RETURNED,),
            P.IN_REVIEW,
            _author,
            guard=steps.check_complete,
            apply=steps.on_resubmit,
            event="proposal.submitted",
        ),
        Action(
            "assign",
            _("交办"),
            (P.ACCEPTED,),
            P.HANDLING,
            _office,
            fields=(
                Field("mode", _("办理方式"), kind="choice", choices=MODES),
                Field("units", _("承办单位"), kind="list"),
            ),
            guard=steps.assign_guard,
            apply=steps.on_assign,
            event="proposal.assigned",
        ),
        Action(
            "mark_key",
            _("确定为重点提案"),
            (P.ACCEPTED, P.HANDLING),
            STAY,
            _leader,
            when=lambda p: not p.is_key,
            apply=lambda p, u, f: {"is_key": True},
            event="proposal.marked_key",
        ),
        Action(
            "set_supervisor",
            _("指定督办领导"),
            (P.ACCEPTED, P.HANDLING),
            STAY,
            _leader,
            fields=(Field("supervisor", _("督办领导（用户 id）"), kind="int"),),
            when=lambda p: p.is_key,
            apply=lambda p, u, f: {"supervisor_id": f["supervisor"]},
        ),
        Action(
            "close",
            _("办结"),
            (P.HANDLING,),
            P.CLOSED,
            _system_or_office,
            apply=lambda p, u, f: {"closed_at": timezone.now()},
            event="proposal.closed",
            confirm=_("确定将这件提案办结吗？"),
        ),
        Action(
            "approve_publication",
            _("准予公开答复"),
            (P.HANDLING, P.CLOSED),
            STAY,
            _office,
            when=lambda p: p.publish_consent and not p.publish_approved,
            apply=lambda p, u, f: {"publish_approved": True},
            event="proposal.publication_approved",
            style="success",
        ),
        Action(
            "withdraw_publication",
            _("撤回公开"),
            (P.HANDLING, P.CLOSED),
            STAY,
            _office,
            when=lambda p: p.publish_approved,
            apply=lambda p, u, f: {"publish_approved": False},
            event="proposal.publication_withdrawn",
            style="secondary",
            confirm=_("撤回后公众将看不到这件提案的答复，确定撤回吗？"),
        ),
    ],
)


def _unit(user: Any, a: Assignment) -> bool:
    """承办单位用户"""
    return acts_for(user, a)


def _replying_unit(user: Any, a: Assignment) -> bool:
    """答复提案人的承办单位（独办、主办、分办）"""
    return a.replies_to_proposers and acts_for(user, a)


def _co_unit(user: Any, a: Assignment) -> bool:
    """会办单位用户"""
    return a.role == Assignment.Role.CO and acts_for(user, a)


def _countersigner(user: Any, a: Assignment) -> bool:
    """会办单位用户（会签主办单位的答复）"""
    return acts_for_co_unit(user, a)


def _a_office(user: Any, a: Assignment) -> bool:
    """提案委/提案处（本级及上级）"""
    return is_office(user, a.proposal)


def _proposer(user: Any, a: Assignment) -> bool:
    """尚未测评的提案人、联名人"""
    return steps.may_rate(user, a)


def _system(user: Any, a: Assignment) -> bool:
    """系统（测评期限届满时）"""
    return user is None


def _system_or_a_office(user: Any, a: Assignment) -> bool:
    """系统或提案处"""
    return user is None or is_office(user, a.proposal)


assignment_workflow = Workflow(
    name="proposals.assignment",
    model=Assignment,
    states=A,
    lock_fields=("updated_at",),
    org_of=lambda a: a.proposal.org,
    actions=[
        Action(
            "sign_for",
            _("签收"),
            (A.TO_SIGN,),
            A.HANDLING,
            _unit,
            apply=lambda a, u, f: {"signed_at": timezone.now()},
            event="assignment.signed",
            style="success",
        ),
        Action(
            "request_reassignment",
            _("申请调整交办"),
            (A.TO_SIGN,),
            A.REASSIGN_REQUESTED,
            _unit,
            when=steps.within_sign_window,
            fields=(Field("reason", _("理由"), kind="textarea", max_length=1000),),
            apply=lambda a, u, f: {"reassign_reason": f["reason"]},
            event="assignment.reassignment_requested",
            style="warning",
        ),
        Action(
            "decide_reassignment",
            _("处理调整申请"),
            (A.REASSIGN_REQUESTED,),
            STAY,
            _a_office,
            fields=(
                Field("decision", _("决定"), kind="choice", choices=DECISIONS),
                Field("new_unit", _("改由承办单位（id）"), kind="int", required=False),
                Field("note", _("说明"), kind="textarea", required=False),
            ),
            apply=steps.on_reassignment_decided,
            route=steps.reassignment_route,
            routes=(A.CANCELLED, A.HANDLING),
            event="assignment.reassignment_decided",
        ),
        Action(
            "record_contact",
            _("记录办前沟通"),
            (A.HANDLING,),
            STAY,
            _unit,
            fields=(
                Field("date", _("日期"), kind="date"),
                Field(
                    "way",
                    _("方式"),
                    kind="choice",
                    choices=(
                        ("visit", _("走访")),
                        ("meeting", _("座谈")),
                        ("phone", _("电话")),
                        ("other", _("其他")),
                    ),
                ),
                Field("person", _("沟通对象"), max_length=60),
                Field("note", _("情况"), kind="textarea", required=False),
            ),
            apply=lambda a, u, f: _record_contact(a, u, f),
            style="secondary",
        ),
        Action(
            "send_opinion",
            _("报送会办意见"),
            (A.HANDLING,),
            A.OPINION_SENT,
            _co_unit,
            fields=(Field("text", _("会办意见"), kind="textarea", max_length=5000),),
            apply=lambda a, u, f: {"co_opinion": f["text"]},
            event="assignment.opinion_sent",
        ),
        Action(
            "draft_reply",
            _("拟写答复"),
            (A.HANDLING,),
            STAY,
            _replying_unit,
            fields=(
                Field("result_class", _("办理结果"), max_length=4),
                Field("text", _("答复内容"), kind="textarea", max_length=20000),
                Field("doc_number", _("答复文号"), required=False, max_length=60),
            ),
            guard=steps.draft_guard,
            apply=lambda a, u, f: _draft_reply(a, f),
            route=steps.draft_route,
            routes=(A.DRAFTED, A.IN_AUDIT),
            event="assignment.reply_drafted",
        ),
        Action(
            "countersign",
            _("会签"),
            (A.DRAFTED,),
            STAY,
            _countersigner,
            apply=steps.on_countersign,
            route=steps.countersign_route,
            routes=(STAY, A.IN_AUDIT),
            event="assignment.countersigned",
            style="success",
        ),
        Action(
            "approve_reply",
            _("审核通过"),
            (A.IN_AUDIT,),
            A.RATING,
            _a_office,
            fields=(Field("comment", _("审核意见"), kind="textarea", required=False),),
            apply=steps.on_approve,
            event="assignment.reply_approved",
            style="success",
        ),
        Action(
            "return_reply",
            _("退回修改"),
            (A.IN_AUDIT,),
            A.HANDLING,
            _a_office,
            fields=(Field("comment", _("审核意见"), kind="textarea"),),
            apply=lambda a, u, f: {"audit_comment": f["comment"]},
            event="assignment.reply_returned",
            style="warning",
        ),
        Action(
            "request_extension",
            _("申请延期"),
            (A.HANDLING,),
            STAY,
            _replying_unit,
            when=lambda a: a.extension_requested_to is None,
            fields=(
                Field("until", _("延期至"), kind="date"),
                Field("reason", _("理由"), kind="textarea"),
            ),
            guard=steps.extension_guard,
            apply=lambda a, u, f: {
                "extension_requested_to": f["until"],
                "extension_reason": f["reason"],
            },
            event="assignment.extension_requested",
            style="secondary",
        ),
        Action(
            "decide_extension",
            _("审批延期"),
            (A.HANDLING,),
            STAY,
            _a_office,
            when=lambda a: a.extension_requested_to is not None,
            fields=(Field("decision", _("决定"), kind="choice", choices=DECISIONS),),
            apply=steps.on_extension_decided,
            event="assignment.extension_decided",
        ),
        Action(
            "rate",
            _("满意度测评"),
            (A.RATING,),
            STAY,
            _proposer,
            fields=(
                Field("rating", _("测评结果"), kind="choice", choices=RATINGS),
                Field("contacted_before_reply", _("答复前承办单位曾与我沟通"), kind="bool"),
                Field("comment", _("意见"), kind="textarea", required=False),
            ),
            guard=steps.rating_guard,
            apply=steps.on_rate,
            route=steps.rating_route,
            routes=(STAY, A.HANDLING, A.DONE),
            event="assignment.rated",
        ),
        Action(
            "close_rating",
            _("测评期满"),
            (A.RATING,),
            STAY,
            _system,
            when=steps.rating_window_passed,
            apply=steps.on_close_rating,
            route=steps.close_rating_route,
            routes=(A.HANDLING, A.DONE),
            event="assignment.rating_closed",
        ),
        Action(
            "finish",
            _("随提案办结"),
            (A.OPINION_SENT, A.HANDLING, A.TO_SIGN),
            A.DONE,
            _system_or_a_office,
            when=lambda a: a.role == Assignment.Role.CO,
            apply=lambda a, u, f: {"done_at": timezone.now()},
        ),
    ],
)


def _draft_reply(a: Assignment, f: dict[str, Any]) -> dict[str, Any]:
    # the engine writes with update(): keep the portal's search index in step here
    reply_search.index_reply(a.pk, f["text"], org_id=a.proposal.org_id)
    return {
        "reply_text": f["text"],
        "result_class": f["result_class"],
        "reply_doc_number": f.get("doc_number") or "",
        "countersigned_units": [],
    }


def _record_contact(a: Assignment, user: Any, f: dict[str, Any]) -> dict[str, Any]:
    from shangliang.proposals.models import Contact

    Contact.objects.create(
        assignment=a,
        date=f["date"],
        way=f["way"],
        person=f["person"],
        note=f.get("note") or "",
        recorded_by=user,
    )
    return {}
