"""A paginator whose count stops at a cap: for searches over large public lists, where an
exact count of thousands of hits costs more than the page itself and nobody reads past the
cap (the page says "more than N" and asks for a narrower search)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator


class CappedPaginator(Paginator[Any]):
    cap = 1000

    @cached_property
    def _counted(self) -> int:
        return int(self.object_list[: self.cap + 1].count())  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """Whether there are more hits than :attr:`count` (the cap)."""
        return self._counted > self.cap
