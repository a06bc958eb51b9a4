"""The words around the figures: the period's name, the paragraph for the annual proposal work
report (提案工作情况报告), and the definitions shown on the page and in the Excel file."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shangliang.proposals.figures import Scope
from shangliang.proposals.figures_rows import Row

NUMERALS = "〇一二三四五六七八九十"

# (attribute, header, is a percentage): the page's tables and the Excel sheets
Column = tuple[str, Promise | str, bool]
ROW_COLUMNS: list[Column] = [
    ("received", gettext_lazy("收到"), False),
    ("accepted", gettext_lazy("立案"), False),
    ("merged", gettext_lazy("并案"), False),
    ("converted", gettext_lazy("转为意见建议"), False),
    ("rejected", gettext_lazy("不予立案"), False),
    ("withdrawn", gettext_lazy("撤案"), False),
    ("returned", gettext_lazy("退回修改"), False),
    ("in_review", gettext_lazy("审查中"), False),
    ("assigned", gettext_lazy("已交办"), False),
    ("replied", gettext_lazy("已办复"), False),
    ("reply_rate", gettext_lazy("办复率"), True),
    ("on_time", gettext_lazy("按期答复（件次）"), False),
    ("overdue", gettext_lazy("超期未答复（件次）"), False),
    ("on_time_rate", gettext_lazy("按期答复率"), True),
    ("satisfied", gettext_lazy("满意"), False),
    ("basically", gettext_lazy("基本满意"), False),
    ("dissatisfied", gettext_lazy("不满意"), False),
    ("satisfaction_rate", gettext_lazy("满意率"), True),
    ("basic_rate", gettext_lazy("基本满意率"), True),
]
UNIT_COLUMNS: list[Column] = [
    ("rank", gettext_lazy("排名"), False),
    ("name", gettext_lazy("承办单位"), False),
    ("assignments", gettext_lazy("交办件数（独办、主办、分办）"), False),
    ("co", gettext_lazy("会办件数"), False),
    ("replied_assignments", gettext_lazy("已答复"), False),
    ("on_time", gettext_lazy("按期答复"), False),
    ("overdue", gettext_lazy("超期未答复"), False),
    ("on_time_rate", gettext_lazy("按期答复率"), True),
    ("satisfied", gettext_lazy("满意"), False),
    ("basically", gettext_lazy("基本满意"), False),
    ("dissatisfied", gettext_lazy("不满意"), False),
    ("satisfaction_rate", gettext_lazy("满意率"), True),
    ("basic_rate", gettext_lazy("基本满意率"), True),
]


def cells(row: Any, columns: list[Column]) -> list[tuple[Any, bool]]:
    """(value, is a percentage) of ``row`` for each column."""
    return [(getattr(row, attr), is_pct) for attr, _header, is_pct in columns]


# (term, definition): the page, the Excel file and docs/guides/proposals-figures.md say the same
DEFINITIONS = [
    (
        gettext_lazy("收到"),
        gettext_lazy(
            "统计期间内提交的提案（草稿不计；提交后撤案的计入收到，并单列“撤案”；"
            "提交前撤回的草稿不计）。按会议、届统计的是属于该会议或该届各次会议的提案；"
            "按年度统计的是提交时间（北京时间）在该年内的提案，退回后重新提交的以最后一次提交为准。"
        ),
    ),
    (
        gettext_lazy("立案"),
        gettext_lazy("经审查立案、已编号的提案（含已交办、办理中、已办结）。"),
    ),
    (
        gettext_lazy("并案、转为意见建议、不予立案、退回修改、撤案、审查中"),
        gettext_lazy(
            "按提案当前状态计数；以上各项与立案数之和等于收到数。“退回修改”是退回提案人、尚未重新提交的。"
        ),
    ),
    (
        gettext_lazy("办复率"),
        gettext_lazy(
            "已办复的立案提案 ÷ 已交办的立案提案。"
            "已交办：有至少一个独办、主办或分办单位（不含已撤销的交办）；"
            "已办复：这些单位的答复都已审核通过。会办单位不直接答复提案人，不计入。"
            "二次办理中的提案在第二次答复审核通过前不算已办复。"
        ),
    ),
    (
        gettext_lazy("按期答复率"),
        gettext_lazy(
            "按交办件次计算：按期答复的件次 ÷（已答复的件次 + 已超期仍未答复的件次）。"
            "答复审核通过的日期（北京时间）不晚于答复期限即为按期；答复期限含已批准的延期。"
            "二次办理时答复时间和期限都换成第二次的，因此按最后一次答复与最后的期限比较。"
            "未到期又未答复的件次不计入。只计独办、主办、分办单位。"
        ),
    ),
    (
        gettext_lazy("满意率、基本满意率"),
        gettext_lazy(
            "满意（基本满意）的测评 ÷ 全部测评，按人次计算（第一提案人和每位联名人各测评一次）。"
            "只计每件交办最后一轮的测评：二次办理后，第一轮的测评不再计入。"
        ),
    ),
    (
        gettext_lazy("界别、专委会"),
        gettext_lazy("第一提案人的界别和专委会；集体提案按其联系人计。"),
    ),
    (
        gettext_lazy("承办单位排名"),
        gettext_lazy(
            "按按期答复率从高到低，相同时按满意率，再按交办件数；尚无数据的排在后面。"
            "“超期未答复”是今天仍未答复且已过期限的件次。"
        ),
    ),
]


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (sessions and terms of a committee)."""
    if 0 <= n <= 10:
        return NUMERALS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "十" if tens == 1 else NUMERALS[tens] + "十"
        return head + (NUMERALS[ones] if ones else "")
    return str(n)


def period_label(scope: Scope) -> str:
    """ "本届一次会议", "2026年", "本届" (or the term's name when it is not the current one)."""
    if scope.period == "year":
        return _("%(y)s年") % {"y": scope.year}
    term = scope.session.term if scope.period == "session" and scope.session else scope.term
    if term is None:
        return ""
    term_name = _("本届") if term.is_current else term.name
    if scope.period == "session" and scope.session:
        return _("%(t)s%(n)s次会议") % {"t": term_name, "n": chinese_number(scope.session.number)}
    return term_name


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def report_text(scope: Scope, t: Row) -> str:
    """One paragraph, filled from the totals, for staff to copy into the work report."""
    since = (
        _("%(p)s，") % {"p": period_label(scope)}
        if scope.period == "year"
        else _("%(p)s以来，") % {"p": period_label(scope)}
    )
    parts = [
        since + _("共收到提案%(n)s件，经审查立案%(a)s件") % {"n": t.received, "a": t.accepted},
    ]
    for count, words in (
        (t.merged, _("并案%(n)s件")),
        (t.converted, _("不予立案转为意见建议%(n)s件")),
        (t.rejected, _("不予立案%(n)s件")),
        (t.withdrawn, _("撤案%(n)s件")),
        (t.returned, _("退回修改%(n)s件")),
        (t.in_review, _("尚在审查%(n)s件")),
    ):
        if count:
            parts.append(words % {"n": count})
    text = "，".join(parts) + "。"
    if t.assigned:
        text += _("已交办%(a)s件，已办复%(r)s件，办复率%(rate)s") % {
            "a": t.assigned,
            "r": t.replied,
            "rate": _rate(t.reply_rate),
        }
        if t.on_time_base:
            text += _("，按期答复率%(rate)s") % {"rate": _rate(t.on_time_rate)}
        text += "。"
    if t.ratings:
        text += _(
            "提案人对答复的测评中，满意%(s)s人次、基本满意%(b)s人次、不满意%(d)s人次，"
            "满意率%(sr)s，基本满意率%(br)s。"
        ) % {
            "s": t.satisfied,
            "b": t.basically,
            "d": t.dissatisfied,
            "sr": _rate(t.satisfaction_rate),
            "br": _rate(t.basic_rate),
        }
    return text
