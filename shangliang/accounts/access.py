"""Who may administer whose account (reset a password, unlock, disable, reset TOTP).

An organisation's managers (``orgs.manage_roster``: its administrators and general office,
or those of a committee above it) manage the accounts of the people linked to it: its
members, role holders (informants included) and the users of its handling units.
Two guards keep this from becoming a way up: only a superuser manages a superuser, and
an account that holds a staff role somewhere the actor does not manage (or an
administrator role somewhere the actor may not configure) is out of reach.
"""

from __future__ import annotations

from typing import Any

from shangliang.accounts.models import STAFF_ROLES, Role, User
from shangliang.accounts.permissions import can, paths_for, rule
from shangliang.orgs.models import Organization


def linked_orgs(user: User) -> list[Organization]:
    """Organisations the user is a member, role holder or unit user of (deepest first)."""
    orgs: dict[int, Organization] = {}
    for m in user.memberships.select_related("org"):
        orgs[m.org_id] = m.org
    for r in user.roles.select_related("org"):
        orgs[r.org_id] = r.org
    for u in user.unit_links.select_related("unit__org"):
        orgs[u.unit.org_id] = u.unit.org
    return sorted(orgs.values(), key=lambda o: (-len(o.path), o.path))


def _within_reach(actor: Any, user: User) -> bool:
    for role in user.roles.select_related("org"):
        if role.kind in STAFF_ROLES and not can(actor, "orgs.manage_roster", role.org):
            return False
        if role.kind == Role.Kind.ADMIN and not can(actor, "orgs.configure", role.org):
            return False
    return True


def managing_org(actor: Any, user: User) -> Organization | None:
    """The organisation through which ``actor`` manages ``user``'s account, or None.

    Audit rows of account administration are filed under it, so the organisation's own
    audit log shows them.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    orgs = linked_orgs(user)
    if actor.is_superuser:
        return orgs[0] if orgs else None
    if user.is_superuser or not _within_reach(actor, user):
        return None
    return next((o for o in orgs if can(actor, "orgs.manage_roster", o)), None)


def can_manage_user(actor: Any, user: User) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return managing_org(actor, user) is not None


def can_attach(actor: Any, user: User) -> bool:
    """May ``actor`` link ``user`` to an organisation the actor manages (a role, a unit)?

    Linking someone brings their account within the actor's reach (a temporary password,
    disabling it), so it is allowed only for accounts the actor manages already, or that
    are linked to no organisation yet (a registered member of the public, a new account).
    """
    if actor.is_superuser or can_manage_user(actor, user):
        return True
    return not user.is_superuser and not linked_orgs(user)


@rule("accounts.manage_user")
def _manage_user(actor: Any, user: User) -> bool:
    return can_manage_user(actor, user)


def can_edit_profile(actor: Any, user: User) -> bool:
    """May ``actor`` change ``user``'s personal details (name, mobile number, birth month...)?

    The profile is shared by every committee the person serves in, so it takes managing the
    account (:func:`can_manage_user`) *and* every organisation the person is linked to: a
    county office edits its own members, not the profile of a provincial member who also sits
    in the county (the province's office does that).
    """
    if not can_manage_user(actor, user):
        return False
    return actor.is_superuser or all(
        can(actor, "orgs.manage_roster", org) for org in linked_orgs(user)
    )


@rule("accounts.edit_profile")
def _edit_profile(actor: Any, user: User) -> bool:
    return can_edit_profile(actor, user)


def is_staff_user(user: Any) -> bool:
    """Staff (any staff role, or a superuser): those who may use a TOTP second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(paths_for(user, STAFF_ROLES))
