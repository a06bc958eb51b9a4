"""Stage 6: the duty ledger (履职记录), one row per credited fact, derived from the
generated proposals, opinion reports and meeting attendance exactly as the duty sources
would write them (same source keys, items, roles); then every committee's scores of every
year are recomputed with the duty app's own ``recompute_all``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from shangliang.duty.models import LedgerEntry
from shangliang.scale.context import TZ, Ctx

CATEGORY = {"plenary": "plenary", "standing": "standing"}
ACTIVITY = {
    "consultation": "activity.consultation",
    "research": "activity.research",
    "inspection": "activity.inspection",
    "training": "training",
}
ONE = Decimal(1)


def _year(when: dt.datetime) -> int:
    return when.astimezone(TZ).year


def run(ctx: Ctx) -> None:
    sink = ctx.sinks[LedgerEntry]
    seat_org = {m: o.id for o in ctx.orgs for m in o.seat_user}

    def add(
        org: int,
        m: int,
        item: str,
        when: dt.datetime,
        source: str,
        sid: object,
        label: str,
        role: str = "sole",
        co: int = 0,
        half: Decimal = ONE,
    ) -> None:
        sink.add(
            org_id=org,
            membership_id=m,
            year=_year(when),
            item=item,
            kind="credit",
            sign=1,
            role=role,
            co_count=co,
            half_days=half,
            points=Decimal(0),
            source_type=source,
            source_id=str(sid),
            seq=0,
            label=label[:300],
            occurred_at=when,
            created_at=when,
        )

    facts: Any = ctx.extra.get("proposal_facts", [])
    for pid, org, author, kind, cosigners, submitted, accepted, key, title in facts:
        people = [(author, "sole", 0)]
        if kind != "collective" and cosigners:
            n = len(cosigners)
            people = [(author, "first", n)] + [(m, "cosigner", n) for m in cosigners]
        items = [("proposal.submitted", submitted)]
        if accepted is not None:
            items.append(("proposal.accepted", accepted))
            if key:
                items.append(("proposal.key", accepted))
        for item, when in items:
            for m, role, n in people:
                add(seat_org.get(m, org), m, item, when, "proposals.proposal", pid, title, role, n)
    for oid, org, m, submitted, credits, title in ctx.extra.get("opinion_facts", []):  # type: ignore[attr-defined]
        add(org, m, "opinion.submitted", submitted, "opinions.opinion", oid, title)
        seen: set[str] = set()
        for item, when in credits:  # one credit per item, as the source writes it
            if item not in seen:
                seen.add(item)
                add(org, m, item, when, "opinions.opinion", oid, title)
    for aid, org, m, kind, status, speech, start, half, title in ctx.extra.get(  # type: ignore[attr-defined]
        "attendance_facts", []
    ):
        cat = CATEGORY.get(kind, "other")
        if status == "attended":
            item = ACTIVITY.get(kind, f"attend.{cat}")
        else:
            item = f"{status}.{cat}"
        add(org, m, item, start, "meetings.attendance", aid, title, half=Decimal(half))
        if speech:
            add(org, m, f"speech.{speech}", start, "meetings.attendance", aid, title)
    ctx.sinks.flush()
    ctx.out(f"  ledger rows: {sink.count:,}")


def recompute(ctx: Ctx) -> None:
    """Every committee's scores of the current year, by the duty app's own set-based
    recompute (one statement for all committees; earlier years keep points 0 until someone
    recomputes them)."""
    from shangliang.duty.scoring import recompute_all

    recompute_all(year=ctx.year, org_ids=[o.id for o in ctx.orgs])
