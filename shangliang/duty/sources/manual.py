"""Activities outside the platform, entered by staff with evidence and confirmed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shangliang.core.events import Event, subscribe
from shangliang.duty.items import MANUAL_ITEMS
from shangliang.duty.ledger import Line, ledger_sync
from shangliang.duty.models import ManualEntry

SOURCE = "duty.manualentry"
ITEMS = MANUAL_ITEMS


def lines_for(entry: ManualEntry) -> list[Line]:
    if entry.status != ManualEntry.Status.CONFIRMED:
        return []
    when = timezone.make_aware(dt.datetime.combine(entry.occurred_on, dt.time(9, 0)))
    return [Line(entry.membership_id, entry.item, when, half_days=entry.half_days)]


def sync_entry(entry: ManualEntry) -> None:
    ledger_sync(
        source_type=SOURCE,
        source_id=entry.pk,
        items=ITEMS,
        lines=lines_for(entry),
        label=entry.description,
    )


@subscribe("duty.manual_confirmed")
@subscribe("duty.manual_revoked")
def on_manual(event: Event) -> None:
    entry = ManualEntry.objects.filter(pk=event.object_id).first()
    if entry is not None:
        sync_entry(entry)
