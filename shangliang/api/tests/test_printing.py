"""The PDF endpoints: a proposal's form and an approved reply's letter (checked against the
OpenAPI document like every API response)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.api.tests.schema import ApiClient, openapi
from shangliang.core.models import AuditEvent
from shangliang.core.tests.pdf_checks import pdf_text, requires_cjk_font
from shangliang.proposals.tests.unit_cast import cast_fixture  # noqa: F401

TITLE = "关于推进县域义务教育优质均衡发展的建议"


def test_it_documents_the_pdfs_as_files():
    for path in (
        "/api/v1/proposals/{proposal_id}/pdf",
        "/api/v1/assignments/{assignment_id}/reply/pdf",
    ):
        ok = openapi()["paths"][path]["get"]["responses"]["200"]
        assert ok["content"] == {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
        }


@requires_cjk_font
def test_it_sends_the_proposal_form(cast):
    a = cast.rating()
    client = ApiClient(cast.world.member)
    with CaptureQueriesContext(connection) as queries:
        r = client.get(f"proposals/{a.proposal_id}/pdf")
    assert r.status_code == 200
    assert len(queries) <= 20
    assert r["Content-Disposition"].startswith("attachment;")
    assert TITLE in pdf_text(r.content)
    assert AuditEvent.objects.filter(action="proposals.pdf_printed").count() == 1


@requires_cjk_font
def test_it_sends_the_reply_letter_once_approved(cast):
    a = cast.rating()
    for user in (cast.world.member, cast.world.unit_user, cast.office):
        r = ApiClient(user).get(f"assignments/{a.pk}/reply/pdf")
        assert r.status_code == 200, user
        assert "答复正文" in pdf_text(r.content)


def test_it_answers_404_to_outsiders_and_before_approval(cast):
    a = cast.in_audit()
    county = ApiClient(cast.world.county_a_member)
    assert county.get(f"proposals/{a.proposal_id}/pdf").status_code == 404
    assert county.get(f"assignments/{a.pk}/reply/pdf").status_code == 404
    for user in (cast.world.member, cast.world.unit_user):  # not approved yet
        assert ApiClient(user).get(f"assignments/{a.pk}/reply/pdf").status_code == 404
    assert ApiClient().get(f"proposals/{a.proposal_id}/pdf").status_code == 401
    assert not AuditEvent.objects.filter(action="proposals.pdf_printed").exists()
