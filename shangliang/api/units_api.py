"""Handling units (承办单位) of the caller's committees: what `assign` and
`suggested_units` take."""

from __future__ import annotations

from ninja import Query, Router

from shangliang.api.paging import page_of
from shangliang.api.proposal_schemas import UnitFiltersIn, UnitPage, UnitRowOut
from shangliang.api.proposal_selectors import unit_list
from shangliang.api.schemas import PageIn, errors
from shangliang.core.http import AuthedRequest

router = Router(tags=["units"])


@router.get(
    "/units",
    response={200: UnitPage, **errors(401, 422)},
    summary="The active handling units of your committees (filter `org`, `q`)",
    description="Your committees: where you serve this term or hold a staff role (and the "
    "committees below), and the committee of each unit you act for.",
)
def units_list(
    request: AuthedRequest, filters: Query[UnitFiltersIn], paging: Query[PageIn]
) -> UnitPage:
    count, rows = page_of(unit_list(user=request.user, filters=filters), paging)
    return UnitPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[
            UnitRowOut(
                id=u.pk,
                org_id=u.org_id,
                name=u.name,
                short_name=u.short_name,
                kind=u.kind,
                kind_label=str(u.get_kind_display()),
            )
            for u in rows
        ],
    )
