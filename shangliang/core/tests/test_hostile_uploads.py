"""Uploads are checked by their content, not their name; bodies over the limit are refused
before they are read; downloads are sent as attachments with the sniffed type."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shangliang.core.errors import Invalid
from shangliang.core.uploads import DOCUMENTS, IMAGES, PDF, check_upload, sniff
from shangliang.proposals.models import Attachment
from shangliang.proposals.tests.member_office_cast import EXE, PNG, draft, ooxml
from shangliang.proposals.tests.member_office_cast import PDF as PDF_BYTES
from shangliang.proposals.tests.unit_cast import make_cast
from shangliang.testing import World

HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", HTML),  # a web page called .pdf, sent as application/pdf
        ("report.pdf", EXE),  # a Windows program
        ("photo.png", SVG),  # an SVG (scriptable) called .png
        ("notes.docx", b"PK\x03\x04not really a zip"),
        ("book.xlsx", b"=cmd|' /C calc'!A0"),
    ],
)
def test_it_refuses_an_upload_whose_content_is_not_what_its_name_says(
    name: str, content: bytes
) -> None:
    with pytest.raises(Invalid) as exc:
        check_upload(upload(name, content), allowed=DOCUMENTS, max_mb=5)
    assert exc.value.fields == {"file": ["类型不允许"]}


def test_it_accepts_by_content_whatever_the_name() -> None:
    assert check_upload(upload("scan.jpg", PDF_BYTES), allowed=PDF, max_mb=1) == (
        "pdf",
        "application/pdf",
    )
    assert check_upload(upload("x.bin", PNG), allowed=IMAGES, max_mb=1)[0] == "png"
    assert sniff(io.BytesIO(ooxml("word/document.xml")), "a.doc") == (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    with pytest.raises(Invalid):  # a PNG where only PDFs are taken
        check_upload(upload("x.pdf", PNG), allowed=PDF, max_mb=1)


def test_it_refuses_empty_and_oversized_uploads() -> None:
    with pytest.raises(Invalid, match="空"):
        check_upload(upload("a.pdf", b""), allowed=PDF, max_mb=1)
    big = upload("a.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    with pytest.raises(Invalid, match="1 MB"):
        check_upload(big, allowed=PDF, max_mb=1)


def test_a_proposal_attachment_is_checked_by_content(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    p = draft(world)
    client = Client()
    client.force_login(world.member)
    url = f"/proposals/{p.pk}/attachments/"
    for name, content in (("evil.pdf", HTML), ("evil.pdf", EXE), ("evil.png", SVG)):
        r = client.post(url, {"file": upload(name, content)}, follow=True)
        assert r.status_code == 200
        assert "不是允许的文件类型" in r.content.decode()
    assert not Attachment.objects.filter(proposal=p).exists()
    client.post(url, {"file": upload("真的.pdf", PDF_BYTES)})
    found = Attachment.objects.get(proposal=p)
    assert found.content_type == "application/pdf" and str(found.file.name).endswith(".pdf")
    r = client.get(f"/proposals/{p.pk}/attachments/{found.pk}/")
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment")  # never shown inline
    assert r["X-Content-Type-Options"] == "nosniff"


def test_a_signed_reply_must_really_be_a_pdf(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    a = make_cast(world).handling()
    client = Client()
    client.force_login(world.unit_user)
    r = client.post(f"/proposals/unit/{a.pk}/reply-file/", {"file": upload("答复.pdf", HTML)})
    assert r.status_code == 422
    a.refresh_from_db()
    assert not a.reply_file


def test_it_refuses_a_body_over_the_limit_before_reading_it(world: World, settings: Any) -> None:
    settings.MAX_REQUEST_MB = 1
    client = Client(enforce_csrf_checks=True)  # refused before the CSRF check reads the form
    client.force_login(world.member)
    p = draft(world)
    body = PDF_BYTES + b"0" * (1024 * 1024 + 1)
    r = client.post(f"/proposals/{p.pk}/attachments/", {"file": upload("big.pdf", body)})
    assert r.status_code == 413
    assert "请求内容过大" in r.content.decode()
    r = client.post(
        "/api/v1/proposals", data=b"{" + b" " * (1024 * 1024 + 1) + b"}", content_type="x/json"
    )
    assert r.status_code == 413
    assert json.loads(r.content)["code"] == "too_large"
    assert client.get("/").status_code == 200  # a small request still passes


def test_a_form_larger_than_django_takes_is_refused(world: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client()
    client.force_login(world.member)
    r = client.post("/proposals/drafts/save/", {"title": "关于" + "长" * 20_000 + "的建议"})
    assert r.status_code == 400  # RequestDataTooBig
