"""Every URL pattern of the site, from the resolver (so a new page cannot go unnoticed)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when the pattern has no name
    route: str  # the full pattern, e.g. "proposals/<int:pk>/"
    params: tuple[str, ...]  # the URL's keyword arguments
    module: str  # the view's module


def _walk(patterns: list, prefix: str, ns: str, out: list[Route]) -> None:  # type: ignore[type-arg]
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            _walk(p.url_patterns, prefix + str(p.pattern), inner, out)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = f"{ns}:{p.name}" if ns and p.name else (p.name or route)
            params = tuple(p.pattern.converters) if hasattr(p.pattern, "converters") else ()
            module = getattr(p.callback, "__module__", "") or ""
            out.append(Route(name=name, route=route, params=params, module=module))


def all_routes() -> list[Route]:
    out: list[Route] = []
    _walk(get_resolver().url_patterns, "", "", out)
    return out


def body_text(response: Any) -> str:
    """The text a response shows: HTML or JSON as is, every cell of a workbook, the
    strings of a zip's XML parts (a workbook's shared strings), the text of a PDF."""
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if raw.startswith(b"%PDF-"):  # a PDF's extracted text (a stand-in file: its bytes)
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            pages = PdfReader(io.BytesIO(raw)).pages
            return "".join(page.extract_text() or "" for page in pages)
        except (PdfReadError, ValueError):
            pass
    if raw.startswith(b"PK\x03\x04"):
        parts = []
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            for name in zf.namelist():
                if name.endswith(".xml"):
                    parts.append(zf.read(name).decode("utf-8", errors="replace"))
        return "\n".join(parts)
    return raw.decode("utf-8", errors="replace")
