"""Printing (issue 3 §9): the proposal in the official form layout (提案表) and an approved
reply as a letter (答复函), as PDFs with a Chinese font embedded (``core.pdf``).

Whoever may see the proposal may print its form; contact details are printed for the
proposal office only. A reply letter exists once the office approved the reply (the
proposers never see a reply before that), for everyone who may see the assignment. Each
print leaves an audit row ``proposals.pdf_printed``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.permissions import require
from shangliang.core.audit import audit_record
from shangliang.core.errors import NotFound
from shangliang.core.pdf import render_pdf
from shangliang.orgs.models import Organization, Session
from shangliang.proposals.excellent_selectors import excellent_label
from shangliang.proposals.models import Assignment, Cosigner, Proposal
from shangliang.proposals.permissions import is_office
from shangliang.proposals.steps import settings_for

A = Assignment.Status
DIGITS = "〇一二三四五六七八九"
LETTER_STATES = (A.RATING, A.DONE)
ACCEPTED = (Proposal.Status.ACCEPTED, Proposal.Status.HANDLING, Proposal.Status.CLOSED)


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    filename: str


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 23 → 二十三, 105 → 一〇五 (届次 and 次 of a session)."""
    if n < 10:
        return DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    return "".join(DIGITS[int(d)] for d in str(n))


def session_heading(org: Organization, session: Session) -> str:
    """政协临溪县委员会 + 第十届 + 第四次会议 → 政协临溪县第十届委员会第四次会议."""
    term = f"第{cn_number(session.term.number)}届"
    meeting = f"第{cn_number(session.number)}次会议"
    name = org.name
    if name.endswith("委员会"):
        return f"{name[: -len('委员会')]}{term}委员会{meeting}"
    return f"{name}{term}{meeting}"


def cn_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def _record(actor: Any, target: Any, document: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action="proposals.pdf_printed", target=target, data={"document": document}
        )


# --- 提案表 ----------------------------------------------------------------------------------


def proposal_form_context(*, user: Any, proposal_id: int) -> dict[str, Any]:
    p = (
        Proposal.objects.select_related(
            "org", "session__term", "author__user", "author__sector", "author__committee"
        )
        .filter(pk=proposal_id)
        .first()
    )
    if p is None:
        raise NotFound()
    require(user, "proposals.view", p, hide=True)
    cosigners = [
        c.membership
        for c in Cosigner.objects.filter(proposal=p, status=Cosigner.Status.CONFIRMED)
        .select_related("membership__user", "membership__sector")
        .order_by("id")
    ]
    assignments = list(
        p.assignments.exclude(status=A.CANCELLED).select_related("unit").order_by("round", "id")
    )
    return {
        "p": p,
        "heading": session_heading(p.org, p.session),
        "cosigners": cosigners,
        "units": list(p.suggested_units.order_by("order", "id")),
        "assignments": assignments,
        "show_contact": is_office(user, p),
        "submitted_on": cn_date(p.submitted_at),
        "accepted_on": cn_date(p.accepted_at),
        "printed_on": cn_date(timezone.now()),
        "reviewed": p.status
        not in (Proposal.Status.DRAFT, Proposal.Status.IN_REVIEW, Proposal.Status.WITHDRAWN),
        "outcome": Proposal.Status.ACCEPTED.label
        if p.status in ACCEPTED
        else p.get_status_display(),
        "excellent": excellent_label(p),
    }


def proposal_print(*, actor: Any, proposal_id: int) -> Printed:
    """The proposal form of a proposal the actor may see (NotFound otherwise)."""
    context = proposal_form_context(user=actor, proposal_id=proposal_id)
    p: Proposal = context["p"]
    pdf = render_pdf("proposals/pdf/proposal.html", context)
    _record(actor, p, "proposal_form")
    return Printed(pdf, _("提案%(n)s.pdf") % {"n": p.number_label or f"-{p.pk}"})


# --- 答复函 ----------------------------------------------------------------------------------


def letter_ready(a: Assignment) -> bool:
    """An approved reply to the proposers (not a co-handler's opinion to the lead)."""
    return a.replies_to_proposers and a.status in LETTER_STATES and a.replied_at is not None


def reply_letter_context(*, user: Any, assignment_id: int) -> dict[str, Any]:
    a = (
        Assignment.objects.select_related(
            "unit", "proposal__org", "proposal__session__term", "proposal__author__user"
        )
        .filter(pk=assignment_id)
        .first()
    )
    if a is None:
        raise NotFound()
    require(user, "proposals.view_assignment", a, hide=True)
    if not letter_ready(a):
        raise NotFound(_("答复尚未审核通过，还没有答复函。"))
    p = a.proposal
    if p.kind == Proposal.Kind.COLLECTIVE:
        addressees = [p.collective_name]
    else:
        names = [p.author.user.display_name]
        names += list(
            Cosigner.objects.filter(proposal=p, status=Cosigner.Status.CONFIRMED)
            .order_by("id")
            .values_list("membership__user__name", flat=True)
        )
        addressees = [_("%(name)s委员") % {"name": n} for n in names if n]
    copy_to = [_("%(org)s提案委员会") % {"org": p.org.name}]
    if a.role == Assignment.Role.LEAD:
        copy_to += list(
            Assignment.objects.filter(proposal=p, role=Assignment.Role.CO)
            .exclude(status=A.CANCELLED)
            .order_by("id")
            .values_list("unit__name", flat=True)
        )
    conf = settings_for(p.org)
    return {
        "a": a,
        "p": p,
        "heading": session_heading(p.org, p.session),
        "addressees": addressees,
        "result_label": conf.result_class_label(a.result_class),
        "replied_on": cn_date(a.replied_at),
        "paragraphs": [line.strip() for line in a.reply_text.splitlines() if line.strip()],
        "copy_to": copy_to,
    }


def reply_letter_print(*, actor: Any, assignment_id: int) -> Printed:
    """The reply letter of an approved reply the actor may see (NotFound otherwise)."""
    context = reply_letter_context(user=actor, assignment_id=assignment_id)
    a: Assignment = context["a"]
    pdf = render_pdf("proposals/pdf/reply_letter.html", context)
    _record(actor, a, "reply_letter")
    number = a.proposal.number_label or f"-{a.proposal_id}"
    return Printed(pdf, _("答复函%(n)s-%(unit)s.pdf") % {"n": number, "unit": a.unit.name})
