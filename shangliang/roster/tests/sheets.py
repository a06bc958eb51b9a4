"""Roster files built in memory for the tests."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "党派",
    "界别",
    "专委会",
    "职务",
    "工作单位及职务",
    "手机号",
    "小组",
    "用户名",
]


def person(n: int = 1, **values: Any) -> dict[str, Any]:
    """A good row for the test world's organisations; override cells by header."""
    row: dict[str, Any] = {
        "姓名": f"导入委员{n}",
        "性别": "女" if n % 2 else "男",
        "民族": "汉族",
        "出生年月": "1975-03",
        "党派": "民盟",
        "界别": "教育界",
        "专委会": "提案委员会",
        "职务": "委员",
        "工作单位及职务": f"某某中学校长{n}",
        "手机号": f"1590000{n:04d}",
        "小组": "第一学习组",
        "用户名": "",
    }
    row.update(values)
    return row


def xlsx_bytes(
    rows: Iterable[dict[str, Any]],
    *,
    headers: list[str] = HEADERS,
    title: str | None = None,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "委员名册"
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(
    content: bytes | Iterable[dict[str, Any]], name: str = "名册.xlsx"
) -> SimpleUploadedFile:
    data = content if isinstance(content, bytes) else xlsx_bytes(content)
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def read(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def response_bytes(response: Any) -> bytes:
    return b"".join(response.streaming_content)
