"""Reads of the duty app, scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can, require
from shangliang.core.errors import NotFound
from shangliang.duty.items import BY_CODE, GROUPS, REQUIREMENTS, label_of
from shangliang.duty.models import DutyScore, Grade, LedgerEntry, ScoringScheme
from shangliang.duty.scoring import entry_points, scheme_for, score_refresh
from shangliang.orgs.models import Organization


def membership_visible(*, user: Any, membership_id: int) -> Membership:
    m = (
        Membership.objects.select_related("user", "org", "term", "sector", "committee")
        .filter(pk=membership_id)
        .first()
    )
    if m is None:
        raise NotFound()
    require(user, "duty.view_member", m, hide=True)
    return m


def org_visible(*, user: Any, org_id: int, perm: str = "duty.view_org") -> Organization:
    org = Organization.objects.filter(pk=org_id, is_active=True).first()
    if org is None:
        raise NotFound()
    require(user, perm, org, hide=True)
    return org


def score_of(m: Membership, year: int) -> DutyScore:
    score = DutyScore.objects.filter(membership=m, year=year).first()
    if score is None:
        score_refresh(org_id=m.org_id, year=year, membership_ids=[m.pk])
        score = DutyScore.objects.filter(membership=m, year=year).first()
    if score is None:  # the member's term does not cover the year
        scheme = scheme_for(m.org_id, year)
        from django.utils import timezone

        from shangliang.duty.scoring import grade_of

        score = DutyScore(
            org_id=m.org_id,
            year=year,
            membership=m,
            points=0,
            score=scheme.base,
            grade=grade_of(scheme, scheme.base),
            computed_at=timezone.now(),
        )
    return score


def minimums_of(membership_id: int, year: int, requirements: list[str]) -> dict[str, bool]:
    items = {i for r in requirements for i in REQUIREMENTS[r][1]}
    net = dict(
        LedgerEntry.objects.filter(membership_id=membership_id, year=year, item__in=items)
        .values("item")
        .annotate(n=Sum("sign"))
        .values_list("item", "n")
    )
    return {r: any((net.get(i) or 0) > 0 for i in REQUIREMENTS[r][1]) for r in requirements}


@dataclass
class ItemTotal:
    item: str
    label: str
    group: str
    count: int
    raw: Decimal
    cap: Decimal | None
    counted: Decimal

    @property
    def capped(self) -> bool:
        return self.counted != self.raw


@dataclass
class Archive:
    membership: Membership
    year: int
    scheme: ScoringScheme
    score: DutyScore
    entries: list[LedgerEntry]
    totals: list[ItemTotal]
    minimums: dict[str, bool]
    averages: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def minimum_rows(self) -> list[tuple[str, str, bool]]:
        return [(k, str(REQUIREMENTS[k][0]), v) for k, v in self.minimums.items()]

    @property
    def lacking(self) -> list[str]:
        return [str(REQUIREMENTS[k][0]) for k, v in self.minimums.items() if not v]


def item_totals(entries: list[LedgerEntry], scheme: ScoringScheme) -> list[ItemTotal]:
    """Per item: how many times (net), the points before and after the yearly cap. The
    entries carry their ``points`` (see :func:`priced`)."""
    caps = {r.item: r.cap for r in scheme.rules.all()}
    raw: dict[str, Decimal] = {}
    count: dict[str, int] = {}
    for e in entries:
        raw[e.item] = raw.get(e.item, Decimal(0)) + e.points  # type: ignore[attr-defined]
        count[e.item] = count.get(e.item, 0) + e.sign
    out = []
    for code in sorted(raw):
        cap = caps.get(code)
        counted = raw[code] if cap is None else max(-cap, min(cap, raw[code]))
        item = BY_CODE.get(code)
        out.append(
            ItemTotal(
                code,
                label_of(code),
                item.group if item else "",
                count[code],
                raw[code],
                cap,
                counted,
            )
        )
    return out


def priced(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Set ``points`` on each row: its worth under its year's current rules."""
    for e, p in zip(entries, entry_points(entries), strict=True):
        e.points = p  # type: ignore[attr-defined]
    return entries


def averages_for(score: DutyScore) -> dict[str, Decimal | None]:
    base = DutyScore.objects.filter(org_id=score.org_id, year=score.year)
    agg = base.aggregate(
        org=Avg("score"),
        sector=Avg("score", filter=Q(sector_id=score.sector_id))
        if score.sector_id
        else Avg("score", filter=Q(pk__in=[])),
        committee=Avg("score", filter=Q(committee_id=score.committee_id))
        if score.committee_id
        else Avg("score", filter=Q(pk__in=[])),
    )
    return {
        k: (Decimal(v).quantize(Decimal("0.1")) if v is not None else None) for k, v in agg.items()
    }


def member_archive(*, user: Any, membership_id: int, year: int) -> Archive:
    m = membership_visible(user=user, membership_id=membership_id)
    scheme = scheme_for(m.org_id, year)
    score = score_of(m, year)
    entries = priced(
        list(LedgerEntry.objects.filter(membership=m, year=year).order_by("-occurred_at", "-id"))
    )
    return Archive(
        membership=m,
        year=year,
        scheme=scheme,
        score=score,
        entries=entries,
        totals=item_totals(entries, scheme),
        minimums=minimums_of(m.pk, year, list(scheme.minimums)),
        averages=averages_for(score),
    )


def group_label(code: str) -> str:
    return str(GROUPS.get(code, code))


def ranking(*, org: Organization, year: int, rolled_up: bool = False) -> QuerySet[DutyScore]:
    qs = DutyScore.objects.filter(year=year)
    qs = qs.filter(org__path__startswith=org.path) if rolled_up else qs.filter(org=org)
    return qs.select_related(
        "membership__user", "membership__sector", "membership__committee", "org"
    ).order_by("-score", "membership_id")


def ensure_scores(org: Organization, year: int) -> None:
    """Scores are written as the ledger changes; a year nobody touched yet is filled in."""
    if not DutyScore.objects.filter(org=org, year=year).exists():
        score_refresh(org_id=org.pk, year=year)


def grade_counts(qs: QuerySet[DutyScore]) -> list[tuple[str, str, int]]:
    counts = dict(qs.order_by().values("grade").annotate(n=Count("id")).values_list("grade", "n"))
    return [(g.value, str(g.label), counts.get(g.value, 0)) for g in Grade]


def averages_by(qs: QuerySet[DutyScore], key: str) -> list[dict[str, Any]]:
    """Average score per sector or committee (key: ``sector`` / ``committee``)."""
    name = f"membership__{key}__name"
    return list(
        qs.order_by()
        .exclude(**{f"{key}_id": None})
        .values(f"{key}_id", name)
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by("-avg")
    )


def averages_by_group(qs: QuerySet[DutyScore]) -> list[dict[str, Any]]:
    """Average score per member group (学习组/工作组; a member may be in several, and
    counts in each of them)."""
    return [
        dict(row)
        for row in qs.order_by()
        .exclude(membership__groups=None)
        .values("membership__groups__id", "membership__groups__name")
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by("-avg")
    ]


def by_org(org: Organization, year: int) -> list[Any]:
    """Rolled up the tree: one row per organisation under ``org``."""
    return list(
        DutyScore.objects.filter(year=year, org__path__startswith=org.path)
        .order_by()
        .values("org_id", "org__name", "org__path")
        .annotate(
            avg=Avg("score"),
            n=Count("id"),
            fail=Count("id", filter=Q(grade=Grade.FAIL)),
            excellent=Count("id", filter=Q(grade=Grade.EXCELLENT)),
        )
        .order_by("org__path")
    )


def lacking_counts(org: Organization, year: int) -> list[tuple[str, str, int]]:
    """(code, label, how many members lack it) per requirement, from the score table."""
    qs = DutyScore.objects.filter(org=org, year=year)
    counts = qs.aggregate(
        **{code: Count("id", filter=Q(lacking__contains=f"{code},")) for code in REQUIREMENTS}
    )
    return [(code, str(REQUIREMENTS[code][0]), counts[code] or 0) for code in REQUIREMENTS]


def lacking_members(org: Organization, year: int) -> QuerySet[DutyScore]:
    """The scores of the members who have not met every minimum requirement of the year."""
    return (
        DutyScore.objects.filter(org=org, year=year)
        .exclude(lacking="")
        .select_related("membership__user")
        .order_by("membership_id")
    )


def lacking_labels(lacking: str) -> list[str]:
    return [str(REQUIREMENTS[c][0]) for c in lacking.split(",") if c in REQUIREMENTS]


def visible_orgs(user: Any) -> QuerySet[Organization]:
    from shangliang.accounts.permissions import staff_orgs_q
    from shangliang.duty.permissions import READERS

    return Organization.objects.filter(staff_orgs_q(user, READERS, prefix=""), is_active=True)


def my_memberships(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("org", "term")
        .order_by("-term__is_current", "-term__starts_on")
    )


def can_view_org(user: Any, org: Organization) -> bool:
    return can(user, "duty.view_org", org)
