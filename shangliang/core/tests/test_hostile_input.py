"""Hostile text typed into the platform is shown as text: escaped in pages, a plain string
(never a formula) in Excel exports, text (not markup) in PDFs.

The payloads go in through the services (a member's proposal, a unit's contact record and
reply, a roster entry), then every page and export that shows them is read back.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from shangliang.accounts.models import Role
from shangliang.core.pdf import render_pdf
from shangliang.core.tests.pdf_checks import pdf_text, requires_cjk_font
from shangliang.core.workflow import transition
from shangliang.core.xlsx import FORMULA_TRIGGERS
from shangliang.opinions.models import Opinion
from shangliang.opinions.services import opinion_save_draft
from shangliang.proposals.models import Assignment
from shangliang.proposals.services.drafting import proposal_act, proposal_create_draft
from shangliang.proposals.tests.unit_cast import Cast, make_cast
from shangliang.testing import World, make_member, make_role

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ['=HYPERLINK("http://x.test","点我")', "=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)"]
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"


def _submitted(membership: Any, **text: str) -> Any:
    fields = {"title": "关于测试的建议", "situation": "情况", "suggestions": "建议"}
    fields.update(text)
    user = membership.user
    p = proposal_create_draft(actor=user, membership=membership, category="社会", **fields)
    return proposal_act(actor=user, proposal=p, action="submit")


@pytest.fixture
def hostile(world: World, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Proposals and a roster entry full of payloads, one proposal assigned and replied."""
    settings.MEDIA_ROOT = tmp_path
    cast = make_cast(world)
    term = world.terms[world.province.pk]
    member = make_member(
        world.province, term, username="hostile", name="=1+1", workplace=f"{SCRIPT}{IMG}"
    )
    script = _submitted(world.member_m, title=f"关于{SCRIPT}的建议", situation=IMG)
    formulas = [  # a member's name and workplace start with a formula character
        _submitted(make_member(world.province, term, name=f[:30], workplace=f)) for f in FORMULAS
    ]
    for p in (script, *formulas):
        for _stage in range(3):
            transition(p, "review", actor=cast.office, outcome="accept")
    transition(script, "assign", actor=cast.office, mode="sole", units=[{"unit": world.unit.pk}])
    a = Assignment.objects.get(proposal=script)
    unit = world.unit_user
    transition(a, "sign_for", actor=unit)
    today = timezone.localdate()
    transition(a, "record_contact", actor=unit, date=today, way="phone", person=IMG, note=SCRIPT)
    transition(a, "draft_reply", actor=unit, result_class="A", text=f"{SCRIPT}\n{IMG}\n=1+1")
    opinion_save_draft(  # a report to the information office, in its queue
        actor=world.member,
        org=world.province,
        title=FORMULAS[0],
        situation=SCRIPT,
        analysis="=1+1",
        suggestions="@SUM(A1)",
    )
    return {"cast": cast, "proposal": script, "assignment": a, "member": member}


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_escaped(html: str, url: str, *, expect: tuple[str, ...] = (ESCAPED_SCRIPT,)) -> None:
    assert SCRIPT not in html, f"{url} shows a raw <script> typed by a user"
    assert "<img src=x onerror" not in html, f"{url} shows a raw <img onerror> typed by a user"
    assert not re.search(r"<[^>]*onerror=alert", html), url
    for escaped in expect:
        assert escaped in html, f"{url} does not show the typed text (escaped): {escaped}"


def test_it_escapes_payloads_in_the_proposal_pages(world: World, hostile: dict[str, Any]) -> None:
    cast: Cast = hostile["cast"]
    p, a = hostile["proposal"], hostile["assignment"]
    pages = [
        (world.member, f"/proposals/{p.pk}/", (ESCAPED_SCRIPT, ESCAPED_IMG)),
        (world.member, "/proposals/", (ESCAPED_SCRIPT,)),
        (
            cast.office,
            f"/proposals/office/orgs/{world.province.pk}/?queue=handling",
            (ESCAPED_SCRIPT,),
        ),
        (cast.office, f"/proposals/office/proposals/{p.pk}/review/", (ESCAPED_SCRIPT,)),
        (cast.office, f"/proposals/{p.pk}/", (ESCAPED_SCRIPT, ESCAPED_IMG)),
        (world.unit_user, "/proposals/unit/", (ESCAPED_SCRIPT,)),
        (world.unit_user, f"/proposals/unit/{a.pk}/", (ESCAPED_SCRIPT, ESCAPED_IMG)),
        (world.leader, "/audit/", (ESCAPED_SCRIPT,)),
    ]
    for user, url, expect in pages:
        client = Client()
        client.force_login(user)
        assert_escaped(_html(client, url), url, expect=expect)


def test_it_escapes_payloads_in_the_roster(world: World, hostile: dict[str, Any]) -> None:
    m = hostile["member"]
    client = Client()
    client.force_login(world.general_office)
    for url in (f"/roster/members/{m.pk}/", f"/roster/orgs/{world.province.pk}/"):
        assert_escaped(_html(client, url), url, expect=(ESCAPED_SCRIPT,))


def test_it_escapes_payloads_in_the_api(world: World, hostile: dict[str, Any]) -> None:
    """JSON carries the text as is (a client must escape it); the content type says JSON,
    so a browser never renders it as a page."""
    from shangliang.api.tests.schema import ApiClient

    p = hostile["proposal"]
    response = ApiClient(world.member).get(f"proposals/{p.pk}")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT in response.json()["title"]


# --- Excel ----------------------------------------------------------------------------------


def _workbook_cells(response: Any) -> list[Any]:
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(raw))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def assert_no_formula(cells: list[Any], url: str, *, expect: str) -> None:
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(expect in t for t in texts), f"{url}: the typed text {expect!r} is not exported"
    for cell in cells:
        assert cell.data_type != "f", f"{url} {cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            assert cell.data_type == "s", (url, cell.coordinate)
            assert cell.quotePrefix, f"{url} {cell.coordinate} {cell.value!r} is not quoted"


def test_excel_exports_store_formulas_as_text(world: World, hostile: dict[str, Any]) -> None:
    cast: Cast = hostile["cast"]
    org = world.province.pk
    exports = [
        (cast.office, f"/proposals/office/orgs/{org}/export/?queue=accepted", "HYPERLINK"),
        (world.unit_user, "/proposals/unit/export/", SCRIPT),
        (cast.office, f"/proposals/office/orgs/{org}/assignments/audit/export/", SCRIPT),
        (world.general_office, f"/roster/orgs/{org}/export/", "=1+1"),
    ]
    info = make_role(world.province, Role.Kind.INFO_OFFICE, username="info")
    Opinion.objects.filter(title=FORMULAS[0]).update(status=Opinion.Status.SUBMITTED)
    exports.append((info, f"/opinions/office/{org}/export/", "HYPERLINK"))
    for user, url, expect in exports:
        client = Client()
        client.force_login(user)
        assert_no_formula(_workbook_cells(client.get(url)), url, expect=expect)


# --- PDF ------------------------------------------------------------------------------------


@requires_cjk_font
def test_pdfs_show_markup_as_text() -> None:
    pdf = render_pdf("core/pdf/sample.html", {"title": "提案", "label": "案由", "body": SCRIPT})
    assert "<script>alert(1)</script>" in _squeezed(pdf_text(pdf))
    pdf = render_pdf("core/pdf/sample.html", {"title": IMG, "label": "x", "body": "正文"})
    assert '"><imgsrc=xonerror=alert(1)>' in _squeezed(pdf_text(pdf))


@requires_cjk_font
def test_the_proposal_pdf_shows_markup_as_text(world: World, hostile: dict[str, Any]) -> None:
    p = hostile["proposal"]
    client = Client()
    client.force_login(world.member)
    response = client.get(f"/proposals/{p.pk}/print.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _squeezed(pdf_text(response.content))
    assert "<script>alert(1)</script>" in text  # the title, as typed
    assert '"><imgsrc=xonerror=alert(1)>' in text  # the situation, as typed


def _squeezed(text: str) -> str:
    """The text without white space (extraction from a PDF drops or adds some)."""
    return re.sub(r"\s+", "", text)


def test_the_one_html_builder_escapes_every_piece() -> None:
    """The only code that marks text safe (the opinion editor's difference view) escapes
    what was typed, on both sides of the difference."""
    from shangliang.opinions.diff import marked_diff

    deleted, inserted = str(marked_diff(SCRIPT, "")), str(marked_diff("", IMG))
    assert ESCAPED_SCRIPT in deleted and SCRIPT not in deleted
    assert ESCAPED_IMG in inserted and "<img" not in inserted
    mixed = str(marked_diff(f"原文{SCRIPT}", f"改后{IMG}{SCRIPT}"))
    assert not re.search(r"<(?!/?(del|ins|br)\b)", mixed), mixed
