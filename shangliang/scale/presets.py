"""Dataset sizes: ``province`` is the benchmark (domain/rules.md §5), ``city`` and ``county``
are smaller copies of the same shape for quick runs and tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    cities: int
    counties: int  # spread over the cities
    seats: tuple[int, int, int]  # current-term members of a province, city, county committee
    proposals: tuple[int, int, int]  # proposals a year, per committee of each level
    units: int  # handling units per committee
    workstations: int  # in total
    planted: int  # rewritten proposal duplicates
    opinions: int  # in total, over the five years
    meetings_per_org_year: int

    @property
    def orgs(self) -> int:
        return 1 + self.cities + self.counties


PRESETS = {
    "county": Preset(
        name="county",
        cities=1,
        counties=2,
        seats=(30, 20, 15),
        proposals=(14, 10, 6),
        units=8,
        workstations=6,
        planted=6,
        opinions=240,
        meetings_per_org_year=2,
    ),
    "city": Preset(
        name="city",
        cities=2,
        counties=12,
        seats=(800, 450, 180),
        proposals=(1000, 500, 120),
        units=150,
        workstations=370,
        planted=150,
        opinions=36_000,
        meetings_per_org_year=12,
    ),
    "province": Preset(
        name="province",
        cities=14,
        counties=100,
        seats=(800, 450, 180),
        proposals=(1000, 500, 120),
        units=150,
        workstations=3_000,
        planted=1_000,
        opinions=300_000,
        meetings_per_org_year=12,
    ),
}
