"""Helpers for tests that check PDFs made by ``shangliang.core.pdf`` (used by other apps too)."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any

import pytest
from pypdf import PdfReader

from shangliang.core.pdf import cjk_font


def _needs_font() -> Any:
    """Skip font-dependent tests on a machine without a CJK font, except in CI
    (``REQUIRE_BROWSER`` set), where a missing font must fail the test instead."""
    missing = not cjk_font().available
    return pytest.mark.skipif(
        missing and not os.environ.get("REQUIRE_BROWSER"),
        reason="no CJK font installed (apt install fonts-noto-cjk)",
    )


requires_cjk_font = _needs_font()


@dataclass(frozen=True)
class PdfFont:
    base_font: str
    embedded: bool
    family: str  # the family in the embedded font's own name table ("" if unreadable)


def pdf_reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    assert b"%%EOF" in pdf[-1024:]
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    """All the text of the PDF, whitespace removed (CJK extraction splits lines freely)."""
    text = "".join(page.extract_text() or "" for page in pdf_reader(pdf).pages)
    return "".join(text.split())


def _embedded_family(descriptor: Any) -> tuple[bool, str]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if key in descriptor:
            data = descriptor[key].get_object().get_data()
            try:
                names = TTFont(io.BytesIO(data))["name"]
                return True, str(names.getDebugName(1) or "")
            except Exception:  # a bare CFF program: embedded, name unknown
                return True, ""
    return False, ""


def pdf_fonts(pdf: bytes) -> list[PdfFont]:
    fonts: dict[str, PdfFont] = {}
    for page in pdf_reader(pdf).pages:
        resources = page.get("/Resources")
        if not resources or "/Font" not in resources:
            continue
        for font in resources["/Font"].get_object().values():
            font = font.get_object()
            base = str(font.get("/BaseFont", "")).lstrip("/")
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded, family = (
                _embedded_family(descriptor.get_object()) if descriptor else (False, "")
            )
            fonts[base] = PdfFont(base_font=base, embedded=embedded, family=family)
    return list(fonts.values())


def assert_embeds_cjk_font(pdf: bytes) -> None:
    """The PDF carries (a subset of) the CJK font found by ``cjk_font()``."""
    font = cjk_font()
    assert font.available, font.message
    fonts = pdf_fonts(pdf)
    cjk = [f for f in fonts if f.embedded and "Shangliang-CJK" in f.base_font]
    assert cjk, f"no embedded CJK font in {fonts}"
    assert all(f.base_font[6] == "+" for f in cjk), "the font should be a subset"
    words = {w for w in (font.family or "").replace("-", " ").split() if len(w) > 2}
    if cjk[0].family:  # the embedded font is the one we found (e.g. "Noto Serif CJK JP" face)
        assert words & set(cjk[0].family.split()), (cjk[0].family, font.family)
