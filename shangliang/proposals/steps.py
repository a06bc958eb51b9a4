"""What each workflow step writes besides the state (called by the engine, inside its
transaction). Keep the transition tables in ``workflow.py`` declarative."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.calendar import add_working_days
from shangliang.core.errors import Conflict, Invalid
from shangliang.orgs.models import Session, Unit
from shangliang.proposals.models import Assignment, Cosigner, Proposal, ProposalSettings, Rating


def settings_for(org: Any) -> ProposalSettings:
    """The committee's settings, or the defaults (unsaved: reading never writes)."""
    found = ProposalSettings.objects.filter(org=org).first()
    return found if found is not None else ProposalSettings(org=org)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, d))
        except ValueError:
            continue
    raise ValueError(day)


def today() -> dt.date:
    return timezone.localdate()


# --- proposal -------------------------------------------------------------------------------


def check_complete(p: Proposal, fields: dict[str, Any]) -> str | None:
    conf = settings_for(p.org)
    if not p.title.strip():
        return _("请填写案由。")
    if len(p.title) > conf.title_max_length:
        return _("案由不能超过 %(n)s 个字。") % {"n": conf.title_max_length}
    if not p.situation.strip() or not p.suggestions.strip():
        return _("“情况”和“建议”是必填的。")
    if p.category and p.category not in conf.categories:
        return _("类别“%(c)s”无效。") % {"c": p.category}
    if p.kind == Proposal.Kind.JOINT and not p.cosigners.exists():
        return _("联名提案须邀请至少一位联名人。")
    if p.kind == Proposal.Kind.COLLECTIVE and not p.collective_name.strip():
        return _("集体提案须填写提案单位。")
    return None


def on_submit(p: Proposal, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    session = Session.objects.get(pk=p.session_id)
    return {"submitted_at": now, "review_stage": 0, "is_plenary": now <= session.proposal_deadline}


def on_resubmit(p: Proposal, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {"submitted_at": timezone.now(), "review_stage": 0, "decision_reason": ""}


def on_cosign(answer: str) -> Any:
    def apply(p: Proposal, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
        updated = Cosigner.objects.filter(
            proposal=p, membership__user=actor, status=Cosigner.Status.INVITED
        ).update(status=answer, responded_at=timezone.now())
        if not updated:
            raise Invalid(_("您没有待确认的联名邀请。"))
        return {}

    return apply


REVIEW_OUTCOMES = ("accept", "merge", "convert", "return", "reject")


def review_route(p: Proposal, actor: Any, fields: dict[str, Any]) -> str:
    outcome = fields["outcome"]
    if outcome == "accept":
        stages = settings_for(p.org).review_stages
        return "" if p.review_stage + 1 < len(stages) else Proposal.Status.ACCEPTED
    return {
        "merge": Proposal.Status.MERGED,
        "convert": Proposal.Status.CONVERTED,
        "return": Proposal.Status.RETURNED,
        "reject": Proposal.Status.REJECTED,
    }[outcome]


def review_guard(p: Proposal, fields: dict[str, Any]) -> str | None:
    outcome = fields["outcome"]
    if outcome in ("return", "reject", "convert") and not fields.get("reason"):
        return _("退回、不予立案或转为意见建议时须写明理由。")
    if outcome == "reject" and fields.get("reason") not in settings_for(p.org).reject_grounds:
        return _("不予立案须从规定的理由中选择。")
    if outcome == "merge":
        main = Proposal.objects.filter(pk=fields.get("merge_into") or 0, org=p.org).first()
        if main is None or main.pk == p.pk:
            return _("请选择要并入的主提案。")
        if main.status not in (Proposal.Status.IN_REVIEW, Proposal.Status.ACCEPTED):
            return _("只能并入审查中或已立案的提案。")
    stage = fields.get("stage")
    if stage is not None and stage != p.review_stage:  # the officer saw another stage
        raise Conflict(_("该提案已进入下一审查阶段，请刷新后重试。"))
    return None


def on_review(p: Proposal, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    outcome = fields["outcome"]
    updates: dict[str, Any] = {"decision_reason": fields.get("reason") or ""}
    if outcome == "accept":
        stages = settings_for(p.org).review_stages
        if p.review_stage + 1 < len(stages):
            updates["review_stage"] = p.review_stage + 1
        else:
            # numbering is serialised on the session row: two acceptances never share a number
            Session.objects.select_for_update().filter(pk=p.session_id).first()
            last = Proposal.objects.filter(session_id=p.session_id).aggregate(n=Max("number"))
            updates.update(number=(last["n"] or 0) + 1, accepted_at=timezone.now())
    elif outcome == "merge":
        updates["merged_into_id"] = fields["merge_into"]
    return updates


def assign_guard(p: Proposal, fields: dict[str, Any]) -> str | None:
    mode, rows = fields["mode"], fields["units"]
    try:
        pairs = [(int(r["unit"]), str(r.get("role") or "")) for r in rows]
    except (TypeError, KeyError, ValueError):
        return _("承办单位格式有误。")
    ids = [u for u, _r in pairs]
    if len(set(ids)) != len(ids):
        return _("同一承办单位不能重复交办。")
    if Unit.objects.filter(pk__in=ids, org_id=p.org_id, is_active=True).count() != len(ids):
        return _("承办单位无效或不属于本会。")
    roles = [r for _u, r in pairs]
    if mode == "sole" and len(pairs) != 1:
        return _("独办须且只能选择一个承办单位。")
    if mode == "lead_co" and (
        roles.count("lead") != 1 or len(pairs) < 2 or set(roles) - {"lead", "co"}
    ):
        return _("主办会办须有一个主办单位和至少一个会办单位。")
    if mode == "split" and len(pairs) < 2:
        return _("分办须选择至少两个承办单位。")
    return None


def create_assignments(
    p: Proposal, mode: str, rows: list[dict[str, Any]], *, round_: int = 1
) -> list[Assignment]:
    conf = settings_for(p.org)
    now, day = timezone.now(), today()
    due = add_months(day, conf.reply_months)
    made = []
    for row in rows:
        role = {"sole": Assignment.Role.SOLE, "split": Assignment.Role.SPLIT}.get(
            mode, Assignment.Role.LEAD if row.get("role") == "lead" else Assignment.Role.CO
        )
        made.append(
            Assignment.objects.create(
                proposal=p,
                unit_id=int(row["unit"]),
                role=role,
                round=round_,
                assigned_at=now,
                sign_due_on=add_working_days(day, conf.reassignment_days),
                first_due_on=due,
                due_on=due,
            )
        )
    return made


def on_assign(p: Proposal, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    create_assignments(p, fields["mode"], fields["units"])
    return {}


# --- assignment -----------------------------------------------------------------------------


def within_sign_window(a: Assignment) -> bool:
    return today() <= a.sign_due_on


def reassignment_route(a: Assignment, actor: Any, fields: dict[str, Any]) -> str:
    return (
        Assignment.Status.CANCELLED
        if fields["decision"] == "approve"
        else (Assignment.Status.HANDLING)
    )


def on_reassignment_decided(a: Assignment, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    if fields["decision"] == "approve" and fields.get("new_unit"):
        unit = Unit.objects.filter(
            pk=fields["new_unit"], org_id=a.proposal.org_id, is_active=True
        ).first()
        if unit is None or unit.pk == a.unit_id:
            raise Invalid(_("请选择新的承办单位。"))
        mode = "sole" if a.role == Assignment.Role.SOLE else "split"
        row = {"unit": unit.pk, "role": "lead" if a.role == Assignment.Role.LEAD else "co"}
        made = create_assignments(a.proposal, mode, [row], round_=a.round)[0]
        if a.role in (Assignment.Role.LEAD, Assignment.Role.CO):
            Assignment.objects.filter(pk=made.pk).update(role=a.role)
    if fields["decision"] == "reject":
        return {"signed_at": timezone.now(), "audit_comment": fields.get("note") or ""}
    return {"audit_comment": fields.get("note") or ""}


def has_open_co(a: Assignment) -> bool:
    return (
        Assignment.objects.filter(proposal_id=a.proposal_id, role=Assignment.Role.CO)
        .exclude(status=Assignment.Status.CANCELLED)
        .exists()
    )


def draft_route(a: Assignment, actor: Any, fields: dict[str, Any]) -> str:
    if a.role == Assignment.Role.LEAD and has_open_co(a):
        return Assignment.Status.DRAFTED
    return Assignment.Status.IN_AUDIT


def draft_guard(a: Assignment, fields: dict[str, Any]) -> str | None:
    if not a.contacts.exists():
        return _("答复前须先记录与提案人的沟通情况（办前沟通）。")
    codes = [c["code"] for c in settings_for(a.proposal.org).result_classes]
    if fields["result_class"] not in codes:
        return _("办理结果分类无效。")
    return None


def co_units_of(a: Assignment) -> set[int]:
    return set(
        Assignment.objects.filter(proposal_id=a.proposal_id, role=Assignment.Role.CO)
        .exclude(status=Assignment.Status.CANCELLED)
        .values_list("unit_id", flat=True)
    )


def countersigning_unit(a: Assignment, actor: Any) -> int | None:
    """The co-handling unit the actor countersigns for (one not yet countersigned)."""
    from shangliang.accounts.models import UnitUser

    mine = set(UnitUser.objects.filter(user=actor).values_list("unit_id", flat=True))
    todo = (co_units_of(a) & mine) - set(a.countersigned_units)
    return min(todo) if todo else None


def countersign_route(a: Assignment, actor: Any, fields: dict[str, Any]) -> str:
    unit = countersigning_unit(a, actor)
    signed = set(a.countersigned_units) | ({unit} if unit else set())
    return Assignment.Status.IN_AUDIT if co_units_of(a) <= signed else ""


def on_countersign(a: Assignment, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    unit = countersigning_unit(a, actor)
    if unit is None:
        raise Invalid(_("您所在单位已会签或不是会办单位。"))
    return {"countersigned_units": [*a.countersigned_units, unit]}


def on_approve(a: Assignment, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    conf = settings_for(a.proposal.org)
    return {
        "replied_at": timezone.now(),
        "rating_due_on": add_working_days(today(), conf.rating_days),
        "audit_comment": fields.get("comment") or "",
    }


def proposers(p: Proposal) -> list[int]:
    """Membership ids of everyone who rates a reply: the author and confirmed cosigners."""
    ids = [p.author_id]
    ids += list(
        p.cosigners.filter(status=Cosigner.Status.CONFIRMED).values_list("membership_id", flat=True)
    )
    return ids


def rater_membership(a: Assignment, user: Any) -> int | None:
    from shangliang.accounts.models import Membership

    ids = proposers(a.proposal)
    return Membership.objects.filter(pk__in=ids, user=user).values_list("pk", flat=True).first()


def rating_route(a: Assignment, actor: Any, fields: dict[str, Any]) -> str:
    rated = set(
        Rating.objects.filter(assignment=a, round=a.round).values_list("membership_id", flat=True)
    ) | {rater_membership(a, actor)}
    if not set(proposers(a.proposal)) <= rated:
        return ""
    values = list(
        Rating.objects.filter(assignment=a, round=a.round).values_list("value", flat=True)
    ) + [fields["rating"]]
    if a.round == 1 and Rating.Value.DISSATISFIED in values:
        return Assignment.Status.HANDLING  # 二次办理
    return Assignment.Status.DONE


def may_rate(user: Any, a: Assignment) -> bool:
    membership = rater_membership(a, user)
    return (
        membership is not None
        and not Rating.objects.filter(
            assignment=a, round=a.round, membership_id=membership
        ).exists()
    )


def rating_guard(a: Assignment, fields: dict[str, Any]) -> str | None:
    if a.rating_due_on is not None and today() > a.rating_due_on:
        return _("测评期限已过（截至 %(d)s）。") % {"d": a.rating_due_on}
    return None


def on_rate(a: Assignment, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    target = rating_route(a, actor, fields)
    membership = rater_membership(a, actor)
    if membership is None:
        raise Invalid(_("您不是这件提案的提案人。"))
    Rating.objects.create(
        assignment=a,
        membership_id=membership,
        round=a.round,
        value=fields["rating"],
        contacted_before_reply=bool(fields["contacted_before_reply"]),
        comment=fields.get("comment") or "",
    )
    return after_rating(a, target)


def after_rating(a: Assignment, target: str) -> dict[str, Any]:
    """What the last rating of a round (or the end of the window) writes: a second round of
    handling after a dissatisfied first round, else the end of the assignment."""
    if target == Assignment.Status.HANDLING:
        conf = settings_for(a.proposal.org)
        due = today() + dt.timedelta(days=conf.second_handling_days)
        return {
            "round": 2,
            "due_on": due,
            "rating_due_on": None,
            "replied_at": None,
            "countersigned_units": [],
        }
    if target == Assignment.Status.DONE:
        return {"done_at": timezone.now()}
    return {}


def rating_window_passed(a: Assignment) -> bool:
    return a.rating_due_on is not None and today() > a.rating_due_on


def close_rating_route(a: Assignment, actor: Any, fields: dict[str, Any]) -> str:
    """测评期满: the ratings not given count as not given; a dissatisfied first round still
    goes to a second handling."""
    values = Rating.objects.filter(assignment=a, round=a.round).values_list("value", flat=True)
    if a.round == 1 and Rating.Value.DISSATISFIED in values:
        return Assignment.Status.HANDLING
    return Assignment.Status.DONE


def on_close_rating(a: Assignment, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return after_rating(a, close_rating_route(a, actor, fields))


def extension_guard(a: Assignment, fields: dict[str, Any]) -> str | None:
    conf = settings_for(a.proposal.org)
    limit = add_months(a.assigned_at.date(), conf.max_reply_months)
    if fields["until"] <= a.due_on:
        return _("延期日期须晚于当前期限 %(d)s。") % {"d": a.due_on}
    if fields["until"] > limit:
        return _("延期后不能超过交办后 %(m)s 个月（%(d)s）。") % {
            "m": conf.max_reply_months,
            "d": limit,
        }
    return None


def on_extension_decided(a: Assignment, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    updates: dict[str, Any] = {"extension_requested_to": None}
    if fields["decision"] == "approve":
        updates["due_on"] = a.extension_requested_to
    return updates
