"""The demo's duty records: member1 has points from proposals, opinions and meetings,
member3 lacks every minimum, a member with two unexcused plenary absences is flagged."""

import pytest
from django.utils import timezone

from shangliang.accounts.models import Membership
from shangliang.duty.models import DutyScore, ExitFlag, LedgerEntry
from shangliang.duty.selectors import member_archive
from shangliang.web.demo import seed_demo

YEAR = timezone.localdate().year


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        return seed_demo()


def test_member1_has_points_from_every_source(demo):
    m1 = Membership.objects.get(user__username="member1")
    sources = set(LedgerEntry.objects.filter(membership=m1).values_list("source_type", flat=True))
    assert {"proposals.proposal", "opinions.opinion", "meetings.attendance"} <= sources
    items = set(LedgerEntry.objects.filter(membership=m1).values_list("item", flat=True))
    assert {
        "proposal.accepted",
        "proposal.key",
        "attend.plenary",
        "training",
        "activity.research",
        "speech.written",
    } <= items
    assert DutyScore.objects.get(membership=m1, year=YEAR).score > 50


def test_member3_lacks_all_six_minimums(demo):
    m3 = Membership.objects.get(user__username="member3")
    archive = member_archive(user=m3.user, membership_id=m3.pk, year=YEAR)
    assert not any(archive.minimums.values()) and len(archive.minimums) == 6


def test_two_unexcused_plenary_absences_raise_an_exit_warning(demo):
    flag = ExitFlag.objects.get(membership__user__username="p_member001", rule="plenary_absences")
    assert flag.status == "open"
