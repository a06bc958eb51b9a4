"""Figures of opinion reports (domain/rules.md §2 "Counting"): per reporter, sector,
committee, organisation and level — submitted, adopted per level, instructed, adoption rate —
and the monthly table an office reports. Every figure is an SQL aggregate: a fixed number of
queries whatever the number of reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext

from shangliang.accounts.models import User
from shangliang.opinions.models import Adoption, Instruction, Level, Opinion, Tally
from shangliang.orgs.models import Committee, Organization, Sector

LEVELS = [Level.COUNTY, Level.CITY, Level.PROVINCE, Level.NATIONAL]
DIMENSIONS = ("reporter", "sector", "committee", "org")
TALLY_KEYS = {
    "reporter": "user_id",
    "sector": "sector_id",
    "committee": "committee_id",
    "org": "org_id",
}
COUNTED = ~Q(status__in=[Opinion.Status.DRAFT, Opinion.Status.WITHDRAWN])


@dataclass
class Row:
    key: Any
    label: str
    submitted: int = 0
    adopted: dict[str, int] = field(default_factory=lambda: {str(lv): 0 for lv in LEVELS})
    adopted_any: int = 0
    instructed: int = 0

    @property
    def rate(self) -> float:
        return round(100 * self.adopted_any / self.submitted, 1) if self.submitted else 0.0

    @property
    def adopted_list(self) -> list[int]:
        return [self.adopted[str(lv)] for lv in LEVELS]


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def _subtree_ids(org: Organization) -> list[int]:
    return list(Organization.objects.filter(path__startswith=org.path).values_list("pk", flat=True))


def _labels(dimension: str, keys: list[Any]) -> dict[Any, str]:
    model: Any = {"reporter": User, "sector": Sector, "committee": Committee, "org": Organization}[
        dimension
    ]
    field = "name"
    found = dict(model.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", field))
    if dimension == "reporter":
        missing = [k for k in keys if not found.get(k)]
        found.update(User.objects.filter(pk__in=missing).values_list("pk", "username"))
    return found


def rows_by(org: Organization, year: int, dimension: str) -> list[Row]:
    """One row per reporter (or sector, committee, the reporter's committee) of ``org`` and
    the committees below it: two grouped scans of the tally (indexed on year, committee and
    kind) and one query for the names, whatever the number of reports."""
    key = TALLY_KEYS[dimension]
    scope = Tally.objects.filter(year=year, org_id__in=_subtree_ids(org))
    # a reporter has one tally row per report and event: counting rows is exact per person;
    # a group of several people (a sector) needs the distinct count of reports
    per_report = Count("pk") if dimension == "reporter" else Count("opinion_id", distinct=True)
    grouped = scope.values(key, "kind", "level").annotate(n=per_report).order_by()
    adopted_any = (
        scope.filter(kind=Tally.Kind.ADOPTED)
        .values(key)
        .annotate(n=Count("origin_id", distinct=True))
        .order_by()
    )
    rows: dict[Any, Row] = {}
    for r in grouped:
        row = rows.setdefault(r[key], Row(r[key], ""))
        if r["kind"] == Tally.Kind.SUBMITTED:
            row.submitted += r["n"]
        elif r["kind"] == Tally.Kind.ADOPTED:
            row.adopted[r["level"]] += r["n"]
        else:
            row.instructed += r["n"]
    for r in adopted_any:
        rows.setdefault(r[key], Row(r[key], "")).adopted_any = r["n"]
    names = _labels(dimension, list(rows))
    for k, row in rows.items():
        row.label = names.get(k) or "—"
    return sorted(rows.values(), key=lambda x: (-sum(x.adopted_list), -x.submitted, x.label))


def totals(rows: list[Row]) -> Row:
    total = Row(None, gettext("合计"))
    for r in rows:
        total.submitted += r.submitted
        total.adopted_any += r.adopted_any
        total.instructed += r.instructed
        for lv, n in r.adopted.items():
            total.adopted[lv] += n
    return total


@dataclass
class MonthRow:
    month: int
    received: int = 0
    signed_off: int = 0
    published: int = 0
    kept: int = 0
    adopted: dict[str, int] = field(default_factory=lambda: {str(lv): 0 for lv in LEVELS})
    instructed: int = 0

    @property
    def adopted_list(self) -> list[int]:
        return [self.adopted[str(lv)] for lv in LEVELS]


def _month_starts(year: int) -> list[dt.datetime]:
    tz = _year_range(year)[0].tzinfo
    return [dt.datetime(year + m // 12, m % 12 + 1, 1, tzinfo=tz) for m in range(13)]


def monthly(org: Organization, year: int) -> list[MonthRow]:
    """The office's monthly table of its own intake: three grouped queries on the stored
    year-month columns (indexed; no per-row date functions)."""
    bounds = _month_starts(year)
    first, last = year * 100 + 1, year * 100 + 12
    months = [MonthRow(m) for m in range(1, 13)]
    intake = (
        Opinion.objects.filter(org=org, submitted_month__gte=first, submitted_month__lte=last)
        .filter(COUNTED)
        .values("submitted_month")
        .annotate(
            received=Count("pk"),
            signed_off=Count("pk", filter=Q(signed_off_at__isnull=False)),
            published=Count("pk", filter=Q(status=Opinion.Status.PUBLISHED)),
            kept=Count("pk", filter=Q(status=Opinion.Status.KEPT)),
        )
        .order_by()
    )
    for r in intake:
        row = months[(r["submitted_month"] or 1) % 100 - 1]
        row.received, row.signed_off = r["received"], r["signed_off"]
        row.published, row.kept = r["published"], r["kept"]
    adoptions = (
        Adoption.objects.filter(opinion__org=org, month__gte=first, month__lte=last)
        .values("month", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for a in adoptions:
        months[a["month"] % 100 - 1].adopted[a["level"]] += a["n"]
    instructed = {
        f"i{i}": Count("pk", filter=Q(date__gte=bounds[i].date(), date__lt=bounds[i + 1].date()))
        for i in range(12)
    }
    got = Instruction.objects.filter(
        opinion__org=org, date__gte=bounds[0].date(), date__lt=bounds[12].date()
    ).aggregate(**instructed)
    for i, row in enumerate(months):
        row.instructed = got[f"i{i}"] or 0
    return months
