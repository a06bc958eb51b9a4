"""Excel (.xlsx) output any app may use: cell values that never become formulas, and sending
a workbook as a download.

A spreadsheet treats text that starts with ``= + - @`` (or a tab or carriage return) as a
formula when the file is opened, edited or converted, so a name typed by a user could run
``=HYPERLINK(...)`` on a staff member's machine (OWASP "CSV injection"). Pass every value
through :func:`safe_cell_value` before ``ws.append``: such text becomes a string cell with
Excel's ``quotePrefix`` style (what a leading apostrophe does when you type it), so it shows
exactly as entered and is never evaluated.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767
_PLAIN = (bool, int, float, Decimal, dt.date, dt.datetime, dt.time)


def safe_cell_value(value: Any, ws: Any = None) -> Any:
    """A value for ``ws.append([...])`` that is data, never a formula.

    Numbers, dates and ``None`` pass through. Text loses the control characters XML cannot
    hold and is cut to Excel's cell limit; text that starts like a formula comes back as a
    string cell marked ``quotePrefix``. Pass ``ws`` when appending to a write-only sheet.
    """
    if value is None or isinstance(value, _PLAIN):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_CHARS]
    if not text.startswith(FORMULA_TRIGGERS):
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # after the value: openpyxl guesses "f" for "=..."
    cell.quotePrefix = True
    return cell


def workbook_response(wb: Workbook, filename: str) -> FileResponse:
    """Send ``wb`` as an .xlsx download (written to a temporary file, not held in memory)."""
    tmp = tempfile.TemporaryFile()  # FileResponse closes it after sending
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
