"""Page-number paging: ``?page=&page_size=`` in, ``{count, page, page_size, results}`` out."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from shangliang.api.schemas import PageIn

M = TypeVar("M", bound=Model)


def page_of(qs: QuerySet[M], paging: PageIn) -> tuple[int, list[M]]:
    """The total count and the rows of the requested page (empty past the last page)."""
    count = qs.count()
    start = (paging.page - 1) * paging.page_size
    rows = list(qs[start : start + paging.page_size]) if start < count else []
    return count, rows
