"""The full recompute of one year's duty scores (issue 5: < 10 s for 30,000 members and
1,000,000 ledger rows): ``duty.scoring.recompute_all`` for the current year, every
committee of the generated province at once (set based: one ``DELETE`` and one
``INSERT … SELECT`` per distinct set of minimum requirements), timed as a whole."""

from __future__ import annotations

import time

from django.utils import timezone

from bench.core import Figure, summary

SECTION = "履职 duty"
TARGET_S = 10.0


def run(*, runs: int = 3) -> list[Figure]:
    from shangliang.duty.models import LedgerEntry
    from shangliang.duty.scoring import recompute_all
    from shangliang.orgs.models import Organization

    year = timezone.localdate().year
    orgs = list(Organization.objects.order_by("path").values_list("id", flat=True))
    rows_year = LedgerEntry.objects.filter(year=year).count()
    rows_all = LedgerEntry.objects.count()
    samples: list[float] = []
    written = 0
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        written = recompute_all(year=year, org_ids=orgs)
        samples.append((time.perf_counter() - t0) * 1000)
    med, p95 = summary(samples)
    return [
        Figure(
            SECTION,
            f"全年积分重算 full recompute of {year} ({len(orgs)} committees, "
            f"{written:,} member scores, {rows_year:,} ledger rows of the year, "
            f"{rows_all:,} in all)",
            f"< {TARGET_S:.0f} s",
            med,
            p95,
            None,
            p95 < TARGET_S * 1000,
            f"{len(samples)} runs; `recompute_all`, every committee in one set-based statement",
        )
    ]
