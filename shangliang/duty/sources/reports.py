"""述职: a submitted yearly duty report."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shangliang.core.events import Event, subscribe
from shangliang.duty.ledger import Line, ledger_sync
from shangliang.duty.models import DutyReport

SOURCE = "duty.dutyreport"
ITEMS = ("duty_report",)


def lines_for(report: DutyReport) -> list[Line]:
    if report.status != DutyReport.Status.SUBMITTED:
        return []
    # it counts for the year it reports on, whenever it is submitted
    when = report.submitted_at or timezone.now()
    if timezone.localtime(when).year != report.year:
        when = dt.datetime(report.year, 12, 31, 12, 0, tzinfo=timezone.get_current_timezone())
    return [Line(report.membership_id, "duty_report", when)]


@subscribe("duty_report.submitted")
def on_submitted(event: Event) -> None:
    report = DutyReport.objects.filter(pk=event.object_id).first()
    if report is not None:
        ledger_sync(
            source_type=SOURCE,
            source_id=report.pk,
            items=ITEMS,
            lines=lines_for(report),
            label=str(report),
        )
