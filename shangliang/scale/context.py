"""What the generators share while they run: the preset, the random source, the sinks, and
the ids of what earlier stages made."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

from shangliang.scale.presets import Preset
from shangliang.scale.sink import Sinks
from shangliang.scale.text import TextMaker

TZ = ZoneInfo("Asia/Shanghai")
PASSWORD = "Bench#Pass2026"  # noqa: S105  # every generated account; never a real installation's data
T = TypeVar("T")


@dataclass
class SessionInfo:
    id: int
    term_id: int
    year: int
    opens_on: dt.date
    closes_on: dt.date
    deadline: dt.datetime
    upcoming: bool


@dataclass
class OrgInfo:
    id: int
    index: int
    level: int  # 1 province, 2 city, 3 county
    name: str
    place: str  # 清源市, 长乐县 …
    path: str
    parent: int | None
    terms: list[int] = field(default_factory=list)  # previous, current
    term_starts: list[dt.date] = field(default_factory=list)
    sessions: list[SessionInfo] = field(default_factory=list)
    sectors: list[int] = field(default_factory=list)
    committees: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    unit_weights: list[float] = field(default_factory=list)
    unit_users: dict[int, int] = field(default_factory=dict)
    seats: dict[int, list[int]] = field(default_factory=dict)  # term id → active membership ids
    seat_user: dict[int, int] = field(default_factory=dict)  # membership id → user id
    staff: dict[str, list[int]] = field(default_factory=dict)  # role kind → user ids
    workstations: list[int] = field(default_factory=list)


@dataclass
class Ctx:
    preset: Preset
    rng: random.Random
    text: TextMaker
    sinks: Sinks
    now: dt.datetime
    password_hash: str
    out: Callable[[str], None]
    orgs: list[OrgInfo] = field(default_factory=list)
    personas: dict[str, str] = field(default_factory=dict)  # role → username
    samples: dict[str, list[str]] = field(default_factory=dict)  # for the load test
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(TZ).date()

    @property
    def year(self) -> int:
        return self.today.year

    def at(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        """A moment on ``day`` during office hours, never later than now."""
        h = self.rng.randint(8, 18) if hour is None else hour
        moment = dt.datetime(day.year, day.month, day.day, h, self.rng.randrange(60), tzinfo=TZ)
        return min(moment, self.now)

    def pick_weighted(self, items: Sequence[T], cum: Sequence[float]) -> T:
        return self.rng.choices(items, cum_weights=cum, k=1)[0]


def zipf_cum(n: int, s: float = 0.8) -> list[float]:
    """Cumulative weights 1/rank^s: a few units (or members) get most of the work."""
    return list(itertools.accumulate(1 / (i + 1) ** s for i in range(n)))
