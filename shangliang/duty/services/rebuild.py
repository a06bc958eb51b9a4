"""Rebuild an organisation's ledger from the current state of every source (a replay:
nothing is counted twice, what was undone gets its compensation), then its scores."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from shangliang.duty.models import DutyReport, ManualEntry
from shangliang.duty.scoring import score_refresh
from shangliang.duty.sources import manual, meetings, opinions, proposals, reports
from shangliang.meetings.models import Attendance
from shangliang.orgs.models import Organization


def ledger_rebuild(*, org: Organization, years: list[int] | None = None) -> int:
    """Sync every source object of ``org``; returns how many were synced."""
    from shangliang.opinions.models import Opinion
    from shangliang.proposals.models import Proposal

    n = 0
    for p in Proposal.objects.filter(org=org).exclude(status=Proposal.Status.DRAFT):
        proposals.sync_proposal(p)
        n += 1
    for o in Opinion.objects.filter(org=org).exclude(status=Opinion.Status.DRAFT):
        opinions.sync_opinion(o)
        n += 1
    for a in Attendance.objects.filter(meeting__org=org).select_related("meeting"):
        meetings.sync_attendance(a)
        n += 1
    for e in ManualEntry.objects.filter(org=org):
        manual.sync_entry(e)
        n += 1
    for r in DutyReport.objects.filter(org=org, status=DutyReport.Status.SUBMITTED):
        source: Any = reports
        source.ledger_sync(
            source_type=reports.SOURCE,
            source_id=r.pk,
            items=reports.ITEMS,
            lines=reports.lines_for(r),
            label=str(r),
        )
        n += 1
    for year in years or [timezone.localdate().year]:
        score_refresh(org_id=org.pk, year=year)
    return n
