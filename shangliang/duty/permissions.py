"""Who may read duty records and scores, and who may change them.

A member reads their own archive; the organisation's staff (general office, administrator,
committee office) and leaders read every archive and ranking of their organisation and
those under it; nothing reaches sideways or upwards (another organisation's users get 404).
"""

from __future__ import annotations

from typing import Any

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import is_staff_of, rule

MANAGERS = [Role.Kind.ADMIN, Role.Kind.GENERAL_OFFICE, Role.Kind.COMMITTEE_OFFICE]
READERS = [*MANAGERS, Role.Kind.LEADER]
CONFIGURERS = [Role.Kind.ADMIN, Role.Kind.GENERAL_OFFICE]


@rule("duty.view_member")
def _view_member(user: Any, membership: Any) -> bool:
    return membership.user_id == user.pk or is_staff_of(user, membership.org, READERS)


@rule("duty.view_org")
def _view_org(user: Any, org: Any) -> bool:
    return is_staff_of(user, org, READERS)


@rule("duty.manage")
def _manage(user: Any, org: Any) -> bool:
    """Enter and confirm activities, nominate excellent members, review exit warnings."""
    return is_staff_of(user, org, MANAGERS)


@rule("duty.configure")
def _configure(user: Any, org: Any) -> bool:
    """Edit the scoring rules."""
    return is_staff_of(user, org, CONFIGURERS)


@rule("duty.decide")
def _decide(user: Any, org: Any) -> bool:
    """Confirm excellent members."""
    return is_staff_of(user, org, [Role.Kind.LEADER])
