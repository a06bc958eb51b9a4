"""Writing the ledger: reconcile what a source object says its members earned with what the
ledger already holds for it.

A source gives the *lines* it wants now (who, which item, which role); :func:`ledger_sync`
compares them with the net of the rows already written for that source and those items,
writes a credit for each line that is missing and a compensating reversal for each that is
no longer wanted. So a replayed event writes nothing, an undone source (a withdrawn
proposal, a corrected attendance) gets a reversal and the history stays. Each row is keyed
by (source, membership, item, seq); two deliveries racing write the same seq and the
second fails on the unique constraint instead of counting twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shangliang.accounts.models import Membership
from shangliang.duty.models import LedgerEntry
from shangliang.duty.scoring import score_refresh

ONE = Decimal(1)


@dataclass(frozen=True)
class Line:
    membership_id: int
    item: str
    occurred_at: dt.datetime
    role: str = LedgerEntry.Role.SOLE
    co_count: int = 0
    half_days: Decimal = ONE

    @property
    def identity(self) -> tuple[int, str, str, int, Decimal]:
        return (self.membership_id, self.item, self.role, self.co_count, self.half_days)


def _identity(row: LedgerEntry) -> tuple[int, str, str, int, Decimal]:
    return (row.membership_id, row.item, row.role, row.co_count, Decimal(row.half_days))


def year_of(when: dt.datetime | dt.date) -> int:
    if isinstance(when, dt.datetime):
        return timezone.localtime(when).year if timezone.is_aware(when) else when.year
    return when.year


def ledger_sync(
    *,
    source_type: str,
    source_id: Any,
    items: Iterable[str],
    lines: Iterable[Line],
    label: str = "",
) -> list[LedgerEntry]:
    """Make the ledger for ``source`` (restricted to ``items``) hold exactly ``lines``.
    Returns the rows written (none on a replay)."""
    scope = set(items)
    wanted = [ln for ln in lines if ln.item in scope]
    source_id = str(source_id)
    for attempt in range(3):
        try:
            return _sync(source_type, source_id, scope, wanted, label)
        except IntegrityError:  # a concurrent delivery wrote the same rows first
            if attempt == 2:
                raise
    return []


def _sync(
    source_type: str, source_id: str, scope: set[str], wanted: list[Line], label: str
) -> list[LedgerEntry]:
    with transaction.atomic():
        rows = list(
            LedgerEntry.objects.filter(
                source_type=source_type, source_id=source_id, item__in=scope
            ).order_by("id")
        )
        net: Counter[tuple[int, str, str, int, Decimal]] = Counter()
        credit_of: dict[tuple[int, str, str, int, Decimal], LedgerEntry] = {}
        seq: Counter[tuple[int, str]] = Counter()
        for r in rows:
            net[_identity(r)] += r.sign
            if r.sign > 0:
                credit_of[_identity(r)] = r
            seq[(r.membership_id, r.item)] = max(seq[(r.membership_id, r.item)], r.seq + 1)
        want: Counter[tuple[int, str, str, int, Decimal]] = Counter(ln.identity for ln in wanted)
        sample = {ln.identity: ln for ln in wanted}
        orgs = dict(
            Membership.objects.filter(pk__in={k[0] for k in (set(net) | set(want))}).values_list(
                "pk", "org_id"
            )
        )
        new: list[LedgerEntry] = []
        now = timezone.now()
        for ident in sorted(set(net) | set(want), key=str):
            diff = want[ident] - net[ident]
            membership_id, item, role, co_count, half_days = ident
            for _i in range(abs(diff)):
                if diff > 0:
                    line = sample[ident]
                    when, year, sign, kind = (
                        line.occurred_at,
                        year_of(line.occurred_at),
                        1,
                        "credit",
                    )
                else:
                    original = credit_of[ident]
                    when, year, sign, kind = now, original.year, -1, "reversal"
                key = (membership_id, item)
                new.append(
                    LedgerEntry(
                        org_id=orgs[membership_id],
                        membership_id=membership_id,
                        year=year,
                        item=item,
                        kind=kind,
                        sign=sign,
                        role=role,
                        co_count=co_count,
                        half_days=half_days,
                        source_type=source_type,
                        source_id=source_id,
                        seq=seq[key],
                        label=label[:300],
                        occurred_at=when,
                    )
                )
                seq[key] += 1
        if not new:
            return []
        LedgerEntry.objects.bulk_create(new)
        touched: dict[tuple[int, int], set[int]] = {}
        for row in new:
            touched.setdefault((row.org_id, row.year), set()).add(row.membership_id)
        for (org_id, year), members in touched.items():
            score_refresh(org_id=org_id, year=year, membership_ids=sorted(members))
        return new
