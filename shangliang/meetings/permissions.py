"""Who may see and run meetings."""

from __future__ import annotations

from typing import Any

from shangliang.accounts.models import Role
from shangliang.accounts.permissions import is_staff_of, rule

ORGANISERS = [Role.Kind.ADMIN, Role.Kind.GENERAL_OFFICE, Role.Kind.COMMITTEE_OFFICE]
READERS = [*ORGANISERS, Role.Kind.LEADER]


@rule("meetings.manage")
def _manage(user: Any, org: Any) -> bool:
    """Create meetings, mark and correct attendance, decide leave requests."""
    return is_staff_of(user, org, ORGANISERS)


@rule("meetings.view")
def _view(user: Any, meeting: Any) -> bool:
    if is_staff_of(user, meeting.org, READERS):
        return True
    return meeting.attendances.filter(membership__user=user).exists()


def can_listen(user: Any, key: str) -> bool:
    """Who may follow a meeting's live check-in board (``/live/meeting/<id>/``): whoever
    may view the meeting."""
    from shangliang.accounts.permissions import can
    from shangliang.meetings.models import Meeting

    if not key.isdigit():
        return False
    meeting = Meeting.objects.select_related("org").filter(pk=int(key)).first()
    return meeting is not None and can(user, "meetings.view", meeting)
