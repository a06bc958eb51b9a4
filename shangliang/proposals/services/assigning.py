"""交办: the office assigns accepted proposals to handling units (sole, lead + co-handlers,
split), one or many at once, and decides what units ask of it (reassignment, extension,
the audit of a reply). All through the engine."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from shangliang.core.errors import Invalid
from shangliang.core.workflow import transition
from shangliang.orgs.models import Organization, Unit
from shangliang.proposals.models import Proposal
from shangliang.proposals.services.review import BulkResult, run_bulk

MODES = ("sole", "lead_co", "split")
OFFICE_ASSIGNMENT_ACTIONS = (
    "decide_reassignment",
    "decide_extension",
    "approve_reply",
    "return_reply",
)


def assign_rows(mode: str, lead: int | None, units: list[int]) -> list[dict[str, Any]]:
    """The engine's ``units`` field from a page's choice: a lead (for lead_co) and units."""
    if mode not in MODES:
        raise Invalid(_("请选择办理方式。"), fields={"mode": [_("必选")]})
    ids = list(dict.fromkeys(int(u) for u in units))
    if mode == "lead_co":
        if lead is None:
            raise Invalid(_("请选择主办单位。"), fields={"lead": [_("必选")]})
        ids = [u for u in ids if u != lead]
        return [{"unit": lead, "role": "lead"}] + [{"unit": u, "role": "co"} for u in ids]
    return [{"unit": u, "role": mode} for u in ids]


def proposal_assign(
    *, actor: Any, proposal: Proposal, mode: str, units: list[dict[str, Any]]
) -> Proposal:
    """交办 one accepted proposal: ``units`` is [{"unit": id, "role": "lead"|"co"|...}]."""
    result: Proposal = transition(proposal, "assign", actor=actor, mode=mode, units=units)
    return result


def proposals_bulk_assign(
    *, actor: Any, org: Organization, ids: list[int], unit: Unit
) -> list[BulkResult]:
    """Assign many accepted proposals to one unit as its sole handler (独办)."""
    if unit.org_id != org.pk or not unit.is_active:
        raise Invalid(_("承办单位无效或不属于本会。"))

    def assign(p: Proposal, seen: int | None) -> Proposal:
        return proposal_assign(actor=actor, proposal=p, mode="sole", units=[{"unit": unit.pk}])

    return run_bulk(org=org, items=[(i, None) for i in ids], step=assign)
