from __future__ import annotations

from urllib.parse import quote

import pytest

from shangliang.core import pdf as pdf_module
from shangliang.core.pdf import CjkFont, cjk_font, local_url, pdf_response, render_pdf
from shangliang.core.tests.pdf_checks import (
    assert_embeds_cjk_font,
    pdf_fonts,
    pdf_reader,
    pdf_text,
    requires_cjk_font,
)

CONTEXT = {"title": "政协提案表", "label": "案由", "body": "关于加强农村养老服务的建议"}


def test_it_renders_a_valid_pdf():
    pdf = render_pdf("core/pdf/sample.html", CONTEXT)
    reader = pdf_reader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox  # A4 in points
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842


@requires_cjk_font
def test_it_embeds_a_cjk_font_and_the_chinese_text():
    pdf = render_pdf("core/pdf/sample.html", CONTEXT)
    assert_embeds_cjk_font(pdf)
    text = pdf_text(pdf)
    assert "政协提案表" in text and "关于加强农村养老服务的建议" in text
    assert "第1页，共1页" in text


@requires_cjk_font
def test_it_numbers_pages():
    pdf = render_pdf("core/pdf/sample.html", {**CONTEXT, "body": "很长的正文。\n" * 200})
    pages = len(pdf_reader(pdf).pages)
    assert pages > 1
    assert f"第{pages}页，共{pages}页" in pdf_text(pdf)


@requires_cjk_font
def test_it_finds_a_chinese_font():
    font = cjk_font()
    assert font.available and font.path and font.family
    assert "CJK" in font.family or "WenQuanYi" in font.family or "Han" in font.family


def test_it_says_what_to_install_without_a_font(monkeypatch):
    monkeypatch.setattr(pdf_module, "_found", lambda: None)
    font = cjk_font()
    assert font == CjkFont(available=False, family=None, path=None, message=font.message)
    assert "fonts-noto-cjk" in font.message
    pdf = render_pdf("core/pdf/sample.html", CONTEXT)  # still renders
    assert pdf_reader(pdf).pages and not any("Shangliang" in f.base_font for f in pdf_fonts(pdf))


def test_it_escapes_context_text():
    pdf = render_pdf("core/pdf/sample.html", {**CONTEXT, "body": "<script>alert(1)</script><b>粗"})
    text = pdf_text(pdf)
    assert "<script>alert(1)</script><b>" in text


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "file://evil.example.com/etc/passwd",
        "file:///etc/passwd",
        "//example.com/x.png",
    ],
)
def test_it_refuses_urls_that_leave_the_machine_or_the_static_files(url):
    with pytest.raises(ValueError):
        local_url(url)


def test_it_reads_static_files_and_data_urls_from_disk():
    assert local_url("data:text/plain,hi") == "data:text/plain,hi"
    resolved = local_url("file:///static/shangliang/favicon.svg")
    assert resolved.startswith("file:///") and resolved.endswith("/favicon.svg")


def test_it_never_fetches_an_http_image_while_rendering(monkeypatch):
    calls = []

    def no_network(*args, **kwargs):
        calls.append(args)
        raise AssertionError("network")

    monkeypatch.setattr("socket.create_connection", no_network)
    monkeypatch.setattr("socket.socket.connect", no_network)
    pdf = render_pdf(
        "core/pdf/sample.html", {**CONTEXT, "image_url": "http://127.0.0.1:9/tracker.png"}
    )
    assert pdf_reader(pdf).pages and calls == []


def test_it_sends_a_utf8_filename():
    response = pdf_response(b"%PDF-1.7 x", "提案第0123号.pdf")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert f"filename*=utf-8''{quote('提案第0123号.pdf')}" in disposition
    assert response["Cache-Control"] == "private, no-store"
    attachment = pdf_response(b"%PDF", "a.pdf", inline=False)["Content-Disposition"]
    assert attachment == 'attachment; filename="a.pdf"'
