"""The rows of the figures tables: counts from the database, rates computed from them."""

from __future__ import annotations

from dataclasses import dataclass


def pct(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Rates:
    """The reply and rating counts shared by proposal rows and unit rows."""

    replied_assignments: int = 0  # replying assignments with a reply (or done)
    on_time: int = 0  # ... replied on or before their due date
    overdue: int = 0  # replying assignments past their due date with no reply yet
    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0

    @property
    def on_time_base(self) -> int:
        return self.replied_assignments + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return pct(self.on_time, self.on_time_base)

    @property
    def ratings(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    @property
    def satisfaction_rate(self) -> float | None:
        return pct(self.satisfied, self.ratings)

    @property
    def basic_rate(self) -> float | None:
        return pct(self.basically, self.ratings)


@dataclass
class Row(Rates):
    """One line of a proposal table: a group of proposals (or all of them)."""

    label: str = ""
    received: int = 0
    in_review: int = 0
    returned: int = 0
    accepted: int = 0
    merged: int = 0
    converted: int = 0
    rejected: int = 0
    withdrawn: int = 0
    key: int = 0
    assigned: int = 0  # accepted proposals with at least one replying unit
    waiting: int = 0  # ... one of which at least has not replied yet

    @property
    def replied(self) -> int:
        return self.assigned - self.waiting

    @property
    def reply_rate(self) -> float | None:
        return pct(self.replied, self.assigned)


@dataclass
class UnitRow(Rates):
    """One line of the league table of handling units."""

    unit_id: int = 0
    name: str = ""
    org_name: str = ""
    assignments: int = 0  # as sole, lead or split unit
    co: int = 0  # as co-handler (会办): not in the rates
    rank: int = 0
