"""Scores: what a ledger row is worth under its scheme, and the set-based recompute.

A ledger row holds facts (item, role, number of cosigners, half days, sign), never points:
its points follow from the year's rules, so changing a rule never rewrites the ledger. The
recompute is one ``INSERT … SELECT`` for a whole year (:func:`recompute_all`, every
committee at once), for one committee, or for some of its members: it prices every row
from its own committee's rules inside the aggregate (role, split, unit), sums per member
and item, applies the item's yearly cap, adds the base score, grades the result and writes
the ``DutyScore`` table that the rankings read. Python never loops over ledger rows;
:func:`points_for` is the same arithmetic for the few rows of one member's archive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from shangliang.accounts.models import Membership
from shangliang.duty.items import REQUIREMENTS
from shangliang.duty.models import DutyScore, LedgerEntry, ScoringRule, ScoringScheme
from shangliang.duty.presets import DEFAULT_PRESET, PRESETS
from shangliang.orgs.models import Term

SAFE_CODE = re.compile(r"[a-z_.]+")
CENT = Decimal("0.01")
HALF = Decimal("0.5")


def scheme_for(org_id: int, year: int) -> ScoringScheme:
    """The organisation's scheme for the year: the previous year's copied forward, or the
    default preset, created on first use."""
    scheme = ScoringScheme.objects.filter(org_id=org_id, year=year).first()
    if scheme is not None:
        return scheme
    with transaction.atomic():
        previous = (
            ScoringScheme.objects.filter(org_id=org_id, year__lt=year).order_by("-year").first()
        )
        scheme, created = ScoringScheme.objects.get_or_create(
            org_id=org_id, year=year, defaults={"preset": DEFAULT_PRESET}
        )
        if not created:
            return scheme
        if previous is not None:
            for f in ("preset", "base", "excellent_min", "good_min", "pass_min", "minimums"):
                setattr(scheme, f, getattr(previous, f))
            scheme.exit_plenary_absences = previous.exit_plenary_absences
            scheme.exit_idle_years = previous.exit_idle_years
            scheme.save()
            ScoringRule.objects.bulk_create(
                ScoringRule(
                    scheme=scheme,
                    item=r.item,
                    points=r.points,
                    unit=r.unit,
                    cap=r.cap,
                    split=r.split,
                    first_points=r.first_points,
                    cosigner_points=r.cosigner_points,
                )
                for r in previous.rules.all()
            )
        else:
            load_preset(scheme, DEFAULT_PRESET)
    return scheme


def load_preset(scheme: ScoringScheme, code: str) -> None:
    """Replace the scheme's settings and rules with a preset's (no audit: callers do it)."""
    preset = PRESETS[code]
    scheme.preset = code
    scheme.base = Decimal(str(preset.base))
    scheme.excellent_min = Decimal(str(preset.excellent))
    scheme.good_min = Decimal(str(preset.good))
    scheme.pass_min = Decimal(str(preset.passing))
    scheme.save()
    scheme.rules.all().delete()
    ScoringRule.objects.bulk_create(
        ScoringRule(scheme=scheme, **r.as_fields()) for r in preset.rules
    )


def rules_for(org_id: int, year: int) -> dict[str, ScoringRule]:
    scheme = scheme_for(org_id, year)
    return {r.item: r for r in scheme.rules.all()}


def rate_for(rule: ScoringRule | None, *, role: str, co_count: int) -> Decimal:
    if rule is None:
        return Decimal(0)
    points = Decimal(rule.points)
    if role == LedgerEntry.Role.SOLE:
        return points
    if rule.split == ScoringRule.Split.HALF_SHARED:
        if role == LedgerEntry.Role.FIRST:
            return points * HALF
        return points * HALF / max(1, co_count)
    if role == LedgerEntry.Role.FIRST:
        return points if rule.first_points is None else Decimal(rule.first_points)
    return points if rule.cosigner_points is None else Decimal(rule.cosigner_points)


def points_for(
    rule: ScoringRule | None, *, sign: int, role: str, co_count: int, half_days: Decimal
) -> Decimal:
    """A row's points (the same arithmetic as :func:`_points_expression`, in Python)."""
    rate = rate_for(rule, role=role, co_count=co_count)
    factor = half_days if rule is not None and rule.unit == ScoringRule.Unit.HALF_DAY else 1
    return (rate * factor * sign).quantize(CENT, rounding=ROUND_HALF_UP)


def entry_points(entries: Iterable[LedgerEntry]) -> list[Decimal]:
    """The points of each row under its organisation's rules for its year."""
    cache: dict[tuple[int, int], dict[str, ScoringRule]] = {}
    out = []
    for e in entries:
        key = (e.org_id, e.year)
        if key not in cache:
            cache[key] = rules_for(*key)
        out.append(
            points_for(
                cache[key].get(e.item),
                sign=e.sign,
                role=e.role,
                co_count=e.co_count,
                half_days=Decimal(e.half_days),
            )
        )
    return out


Progress = Callable[[int, int], None]
SLICES = 10  # the recompute writes the score table in this many slices (the progress bar)


def recompute_year(*, org_id: int, year: int, progress: Progress | None = None) -> int:
    """Rewrite the organisation's score table for the year from the ledger and the current
    rules. Without ``progress`` it is one ``DELETE`` and one ``INSERT … SELECT``; with it,
    the same statements run per slice of members so the page can show progress. Returns the
    scores written."""
    scheme = scheme_for(org_id, year)
    if progress is None:
        with transaction.atomic():
            return _refresh(year=year, schemes=[scheme])
    ids = list(Membership.objects.filter(org_id=org_id).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    size = max(1, -(-len(ids) // SLICES))
    bounds = [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]
    written = 0
    with transaction.atomic():
        for n, (low, high) in enumerate(bounds, start=1):
            written += _refresh(year=year, schemes=[scheme], id_range=(low, high))
            progress(n, len(bounds))
    return written


def recompute_all(*, year: int, org_ids: Iterable[int] | None = None) -> int:
    """Rewrite the score table of every organisation (or of ``org_ids``) for the year, set
    based: one ``DELETE`` and one ``INSERT … SELECT`` per distinct set of minimum
    requirements among the schemes (usually one), whatever the number of committees. Each
    organisation keeps its own scheme (rules, base, grade lines). Returns the scores
    written."""
    from shangliang.orgs.models import Organization

    wanted = (
        list(org_ids)
        if org_ids is not None
        else list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    )
    schemes = {s.org_id: s for s in ScoringScheme.objects.filter(year=year, org_id__in=wanted)}
    for org_id in wanted:  # created on first use, as scheme_for does one by one
        if org_id not in schemes:
            schemes[org_id] = scheme_for(org_id, year)
    groups: dict[tuple[str, ...], list[ScoringScheme]] = {}
    for scheme in schemes.values():
        groups.setdefault(_lacking_codes(list(scheme.minimums)), []).append(scheme)
    written = 0
    with transaction.atomic():
        for group in groups.values():
            written += _refresh(year=year, schemes=group)
    return written


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


# The price of one row, in SQL (the same arithmetic as rate_for/points_for).
ROW_POINTS = """
    ROUND(
        (CASE
            WHEN r.id IS NULL THEN 0
            WHEN l.role = 'first' AND r.split = 'half_shared' THEN r.points * 0.5
            WHEN l.role = 'first' THEN COALESCE(r.first_points, r.points)
            WHEN l.role = 'cosigner' AND r.split = 'half_shared'
                THEN r.points * 0.5 / (CASE WHEN l.co_count = 0 THEN 1 ELSE l.co_count END)
            WHEN l.role = 'cosigner' THEN COALESCE(r.cosigner_points, r.points)
            ELSE r.points
        END) * (CASE WHEN r.unit = 'half_day' THEN l.half_days ELSE 1 END),
        2
    ) * l.sign
"""


def _lacking_codes(minimums: list[str]) -> tuple[str, ...]:
    return tuple(c for c in REQUIREMENTS if c in minimums)


def _lacking_sql(codes: tuple[str, ...]) -> tuple[str, str]:
    """SQL building "code,code," of the requirements a member has not met (no item of the
    requirement with a positive net count), and the same string for a member without rows.
    No code of the catalogue ends another, so ``lacking__contains="code,"`` is exact."""
    if not codes:
        return "''", ""
    parts = []
    for code in codes:
        items = REQUIREMENTS[code][1]
        if not all(SAFE_CODE.fullmatch(x) for x in (code, *items)):
            raise ValueError(code)  # catalogue constants only, never user input
        listed = ", ".join(f"'{i}'" for i in items)
        parts.append(
            f"(CASE WHEN MAX(CASE WHEN s.item IN ({listed}) AND s.n > 0 THEN 1 ELSE 0 END) = 1 "
            f"THEN '' ELSE '{code},' END)"
        )
    return "(" + " || ".join(parts) + ")", ",".join(codes) + ","


def score_refresh(
    *,
    org_id: int,
    year: int,
    membership_ids: Iterable[int] | None = None,
    id_range: tuple[int, int] | None = None,
) -> int:
    """Rewrite ``DutyScore`` for the organisation's year (or some of its members) from the
    ledger: price each row, sum per member and item, cap each item, add the base, grade.
    Set-based SQL; returns the number of scores written."""
    scheme = scheme_for(org_id, year)
    ids = list(membership_ids) if membership_ids is not None else None
    if ids is not None and not ids:
        return 0
    with transaction.atomic():
        return _refresh(year=year, schemes=[scheme], membership_ids=ids, id_range=id_range)


def _refresh(
    *,
    year: int,
    schemes: list[ScoringScheme],
    membership_ids: list[int] | None = None,
    id_range: tuple[int, int] | None = None,
) -> int:
    """Delete and rewrite the year's scores of the schemes' organisations (which must share
    their minimum requirements) in one ``INSERT … SELECT``: every row is priced under the
    rules of its own organisation's scheme, and every member graded by that scheme. Runs
    inside the caller's transaction."""
    if not schemes:
        return 0
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ops = connection.ops
    org_ids = sorted(s.org_id for s in schemes)
    org_marks = ", ".join(["%s"] * len(org_ids))
    ledger_filter = f"l.year = %s AND l.org_id IN ({org_marks})"
    member_filter = (
        f"m.org_id IN ({org_marks}) AND t.starts_on <= %s "
        "AND (t.ends_on IS NULL OR t.ends_on >= %s)"
    )
    ledger_params: list[Any] = [year, *org_ids]
    member_params: list[Any] = [
        *org_ids,
        ops.adapt_datefield_value(end),
        ops.adapt_datefield_value(start),
    ]
    if membership_ids is not None:
        marks = ", ".join(["%s"] * len(membership_ids))
        ledger_filter += f" AND l.membership_id IN ({marks})"
        member_filter += f" AND m.id IN ({marks})"
        ledger_params += membership_ids
        member_params += membership_ids
    if id_range is not None:
        ledger_filter += " AND l.membership_id BETWEEN %s AND %s"
        member_filter += " AND m.id BETWEEN %s AND %s"
        ledger_params += list(id_range)
        member_params += list(id_range)
    total_expr = "(sc.base + COALESCE(p.pts, 0))"
    codes = _lacking_codes(list(schemes[0].minimums))
    lacking_expr, all_lacking = _lacking_sql(codes)
    # table names come from the models' _meta (quoted); every value is a parameter
    sql = f"""
        INSERT INTO {_table(DutyScore)}
            (org_id, year, membership_id, sector_id, committee_id, points, score, grade,
             lacking, computed_at)
        SELECT m.org_id, %s, m.id, m.sector_id, m.committee_id, COALESCE(p.pts, 0),
               {total_expr},
               CASE WHEN {total_expr} >= sc.excellent_min THEN 'excellent'
                    WHEN {total_expr} >= sc.good_min THEN 'good'
                    WHEN {total_expr} >= sc.pass_min THEN 'pass'
                    ELSE 'fail' END,
               COALESCE(p.lacking, %s),
               %s
        FROM {_table(Membership)} m
        JOIN {_table(Term)} t ON t.id = m.term_id
        JOIN {_table(ScoringScheme)} sc ON sc.org_id = m.org_id AND sc.year = %s
        LEFT JOIN (
            SELECT s.org_id, s.membership_id, SUM(s.capped) AS pts, {lacking_expr} AS lacking
            FROM (
                SELECT l.org_id, l.membership_id, l.item, SUM(l.sign) AS n,
                       CASE WHEN r.cap IS NOT NULL AND SUM({ROW_POINTS}) > r.cap THEN r.cap
                            WHEN r.cap IS NOT NULL AND SUM({ROW_POINTS}) < -r.cap THEN -r.cap
                            ELSE SUM({ROW_POINTS}) END AS capped
                FROM {_table(LedgerEntry)} l
                JOIN {_table(ScoringScheme)} ls ON ls.org_id = l.org_id AND ls.year = l.year
                LEFT JOIN {_table(ScoringRule)} r ON r.scheme_id = ls.id AND r.item = l.item
                WHERE {ledger_filter}
                GROUP BY l.org_id, l.membership_id, l.item, r.cap
            ) s GROUP BY s.org_id, s.membership_id
        ) p ON p.membership_id = m.id AND p.org_id = m.org_id
        WHERE {member_filter}
    """  # noqa: S608
    params: list[Any] = [
        year,
        all_lacking,
        ops.adapt_datetimefield_value(timezone.now()),
        year,
        *ledger_params,
        *member_params,
    ]
    old = DutyScore.objects.filter(org_id__in=org_ids, year=year)
    if membership_ids is not None:
        old = old.filter(membership_id__in=membership_ids)
    if id_range is not None:
        old = old.filter(membership_id__gte=id_range[0], membership_id__lte=id_range[1])
    old.delete()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def grade_of(scheme: ScoringScheme, score: Decimal) -> str:
    if score >= scheme.excellent_min:
        return "excellent"
    if score >= scheme.good_min:
        return "good"
    if score >= scheme.pass_min:
        return "pass"
    return "fail"
