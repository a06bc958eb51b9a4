"""The one place that answers "may this user do X to this object".

Views, the API and services all ask :func:`can` / :func:`require`. Rules are registered by
name (``"orgs.view_roster"``) and take ``(user, obj)``. Scope follows the organisation
tree: a role in a committee reaches that committee and every committee under it; nothing
reaches sideways or upwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q

from shangliang.accounts.models import STAFF_ROLES, Membership, Role
from shangliang.core.errors import Forbidden, NotFound

Rule = Callable[[Any, Any], bool]
RULES: dict[str, Rule] = {}

MANAGERS = [Role.Kind.ADMIN, Role.Kind.GENERAL_OFFICE]


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return register


def can(user: Any, perm: str, obj: Any = None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    try:
        check = RULES[perm]
    except KeyError:
        raise LookupError(f"unknown permission {perm}") from None
    return bool(check(user, obj))


def require(user: Any, perm: str, obj: Any = None, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when ``hide``: the object's existence is private too)."""
    if not can(user, perm, obj):
        raise NotFound() if hide else Forbidden()


# --- what a user holds, cached on the user object for the request --------------------------


def role_paths(user: Any) -> dict[str, list[str]]:
    """{role kind: [org path, ...]} for the user's roles."""
    cached = getattr(user, "_sl_role_paths", None)
    if cached is None:
        cached = {}
        if user.is_authenticated:
            for kind, path in Role.objects.filter(user=user, org__is_active=True).values_list(
                "kind", "org__path"
            ):
                cached.setdefault(kind, []).append(path)
        user._sl_role_paths = cached
    return cached


def member_paths(user: Any) -> list[str]:
    """Paths of the organisations where the user is a serving member."""
    cached = getattr(user, "_sl_member_paths", None)
    if cached is None:
        cached = []
        if user.is_authenticated:
            cached = list(
                Membership.objects.filter(
                    user=user,
                    status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED],
                    term__is_current=True,
                ).values_list("org__path", flat=True)
            )
        user._sl_member_paths = cached
    return cached


def paths_for(user: Any, kinds: Iterable[str]) -> list[str]:
    held = role_paths(user)
    return [p for k in kinds for p in held.get(k, [])]


def reaches(paths: Iterable[str], org: Any) -> bool:
    """Does a role at one of ``paths`` reach ``org`` (the same committee or one below)?"""
    return any(org.path.startswith(p) for p in paths)


def scope_q(paths: Iterable[str], prefix: str = "org__") -> Q:
    """Q matching rows whose organisation lies under one of ``paths``; empty when none."""
    q = Q(pk__in=[])
    for p in set(paths):
        q |= Q(**{f"{prefix}path__startswith": p})
    return q


def is_staff_of(user: Any, org: Any, kinds: Iterable[str] = STAFF_ROLES) -> bool:
    return bool(user.is_superuser) or reaches(paths_for(user, kinds), org)


def staff_orgs_q(user: Any, kinds: Iterable[str] = STAFF_ROLES, prefix: str = "org__") -> Q:
    if user.is_superuser:
        return Q()
    return scope_q(paths_for(user, kinds), prefix)


def roster_orgs_q(user: Any, prefix: str = "org__") -> Q:
    """Organisations whose roster the user may read."""
    if user.is_superuser:
        return Q()
    return scope_q(paths_for(user, STAFF_ROLES) + member_paths(user), prefix)


# --- the rules -----------------------------------------------------------------------------


@rule("orgs.view")
def _view_org(user: Any, org: Any) -> bool:
    return True  # names and the tree of committees are public


@rule("orgs.view_roster")
def _view_roster(user: Any, org: Any) -> bool:
    return is_staff_of(user, org) or reaches(member_paths(user), org)


@rule("orgs.view_private")
def _view_private(user: Any, org: Any) -> bool:
    """Members' phone numbers, birth dates, status reasons."""
    return is_staff_of(user, org)


@rule("orgs.manage_roster")
def _manage_roster(user: Any, org: Any) -> bool:
    return is_staff_of(user, org, MANAGERS)


@rule("orgs.configure")
def _configure(user: Any, org: Any) -> bool:
    return is_staff_of(user, org, [Role.Kind.ADMIN])


@rule("orgs.view_audit")
def _view_audit(user: Any, org: Any) -> bool:
    return is_staff_of(user, org, [Role.Kind.ADMIN, Role.Kind.LEADER, Role.Kind.GENERAL_OFFICE])


@rule("accounts.view_membership")
def _view_membership(user: Any, membership: Membership) -> bool:
    return membership.user_id == user.pk or _view_roster(user, membership.org)


@rule("accounts.manage_membership")
def _manage_membership(user: Any, membership: Membership) -> bool:
    return _manage_roster(user, membership.org)


@rule("accounts.decide_exit")
def _decide_exit(user: Any, membership: Membership) -> bool:
    return is_staff_of(user, membership.org, [Role.Kind.LEADER])
