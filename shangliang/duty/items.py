"""The catalogue of duty items (履职事项): every kind of event that may earn or cost points.

Sources (``duty/sources/*``) declare which of these items they credit; the scoring rules
of an organisation and year (``ScoringRule``) give each item its points. ``rules.md`` §3
lists the items that the real schemes share.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    code: str
    label: str | Promise
    group: str  # for the archive's grouping and the figures


GROUPS: dict[str, str | Promise] = {
    "meeting": _("会议出勤"),
    "speech": _("大会发言"),
    "proposal": _("提案"),
    "opinion": _("社情民意"),
    "activity": _("调研视察协商"),
    "study": _("学习培训"),
    "engagement": _("联系群众"),
    "report": _("述职"),
}

ITEMS: tuple[Item, ...] = (
    Item("attend.plenary", _("出席全体会议"), "meeting"),
    Item("leave.plenary", _("全体会议请假"), "meeting"),
    Item("absent.plenary", _("无故缺席全体会议"), "meeting"),
    Item("attend.standing", _("出席常委会议"), "meeting"),
    Item("leave.standing", _("常委会议请假"), "meeting"),
    Item("absent.standing", _("无故缺席常委会议"), "meeting"),
    Item("attend.other", _("出席其他会议"), "meeting"),
    Item("leave.other", _("其他会议请假"), "meeting"),
    Item("absent.other", _("无故缺席其他会议"), "meeting"),
    Item("speech.written", _("书面发言"), "speech"),
    Item("speech.oral", _("口头发言"), "speech"),
    Item("proposal.submitted", _("提交提案"), "proposal"),
    Item("proposal.accepted", _("提案立案"), "proposal"),
    Item("proposal.key", _("重点提案"), "proposal"),
    Item("proposal.excellent", _("优秀提案"), "proposal"),
    Item("opinion.submitted", _("报送社情民意"), "opinion"),
    Item("opinion.adopted.county", _("社情民意被县级采用"), "opinion"),
    Item("opinion.adopted.city", _("社情民意被市级采用"), "opinion"),
    Item("opinion.adopted.province", _("社情民意被省级采用"), "opinion"),
    Item("opinion.adopted.national", _("社情民意被全国政协采用"), "opinion"),
    Item("opinion.instructed", _("社情民意获领导批示"), "opinion"),
    Item("activity.research", _("参加调研"), "activity"),
    Item("activity.inspection", _("参加视察"), "activity"),
    Item("activity.consultation", _("参加协商活动"), "activity"),
    Item("deliberation", _("参加网络议政"), "activity"),
    Item("training", _("参加学习培训"), "study"),
    Item("reading", _("读书活动"), "study"),
    Item("workstation", _("委员工作室（站）活动"), "engagement"),
    Item("request.handled", _("办理群众诉求"), "engagement"),
    Item("welfare", _("公益活动"), "engagement"),
    Item("duty_report", _("提交年度述职报告"), "report"),
)

BY_CODE: dict[str, Item] = {i.code: i for i in ITEMS}
CHOICES: list[tuple[str, str | Promise]] = [(i.code, i.label) for i in ITEMS]

# Items staff may enter by hand (activities outside the platform), with evidence.
MANUAL_ITEMS: tuple[str, ...] = (
    "activity.research",
    "activity.inspection",
    "activity.consultation",
    "speech.written",
    "speech.oral",
    "training",
    "reading",
    "workstation",
    "request.handled",
    "welfare",
)


def label_of(code: str) -> str:
    item = BY_CODE.get(code)
    return str(item.label) if item else code


# "One each" minimum duties (seed 004, Huating): requirement code → (label, items that count).
REQUIREMENTS: dict[str, tuple[str | Promise, tuple[str, ...]]] = {
    "training": (_("一次学习培训"), ("training",)),
    "deliberation": (_("一次议政活动"), ("deliberation",)),
    "proposal": (_("一件提案"), ("proposal.submitted",)),
    "opinion": (_("一篇社情民意"), ("opinion.submitted",)),
    "research": (
        _("一次调研或协商"),
        ("activity.research", "activity.inspection", "activity.consultation"),
    ),
    "duty_report": (_("一份述职报告"), ("duty_report",)),
}
DEFAULT_MINIMUMS: list[str] = list(REQUIREMENTS)
