"""Scoring presets: real schemes from ``rules.md`` §3 (履职量化考核), to start a year from.

Each is one locality's published rule, mapped onto the platform's items. Where a rule does
not fit the item model exactly, the comment on the preset says how it was approximated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class R:
    item: str
    points: float
    unit: str = "time"
    cap: float | None = None
    split: str = "fixed"
    first: float | None = None
    cosigner: float | None = None

    def as_fields(self) -> dict[str, Any]:
        def d(v: float | None) -> Decimal | None:
            return None if v is None else Decimal(str(v))

        return {
            "item": self.item,
            "points": d(self.points),
            "unit": self.unit,
            "cap": d(self.cap),
            "split": self.split,
            "first_points": d(self.first),
            "cosigner_points": d(self.cosigner),
        }


@dataclass(frozen=True)
class Preset:
    code: str
    label: str | Promise
    source: str
    base: float
    excellent: float = 90
    good: float = 80
    passing: float = 60
    rules: tuple[R, ...] = field(default_factory=tuple)


# 安庆 2018: a 100-point scale, ≥90 优秀, 80–89 良好, 60–79 称职, <60 不称职; meetings 50
# (unexcused −5, 全会 −10); 提案 30. The sources give only those totals, so the split of
# the remaining points over the items is the platform's own (caps keep each block within
# the published totals: meetings 50, proposals 30, the rest 20).
ANQING = Preset(
    code="anqing2018",
    label=_("安庆 2018（百分制，平台默认）"),
    source="rules.md §3: 安庆 2018, http://220.179.5.215/web/view?strColId=77dfe7c323a94e9dbf47bcac2db581f0",
    base=0,
    rules=(
        R("attend.plenary", 10, "half_day", cap=30),
        R("absent.plenary", -10),
        R("attend.standing", 5, cap=10),
        R("absent.standing", -5),
        R("attend.other", 2, cap=10),
        R("absent.other", -5),
        R("proposal.submitted", 5, "item", cap=10),
        R("proposal.accepted", 10, "item", cap=20, first=10, cosigner=3),
        R("proposal.key", 5, "item", cap=10),
        R("proposal.excellent", 10, "item", cap=10),
        R("opinion.submitted", 3, "item", cap=9),
        R("opinion.adopted.county", 5, "item", cap=10),
        R("opinion.adopted.city", 6, "item", cap=12),
        R("opinion.adopted.province", 8, "item", cap=16),
        R("opinion.adopted.national", 10, "item", cap=20),
        R("opinion.instructed", 5, "item", cap=10),
        R("speech.written", 3, "item", cap=6),
        R("speech.oral", 5, cap=10),
        R("activity.research", 3, cap=12),
        R("activity.inspection", 3, cap=12),
        R("activity.consultation", 3, cap=12),
        R("deliberation", 2, cap=6),
        R("training", 3, cap=6),
        R("reading", 1, cap=4),
        R("workstation", 2, cap=6),
        R("request.handled", 1, "item", cap=5),
        R("welfare", 2, cap=6),
        R("duty_report", 5, "item", cap=5),
    ),
)

# 合肥 2015: 全会 30–35, 常委会 30, activities 7.5/time (≥4 → 30), 1 立案提案 15 (联名:
# first 10, others 5), 1 采用社情民意 10; bonus: extra 立案 +5 (cap 20), 优秀 +8, extra 采用
# +3 / 未采用 +1 (cap 20), adopted by a higher level +6; 无故缺席全会 −10 (常委 −4).
# Approximation: "the first one counts 15, each extra +5" is a per-item 15 with a cap of 35.
HEFEI = Preset(
    code="hefei2015",
    label=_("合肥 2015"),
    source="rules.md §3: 合肥 2015, http://www.rmzxw.com.cn/c/2015-06-25/522820.shtml",
    base=0,
    rules=(
        R("attend.plenary", 35, cap=35),
        R("absent.plenary", -10),
        R("attend.standing", 30, cap=30),
        R("absent.standing", -4),
        R("activity.research", 7.5, cap=30),
        R("activity.inspection", 7.5, cap=30),
        R("activity.consultation", 7.5, cap=30),
        R("proposal.accepted", 15, "item", cap=35, first=10, cosigner=5),
        R("proposal.excellent", 8, "item"),
        R("opinion.submitted", 1, "item", cap=20),
        R("opinion.adopted.county", 10, "item", cap=30),
        R("opinion.adopted.city", 16, "item", cap=32),
        R("opinion.adopted.province", 16, "item", cap=32),
        R("opinion.adopted.national", 16, "item", cap=32),
    ),
)

# 桐城 2019: base 100 scale, pass 60. 全会 50 (approved leave 30, no-show 0); 常委 leave −2,
# no-show −5. 提案: submit 10 + 立案 15, cap 25; 联名: first half, the rest share the other
# half. Activities 2/time (书面发言 5), cap 10. 社情民意 10/item + 5 if adopted, cap 15.
TONGCHENG = Preset(
    code="tongcheng2019",
    label=_("桐城 2019"),
    source="rules.md §3: 桐城 2019, http://ahtczxw.gov.cn/news/Notice/28.html",
    base=0,
    rules=(
        R("attend.plenary", 50, cap=50),
        R("leave.plenary", 30, cap=30),
        R("leave.standing", -2),
        R("absent.standing", -5),
        R("proposal.submitted", 10, "item", cap=10, split="half_shared"),
        R("proposal.accepted", 15, "item", cap=15, split="half_shared"),
        R("activity.research", 2, cap=10),
        R("activity.inspection", 2, cap=10),
        R("activity.consultation", 2, cap=10),
        R("speech.written", 5, "item", cap=10),
        R("opinion.submitted", 10, "item", cap=10),
        R("opinion.adopted.county", 5, "item", cap=5),
        R("opinion.adopted.city", 5, "item", cap=5),
        R("opinion.adopted.province", 5, "item", cap=5),
        R("opinion.adopted.national", 5, "item", cap=5),
    ),
)

# 济南 2015: 120-point scale = 70 base + ≤50 bonus; ≥85 优秀, 60–84 称职, <60 不称职 (no
# 良好 band: its line equals 优秀's). 无故缺席全会 −30; 请假缺席 −10. Each additional 立案
# 提案 (第一提案人) +5; 重点 +5; 优秀 +10. 公益 +2/time (cap 10).
JINAN = Preset(
    code="jinan2015",
    label=_("济南 2015"),
    source="rules.md §3: 济南 2015, http://district.ce.cn/newarea/roll/201504/11/t20150411_5081728.shtml",
    base=70,
    excellent=85,
    good=85,
    passing=60,
    rules=(
        R("absent.plenary", -30),
        R("leave.plenary", -10),
        R("proposal.accepted", 5, "item", first=5, cosigner=0),
        R("proposal.key", 5, "item"),
        R("proposal.excellent", 10, "item"),
        R("welfare", 2, cap=10),
    ),
)

PRESETS: dict[str, Preset] = {p.code: p for p in (ANQING, HEFEI, TONGCHENG, JINAN)}
DEFAULT_PRESET = ANQING.code
PRESET_CHOICES = [(p.code, p.label) for p in PRESETS.values()]
