# Django's zh-hans locale lacks "2026年3月5日" in its input formats; this module adds it.
DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "m月j日"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-03-05 (what <input type=date> sends)
    "%Y年%m月%d日",  # 2026年3月5日
    "%Y/%m/%d",  # 2026/03/05
    "%Y.%m.%d",  # 2026.03.05
    "%Y%m%d",  # 20260305
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H时%M分", "%H点%M分"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H时%M分",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y年%m月%d日",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
