from __future__ import annotations

from shangliang.core.workflow import transition
from shangliang.notifications.models import Notification
from shangliang.proposals.tests.member_office_cast import office_of, submitted


def test_it_tells_the_proposer_of_the_review_once(world, django_capture_on_commit_callbacks):
    office = office_of(world)
    p = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        transition(p, "review", actor=office, outcome="accept")  # 初审: still in review
    with django_capture_on_commit_callbacks(execute=True):
        transition(p, "review", actor=office, outcome="return", reason="请补充情况")
    rows = list(Notification.objects.filter(user=world.member))
    titles = [n.title for n in rows]
    assert any(p.title in t for t in titles)
    assert all(n.link == f"/proposals/{p.pk}/" for n in rows)
    assert len(titles) == len(set(Notification.objects.values_list("key", flat=True)))
    assert not Notification.objects.exclude(user=world.member).exists()
