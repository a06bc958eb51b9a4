"""What each workflow step checks and writes besides the state (called by the engine, inside
its transaction). The transition table in ``workflow.py`` stays declarative."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership
from shangliang.opinions.models import (
    LEVEL_NAMES,
    Adoption,
    Check,
    Forwarding,
    Instruction,
    Issue,
    Level,
    Opinion,
    OpinionSettings,
    Reporter,
    Tally,
)
from shangliang.opinions.tallies import tally_event, tally_submitted, tally_withdrawn
from shangliang.orgs.models import Organization, Unit

S = Opinion.Status
_SPACE = re.compile(r"\s+")


def settings_for(org: Any) -> OpinionSettings:
    """The committee's settings, or the defaults (unsaved: reading never writes)."""
    found = OpinionSettings.objects.filter(org=org).first()
    return found if found is not None else OpinionSettings(org=org)


def char_count(text: str) -> int:
    """Length as the committees count it: characters, whitespace not counted."""
    return len(_SPACE.sub("", text or ""))


def level_of(org: Organization) -> str:
    return LEVEL_NAMES[int(org.level)]


def levels_reached(o: Opinion) -> list[str]:
    """The levels at which adoption may be recorded on this record: its committee's, and the
    national committee's (outside the platform, by hand) once it was reported there."""
    levels = [level_of(o.org)]
    if o.reported_national and Level.NATIONAL not in levels:
        levels.append(Level.NATIONAL)
    return levels


# --- reporter -------------------------------------------------------------------------------


def text_problems(o: Opinion) -> dict[str, list[str]]:
    conf = settings_for(o.org)
    errors: dict[str, list[str]] = {}
    if not o.title.strip():
        errors["title"] = [_("请填写标题。")]
    elif char_count(o.title) > conf.title_max_length:
        errors["title"] = [_("标题不能超过 %(n)s 个字。") % {"n": conf.title_max_length}]
    for name, label in (
        ("situation", _("情况")),
        ("analysis", _("分析")),
        ("suggestions", _("建议")),
    ):
        if not str(getattr(o, name)).strip():
            errors[name] = [_("请填写“%(f)s”：一事一报，须有情况、有分析、有建议。") % {"f": label}]
    total = char_count(o.situation) + char_count(o.analysis) + char_count(o.suggestions)
    if total > conf.max_length:
        errors["text"] = [
            _("正文不能超过 %(n)s 字（现为 %(m)s 字）。") % {"n": conf.max_length, "m": total}
        ]
    return errors


def check_complete(o: Opinion, fields: dict[str, Any]) -> str | None:
    problems = text_problems(o)
    return next(iter(problems.values()))[0] if problems else None


def on_submit(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    local = timezone.localtime(now)
    tally_submitted(o, local.year)
    return {"submitted_at": now, "submitted_month": local.year * 100 + local.month}


def on_resubmit(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    submitted = timezone.localtime(o.submitted_at or timezone.now())
    tally_submitted(o, submitted.year)
    return {"submitted_at": submitted, "submitted_month": submitted.year * 100 + submitted.month}


def on_withdraw(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    tally_withdrawn(o)
    return {"withdraw_reason": fields.get("reason") or ""}


# --- information office ---------------------------------------------------------------------


def on_start_editing(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "editor": actor,
        "edited_title": o.edited_title or o.title,
        "edited_text": o.edited_text or o.original_text,
    }


def edit_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    conf = settings_for(o.org)
    if char_count(fields["title"]) > conf.title_max_length:
        return _("标题不能超过 %(n)s 个字。") % {"n": conf.title_max_length}
    n = char_count(fields["text"])
    if n > conf.max_length:
        return _("正文不能超过 %(n)s 字（现为 %(m)s 字）。") % {"n": conf.max_length, "m": n}
    return None


def on_edit(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    text = fields["text"].replace("\r\n", "\n").replace("\r", "\n")
    return {"edited_title": fields["title"], "edited_text": text, "editor": actor}


def check_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    gates = [g["code"] for g in settings_for(o.org).gates]
    if fields["gate"] not in gates:
        return _("审核关口“%(g)s”无效，可选：%(all)s。") % {
            "g": fields["gate"],
            "all": "、".join(gates),
        }
    if not fields["passed"] and not (fields.get("note") or "").strip():
        return _("未通过的关口须写明原因。")
    return None


def on_check(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    Check.objects.update_or_create(
        opinion=o,
        gate=fields["gate"],
        defaults={
            "passed": fields["passed"],
            "note": fields.get("note") or "",
            "checked_by": actor,
        },
    )
    return {}


def sign_off_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    conf = settings_for(o.org)
    done = dict(o.checks.values_list("gate", "passed"))
    failed = [conf.gate_label(g["code"]) for g in conf.gates if done.get(g["code"]) is False]
    missing = [conf.gate_label(g["code"]) for g in conf.gates if g["code"] not in done]
    if failed:
        return _("以下关口未通过，不能签发：%(g)s。请修改或退回反映人。") % {"g": "、".join(failed)}
    if missing:
        return _("以下关口尚未审核：%(g)s。") % {"g": "、".join(missing)}
    return edit_guard(o, {"title": o.display_title, "text": o.display_text})


def on_sign_off(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "signed_off_by": actor,
        "signed_off_at": timezone.now(),
        "edited_title": o.edited_title or o.title,
        "edited_text": o.edited_text or o.original_text,
    }


def combine_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    into = Opinion.objects.filter(pk=fields["into"]).first()
    if into is None or into.org_id != o.org_id:
        return _("要综合到的信息不存在或不属于本会。")
    if into.pk == o.pk:
        return _("不能综合到自己。")
    if into.status not in (S.SUBMITTED, S.EDITING, S.SIGNED_OFF):
        return _("只能综合到待编辑、编辑中或已签发的信息。")
    return None


def on_combine(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    into = Opinion.objects.get(pk=fields["into"])
    copy_reporters(o, into)
    Opinion.objects.filter(pk=into.pk).update(updated_at=timezone.now())
    return {"combined_into": into}


def copy_reporters(source: Opinion, target: Opinion) -> None:
    """Credit ``source``'s reporters on ``target`` too (each person once)."""
    have = set(Reporter.objects.filter(opinion=target).values_list("user_id", flat=True))
    Reporter.objects.bulk_create(
        [
            Reporter(
                opinion=target,
                user_id=r.user_id,
                membership_id=r.membership_id,
                org_id=r.org_id,
                first=r.first,
            )
            for r in Reporter.objects.filter(opinion=source).order_by("-first", "id")
            if r.user_id not in have
        ]
    )


def publish_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    conf = settings_for(o.org)
    if fields["series"] not in [s["code"] for s in conf.series]:
        return _("刊物“%(s)s”无效，可选：%(all)s。") % {
            "s": fields["series"],
            "all": "、".join(s["code"] for s in conf.series),
        }
    if fields.get("issue") is not None and fields["issue"] < 1:
        return _("期号须为正整数。")
    return None


def issue_for(org: Organization, series: str, number: int | None, actor: Any) -> Issue:
    """The issue ``number`` of this year's ``series`` (created when new); the next number
    when none is given."""
    year = timezone.localdate().year
    if number is None:
        last = Issue.objects.filter(org=org, series=series, year=year).aggregate(n=Max("number"))
        number = (last["n"] or 0) + 1
    conf = settings_for(org)
    distribution = next((s.get("distribution", "") for s in conf.series if s["code"] == series), "")
    issue, _created = Issue.objects.get_or_create(
        org=org,
        series=series,
        year=year,
        number=number,
        defaults={"date": timezone.localdate(), "created_by": actor, "distribution": distribution},
    )
    return issue


def on_publish(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    issue = issue_for(o.org, fields["series"], fields.get("issue"), actor)
    order = Opinion.objects.filter(issue=issue).count() + 1
    return {"issue": issue, "issue_order": order, "published_at": timezone.now()}


def unpublish_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    """An item with an adoption or an instruction recorded cannot silently leave its issue."""
    if o.adoptions.exists():
        return _("这篇信息已记录采用，不能撤出刊期。")
    if o.instructions.exists():
        return _("这篇信息已记录领导批示，不能撤出刊期。")
    return None


def on_unpublish(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """Back to signed off: out of its issue, the issue's other items renumbered 1, 2, 3...
    Publication writes no tally or duty line, so there is none to undo."""
    if o.issue_id is not None:
        others = Opinion.objects.filter(issue_id=o.issue_id).exclude(pk=o.pk)
        rows = others.order_by("issue_order", "id").values_list("pk", "issue_order")
        for n, (pk, order) in enumerate(rows, start=1):
            if order != n:
                Opinion.objects.filter(pk=pk).update(issue_order=n)
    return {"issue": None, "issue_order": 0, "published_at": None}


def precheck(o: Opinion, action: str) -> str | None:
    """A clear message for a step that cannot be taken on this record (bad input the state
    alone would only answer with a conflict)."""
    if action == "publish" and o.issue_id is not None:
        issue = Issue.objects.get(pk=o.issue_id)
        return _("这篇信息已在《%(s)s》%(i)s编发，不能重复编发。") % {
            "s": settings_for(o.org).series_name(issue.series),
            "i": issue,
        }
    if action == "report_upward":
        return upward_problem(o)
    return None


def upward_problem(o: Opinion) -> str | None:
    if o.org.level == o.org.Level.NATIONAL or (
        o.org.parent_id is None and o.org.level != o.org.Level.PROVINCE
    ):
        return _("%(org)s已是最高一级，不能再向上报送。") % {"org": o.org}
    if o.reported_national or o.upward_copies.exists():
        return _("这篇信息已向上报送，不能重复报送。")
    return None


def upward_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    return upward_problem(o)


def on_report_upward(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    if o.org.parent_id is None:  # a province: the national committee is outside the platform
        return {"reported_national": True, "reported_upward_at": now}
    copy = Opinion.objects.create(
        org_id=o.org.parent_id,
        kind=Opinion.Kind.UPWARD,
        author_id=o.author_id,
        reporter_kind=Opinion.ReporterKind.LOWER,
        reporter_unit=str(o.org),
        title=o.display_title,
        situation=o.display_text,
        status=S.SUBMITTED,
        source=o,
        origin_id=o.origin_id or o.pk,
        submitted_at=now,
        submitted_month=timezone.localtime(now).year * 100 + timezone.localtime(now).month,
    )
    copy_reporters(o, copy)
    return {"reported_upward_at": now}


def adoption_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    reached = levels_reached(o)
    if fields["level"] not in reached:
        return _("这篇信息未报送到%(l)s，不能记录该级采用（可记录：%(all)s）。") % {
            "l": Level(fields["level"]).label,
            "all": "、".join(str(Level(x).label) for x in reached),
        }
    if Adoption.objects.filter(opinion=o, level=fields["level"]).exists():
        return _("%(l)s采用已经记录过了。") % {"l": Level(fields["level"]).label}
    return None


def on_adoption(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    Adoption.objects.create(
        opinion=o,
        level=fields["level"],
        kind=fields["kind"],
        month=today.year * 100 + today.month,
        recorded_by=actor,
    )
    tally_event(o, Tally.Kind.ADOPTED, fields["level"], timezone.localdate().year)
    return {}


def instruction_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    reached = levels_reached(o)
    if fields["leader_level"] not in reached:
        return _("这篇信息未报送到%(l)s，不能记录该级领导批示（可记录：%(all)s）。") % {
            "l": Level(fields["leader_level"]).label,
            "all": "、".join(str(Level(x).label) for x in reached),
        }
    if fields["date"] > timezone.localdate():
        return _("批示日期不能晚于今天。")
    return None


def on_instruction(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    Instruction.objects.create(
        opinion=o,
        leader_level=fields["leader_level"],
        leader=fields["leader"],
        text=fields["text"],
        date=fields["date"],
        recorded_by=actor,
    )
    tally_event(o, Tally.Kind.INSTRUCTED, "", fields["date"].year)
    return {}


def unit_ids(fields: dict[str, Any]) -> list[int]:
    ids = []
    for item in fields["units"]:
        value = item.get("unit") if isinstance(item, dict) else item
        try:
            ids.append(int(str(value)))
        except (TypeError, ValueError):
            return []
    return ids


def forward_guard(o: Opinion, fields: dict[str, Any]) -> str | None:
    ids = set(unit_ids(fields))
    if not ids:
        return _("请选择要转送的单位。")
    found = Unit.objects.filter(pk__in=ids, org=o.org, is_active=True).count()
    if found != len(ids):
        return _("转送单位无效或不属于本会。")
    return None


def on_forward(o: Opinion, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    have = set(o.forwardings.values_list("unit_id", flat=True))
    Forwarding.objects.bulk_create(
        [Forwarding(opinion=o, unit_id=u) for u in dict.fromkeys(unit_ids(fields)) if u not in have]
    )
    return {}


def on_reply(f: Forwarding, actor: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {"reply_text": fields["text"], "replied_at": timezone.now()}


def serving_membership(user: Any, org: Any) -> Membership | None:
    return (
        Membership.objects.filter(
            user=user,
            org=org,
            term__is_current=True,
            status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED],
        )
        .order_by("-id")
        .first()
    )
