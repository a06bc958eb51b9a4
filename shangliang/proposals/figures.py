"""Proposal figures (提案统计): counts and rates for a session, a year or a term, in total and
by category, sector, committee (专委会), kind, plenary or not, organisation and handling unit.

Pure reads. Each table takes a fixed number of queries, one per source table: the proposals,
their assignments, the ratings of those (conditional ``Count`` grouped by the table's key).
The number of queries never grows with the number of proposals, and no query joins
proposals to both assignments and ratings: that join multiplies rows and needs
``COUNT(DISTINCT ...)`` on every column, which was 5–8 times slower on 25,000 proposals (a
province and the committees under it in a year). The definitions are in
``docs/guides/proposals-figures.md`` and on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.orgs.models import Organization, Session, Term
from shangliang.proposals.figures_rows import Row, UnitRow
from shangliang.proposals.models import Assignment, Proposal, Rating

P = Proposal.Status
A = Assignment.Status
REPLYING_ROLES = [Assignment.Role.SOLE, Assignment.Role.LEAD, Assignment.Role.SPLIT]
LIVE = [s for s in A.values if s != A.CANCELLED]


@dataclass(frozen=True)
class Scope:
    """What to count: a committee (and, if ``lower``, the committees under it) in a period."""

    org: Organization
    period: str  # "session" | "year" | "term"
    session: Session | None = None
    term: Term | None = None
    year: int | None = None
    lower: bool = False

    def q(self, prefix: str = "") -> Q:
        """The received proposals of the scope (``prefix`` "proposal__" from assignments)."""
        q = Q(**{f"{prefix}submitted_at__isnull": False}) & ~Q(**{f"{prefix}status": P.DRAFT})
        if self.lower:
            q &= Q(**{f"{prefix}org__path__startswith": self.org.path})
        else:
            q &= Q(**{f"{prefix}org": self.org})
        if self.period == "session":
            q &= Q(**{f"{prefix}session": self.session})
        elif self.period == "term":
            q &= Q(**{f"{prefix}session__term": self.term})
        else:
            start, end = year_bounds(self.year or timezone.localdate().year)
            q &= Q(**{f"{prefix}submitted_at__gte": start, f"{prefix}submitted_at__lt": end})
        return q


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January 00:00 to the next 1 January in the site's time zone (Asia/Shanghai)."""
    tz = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


# --- what each source table contributes --------------------------------------------------

REPLYING = Q(role__in=REPLYING_ROLES, status__in=LIVE)
UNREPLIED = Q(replied_at__isnull=True, done_at__isnull=True)


def _proposal_counts() -> dict[str, Count]:
    accepted = Q(number__isnull=False)
    return {
        "received": Count("pk"),
        "in_review": Count("pk", filter=Q(status=P.IN_REVIEW)),
        "returned": Count("pk", filter=Q(status=P.RETURNED)),
        "accepted": Count("pk", filter=accepted),
        "merged": Count("pk", filter=Q(status=P.MERGED)),
        "converted": Count("pk", filter=Q(status=P.CONVERTED)),
        "rejected": Count("pk", filter=Q(status=P.REJECTED)),
        "withdrawn": Count("pk", filter=Q(status=P.WITHDRAWN)),
        "key": Count("pk", filter=accepted & Q(is_key=True)),
    }


def _assignment_counts(today: dt.date) -> dict[str, Count]:
    """Over live assignments (rows of ``Assignment``); the rates count replying units only."""
    answered_on = TruncDate(
        Coalesce("replied_at", "done_at"), tzinfo=timezone.get_default_timezone()
    )
    on_time = Q(LessThanOrEqual(answered_on, F("due_on")))
    return {
        "replied_assignments": Count("pk", filter=REPLYING & ~UNREPLIED),
        "on_time": Count("pk", filter=REPLYING & ~UNREPLIED & on_time),
        "overdue": Count("pk", filter=REPLYING & UNREPLIED & Q(due_on__lt=today)),
    }


def _proposals_of_assignments() -> dict[str, Count]:
    """Accepted proposals with a replying unit, and those still waiting for one's reply."""
    return {
        "assigned": Count("proposal", filter=REPLYING, distinct=True),
        "waiting": Count("proposal", filter=REPLYING & UNREPLIED, distinct=True),
    }


def _rating_counts() -> dict[str, Count]:
    return {
        "satisfied": Count("pk", filter=Q(value=Rating.Value.SATISFIED)),
        "basically": Count("pk", filter=Q(value=Rating.Value.BASICALLY)),
        "dissatisfied": Count("pk", filter=Q(value=Rating.Value.DISSATISFIED)),
    }


def _assignments(scope: Scope) -> QuerySet[Assignment]:
    return Assignment.objects.filter(scope.q("proposal__"), proposal__number__isnull=False)


def _final_ratings(scope: Scope) -> QuerySet[Rating]:
    """The ratings of the last round of each replying assignment (see the guide)."""
    return Rating.objects.filter(
        scope.q("assignment__proposal__"),
        assignment__role__in=REPLYING_ROLES,
        assignment__status__in=LIVE,
        round=F("assignment__round"),
    )


# --- the tables ----------------------------------------------------------------------------


def _sources(scope: Scope, today: dt.date) -> list[tuple[str, QuerySet[Any], dict[str, Count]]]:
    """(path from the source to the proposal, source rows, what to count in them)."""
    return [
        ("", Proposal.objects.filter(scope.q()), _proposal_counts()),
        (
            "proposal__",
            _assignments(scope),
            {**_assignment_counts(today), **_proposals_of_assignments()},
        ),
        ("assignment__proposal__", _final_ratings(scope), _rating_counts()),
    ]


def totals(scope: Scope, *, today: dt.date | None = None) -> Row:
    row = Row(label=_("合计"))
    for _path, rows, counts in _sources(scope, today or timezone.localdate()):
        for name, value in rows.aggregate(**counts).items():
            setattr(row, name, value)
    return row


def _grouped(
    scope: Scope,
    fields: tuple[str, ...],
    label: Callable[[Mapping[str, Any]], str],
    today: dt.date | None,
) -> list[Row]:
    """One row per value of ``fields`` (of the proposal), most proposals first."""
    table: dict[tuple[Any, ...], Row] = {}
    for path, rows, counts in _sources(scope, today or timezone.localdate()):
        keys = [path + f for f in fields]
        for r in rows.values(*keys).annotate(**counts).order_by():
            key = tuple(r[k] for k in keys)
            if key not in table:  # the proposals come first: every group starts there
                table[key] = Row(label=label(dict(zip(fields, key, strict=True))))
            for name in counts:
                setattr(table[key], name, r[name])
    return sorted(table.values(), key=lambda row: (-row.received, row.label))


def by_category(scope: Scope, *, today: dt.date | None = None) -> list[Row]:
    return _grouped(scope, ("category",), lambda r: r["category"] or _("未分类"), today)


def by_sector(scope: Scope, *, today: dt.date | None = None) -> list[Row]:
    """By the first proposer's sector (a collective proposal: its contact's sector)."""
    return _grouped(
        scope,
        ("author__sector__name",),
        lambda r: r["author__sector__name"] or _("未填界别"),
        today,
    )


def by_committee(scope: Scope, *, today: dt.date | None = None) -> list[Row]:
    return _grouped(
        scope,
        ("author__committee__name",),
        lambda r: r["author__committee__name"] or _("未参加专委会"),
        today,
    )


def by_kind(scope: Scope, *, today: dt.date | None = None) -> list[Row]:
    return _grouped(scope, ("kind",), lambda r: str(Proposal.Kind(r["kind"]).label), today)


def by_plenary(scope: Scope, *, today: dt.date | None = None) -> list[Row]:
    def label(r: Mapping[str, Any]) -> str:
        return _("大会提案") if r["is_plenary"] else _("平时提案")

    return _grouped(scope, ("is_plenary",), label, today)


def by_org(scope: Scope, *, today: dt.date | None = None) -> list[Row]:
    """By committee of the tree (useful with ``lower``)."""
    return _grouped(scope, ("org__path", "org__name"), lambda r: r["org__name"], today)


def breakdowns(scope: Scope, *, today: dt.date | None = None) -> list[tuple[str, str, list[Row]]]:
    """(key, title, rows) of every breakdown table; by committee of the tree with ``lower``."""
    tables = [
        ("category", _("按类别"), by_category(scope, today=today)),
        ("sector", _("按界别（第一提案人）"), by_sector(scope, today=today)),
        ("committee", _("按专委会（第一提案人）"), by_committee(scope, today=today)),
        ("kind", _("按提案类型"), by_kind(scope, today=today)),
        ("plenary", _("大会提案和平时提案"), by_plenary(scope, today=today)),
    ]
    if scope.lower:
        tables.insert(0, ("org", _("按政协"), by_org(scope, today=today)))
    return tables


def units(scope: Scope, *, today: dt.date | None = None) -> list[UnitRow]:
    """The league table: handling units by on-time replies, then satisfaction (2 queries)."""
    counts = {
        "assignments": Count("pk", filter=REPLYING),
        "co": Count("pk", filter=Q(role=Assignment.Role.CO)),
        **_assignment_counts(today or timezone.localdate()),
    }
    table: dict[int, UnitRow] = {}
    for path, rows, what in (
        ("", _assignments(scope).filter(status__in=LIVE), counts),
        ("assignment__", _final_ratings(scope), _rating_counts()),
    ):
        found: QuerySet[Any, dict[str, Any]] = (
            rows.values(f"{path}unit_id", f"{path}unit__name", f"{path}unit__org__name")
            .annotate(**what)
            .order_by()
        )
        for r in found:
            unit = r[f"{path}unit_id"]
            if unit not in table:  # the assignments come first: every unit starts there
                name, org_name = r[f"{path}unit__name"], r[f"{path}unit__org__name"]
                table[unit] = UnitRow(unit_id=unit, name=name, org_name=org_name)
            for key in what:
                setattr(table[unit], key, r[key])
    ranked = sorted(table.values(), key=_league_key)
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
    return ranked


def _league_key(r: UnitRow) -> tuple[float, float, int, str]:
    on_time, satisfied = r.on_time_rate, r.satisfaction_rate
    return (
        -(on_time if on_time is not None else -1.0),
        -(satisfied if satisfied is not None else -1.0),
        -r.assignments,
        r.name,
    )
