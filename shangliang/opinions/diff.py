"""The editor's differences between the original and the edited text, marked character by
character (difflib), every piece escaped before it is wrapped in <del>/<ins>."""

from __future__ import annotations

import difflib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_CHARS = 20_000


def marked_diff(original: str, edited: str) -> SafeString:
    a = original.replace("\r\n", "\n")[:MAX_CHARS]
    b = edited.replace("\r\n", "\n")[:MAX_CHARS]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(a[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append(f'<del class="text-danger bg-danger-subtle">{escape(a[i1:i2])}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins class="text-success bg-success-subtle">{escape(b[j1:j2])}</ins>')
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 (every piece escaped)
