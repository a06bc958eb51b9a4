"""The roster spreadsheet's columns and how each cell is read.

The headers are the file format, so they stay Chinese whatever the page language is: a
template downloaded in English must still import. Messages and help texts are translated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from shangliang.accounts.models import Membership
from shangliang.accounts.services import PHONE_RE
from shangliang.core.xlsx import cell_text


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    help: Promise
    example: str = ""
    required: bool = True  # the header must be in the file
    private: bool = False  # exported only to those who may see private details


COLUMNS = [
    Column("name", "姓名", 12, gettext_lazy("必填，不超过 60 个字。"), "张三"),
    Column("gender", "性别", 8, gettext_lazy("男或女，可从下拉列表选择。"), "男", private=True),
    Column("ethnicity", "民族", 10, gettext_lazy("例如：汉族。"), "汉族", private=True),
    Column(
        "birth_month",
        "出生年月",
        12,
        gettext_lazy("例如 1975-03、1975年3月、1975.03、1975/3，也可以是 Excel 日期。"),
        "1975-03",
        private=True,
    ),
    Column("party", "党派", 12, gettext_lazy("例如：中共、民盟、无党派人士。"), "民盟"),
    Column("sector", "界别", 16, gettext_lazy("须与本会的界别名称一致，可从下拉列表选择。")),
    Column("committee", "专委会", 18, gettext_lazy("须与本会的专委会名称一致，可不填。")),
    Column(
        "position",
        "职务",
        10,
        gettext_lazy("主席、副主席、秘书长、常委或委员；不填即为委员。"),
        "委员",
    ),
    Column("workplace", "工作单位及职务", 36, gettext_lazy("不超过 200 个字。"), "某某大学教授"),
    Column(
        "phone",
        "手机号",
        14,
        gettext_lazy("必填，11 位手机号，用于登录，也用于识别已有账号的同一人员。"),
        "13800138000",
        private=True,
    ),
    Column(
        "groups",
        "小组",
        18,
        gettext_lazy("可不填；多个小组用“、”或“,”分隔，名称须与本会的小组一致。"),
        required=False,
    ),
    Column(
        "username",
        "用户名",
        16,
        gettext_lazy("可不填。新账号默认用户名为 m 加手机号；已有账号的人员沿用原账号。"),
        required=False,
        private=True,
    ),
]
BY_KEY = {c.key: c for c in COLUMNS}
BY_HEADER = {c.header: c for c in COLUMNS}
HEADER_ALIASES = {
    "手机": "手机号",
    "手机号码": "手机号",
    "移动电话": "手机号",
    "出生日期": "出生年月",
    "所属界别": "界别",
    "专门委员会": "专委会",
    "所属专委会": "专委会",
    "政治面貌": "党派",
    "工作单位和职务": "工作单位及职务",
    "单位及职务": "工作单位及职务",
    "所在小组": "小组",
}
MAX_LENGTHS = {"name": 60, "ethnicity": 20, "party": 40, "workplace": 200, "username": 150}
POSITION_ALIASES = {"常务委员": Membership.Position.STANDING}
GENDERS = {"男": "M", "男性": "M", "M": "M", "女": "F", "女性": "F", "F": "F"}

_HEADER_NOTE = re.compile(r"[（(].*[)）]$")
_CJK_NAME = re.compile(r"[\u3400-\u9fff·•．. ]+")
_GROUP_SPLIT = re.compile(r"[、,，;；\n]+")
_USERNAME = re.compile(r"^[\w.@+-]+\Z")
_DATE = re.compile(
    r"(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*月?(?:\s*[-./]?\s*\d{1,2}\s*日?)?(?:\s+[\d:]+)?"
)


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user as is."""


def header_key(raw: Any) -> str:
    """The canonical header for a header cell: spaces, '*' and notes in brackets removed."""
    text = re.sub(r"[\s*＊]", "", cell_text(raw))
    text = _HEADER_NOTE.sub("", text)
    return HEADER_ALIASES.get(text, text)


def position_choices() -> dict[str, str]:
    """职务 label (or code) → position value; labels read in Chinese, the file's language."""
    with override("zh-hans"):
        choices = {str(label): value for value, label in Membership.Position.choices}
    choices.update({value: value for value in Membership.Position.values})
    choices.update(POSITION_ALIASES)
    return choices


def parse_name(value: Any) -> str:
    name = cell_text(value)
    if _CJK_NAME.fullmatch(name):
        name = name.replace(" ", "")  # "王  伟" aligned with spaces is 王伟
    if not name:
        raise CellError(_("请填写姓名。"))
    return name


def same_name(a: str, b: str) -> bool:
    return parse_name_safe(a).casefold() == parse_name_safe(b).casefold()


def parse_name_safe(value: Any) -> str:
    try:
        return parse_name(value)
    except CellError:
        return ""


def parse_text(key: str, value: Any) -> str:
    text = cell_text(value)
    limit = MAX_LENGTHS.get(key)
    if limit and len(text) > limit:
        raise CellError(_("不能超过 %(n)s 个字。") % {"n": limit})
    return text


def parse_gender(value: Any) -> str:
    text = cell_text(value)
    if not text:
        return ""
    try:
        return GENDERS[text.upper()]
    except KeyError:
        raise CellError(_("性别应填“男”或“女”。")) from None


def parse_phone(value: Any) -> str:
    text = re.sub(r"[\s\-()（）]", "", cell_text(value))
    if text.startswith("+86"):
        text = text[3:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    if not text:
        raise CellError(_("请填写手机号。"))
    if not PHONE_RE.match(text):
        raise CellError(
            _("手机号“%(p)s”无效：应为 1 开头的 11 位手机号。") % {"p": cell_text(value)}
        )
    return text


def parse_birth_month(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        year, month = value.year, value.month
    elif value is None or cell_text(value) == "":
        return None
    else:
        if isinstance(value, float):  # 1975.03 typed into a number cell
            text = f"{value:.2f}"
        else:
            text = cell_text(value)
        match = _DATE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})", text)
        if not match:
            raise CellError(
                _("出生年月“%(v)s”无法识别，请写成 1975-03 或 1975年3月。") % {"v": text}
            )
        year, month = int(match.group(1)), int(match.group(2))
    today = timezone.localdate()
    if not (1900 <= year <= today.year and 1 <= month <= 12) or dt.date(year, month, 1) > today:
        raise CellError(_("出生年月 %(y)s年%(m)s月 不是有效的年月。") % {"y": year, "m": month})
    return dt.date(year, month, 1)


def parse_position(value: Any, choices: dict[str, str]) -> str:
    text = cell_text(value)
    if not text:
        return str(Membership.Position.MEMBER)
    try:
        return choices[text]
    except KeyError:
        raise CellError(
            _("未知职务“%(v)s”：应为主席、副主席、秘书长、常委或委员。") % {"v": text}
        ) from None


def parse_groups(value: Any) -> list[str]:
    names = [n.strip() for n in _GROUP_SPLIT.split(cell_text(value))]
    return list(dict.fromkeys(n for n in names if n))


def parse_username(value: Any) -> str:
    text = parse_text("username", value)
    if text and not _USERNAME.match(text):
        raise CellError(_("用户名只能包含字母、数字和 @ . + - _。"))
    if PHONE_RE.match(text):  # login tries usernames before phones: never shadow a phone
        raise CellError(_("用户名不能是手机号，请留空或换一个用户名。"))
    return text
