"""Reading an uploaded roster file: is it an .xlsx, where are the headers, which rows hold data.

Problems with the file as a whole raise :class:`~shangliang.core.errors.Invalid` with a
message for the upload page; problems with single cells are the validator's business.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from shangliang.core.errors import Invalid
from shangliang.core.xlsx import NotXlsx, is_blank_row, open_xlsx
from shangliang.roster.columns import BY_HEADER, COLUMNS, header_key

SHEET_NAME = "委员名册"
MAX_ROWS = 20000
HEADER_SEARCH_ROWS = 10  # a title row ("某某政协第X届委员名册") may sit above the headers


@dataclass
class RosterSheet:
    header_row: int
    columns: dict[str, int]  # column key → 0-based index in the row
    rows: Iterator[tuple[int, tuple[Any, ...]]]  # (Excel row number, cell values), no blank rows


def max_upload_bytes() -> int:
    return int(settings.ROSTER_MAX_UPLOAD_MB) * 1024 * 1024


def check_size(size: int | None) -> None:
    if size is not None and size > max_upload_bytes():
        raise Invalid(
            _("文件过大：不能超过 %(n)s MB。") % {"n": settings.ROSTER_MAX_UPLOAD_MB},
            fields={"file": [_("文件过大")]},
        )


def _not_xlsx_message(reason: str) -> str:
    if reason == "empty":
        return _("文件是空的。")
    if reason == "xls":
        return _("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 格式后再上传。")
    if reason == "too_big":
        return _("文件解压后内容过大，无法导入，请分批导入。")
    return _("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。")


def _find_header(
    raw_rows: Iterator[tuple[Any, ...]],
) -> tuple[int, dict[str, int]]:
    for number, values in enumerate(raw_rows, start=1):
        keys = [header_key(v) for v in values]
        if "姓名" in keys or "手机号" in keys:
            return number, _map_columns(keys)
        if number >= HEADER_SEARCH_ROWS:
            break
    raise Invalid(
        _("找不到表头：第一行应为“姓名”“性别”“手机号”等列名，请使用下载的模板。"),
        fields={"file": [_("表头不正确")]},
    )


def _map_columns(keys: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        column = BY_HEADER.get(key)
        if column is None:
            continue  # 序号, 备注 and other extra columns are ignored
        if column.key in columns:
            raise Invalid(
                _("表头“%(h)s”出现了不止一次，请删除多余的列。") % {"h": column.header},
                fields={"file": [_("表头不正确")]},
            )
        columns[column.key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise Invalid(
            _("表头缺少以下列：%(cols)s。请使用下载的模板，不要修改表头。")
            % {"cols": "、".join(missing)},
            fields={"file": [_("表头不正确")]},
        )
    return columns


def _data_rows(
    raw_rows: Iterator[tuple[Any, ...]], header_row: int
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, values in enumerate(raw_rows, start=header_row + 1):
        if not is_blank_row(values):
            yield number, values


@contextmanager
def open_roster(fp: IO[bytes]) -> Iterator[RosterSheet]:
    """Open the file and position it on the data; raises Invalid for a file we cannot use."""
    try:
        with open_xlsx(fp, max_unzipped_bytes=max_upload_bytes() * 20) as wb:
            ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # do not trust the size the file claims
            raw_rows = ws.iter_rows(values_only=True)
            header_row, columns = _find_header(raw_rows)
            yield RosterSheet(header_row, columns, _data_rows(raw_rows, header_row))
    except NotXlsx as exc:
        raise Invalid(_not_xlsx_message(exc.reason), fields={"file": [_("文件无效")]}) from exc


def count_rows(fp: IO[bytes]) -> int:
    """Check the whole file's shape and count its data rows (the upload page's checks)."""
    with open_roster(fp) as sheet:
        total = 0
        for _row in sheet.rows:
            total += 1
            if total > MAX_ROWS:
                raise Invalid(
                    _("一次最多导入 %(n)s 行，请把文件拆分后分批导入。") % {"n": MAX_ROWS},
                    fields={"file": [_("行数过多")]},
                )
    if total == 0:
        raise Invalid(_("文件中没有委员数据：表头下面是空的。"), fields={"file": [_("没有数据")]})
    return total
