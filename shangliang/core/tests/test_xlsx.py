from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from shangliang.core.xlsx import NotXlsx, cell_text, check_xlsx, safe_cell, safe_row


def round_trip(values: list[Any], write_only: bool = True) -> Any:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    ws.append(safe_row(ws, values))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return load_workbook(buf).worksheets[0]


@pytest.mark.parametrize("write_only", [True, False])
@pytest.mark.parametrize(
    "text", ["=1+1", '=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_it_never_writes_a_formula(text, write_only):
    cell = round_trip([text], write_only)["A1"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == text.replace("\r", "\n")  # XML reads a lone CR as a line feed


def test_it_leaves_ordinary_values_alone():
    day = dt.date(2026, 3, 1)
    ws = round_trip(["张三", 12, 1.5, None, day, True, "a-b"])
    assert [c.value for c in ws[1]][:3] == ["张三", 12, 1.5]
    assert ws["B1"].data_type == "n" and not ws["A1"].quotePrefix and not ws["G1"].quotePrefix
    assert ws["E1"].value == dt.datetime(2026, 3, 1)


def test_it_drops_characters_xml_cannot_hold():
    assert round_trip(["a\x00b\x07c"])["A1"].value == "abc"


def test_cells_carry_bold_and_formats():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    cell = safe_cell(ws, "x", bold=True, number_format="@")
    assert cell.font.b and cell.number_format == "@"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "xls"),
        (b"name,phone\n", "not_zip"),
        (b"PK\x03\x04 but broken", "unreadable"),
    ],
)
def test_it_recognises_what_is_not_an_xlsx(content, reason):
    with pytest.raises(NotXlsx) as exc:
        check_xlsx(io.BytesIO(content), max_unzipped_bytes=10**6)
    assert exc.value.reason == reason


def test_it_refuses_a_zip_bomb():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", " " * 2_000_000)
    with pytest.raises(NotXlsx) as exc:
        check_xlsx(buf, max_unzipped_bytes=1_000_000)
    assert exc.value.reason == "too_big"
    assert buf.tell() == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (13800138000.0, "13800138000"),
        (1.5, "1.5"),
        ("  张\u3000三 \n", "张 三"),
        (dt.datetime(1975, 3, 1), "1975-03-01"),
    ],
)
def test_it_reads_cells_as_text(value, text):
    assert cell_text(value) == text
