"""Writes to the organisation tree and its parts.

Every function here takes the acting user as ``actor``, runs in one transaction, validates
with ``full_clean`` plus the rules of its module, and writes one audit row (edits record the
changed fields as ``{"before": {...}, "after": {...}}``). A failed check raises
:class:`~shangliang.core.errors.Invalid` with per-field messages and writes nothing.

**Permissions are checked by the caller.** ``orgs`` is the bottom layer and must not import
``shangliang.accounts`` (where the permissions module lives), so the views and the API call
``permissions.require(actor, "orgs.configure", org)`` before calling these functions; code
that calls them directly (the demo seeder, tests, management commands) is trusted.

Nothing that memberships or proposals may reference is ever deleted: sectors, committees,
groups, units and workstations are deactivated (``is_active=False``) and can be reactivated.

``tree``: organisations, terms (届), sessions (次会议), export records;
``parts``: sectors, committees, groups, units, workstations and their staff.
"""

from shangliang.orgs.services.parts import (
    part_create,
    part_deactivate,
    part_reactivate,
    part_update,
    workstation_create,
    workstation_update,
)
from shangliang.orgs.services.tree import (
    DEADLINE_EARLIEST_DAYS_BEFORE_OPENING,
    org_create,
    org_export_record,
    org_update,
    session_create,
    session_update,
    term_create,
    term_set_current,
    term_update,
)

__all__ = [
    "DEADLINE_EARLIEST_DAYS_BEFORE_OPENING",
    "org_create",
    "org_export_record",
    "org_update",
    "part_create",
    "part_deactivate",
    "part_reactivate",
    "part_update",
    "session_create",
    "session_update",
    "term_create",
    "term_set_current",
    "term_update",
    "workstation_create",
    "workstation_update",
]
