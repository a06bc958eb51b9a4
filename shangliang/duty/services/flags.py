"""Exit warnings (退出预警) and excellent members (优秀委员).

The scan flags members that meet a rule; nothing is applied: staff review each flag and
either dismiss it or refer the member to the suspension/exit workflow of the roster, where
a person decides (``accounts.membership``)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import require
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Invalid
from shangliang.duty.models import DutyScore, ExcellentMember, ExitFlag, LedgerEntry
from shangliang.duty.scoring import scheme_for
from shangliang.orgs.models import Organization

SERVING = [Membership.Status.ACTIVE, Membership.Status.SUSPENDED]


def exit_flags_scan(*, org: Organization, year: int | None = None) -> int:
    """Flag the org's serving members of the current term that meet a rule (set-based).
    Returns how many new flags were raised."""
    year = year or timezone.localdate().year
    scheme = scheme_for(org.pk, year)
    members = Membership.objects.filter(org=org, term__is_current=True, status__in=SERVING)
    term_start = members.values_list("term__starts_on", flat=True).first()
    if term_start is None:
        return 0
    absent = dict(
        LedgerEntry.objects.filter(
            membership__in=members, item="absent.plenary", year__gte=term_start.year
        )
        .values("membership_id")
        .annotate(n=Sum("sign"))
        .filter(n__gte=scheme.exit_plenary_absences)
        .values_list("membership_id", "n")
    )
    new: list[ExitFlag] = []
    for mid, n in absent.items():
        new.append(
            ExitFlag(
                org=org,
                membership_id=mid,
                rule=ExitFlag.Rule.PLENARY_ABSENCES,
                detail=_("本届无故缺席全体会议 %(n)s 次") % {"n": n},
            )
        )
    years = scheme.exit_idle_years
    first_year = year - years + 1
    if term_start.year <= first_year:  # only once the term has lasted that long
        active = set(
            LedgerEntry.objects.filter(
                membership__in=members,
                item__in=["proposal.submitted", "opinion.submitted"],
                year__gte=first_year,
                year__lte=year,
            )
            .values("membership_id")
            .annotate(n=Sum("sign"))
            .filter(n__gt=0)
            .values_list("membership_id", flat=True)
        )
        for mid in members.exclude(pk__in=active).values_list("pk", flat=True):
            new.append(
                ExitFlag(
                    org=org,
                    membership_id=mid,
                    rule=ExitFlag.Rule.IDLE_YEARS,
                    detail=_("%(a)s—%(b)s 年未提交提案和社情民意") % {"a": first_year, "b": year},
                )
            )
    open_now = set(
        ExitFlag.objects.filter(org=org, status=ExitFlag.Status.OPEN).values_list(
            "membership_id", "rule"
        )
    )
    new = [f for f in new if (f.membership_id, f.rule) not in open_now]
    ExitFlag.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def exit_flag_decide(*, actor: Any, flag: ExitFlag, decision: str, note: str = "") -> ExitFlag:
    """dismiss (不予处理) or refer (提请暂停或退出: then decided on the roster's workflow)."""
    require(actor, "duty.manage", flag.org)
    status = {"dismiss": ExitFlag.Status.DISMISSED, "refer": ExitFlag.Status.REFERRED}.get(decision)
    if status is None:
        raise Invalid(_("处理方式无效。"), fields={"decision": [_("取值无效")]})
    note = (note or "").strip()
    if status == ExitFlag.Status.DISMISSED and not note:
        raise Invalid(_("不予处理须说明理由。"), fields={"note": [_("必填")]})
    with transaction.atomic():
        if not ExitFlag.objects.filter(pk=flag.pk, status=ExitFlag.Status.OPEN).update(
            status=status, decided_by=actor, note=note[:300], updated_at=timezone.now()
        ):
            raise Conflict()
        flag.refresh_from_db()
        audit_record(
            actor=actor,
            action="duty.exit_flag_decide",
            target=flag,
            data={"decision": decision, "note": note, "rule": flag.rule},
        )
    return flag


def excellent_nominate(
    *, actor: Any, org: Organization, year: int, membership_id: int
) -> ExcellentMember:
    require(actor, "duty.manage", org)
    score = DutyScore.objects.filter(org=org, year=year, membership_id=membership_id).first()
    if score is None:
        raise Invalid(_("只能从本组织本年度的积分排名中提名。"))
    try:
        with transaction.atomic():
            nom = ExcellentMember.objects.create(
                org=org, year=year, membership_id=membership_id, nominated_by=actor
            )
            audit_record(
                actor=actor,
                action="duty.excellent_nominate",
                target=nom,
                data={"year": year, "score": str(score.score)},
            )
    except IntegrityError:
        raise Conflict(_("该委员本年度已被提名。")) from None
    return nom


def excellent_decide(*, actor: Any, nomination: ExcellentMember, confirm: bool) -> ExcellentMember:
    require(actor, "duty.decide", nomination.org)
    status = ExcellentMember.Status.CONFIRMED if confirm else ExcellentMember.Status.REJECTED
    with transaction.atomic():
        if not ExcellentMember.objects.filter(
            pk=nomination.pk, status=ExcellentMember.Status.NOMINATED
        ).update(status=status, decided_by=actor, updated_at=timezone.now()):
            raise Conflict()
        nomination.refresh_from_db()
        audit_record(
            actor=actor, action="duty.excellent_decide", target=nomination, data={"status": status}
        )
    return nomination
