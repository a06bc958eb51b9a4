"""Who is credited for a record (the duty ledger reads this when an opinion event arrives)."""

from __future__ import annotations

from dataclasses import dataclass

from shangliang.opinions.models import Reporter


@dataclass(frozen=True)
class Credit:
    user_id: int
    membership_id: int | None  # None for informants and other non-members
    org_id: int  # the reporter's own organisation
    first: bool  # first reporter of the report


def credited(opinion_id: int) -> list[Credit]:
    """Every reporter credited for that record, each once: its own reporters, and for a
    combined item (or an upward copy) the reporters of every report it stands for."""
    rows = Reporter.objects.filter(opinion_id=opinion_id).order_by("-first", "id")
    seen: set[int] = set()
    out = []
    for user_id, membership_id, org_id, first in rows.values_list(
        "user_id", "membership_id", "org_id", "first"
    ):
        if user_id in seen:
            continue
        seen.add(user_id)
        out.append(Credit(user_id, membership_id, org_id, first))
    return out
