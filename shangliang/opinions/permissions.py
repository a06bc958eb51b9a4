"""Who may do what with opinion reports (rules in the one permissions module).

Reporters see their own; the information office (信息处) of the committee and above sees its
intake; leaders read; units see only what was forwarded to them; anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import is_staff_of, rule
from shangliang.opinions.models import Forwarding, Opinion, Reporter

OFFICE = [Role.Kind.INFO_OFFICE]
LEADERS = [Role.Kind.LEADER]
READERS = [Role.Kind.INFO_OFFICE, Role.Kind.LEADER, Role.Kind.ADMIN]


def is_author(user: Any, o: Opinion) -> bool:
    return bool(user is not None and user.is_authenticated) and o.author_id == user.pk


def is_reporter(user: Any, o: Opinion) -> bool:
    if is_author(user, o):
        return True
    return bool(user is not None and user.is_authenticated) and (
        Reporter.objects.filter(opinion=o, user=user).exists()
    )


def is_office(user: Any, o: Opinion) -> bool:
    return user is not None and is_staff_of(user, o.org, OFFICE)


def is_leader(user: Any, o: Opinion) -> bool:
    return user is not None and is_staff_of(user, o.org, LEADERS)


def acts_for_unit(user: Any, o: Opinion) -> bool:
    return Forwarding.objects.filter(opinion=o, unit__users__user=user).exists()


def may_sign_off(user: Any, o: Opinion) -> bool:
    """The person entitled to sign off (签发): the settings' signers when there are any,
    else the information office and the leaders of the committee (and above)."""
    from shangliang.opinions.steps import settings_for

    signers = [int(s) for s in settings_for(o.org).signers or []]
    if signers:
        return user.pk in signers and (is_office(user, o) or is_leader(user, o))
    return is_office(user, o) or is_leader(user, o)


@rule("opinions.view")
def _view(user: Any, o: Opinion) -> bool:
    if o.status == Opinion.Status.DRAFT:
        return is_author(user, o)
    return is_reporter(user, o) or is_staff_of(user, o.org, READERS) or acts_for_unit(user, o)


@rule("opinions.manage")
def _manage(user: Any, org: Any) -> bool:
    """The information office's intake, issues, figures and settings of a committee."""
    return is_staff_of(user, org, OFFICE)


@rule("opinions.read_issues")
def _read_issues(user: Any, org: Any) -> bool:
    return is_staff_of(user, org, READERS)
