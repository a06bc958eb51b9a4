"""The duty API: a member's record with every point traced to its source, and duty reports."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shangliang.api.tests.schema import ApiClient
from shangliang.duty.tests.cast import submit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_it_returns_the_score_items_and_minimums(world, django_capture_on_commit_callbacks):
    p = submit(world, django_capture_on_commit_callbacks)
    r = ApiClient(world.member).get(f"duty/members/{world.member_m.pk}?year={YEAR}")
    assert r.status_code == 200
    body = r.json()
    assert body["score"] == 5.0 and body["grade"] == "fail"
    (item,) = body["items"]
    assert (item["item"], item["points"], item["source_type"], item["source_id"]) == (
        "proposal.submitted",
        5.0,
        "proposals.proposal",
        str(p.pk),
    )
    assert body["minimums"] == {
        "training": False,
        "deliberation": False,
        "proposal": True,
        "opinion": False,
        "research": False,
        "duty_report": False,
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 200),
        ("general_office", 200),
        ("leader", 200),
        ("admin", 200),
        ("county_a_member", 404),
        ("county_a_office", 404),
        ("unit_user", 404),
        ("public", 404),
    ],
)
def test_it_shows_a_record_to_the_member_and_staff_above_only(world, persona, status):
    r = ApiClient(getattr(world, persona)).get(f"duty/members/{world.member_m.pk}")
    assert r.status_code == status


def test_a_member_drafts_saves_and_submits_a_duty_report(world, django_capture_on_commit_callbacks):
    client = ApiClient(world.member)
    draft = client.get(f"duty-reports/draft?year={YEAR}").json()
    assert "年度履职情况报告" in draft["body"]
    r = client.post("duty-reports", {"year": YEAR, "body": ""}, headers={"Idempotency-Key": "k1"})
    assert r.status_code == 201 and r.json()["state"] == "draft"
    again = client.post(
        "duty-reports", {"year": YEAR, "body": ""}, headers={"Idempotency-Key": "k1"}
    )
    assert again.json()["id"] == r.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        s = client.post(f"duty-reports/{r.json()['id']}/actions/submit")
    assert s.status_code == 200 and s.json()["state"] == "submitted"
    assert client.post("duty-reports", {"year": YEAR, "body": "x"}).status_code == 409
    record = client.get(f"duty/members/{world.member_m.pk}").json()
    assert record["minimums"]["duty_report"] is True


def test_others_cannot_read_or_submit_a_report(world):
    r = ApiClient(world.member).post("duty-reports", {"year": YEAR, "body": "述职"})
    rid = r.json()["id"]
    assert ApiClient(world.general_office).get(f"duty-reports/{rid}").status_code == 404
    assert (
        ApiClient(world.county_a_member).post(f"duty-reports/{rid}/actions/submit").status_code
        == 404
    )
    assert (
        ApiClient(world.general_office)
        .post("duty-reports", {"year": YEAR, "body": "x"})
        .status_code
        == 403
    )
