"""Public-opinion reports (社情民意信息, domain/rules.md §2): the report and its reporters,
the editor's checklist, issues of the committee's periodicals, adoptions per level, leaders'
instructions, forwarding to units, feedback to reporters, the topic guide and each
committee's settings. No side effects here: the services write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shangliang.core.models import BaseModel

DEFAULT_GATES = [
    {"code": "political", "label": "政治关"},
    {"code": "facts", "label": "事实关"},
    {"code": "topic", "label": "选题关"},
    {"code": "content", "label": "内容关"},
    {"code": "wording", "label": "文字关"},
]
DEFAULT_SERIES = [
    {
        "code": "sqmy",
        "name": "社情民意信息",
        "distribution": (
            "报：省委、省人大常委会、省政府、省政协领导同志\n"
            "送：省委办公厅、省政府办公厅\n"
            "发：各市政协，省政协各专门委员会"
        ),
    },
    {
        "code": "zhuanbao",
        "name": "专报",
        "distribution": "报：分管省领导\n送：省委办公厅、省政府办公厅",
    },
    {
        "code": "zhuansong",
        "name": "转送件",
        "distribution": "送：有关部门",
    },
]
LEVEL_NAMES = {0: "national", 1: "province", 2: "city", 3: "county"}
LEVEL_CODES = {v: k for k, v in LEVEL_NAMES.items()}


class Level(models.TextChoices):
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


def _gates() -> list[dict[str, str]]:
    return [dict(g) for g in DEFAULT_GATES]


def _series() -> list[dict[str, str]]:
    return [dict(s) for s in DEFAULT_SERIES]


class OpinionSettings(BaseModel):
    """One committee's numbers for opinion reports; defaults from domain/rules.md §2."""

    org = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("组织"),
        on_delete=models.CASCADE,
        related_name="opinion_settings",
    )
    max_length = models.PositiveIntegerField(_("正文最长字数"), default=1500)
    title_max_length = models.PositiveSmallIntegerField(_("标题最长字数"), default=60)
    gates = models.JSONField(_("审核关口"), default=_gates)
    series = models.JSONField(_("刊物"), default=_series)
    signers = models.JSONField(_("签发人（用户 id；空则信息处和领导均可签发）"), default=list)

    class Meta:
        verbose_name = _("社情民意工作设置")
        verbose_name_plural = _("社情民意工作设置")

    def __str__(self) -> str:
        return f"{self.org} · {self._meta.verbose_name}"

    @property
    def audit_org(self) -> Any:
        return self.org

    def series_name(self, code: str) -> str:
        return next((s["name"] for s in self.series if s["code"] == code), code)

    def gate_label(self, code: str) -> str:
        return next((g["label"] for g in self.gates if g["code"] == code), code)


class Opinion(BaseModel):
    """One report (一事一报) at one committee. A report reported upward has a linked copy at
    the parent committee (``source``); ``origin`` is the report as its reporters wrote it."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("报送信息")
        UPWARD = "upward", _("下级报送")

    class ReporterKind(models.TextChoices):
        MEMBER = "member", _("委员")
        INFORMANT = "informant", _("特邀信息员")
        PARTY = "party", _("党派")
        PEOPLES_ORG = "peoples_org", _("人民团体")
        COMMITTEE = "committee", _("专门委员会")
        SECTOR = "sector", _("界别")
        LOWER = "lower", _("下级政协")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("opinion status", "草稿")
        SUBMITTED = "submitted", pgettext_lazy("opinion status", "待编辑")
        EDITING = "editing", pgettext_lazy("opinion status", "编辑中")
        RETURNED = "returned", pgettext_lazy("opinion status", "退回补充")
        SIGNED_OFF = "signed_off", pgettext_lazy("opinion status", "已签发")
        PUBLISHED = "published", pgettext_lazy("opinion status", "已编发")
        KEPT = "kept", pgettext_lazy("opinion status", "留存")
        COMBINED = "combined", pgettext_lazy("opinion status", "已综合")
        WITHDRAWN = "withdrawn", pgettext_lazy("opinion status", "已撤回")

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    kind = models.CharField(_("来源"), max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反映人"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    reporter_kind = models.CharField(
        _("反映人身份"), max_length=12, choices=ReporterKind.choices, default=ReporterKind.MEMBER
    )
    reporter_unit = models.CharField(_("反映单位"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    situation = models.TextField(_("情况"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    suggestions = models.TextField(_("建议"), blank=True)
    edited_title = models.CharField(_("编辑后标题"), max_length=200, blank=True)
    edited_text = models.TextField(_("编辑后正文"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.ForeignKey(
        "self",
        verbose_name=_("下级原件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upward_copies",
    )
    origin = models.ForeignKey(
        "self",
        verbose_name=_("最初报送"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    combined_into = models.ForeignKey(
        "self",
        verbose_name=_("综合到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="combined_sources",
    )
    issue = models.ForeignKey(
        "opinions.Issue",
        verbose_name=_("刊期"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    issue_order = models.PositiveSmallIntegerField(_("刊内顺序"), default=0)
    reported_national = models.BooleanField(_("已报全国政协"), default=False)
    reported_upward_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    keep_reason = models.TextField(_("留存理由"), blank=True)
    questions = models.TextField(_("退回问题"), blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_month = models.PositiveIntegerField(_("报送月份（年月）"), null=True, blank=True)
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("编发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "org"],
                name="opinion_one_copy_per_level",
                condition=Q(source__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status", "-submitted_at"], name="opinion_queue"),
            models.Index(fields=["org", "submitted_at"], name="opinion_org_time"),
            models.Index(fields=["author", "-created_at"], name="opinion_author"),
            models.Index(fields=["submitted_at"], name="opinion_submitted"),
            models.Index(
                fields=["org", "submitted_month", "status", "signed_off_at"], name="opinion_month"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def audit_org(self) -> Any:
        return self.org

    @property
    def display_title(self) -> str:
        return self.edited_title or self.title or "—"

    @property
    def original_text(self) -> str:
        parts = [self.situation.strip(), self.analysis.strip(), self.suggestions.strip()]
        return "\n\n".join(p for p in parts if p)

    @property
    def display_text(self) -> str:
        return self.edited_text or self.original_text


class Reporter(BaseModel):
    """A person credited for a record: its first reporter, joint reporters, and on a combined
    item or an upward copy the reporters of every report it stands for."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="reporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反映人"),
        on_delete=models.PROTECT,
        related_name="opinion_credits",
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("委员身份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_credits",
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所在政协"), on_delete=models.PROTECT, related_name="+"
    )
    first = models.BooleanField(_("第一反映人"), default=False)

    class Meta:
        verbose_name = _("反映人")
        verbose_name_plural = _("反映人")
        ordering = ["-first", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "user"], name="opinion_reporter_uniq")
        ]
        indexes = [models.Index(fields=["user", "opinion"], name="opinion_reporter_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.opinion_id}"


class Check(BaseModel):
    """One gate of the editor's checklist (五关): passed or failed, with a note."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="checks")
    gate = models.CharField(_("关口"), max_length=30)
    passed = models.BooleanField(_("通过"))
    note = models.TextField(_("说明"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "gate"], name="opinion_check_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.gate} {'✓' if self.passed else '✗'}"


class Issue(BaseModel):
    """第X期 of one series (《社情民意信息》, 《专报》, 《转送件》) of one committee."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    series = models.CharField(_("刊物"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"))
    date = models.DateField(_("日期"))
    distribution = models.TextField(_("报送范围"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("刊期")
        verbose_name_plural = _("刊期")
        ordering = ["-year", "series", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "series", "year", "number"], name="opinion_issue_uniq"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(y)s年第%(n)s期") % {"y": self.year, "n": self.number}

    @property
    def audit_org(self) -> Any:
        return self.org


class Adoption(BaseModel):
    """采用 of a record at one level: single (单篇) or combined (综合)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("单篇采用")
        COMBINED = "combined", _("综合采用")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="adoptions")
    level = models.CharField(_("采用层级"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("采用方式"), max_length=10, choices=Kind.choices)
    month = models.PositiveIntegerField(_("年月"), default=0)  # YYYYMM, for the monthly table
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("采用")
        verbose_name_plural = _("采用")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "level"], name="opinion_adoption_uniq")
        ]
        indexes = [
            models.Index(fields=["level", "created_at"], name="opinion_adoption_level"),
            models.Index(fields=["month", "level"], name="opinion_adoption_month"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_kind_display()}"


class Instruction(BaseModel):
    """批示: a leader's written instruction on a report."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="instructions")
    leader_level = models.CharField(_("领导层级"), max_length=10, choices=Level.choices)
    leader = models.CharField(_("批示领导（职务）"), max_length=100)
    text = models.TextField(_("批示内容"))
    date = models.DateField(_("批示日期"))
    scan = models.FileField(_("批示件扫描"), upload_to="instructions/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="opinion_instruction_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.leader}"


class Forwarding(BaseModel):
    """转送: a report sent to a unit, which replies as for proposals."""

    class Status(models.TextChoices):
        TO_REPLY = "to_reply", pgettext_lazy("forwarding status", "待回复")
        REPLIED = "replied", pgettext_lazy("forwarding status", "已回复")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="forwardings")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.TO_REPLY
    )
    reply_text = models.TextField(_("回复内容"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("转送")
        verbose_name_plural = _("转送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "unit"], name="opinion_forward_uniq")
        ]
        indexes = [models.Index(fields=["unit", "status"], name="opinion_forward_inbox")]

    def __str__(self) -> str:
        return f"{self.opinion} → {self.unit}"

    @property
    def audit_org(self) -> Any:
        return self.opinion.org


class Feedback(BaseModel):
    """反馈: what became of a report, told to one of its reporters in a batch."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opinion_feedback"
    )
    batch = models.CharField(_("批次"), max_length=40)
    text = models.TextField(_("反馈内容"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="opinion_feedback_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.opinion_id}"


class TopicGuide(BaseModel):
    """选题指南: the periodic topic list members see when they write."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=100)
    topics = models.TextField(_("选题（每行一个）"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("选题指南")
        verbose_name_plural = _("选题指南")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Any:
        return self.org

    @property
    def topic_lines(self) -> list[str]:
        return [t.strip() for t in self.topics.splitlines() if t.strip()]


class Tally(models.Model):
    """One credited event of one reporter (submitted, adopted at a level, instructed), kept
    by the workflow steps so the figures are one grouped scan of an indexed table, however
    many reports there are. Never edited by hand; rebuilt from the records if need be."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("报送")
        ADOPTED = "adopted", _("采用")
        INSTRUCTED = "instructed", _("批示")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="+")
    origin_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    level = models.CharField(max_length=10, blank=True)
    year = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership", null=True, on_delete=models.CASCADE, related_name="+"
    )
    sector = models.ForeignKey(
        "orgs.Sector", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    committee = models.ForeignKey(
        "orgs.Committee", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "user", "kind", "level"], name="opinion_tally_uniq"
            )
        ]
        indexes = [  # covers the figures' grouped scans (no table lookups)
            models.Index(
                fields=["year", "org", "kind", "level", "user", "origin_id"],
                name="opinion_tally_scan",
            ),
            models.Index(
                fields=["year", "org", "kind", "level", "sector", "committee", "opinion"],
                name="opinion_tally_groups",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.level} {self.user_id}"
