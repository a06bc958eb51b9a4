"""The upload's checks of the file as a whole: each problem has its own clear message."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from shangliang.core.errors import Invalid
from shangliang.roster import reader, services
from shangliang.roster.models import ImportJob
from shangliang.roster.tests.sheets import HEADERS, person, upload, xlsx_bytes
from shangliang.testing import World


def start(world: World, content: Any, name: str = "名册.xlsx") -> ImportJob:
    return services.roster_import_start(
        actor=world.county_a_office,
        org=world.county_a,
        term=world.terms[world.county_a.pk],
        upload=upload(content, name),
    )


def refused(world: World, content: Any, name: str = "名册.xlsx") -> str:
    with pytest.raises(Invalid) as exc:
        start(world, content, name)
    assert not ImportJob.objects.exists()
    return exc.value.detail


def zip_of(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_it_refuses_an_empty_file(world):
    assert refused(world, b"") == "文件是空的。"


def test_it_checks_the_content_not_the_name(world):
    message = refused(world, "姓名,手机号\n张三,13800138000\n".encode(), "名册.xlsx")
    assert "不是有效的 Excel（.xlsx）文件" in message


def test_it_explains_old_xls_files(world):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert "旧版 Excel（.xls）" in refused(world, content, "名册.xls")


def test_it_refuses_another_kind_of_zip(world):
    docx = zip_of({"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"})
    assert "不是有效的 Excel（.xlsx）文件" in refused(world, docx)


def test_it_refuses_a_damaged_workbook(world):
    broken = zip_of({"xl/workbook.xml": "not xml at all", "[Content_Types].xml": "<x"})
    assert "不是有效的 Excel（.xlsx）文件" in refused(world, broken)


def test_it_refuses_a_file_over_the_size_limit(world, settings):
    settings.ROSTER_MAX_UPLOAD_MB = 0
    assert refused(world, [person(1)]) == "文件过大：不能超过 0 MB。"


def test_it_refuses_wrong_headers(world):
    content = xlsx_bytes([{"姓名": "张三"}], headers=["姓名", "电话", "单位"])
    message = refused(world, content)
    assert message.startswith("表头缺少以下列：性别、民族、出生年月、党派、界别、专委会、职务")
    assert "手机号" in message


def test_it_refuses_a_sheet_without_headers(world):
    content = xlsx_bytes([{"A": "张三"}], headers=["A", "B"])
    assert "找不到表头" in refused(world, content)


def test_it_refuses_a_duplicated_header(world):
    content = xlsx_bytes([person(1)], headers=[*HEADERS, "手机号码"])
    assert refused(world, content) == "表头“手机号”出现了不止一次，请删除多余的列。"


def test_it_refuses_a_file_with_headers_only(world):
    assert "没有委员数据" in refused(world, xlsx_bytes([]))
    assert "没有委员数据" in refused(world, xlsx_bytes([{}, {}]))  # blank rows do not count


def test_it_refuses_too_many_rows(world, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 2)
    assert "一次最多导入 2 行" in refused(world, [person(1), person(2), person(3)])


def test_it_finds_headers_below_a_title_and_ignores_extra_columns(world):
    headers = ["序号", *HEADERS[:10], "备注"]  # no 小组/用户名: they are optional
    rows = [{**person(1), "序号": 1, "备注": "无"}, {**person(2), "序号": 2}]
    content = xlsx_bytes(rows, headers=headers, title="政协甲县第一届委员名册")
    job = start(world, content)
    assert job.total_rows == 2
    plan = services.roster_import_validate(
        actor=world.county_a_office,
        org=world.county_a,
        term=job.term,
        file=io.BytesIO(content),
    )
    assert plan.ok, plan.errors
    assert [r.row for r in plan.rows] == [3, 4]  # Excel's row numbers, title included


def test_it_accepts_marked_and_aliased_headers(world):
    headers = ["*姓名", *HEADERS[1:9], "手机号码（11位）"]
    rows = [{**person(1), "*姓名": "张三", "手机号码（11位）": "13912345678"}]
    job = start(world, xlsx_bytes(rows, headers=headers))
    assert job.total_rows == 1


def test_it_keeps_the_upload_under_a_name_of_its_own(world):
    job = start(world, [person(1)], name="../../etc/passwd.xlsx")
    stored = str(job.file.name)
    assert stored.startswith(f"roster_imports/{world.county_a.pk}/")
    assert stored.endswith(".xlsx") and "passwd" not in stored
    assert job.original_name == "passwd.xlsx"
