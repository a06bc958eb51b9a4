"""HTML → PDF with a Chinese font embedded (WeasyPrint), shared by every app that prints.

Apps extend ``core/pdf/base.html`` and call :func:`render_pdf`; views send the bytes with
:func:`pdf_response`. Nothing is fetched from the network: the URL fetcher only reads
``data:`` URLs and ``file:`` URLs under the static directories and the font directories, and
``{% static %}`` paths are resolved from disk.

The Chinese font comes from the system (fontconfig: ``apt install fonts-noto-cjk``). No font
package on PyPI is both kept up to date and complete enough for Simplified Chinese, so none
is a dependency. ``PDF_CJK_FONT`` (a setting or environment variable: the path of a
.otf/.ttf/.ttc file) overrides the search. The font is referenced by an ``@font-face`` with a
``file://`` URL; WeasyPrint embeds the subset of glyphs used. (Of a .ttc collection the first
face is loaded; the base template's ``lang="zh-CN"`` makes HarfBuzz pick the Simplified
Chinese glyph forms through the font's ``locl`` feature.) Without a CJK font the PDF still
renders (Chinese shows as boxes) and the pages offering PDFs show :attr:`CjkFont.message`.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

log = logging.getLogger(__name__)

# The family name the templates use; @font-face maps it to the font file found.
FONT_ALIAS = "Shangliang CJK"

# Preferred families, best first (serif reads like the 宋体 of official forms).
PREFERRED_FAMILIES = (
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
    "Source Han Serif CN",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)

# Where Debian and other distributions put CJK fonts, for machines without fc-list.
KNOWN_FONT_FILES = (
    ("Noto Serif CJK SC", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ("Noto Sans CJK SC", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    ("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")


@dataclass(frozen=True)
class CjkFont:
    """The Chinese font PDFs are set in, or why there is none."""

    available: bool
    family: str | None
    path: str | None
    message: str
    bold_path: str | None = None


@dataclass(frozen=True)
class _Found:
    family: str
    path: str
    bold_path: str | None


def _fc_list() -> list[tuple[str, str, int]]:
    """(family, file, weight) of every font fontconfig says covers Chinese."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_list, ":lang=zh-cn", "family", "file", "weight"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = []
    for line in out.splitlines():
        # "/path/font.ttc: Noto Sans CJK SC,Noto Sans CJK SC Regular:weight=80"
        path, _, rest = line.partition(": ")
        families, _, weight = rest.partition(":weight=")
        try:
            weight_value = int(weight.split()[0]) if weight else 80
        except ValueError:
            weight_value = 80
        for family in families.split(","):
            rows.append((family.strip(), path.strip(), weight_value))
    return rows


def _discover() -> _Found | None:
    configured = getattr(settings, "PDF_CJK_FONT", "") or os.environ.get("PDF_CJK_FONT", "")
    if configured and Path(configured).is_file():
        return _Found(family=Path(configured).stem, path=str(configured), bold_path=None)
    rows = _fc_list()
    for wanted in PREFERRED_FAMILIES:
        faces = [(path, weight) for family, path, weight in rows if family == wanted]
        regular = [path for path, weight in faces if weight <= 100]
        bold = [path for path, weight in faces if weight >= 180]
        if regular:
            return _Found(family=wanted, path=regular[0], bold_path=bold[0] if bold else None)
    if rows:  # some other font that covers Chinese
        family, path, _weight = rows[0]
        return _Found(family=family, path=path, bold_path=None)
    for known_family, known_path in KNOWN_FONT_FILES:
        if Path(known_path).is_file():
            bold_file = known_path.replace("-Regular", "-Bold")
            return _Found(
                family=known_family,
                path=known_path,
                bold_path=bold_file if Path(bold_file).is_file() else None,
            )
    return None


@functools.cache
def _found() -> _Found | None:
    found = _discover()
    if found is None:
        log.warning("No Chinese font found for PDFs; install fonts-noto-cjk")
    return found


def cjk_font() -> CjkFont:
    """The Chinese font for PDFs (looked up once per process)."""
    found = _found()
    if found is None:
        return CjkFont(
            available=False,
            family=None,
            path=None,
            message=gettext(
                "服务器上没有中文字体，PDF 中的汉字将无法显示。"
                "请管理员安装中文字体（Debian/Ubuntu：apt install fonts-noto-cjk）后重启服务。"
            ),
        )
    return CjkFont(
        available=True,
        family=found.family,
        path=found.path,
        bold_path=found.bold_path,
        message=gettext("PDF 使用中文字体“%(family)s”。") % {"family": found.family},
    )


def _allowed_roots() -> list[Path]:
    roots = [Path(d) for d in FONT_DIRS]
    font = _found()
    if font is not None:
        roots.append(Path(font.path).parent)
        if font.bold_path:
            roots.append(Path(font.bold_path).parent)
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def _static_path(url_path: str) -> str | None:
    """The file on disk behind a ``/static/...`` path, if any."""
    static_url = "/" + urlsplit(settings.STATIC_URL or "static/").path.lstrip("/")
    if not url_path.startswith(static_url):
        return None
    relative = unquote(url_path[len(static_url) :])
    found = finders.find(relative)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return str(found)
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        if candidate.is_file():
            return str(candidate)
    return None


def _weasy_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Reads data: URLs and local static/font files; refuses everything else."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            return super().fetch(local_url(url), headers)

    return LocalOnlyFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def local_url(url: str) -> str:
    """The URL to read for ``url``, or :class:`ValueError` if it would leave this machine.

    ``data:`` URLs pass; ``file:`` URLs pass when they point to a static file (``/static/..``
    resolved from disk) or a file under the static or font directories.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return url
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ValueError(f"PDF rendering does not fetch {scheme or 'relative'} URLs: {url}")
    static = _static_path(parts.path)
    if static is not None:
        return Path(static).resolve().as_uri()
    path = Path(url2pathname(parts.path)).resolve()
    if not path.is_file() or not any(path.is_relative_to(root) for root in _allowed_roots()):
        raise ValueError(f"PDF rendering may not read {path}")
    return path.as_uri()


def render_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """Render a template (extending ``core/pdf/base.html``) to PDF bytes."""
    from weasyprint import HTML

    font = cjk_font()
    fonts = {
        "cjk_font": font,
        "cjk_font_alias": FONT_ALIAS,
        "cjk_font_url": Path(font.path).resolve().as_uri() if font.path else "",
        "cjk_font_bold_url": Path(font.bold_path).resolve().as_uri() if font.bold_path else "",
    }
    html = render_to_string(template_name, {**context, **fonts}, request=request)
    document = HTML(string=html, base_url="file:///", url_fetcher=_weasy_fetcher())
    pdf: bytes = document.write_pdf()
    return pdf


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An ``application/pdf`` response; the filename may be Chinese (RFC 5987)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(len(pdf))
    return response
