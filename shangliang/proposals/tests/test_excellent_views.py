"""优秀提案 pages: the list (tabs, export, bulk), nominating, one nomination and its steps,
the proposal page's button and badge, and the public portal's section."""

from __future__ import annotations

import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.core.models import AuditEvent
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.services.excellent import excellent_nominate, nomination_act
from shangliang.proposals.tests.unit_cast import cast_fixture  # noqa: F401

N = ExcellentNomination.Status


def list_url(cast: Any) -> str:
    return reverse("proposals:excellent_list", args=[cast.world.province.pk])


def nominated(cast: Any, title: str = "关于推进县域义务教育优质均衡发展的建议") -> Any:
    return excellent_nominate(actor=cast.office, proposal=cast.proposal(title=title), reason="好")


def test_it_opens_the_office_and_leaders_list(cast):
    n = nominated(cast)
    for user in (cast.office, cast.world.leader):
        client = cast.world.client_for(user)
        r = client.get(reverse("proposals:excellent_home"))
        assert r.status_code == 302 and r["Location"] == list_url(cast)
        r = client.get(list_url(cast))
        assert r.status_code == 200
        assert n.proposal.title in r.text and "省委员甲（教育界）" in r.text
        assert "13700000000" not in r.text


def test_it_hides_the_list_from_others(cast):
    for user in (cast.world.member, cast.world.unit_user, cast.world.county_a_leader):
        client = cast.world.client_for(user)
        assert client.get(list_url(cast)).status_code == 404
    for user in (cast.world.member, cast.world.unit_user):
        client = cast.world.client_for(user)
        assert client.get(reverse("proposals:excellent_home")).status_code == 404
    county = cast.world.client_for(cast.world.county_a_leader)  # their own committee's list
    r = county.get(reverse("proposals:excellent_home"))
    assert r["Location"] == reverse("proposals:excellent_list", args=[cast.world.county_a.pk])
    n = nominated(cast)
    r = cast.world.client_for(cast.world.member).get(
        reverse("proposals:excellent_detail", args=[n.pk])
    )
    assert r.status_code == 404


def test_the_list_takes_a_bounded_number_of_queries(cast):
    nominated(cast, "关于第一件事的建议")
    client = cast.world.client_for(cast.office)
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(cast))
    for i in range(5):
        nominated(cast, f"关于第{i + 2}件事的建议")
    with CaptureQueriesContext(connection) as many:
        r = client.get(list_url(cast))
    assert all(f"关于第{i + 2}件事的建议" in r.text for i in range(5))
    assert len(many) == len(few)


def test_it_nominates_from_the_page(cast):
    p = cast.proposal()
    client = cast.world.client_for(cast.office)
    url = reverse("proposals:excellent_nominate", args=[cast.world.province.pk])
    r = client.get(url + f"?proposal={p.pk}")
    assert r.status_code == 200 and p.title in r.text
    r = client.post(url, {"proposal": p.pk, "reason": ""})
    assert r.status_code == 422
    r = client.post(url, {"proposal": p.pk, "reason": "针对性强，办理成效显著"})
    n = ExcellentNomination.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "proposals:excellent_detail", args=[n.pk]
    )
    assert n.reason == "针对性强，办理成效显著" and n.nominated_by == cast.office


def test_it_takes_the_steps_from_the_detail_page(cast):
    n = nominated(cast)
    office = cast.world.client_for(cast.office)
    page = office.get(reverse("proposals:excellent_detail", args=[n.pk]))
    assert page.status_code == 200 and "初评" in page.text
    url = reverse("proposals:excellent_action", args=[n.pk, "review"])
    office.post(url, {"review-decision": "approve", "review-note": "推荐"})
    n.refresh_from_db()
    assert n.status == N.RECOMMENDED
    leader = cast.world.client_for(cast.world.leader)
    leader.post(reverse("proposals:excellent_action", args=[n.pk, "confirm"]), {})
    n.refresh_from_db()
    assert n.status == N.CONFIRMED
    r = office.post(reverse("proposals:excellent_action", args=[n.pk, "nonsense"]), {})
    assert r.status_code == 404


def test_leaders_confirm_and_the_office_publishes_the_list(cast):
    ns = [nominated(cast, f"关于第{i}件事的建议") for i in range(2)]
    for n in ns:
        nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    bulk = reverse("proposals:excellent_bulk", args=[cast.world.province.pk])
    leader = cast.world.client_for(cast.world.leader)
    r = leader.get(list_url(cast) + "?status=recommended")
    assert "excellent-bulk-confirm" in r.text
    leader.post(bulk, {"do": "confirm", "n": [n.pk for n in ns]})
    assert ExcellentNomination.objects.filter(status=N.CONFIRMED).count() == 2
    office = cast.world.client_for(cast.office)
    assert "excellent-bulk-publish" in office.get(list_url(cast) + "?status=confirmed").text
    office.post(bulk, {"do": "publish", "n": [ns[0].pk]})
    assert ExcellentNomination.objects.filter(status=N.PUBLISHED).count() == 1
    portal = cast.world.client_for(cast.world.public).get(reverse("proposals:portal_excellent"))
    assert "关于第0件事的建议" in portal.text and "关于第1件事的建议" not in portal.text
    assert "省委员甲（教育界）" in portal.text and "13700000000" not in portal.text


def test_it_exports_the_list(cast):
    n = nominated(cast)
    r = cast.world.client_for(cast.office).get(
        reverse("proposals:excellent_export", args=[cast.world.province.pk])
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).worksheets[0]
    rows = list(ws.values)
    assert rows[0][2] == "案由" and rows[1][2] == n.proposal.title and rows[1][6] == "已提名"
    assert AuditEvent.objects.filter(action="proposals.excellent_exported").count() == 1


def test_the_proposal_page_offers_nomination_and_shows_the_badge(cast):
    p = cast.proposal()
    office = cast.world.client_for(cast.office)
    r = office.get(reverse("proposals:detail", args=[p.pk]))
    assert "proposal-nominate" in r.text and "proposal-pdf" in r.text
    member = cast.world.client_for(cast.world.member)
    assert "proposal-nominate" not in member.get(reverse("proposals:detail", args=[p.pk])).text
    n = excellent_nominate(actor=cast.office, proposal=p, reason="好")
    n = nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    n = nomination_act(actor=cast.world.leader, nomination=n, action="confirm")
    nomination_act(actor=cast.office, nomination=n, action="publish")
    r = member.get(reverse("proposals:detail", args=[p.pk]))
    assert 'id="proposal-excellent"' in r.text and "proposal-nominate" not in r.text


def test_the_portal_lists_published_excellent_proposals_on_its_front_page(cast):
    n = nominated(cast)
    anonymous = cast.world.client_for(cast.world.public)
    assert "portal-excellent" not in anonymous.get(reverse("proposals:portal_list")).text
    n = nomination_act(actor=cast.office, nomination=n, action="review", decision="approve")
    n = nomination_act(actor=cast.world.leader, nomination=n, action="confirm")
    assert "portal-excellent" not in anonymous.get(reverse("proposals:portal_list")).text
    nomination_act(actor=cast.office, nomination=n, action="publish")
    r = anonymous.get(reverse("proposals:portal_list"))
    assert "portal-excellent" in r.text and n.proposal.title in r.text
