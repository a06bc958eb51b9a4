"""The issue builder (the date, the distribution lines, the order of items, taking an item
out) and each committee's opinion settings (length limit, checklist, signers, periodicals)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shangliang.accounts.models import Role, User
from shangliang.accounts.permissions import require
from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid
from shangliang.core.workflow import transition
from shangliang.opinions.models import Issue, Opinion, OpinionSettings
from shangliang.orgs.models import Organization

CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
SERIES_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")  # Issue.series holds 20 characters


@transaction.atomic
def issue_update(*, actor: Any, issue: Issue, date: dt.date, distribution: str) -> Issue:
    require(actor, "opinions.manage", issue.org)
    if len(distribution) > 2000:
        raise Invalid(_("报送范围不能超过 2000 字。"), fields={"distribution": [_("太长")]})
    issue.date = date
    issue.distribution = distribution.strip()
    issue.save(update_fields=["date", "distribution", "updated_at"])
    audit_record(actor=actor, action="opinions.issue_updated", target=issue)
    return issue


@transaction.atomic
def issue_move(*, actor: Any, issue: Issue, opinion_id: int, up: bool) -> None:
    """Move one item of the issue up or down; the items are renumbered 1, 2, 3..."""
    require(actor, "opinions.manage", issue.org)
    items = list(Opinion.objects.filter(issue=issue).order_by("issue_order", "id"))
    index = next((i for i, o in enumerate(items) if o.pk == opinion_id), None)
    if index is None:
        raise Invalid(_("这篇信息不在本期。"))
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for n, o in enumerate(items, start=1):
        if o.issue_order != n:
            Opinion.objects.filter(pk=o.pk).update(issue_order=n)
    audit_record(
        actor=actor, action="opinions.issue_reordered", target=issue, data={"opinion": opinion_id}
    )


@transaction.atomic
def issue_remove(*, actor: Any, issue: Issue, opinion_id: int, reason: str) -> Opinion:
    """Take a report out of its issue (a wrong item before the issue goes out): it is signed
    off again, ready for another issue, and the issue's other items are renumbered. Refused
    when it is not in this issue or has an adoption or an instruction recorded."""
    require(actor, "opinions.manage", issue.org)
    o = Opinion.objects.select_related("org").filter(pk=opinion_id, issue=issue).first()
    if o is None:
        raise Invalid(_("这篇信息不在本期。"))
    order = o.issue_order
    o = transition(o, "unpublish", actor=actor, reason=reason)
    audit_record(
        actor=actor,
        action="opinions.issue_item_removed",
        target=issue,
        data={"opinion": o.pk, "order": order, "reason": (reason or "").strip()},
    )
    return o


def parse_gates(text: str) -> list[dict[str, str]]:
    """``code:标签`` per line (e.g. ``political:政治关``)."""
    gates = []
    for line in text.splitlines():
        if not line.strip():
            continue
        code, sep, label = line.strip().partition(":")
        if not sep:
            code, sep, label = line.strip().partition("：")
        code, label = code.strip(), label.strip()
        if not CODE.match(code) or not label or len(label) > 20:
            raise Invalid(
                _("审核关口每行写“代码:名称”，代码用小写英文字母，例如 political:政治关。"),
                fields={"gates": [_("格式有误：%(l)s") % {"l": line.strip()[:40]}]},
            )
        gates.append({"code": code, "label": label})
    if not gates or len({g["code"] for g in gates}) != len(gates):
        raise Invalid(_("至少要有一个审核关口，且代码不能重复。"), fields={"gates": [_("无效")]})
    return gates


def parse_series(
    text: str, *, org: Organization, current: list[dict[str, str]]
) -> list[dict[str, str]]:
    """``code:名称`` per line (e.g. ``sqmy:社情民意信息``). A code keeps its default
    distribution lines; a code an issue of the committee uses cannot be removed."""
    series: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        code, sep, name = line.strip().partition(":")
        if not sep:
            code, sep, name = line.strip().partition("：")
        code, name = code.strip(), name.strip()
        if not SERIES_CODE.match(code) or not name or len(name) > 30:
            raise Invalid(
                _("刊物每行写“代码:名称”，代码用小写字母、数字或连字符，如 sqmy:社情民意信息。"),
                fields={"series": [_("格式有误：%(l)s") % {"l": line.strip()[:40]}]},
            )
        series.append({"code": code, "name": name})
    codes = [s["code"] for s in series]
    if not series or len(set(codes)) != len(codes):
        raise Invalid(_("至少要有一种刊物，且代码不能重复。"), fields={"series": [_("无效")]})
    used = set(Issue.objects.filter(org=org).values_list("series", flat=True).distinct())
    gone = sorted(used - set(codes))
    if gone:
        msg = _("刊物代码 %(c)s 已有刊期使用，不能删除。") % {"c": "、".join(gone)}
        raise Invalid(msg, fields={"series": [msg]})
    before = {s["code"]: s.get("distribution", "") for s in current}
    return [{**s, "distribution": before.get(s["code"], "")} for s in series]


@transaction.atomic
def opinion_settings_update(
    *,
    actor: Any,
    org: Organization,
    max_length: int,
    title_max_length: int,
    gates: str,
    signers: list[str],
    series: str | None = None,
) -> OpinionSettings:
    """Save the settings; ``series`` (``code:名称`` per line) None keeps the periodicals."""
    require(actor, "opinions.manage", org)
    errors: dict[str, list[str]] = {}
    if not 100 <= max_length <= 20000:
        errors["max_length"] = [_("须在 100 到 20000 之间。")]
    if not 10 <= title_max_length <= 200:
        errors["title_max_length"] = [_("须在 10 到 200 之间。")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    parsed = parse_gates(gates)
    conf = OpinionSettings.objects.filter(org=org).first() or OpinionSettings(org=org)
    new_series = None if series is None else parse_series(series, org=org, current=conf.series)
    names = [s.strip() for s in signers if s.strip()]
    entitled = Role.objects.filter(
        org_id__in=org.ancestor_ids, kind__in=[Role.Kind.INFO_OFFICE, Role.Kind.LEADER]
    ).values("user_id")
    found = dict(
        User.objects.filter(username__in=names, pk__in=entitled).values_list("username", "pk")
    )
    if len(found) != len(set(names)):
        msg = _("签发人须为本会（或上级）信息处或领导的用户名。")
        raise Invalid(msg, fields={"signers": [msg]})
    conf.max_length = max_length
    conf.title_max_length = title_max_length
    conf.gates = parsed
    conf.signers = [found[n] for n in names]
    if new_series is not None:
        conf.series = new_series
    conf.full_clean(exclude=["signers"])  # an empty list is allowed: office and leaders sign
    conf.save()
    audit_record(
        actor=actor,
        action="opinions.settings_updated",
        target=conf,
        data={"series": [s["code"] for s in conf.series]},
    )
    return conf
