"""Uploaded files: the type is read from the content (magic bytes), never from the name or
the browser's ``Content-Type``; and no request body may be larger than ``MAX_REQUEST_MB``.

Any app that takes a file calls :func:`check_upload` with the kinds it accepts::

    ext, content_type = check_upload(upload, allowed=DOCUMENTS, max_mb=20)

and stores the file under a name of its own with that extension. A ``.pdf`` that holds an
HTML page or a program is refused, whatever it is called.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from shangliang.core.errors import Invalid

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc .xls .ppt (Office 97–2003)
OLE_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
OOXML = {  # the part that tells a .docx from an .xlsx or a .pptx
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ppt/presentation.xml": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
PDF = frozenset({"pdf"})
IMAGES = frozenset({"jpg", "png"})
OFFICE = frozenset({"doc", "docx", "xls", "xlsx", "ppt", "pptx"})
DOCUMENTS = PDF | IMAGES | OFFICE
LABELS = {
    "pdf": "PDF",
    "jpg": "JPG",
    "png": "PNG",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
}


def sniff(fp: IO[bytes], name: str = "") -> tuple[str, str] | None:
    """(extension, content type) of a known file, from its first bytes, or None."""
    fp.seek(0)
    head = fp.read(8)
    fp.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(OLE):
        # the container holds all three; keep the name's kind when it is one of them
        ext = PurePath(name).suffix.lower().lstrip(".")
        ext = ext if ext in OLE_TYPES else "doc"
        return ext, OLE_TYPES[ext]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fp) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fp.seek(0)
        for part, found in OOXML.items():
            if part in names:
                return found
    return None


def kinds_label(allowed: Collection[str]) -> str:
    """「PDF、Word、JPG」: the accepted kinds, for a message."""
    seen: list[str] = []
    for ext in ("pdf", "doc", "xls", "ppt", "jpg", "png", "docx", "xlsx", "pptx"):
        label = LABELS[ext]
        if ext in allowed and label not in seen:
            seen.append(label)
    return "、".join(seen)


def check_upload(
    upload: Any, *, allowed: Collection[str], max_mb: int, field: str = "file"
) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; Invalid (422) otherwise."""
    name = PurePath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise Invalid(_("文件是空的。"), fields={field: [_("空文件")]})
    if size > max_mb * 1024 * 1024:
        msg = _("文件不能超过 %(n)s MB。") % {"n": max_mb}
        raise Invalid(msg, fields={field: [msg]})
    found = sniff(upload, name)
    if found is None or found[0] not in allowed:
        msg = _("“%(name)s”不是允许的文件类型（只接受 %(types)s）。") % {
            "name": name,
            "types": kinds_label(allowed),
        }
        raise Invalid(msg, fields={field: [_("类型不允许")]})
    return found


def max_request_bytes() -> int:
    return int(getattr(settings, "MAX_REQUEST_MB", 50)) * 1024 * 1024


class RequestSizeLimitMiddleware:
    """Refuse, before reading it, a request whose declared body is larger than
    ``MAX_REQUEST_MB`` (413). Django's own limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``) leaves
    file parts out and reads them to disk first; the reverse proxy should cap bodies too
    (``client_max_body_size``, docs/deploy.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_request_bytes()
        if length > limit:
            message = _("请求内容过大（不能超过 %(n)s MB）。") % {"n": limit // (1024 * 1024)}
            if request.path.startswith("/api/"):
                import json

                body = json.dumps({"code": "too_large", "detail": message}, ensure_ascii=False)
                return HttpResponse(body, status=413, content_type="application/json")
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
