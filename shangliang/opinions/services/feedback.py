"""Batch feedback (反馈) to reporters on what became of their reports, and the topic guide
(选题指南) members see when they write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.permissions import require
from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid, NotFound
from shangliang.core.uploads import IMAGES, PDF, check_upload
from shangliang.opinions.credits import credited
from shangliang.opinions.models import Feedback, Instruction, Issue, Opinion, TopicGuide
from shangliang.opinions.steps import settings_for
from shangliang.orgs.models import Organization

S = Opinion.Status
MAX_BATCH = 500


def chain_of(o: Opinion) -> list[Opinion]:
    """The record and its copies at the levels above (reported upward), bottom first."""
    out = [o]
    current = o
    for _i in range(4):
        copy = Opinion.objects.filter(source=current).select_related("org").first()
        if copy is None:
            break
        out.append(copy)
        current = copy
    return out


def outcome_text(o: Opinion, *, with_instructions: bool) -> str:
    """What became of a report, in one paragraph for its reporters."""
    parts = [_("《%(t)s》：%(s)s") % {"t": o.display_title, "s": o.get_status_display()}]
    if o.issue_id:
        issue = Issue.objects.get(pk=o.issue_id)
        parts.append(
            _("已在《%(s)s》%(i)s编发")
            % {"s": settings_for(o.org).series_name(issue.series), "i": issue}
        )
    if o.status == S.KEPT and o.keep_reason:
        parts.append(_("留存理由：%(r)s") % {"r": o.keep_reason})
    if o.combined_into_id:
        parts.append(_("已与同类信息综合编发"))
    chain = chain_of(o.combined_into if o.combined_into_id else o)  # type: ignore[arg-type]
    for record in chain:
        for a in record.adoptions.all():
            parts.append(_("%(l)s%(k)s") % {"l": a.get_level_display(), "k": a.get_kind_display()})
    instructions = Instruction.objects.filter(opinion__in=chain).order_by("date", "id")
    for i in instructions:
        if with_instructions:
            parts.append(
                _("%(lvl)s领导（%(who)s）%(d)s批示：%(t)s")
                % {"lvl": i.get_leader_level_display(), "who": i.leader, "d": i.date, "t": i.text}
            )
        else:
            parts.append(_("%(lvl)s领导已作批示") % {"lvl": i.get_leader_level_display()})
    return "；".join(parts) + "。"


@transaction.atomic
def opinions_send_feedback(
    *,
    actor: Any,
    org: Organization,
    opinion_ids: list[int],
    note: str = "",
    with_instructions: bool = True,
) -> list[Feedback]:
    """Tell the reporters of each report (every credited reporter, once per report) what
    became of it; one batch, one audit row."""
    require(actor, "opinions.manage", org)
    ids = list(dict.fromkeys(int(i) for i in opinion_ids))
    if not ids:
        raise Invalid(_("请选择要反馈的信息。"))
    if len(ids) > MAX_BATCH:
        raise Invalid(_("一次最多反馈 %(n)s 篇。") % {"n": MAX_BATCH})
    found = list(Opinion.objects.filter(pk__in=ids, org=org).exclude(status=S.DRAFT))
    if len(found) != len(ids):
        raise Invalid(_("所选信息不存在或不属于本会。"))
    batch = timezone.now().strftime("%Y%m%d%H%M%S")
    made = []
    for o in found:
        text = outcome_text(o, with_instructions=with_instructions)
        if note.strip():
            text = f"{text}\n{note.strip()}"
        for c in credited(o.pk):
            made.append(
                Feedback(opinion=o, user_id=c.user_id, batch=batch, text=text, sent_by=actor)
            )
    Feedback.objects.bulk_create(made)
    audit_record(
        actor=actor,
        action="opinions.feedback_sent",
        target=org,
        data={"batch": batch, "opinions": ids, "recipients": len(made)},
    )
    return made


@transaction.atomic
def feedback_mark_read(*, actor: Any) -> int:
    return Feedback.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def topic_guide_publish(
    *,
    actor: Any,
    org: Organization,
    title: str,
    topics: str,
    valid_until: dt.date | None = None,
) -> TopicGuide:
    require(actor, "opinions.manage", org)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("请填写标题。")]
    elif len(title.strip()) > 100:
        errors["title"] = [_("标题不能超过 100 个字。")]
    if not [t for t in topics.splitlines() if t.strip()]:
        errors["topics"] = [_("请至少填写一个选题。")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    guide = TopicGuide.objects.create(
        org=org,
        title=title.strip(),
        topics=topics.strip(),
        valid_until=valid_until,
        published_by=actor,
    )
    audit_record(actor=actor, action="opinions.topic_guide_published", target=guide)
    return guide


SCAN_MAX_MB = 20


@transaction.atomic
def instruction_attach_scan(
    *, actor: Any, opinion: Opinion, instruction_id: int, upload: Any
) -> Instruction:
    """Attach the scan of a leader's instruction (PDF or image, read from its content)."""
    require(actor, "opinions.manage", opinion.org)
    inst = Instruction.objects.filter(pk=instruction_id, opinion=opinion).first()
    if inst is None:
        raise NotFound()
    ext, _type = check_upload(upload, allowed=PDF | IMAGES, max_mb=SCAN_MAX_MB, field="scan")
    inst.scan.save(f"instruction-{inst.pk}.{ext}", upload, save=False)
    inst.save(update_fields=["scan", "updated_at"])
    audit_record(
        actor=actor,
        action="opinions.scan_attached",
        target=opinion,
        data={"instruction_id": inst.pk},
    )
    return inst
