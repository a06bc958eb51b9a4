"""督办 of key proposals: the leaders' log of meetings, visits and inspections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shangliang.core.audit import audit_record
from shangliang.core.errors import Forbidden, Invalid
from shangliang.proposals.models import Proposal, SupervisionEntry
from shangliang.proposals.permissions import is_leader


def may_supervise(user: Any, proposal: Proposal) -> bool:
    return bool(user.is_authenticated) and proposal.is_key and is_leader(user, proposal)


@transaction.atomic
def supervision_add(
    *, actor: Any, proposal: Proposal, date: dt.date, kind: str, note: str
) -> SupervisionEntry:
    if not may_supervise(actor, proposal):
        raise Forbidden(_("只有本会领导可以为重点提案记录督办情况。"))
    if kind not in SupervisionEntry.Kind.values:
        raise Invalid(_("督办方式无效。"), fields={"kind": [_("取值无效")]})
    if not note.strip():
        raise Invalid(_("请填写督办情况。"), fields={"note": [_("必填")]})
    entry = SupervisionEntry.objects.create(
        proposal=proposal, date=date, kind=kind, note=note.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="proposals.supervision_added",
        target=proposal,
        data={"date": date.isoformat(), "kind": kind, "note": entry.note[:200]},
    )
    return entry
