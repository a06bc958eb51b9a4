"""Excel (.xlsx) helpers any app may use: safe cells, opening uploads, sending workbooks.

Safe cells: a spreadsheet treats text that starts with ``= + - @`` (or a tab / carriage
return) as a formula when someone edits or converts the file, so text that came from users
could run ``=HYPERLINK(...)`` or worse on a staff member's machine ("formula injection",
OWASP "CSV injection"). :func:`safe_cell` writes every string as a typed string cell (never a
formula) and marks the risky ones with the ``quotePrefix`` style, Excel's own equivalent of a
leading apostrophe, so the text stays exactly as entered and is still not a formula.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
_SPACES = re.compile(r"[\s\u3000\u00a0]+")


class NotXlsx(ValueError):
    """The upload is not a readable .xlsx file; ``reason`` says why (for the message)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason  # "empty", "xls", "not_zip", "too_big", "unreadable"
        super().__init__(reason)


# --- writing --------------------------------------------------------------------------------


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Drop the control characters XML cannot hold and cut to Excel's cell limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


def set_safe(cell: Any, value: Any) -> None:
    """Put ``value`` into a cell so that it can never be a formula."""
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # set after the value: openpyxl guesses "f" for "=..."
        if is_formula_like(text):
            cell.quotePrefix = True
    elif isinstance(value, dt.datetime) and value.tzinfo is not None:
        cell.value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    elif value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        cell.value = value
    else:
        set_safe(cell, str(value))


def safe_cell(ws: Any, value: Any, *, bold: bool = False, number_format: str = "") -> Any:
    """A cell for ``ws.append`` (normal or write-only sheets) that is never a formula."""
    cell = WriteOnlyCell(ws)
    set_safe(cell, value)
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


def safe_cell_value(value: Any, ws: Any = None) -> Any:
    """A value for ``ws.append([...])`` that is data, never a formula.

    Numbers, dates, ``None`` and ordinary text pass through as values (cleaned); only text
    that starts like a formula becomes a string cell marked ``quotePrefix``. Pass ``ws``
    when appending to a write-only sheet.
    """
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    text = clean_text(str(value))
    return safe_cell(ws, text) if is_formula_like(text) else text


def safe_row(ws: Any, values: Iterable[Any], *, bold: bool = False) -> list[Any]:
    return [safe_cell(ws, v, bold=bold) for v in values]


def set_widths(ws: Any, widths: Iterable[int]) -> None:
    """Column widths (in characters); on write-only sheets call this before the first row."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def workbook_response(wb: Workbook, filename: str) -> FileResponse:
    """Send a workbook as a download; it is written to a temporary file, not held in memory."""
    tmp = tempfile.TemporaryFile()  # FileResponse closes it when the download ends
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- reading --------------------------------------------------------------------------------


def check_xlsx(fp: IO[bytes], *, max_unzipped_bytes: int) -> None:
    """Raise :class:`NotXlsx` unless the content (not the name) is an .xlsx package."""
    fp.seek(0)
    head = fp.read(8)
    fp.seek(0)
    if not head:
        raise NotXlsx("empty")
    if head.startswith(OLE_MAGIC):
        raise NotXlsx("xls")
    if not head.startswith(ZIP_MAGIC):
        raise NotXlsx("not_zip")
    try:
        with zipfile.ZipFile(fp) as zf:
            names = set(zf.namelist())
            unzipped = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotXlsx("unreadable") from exc
    finally:
        fp.seek(0)
    if "xl/workbook.xml" not in names:
        raise NotXlsx("unreadable")  # a .docx or another zip
    if unzipped > max_unzipped_bytes:
        raise NotXlsx("too_big")  # a "zip bomb"


@contextmanager
def open_xlsx(fp: IO[bytes], *, max_unzipped_bytes: int) -> Iterator[Workbook]:
    """Open an uploaded workbook read-only, with the cached values of formulas."""
    check_xlsx(fp, max_unzipped_bytes=max_unzipped_bytes)
    try:
        wb = load_workbook(fp, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise NotXlsx("unreadable") from exc
    try:
        yield wb
    finally:
        wb.close()
        fp.seek(0)


def cell_text(value: Any) -> str:
    """A cell's value as trimmed text: 13800138000.0 → "13800138000", spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    return _SPACES.sub(" ", str(value)).strip()


def is_blank_row(values: Iterable[Any]) -> bool:
    return all(cell_text(v) == "" for v in values)
