"""The issue builder (the date, the distribution lines, the order of items) and each
committee's opinion settings (length limit, checklist, signers)."""

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
from shangliang.opinions.models import Issue, Opinion, OpinionSettings
from shangliang.orgs.models import Organization

CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


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


@transaction.atomic
def opinion_settings_update(
    *,
    actor: Any,
    org: Organization,
    max_length: int,
    title_max_length: int,
    gates: str,
    signers: list[str],
) -> OpinionSettings:
    require(actor, "opinions.manage", org)
    errors: dict[str, list[str]] = {}
    if not 100 <= max_length <= 20000:
        errors["max_length"] = [_("须在 100 到 20000 之间。")]
    if not 10 <= title_max_length <= 200:
        errors["title_max_length"] = [_("须在 10 到 200 之间。")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    parsed = parse_gates(gates)
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
    conf, _created = OpinionSettings.objects.get_or_create(org=org)
    conf.max_length = max_length
    conf.title_max_length = title_max_length
    conf.gates = parsed
    conf.signers = [found[n] for n in names]
    conf.full_clean()
    conf.save()
    audit_record(actor=actor, action="opinions.settings_updated", target=conf)
    return conf
