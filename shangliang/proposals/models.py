"""Proposals (提案): the proposal, its cosigners and attachments, the assignments to handling
units with their replies, contacts and ratings, and each committee's proposal settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shangliang.core.models import BaseModel


class QuickChoiceLabels:
    """``get_FOO_display()`` without translating every label of the field: Django's version
    builds a dict of all the choices on each call, hashing (and so translating) each lazy
    label, which a list page pays per row and per field. Same result."""

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        value = make_hashable(getattr(self, field.attname))
        label = next((lab for v, lab in field.flatchoices if make_hashable(v) == value), value)
        return force_str(label, strings_only=True)


DEFAULT_CATEGORIES = ["经济", "政治", "文化", "社会", "生态文明", "其他"]
DEFAULT_STAGES = ["初审", "复审", "终审"]

DEFAULT_REJECT_GROUNDS = [
    "涉及党和国家秘密",
    "国家明令禁止",
    "中共党员对党内组织人事有意见",
    "民主党派成员反映本组织内部问题",
    "已进入民事、刑事、行政诉讼或仲裁程序",
    "属于学术研讨",
    "为本人或亲属解决个人问题",
    "宣传推介具体作品、产品",
    "指明举报",
    "内容空泛，没有具体建议",
]
DEFAULT_RESULT_CLASSES = [
    {"code": "A", "label": "已解决或基本解决"},
    {"code": "B", "label": "正在解决"},
    {"code": "C", "label": "列入计划逐步解决"},
    {"code": "D", "label": "因条件限制留作参考"},
]


def _categories() -> list[str]:
    return list(DEFAULT_CATEGORIES)


def _stages() -> list[str]:
    return list(DEFAULT_STAGES)


def _grounds() -> list[str]:
    return list(DEFAULT_REJECT_GROUNDS)


def _classes() -> list[dict[str, str]]:
    return [dict(c) for c in DEFAULT_RESULT_CLASSES]


class ProposalSettings(QuickChoiceLabels, BaseModel):
    """The local numbers of one committee's proposal work; defaults from domain/rules.md §1."""

    org = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("组织"),
        on_delete=models.CASCADE,
        related_name="proposal_settings",
    )
    categories = models.JSONField(_("类别"), default=_categories)
    review_stages = models.JSONField(_("审查阶段"), default=_stages)
    reject_grounds = models.JSONField(_("不予立案理由"), default=_grounds)
    result_classes = models.JSONField(_("办理结果分类"), default=_classes)
    reassignment_days = models.PositiveSmallIntegerField(_("申请调整交办期限（工作日）"), default=5)
    contact_days = models.PositiveSmallIntegerField(_("办前沟通期限（工作日）"), default=15)
    co_opinion_days = models.PositiveSmallIntegerField(_("会办意见期限（天）"), default=30)
    reply_months = models.PositiveSmallIntegerField(_("答复期限（月）"), default=3)
    max_reply_months = models.PositiveSmallIntegerField(_("延期后最长期限（月）"), default=6)
    rating_days = models.PositiveSmallIntegerField(_("测评期限（工作日）"), default=15)
    second_handling_days = models.PositiveSmallIntegerField(_("二次办理期限（天）"), default=30)
    reminder_days = models.PositiveSmallIntegerField(_("到期前提醒（天）"), default=7)
    title_max_length = models.PositiveSmallIntegerField(_("案由最长字数"), default=50)
    body_max_length = models.PositiveIntegerField(_("正文最长字数"), default=3000)
    max_attachments = models.PositiveSmallIntegerField(_("附件个数上限"), default=5)
    max_attachment_mb = models.PositiveSmallIntegerField(_("单个附件上限（MB）"), default=32)
    excellent_reviewer = models.CharField(
        _("优秀提案初评"),
        max_length=10,
        choices=[("office", _("提案委/提案处")), ("leader", _("主席/秘书长"))],
        default="office",
    )

    class Meta:
        verbose_name = _("提案工作设置")
        verbose_name_plural = _("提案工作设置")

    def __str__(self) -> str:
        return f"{self.org} · {self._meta.verbose_name}"

    @property
    def audit_org(self) -> Any:
        return self.org

    def result_class_label(self, code: str) -> str:
        return next((c["label"] for c in self.result_classes if c["code"] == code), code)


class Proposal(QuickChoiceLabels, BaseModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人提案")
        JOINT = "joint", _("联名提案")
        COLLECTIVE = "collective", _("集体提案")

    class CollectiveType(models.TextChoices):
        PARTY = "party", _("党派")
        PEOPLES_ORG = "peoples_org", _("人民团体")
        SECTOR = "sector", _("界别")
        GROUP = "group", _("委员小组")
        COMMITTEE = "committee", _("专门委员会")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("proposal status", "草稿")
        IN_REVIEW = "in_review", pgettext_lazy("proposal status", "审查中")
        RETURNED = "returned", pgettext_lazy("proposal status", "退回修改")
        ACCEPTED = "accepted", pgettext_lazy("proposal status", "已立案")
        HANDLING = "handling", pgettext_lazy("proposal status", "办理中")
        CLOSED = "closed", pgettext_lazy("proposal status", "已办结")
        MERGED = "merged", pgettext_lazy("proposal status", "已并案")
        CONVERTED = "converted", pgettext_lazy("proposal status", "转为意见建议")
        REJECTED = "rejected", pgettext_lazy("proposal status", "不予立案")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "已撤案")

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    session = models.ForeignKey(
        "orgs.Session", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="proposals"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    author = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("第一提案人"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    collective_type = models.CharField(
        _("集体提案单位类型"), max_length=12, choices=CollectiveType.choices, blank=True
    )
    collective_name = models.CharField(_("提案单位"), max_length=100, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    situation = models.TextField(_("情况"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    suggestions = models.TextField(_("建议"), blank=True)
    category = models.CharField(_("类别"), max_length=20, blank=True)
    suggested_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("建议承办单位"), blank=True, related_name="+"
    )
    publish_consent = models.BooleanField(_("同意公开答复"), default=True)
    publish_approved = models.BooleanField(_("准予公开"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_stage = models.PositiveSmallIntegerField(_("审查阶段"), default=0)
    is_plenary = models.BooleanField(_("大会提案"), default=True)
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    decision_reason = models.TextField(_("审查意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    is_key = models.BooleanField(_("重点提案"), default=False)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                name="proposal_number_uniq",
                condition=Q(number__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status", "-submitted_at"], name="proposal_queue"),
            models.Index(fields=["session", "number"], name="proposal_number"),
            # the office queues: one status of a committee, in number order
            models.Index(
                fields=["org", "status", "number", "submitted_at", "id"],
                name="proposal_office_queue",
            ),
            # every visible proposal, newest first (the API's list, the staff's lists)
            models.Index(fields=["-submitted_at", "-id"], name="proposal_newest"),
            # the public portal: published proposals, latest closed first
            models.Index(
                fields=["-closed_at", "-accepted_at", "-id"],
                name="proposal_portal",
                condition=Q(
                    publish_approved=True,
                    publish_consent=True,
                    status__in=["handling", "closed"],
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}".strip()

    @property
    def audit_org(self) -> Any:
        return self.org

    @property
    def number_label(self) -> str:
        return f"第{self.number:04d}号" if self.number else ""


class Cosigner(QuickChoiceLabels, BaseModel):
    """附议: a member invited to a joint proposal, who must confirm to be counted."""

    class Status(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("联名人"),
        on_delete=models.PROTECT,
        related_name="cosignings",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联名人")
        verbose_name_plural = _("联名人")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "membership"], name="cosigner_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.get_status_display()}"


class Attachment(BaseModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="proposals/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Assignment(QuickChoiceLabels, BaseModel):
    """交办: one proposal with one handling unit (sole, lead, co-handler or split)."""

    class Role(models.TextChoices):
        SOLE = "sole", _("独办")
        LEAD = "lead", _("主办")
        CO = "co", _("会办")
        SPLIT = "split", _("分办")

    class Status(models.TextChoices):
        TO_SIGN = "to_sign", pgettext_lazy("assignment status", "待签收")
        REASSIGN_REQUESTED = "reassign_requested", pgettext_lazy("assignment status", "申请调整")
        HANDLING = "handling", pgettext_lazy("assignment status", "办理中")
        OPINION_SENT = "opinion_sent", pgettext_lazy("assignment status", "已送会办意见")
        DRAFTED = "drafted", pgettext_lazy("assignment status", "答复待会签")
        IN_AUDIT = "in_audit", pgettext_lazy("assignment status", "答复待审核")
        RATING = "rating", pgettext_lazy("assignment status", "待测评")
        DONE = "done", pgettext_lazy("assignment status", "已办结")
        CANCELLED = "cancelled", pgettext_lazy("assignment status", "已撤销")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("办理方式"), max_length=8, choices=Role.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.TO_SIGN, db_index=True
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    assigned_at = models.DateTimeField(_("交办时间"))
    sign_due_on = models.DateField(_("签收期限"))
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    first_due_on = models.DateField(_("原答复期限"))
    due_on = models.DateField(_("答复期限"))
    reassign_reason = models.TextField(_("调整交办理由"), blank=True)
    extension_requested_to = models.DateField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    co_opinion = models.TextField(_("会办意见"), blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_doc_number = models.CharField(_("答复文号"), max_length=60, blank=True)
    result_class = models.CharField(_("办理结果"), max_length=4, blank=True)
    reply_file = models.FileField(_("签章答复件"), upload_to="replies/%Y/%m/", blank=True)
    countersigned_units = models.JSONField(_("已会签单位"), default=list, blank=True)
    audit_comment = models.TextField(_("审核意见"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    rating_due_on = models.DateField(_("测评期限"), null=True, blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit"],
                name="assignment_one_open_per_unit",
                condition=~Q(status="cancelled"),
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="assignment_inbox"),
            # the public portal's "has an approved reply" (portal.approved_replies)
            models.Index(
                fields=["proposal"],
                name="assignment_published_reply",
                condition=Q(replied_at__isnull=False, status__in=["rating", "done"])
                & ~Q(role="co"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} → {self.unit}（{self.get_role_display()}）"

    @property
    def audit_org(self) -> Any:
        return self.proposal.org

    @property
    def replies_to_proposers(self) -> bool:
        """The lead, sole or split unit answers the proposers; a co-handler answers the lead."""
        return self.role != self.Role.CO


class Contact(QuickChoiceLabels, BaseModel):
    """办前沟通: the unit's contact with the proposer before replying."""

    class Way(models.TextChoices):
        VISIT = "visit", _("走访")
        MEETING = "meeting", _("座谈")
        PHONE = "phone", _("电话")
        OTHER = "other", _("其他")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("日期"))
    way = models.CharField(_("方式"), max_length=10, choices=Way.choices)
    person = models.CharField(_("沟通对象"), max_length=60)
    note = models.TextField(_("情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("办前沟通")
        verbose_name_plural = _("办前沟通")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_way_display()} {self.person}"


class Rating(QuickChoiceLabels, BaseModel):
    """满意度测评 of one reply by one proposer, in one round of handling."""

    class Value(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="ratings")
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("测评人"),
        on_delete=models.PROTECT,
        related_name="proposal_ratings",
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    value = models.CharField(_("测评结果"), max_length=20, choices=Value.choices)
    contacted_before_reply = models.BooleanField(_("答复前曾与我沟通"))
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "membership", "round"], name="rating_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.get_value_display()}"


class SupervisionEntry(QuickChoiceLabels, BaseModel):
    """督办记录 of a key proposal: meetings, visits, inspections."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("座谈")
        VISIT = "visit", _("走访")
        INSPECTION = "inspection", _("视察")
        OTHER = "other", _("其他")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supervision")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=12, choices=Kind.choices)
    note = models.TextField(_("情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


from shangliang.proposals.excellent_models import ExcellentNomination  # noqa: E402

__all__ = [
    "Assignment",
    "Attachment",
    "Contact",
    "Cosigner",
    "ExcellentNomination",
    "Proposal",
    "ProposalSettings",
    "Rating",
    "SupervisionEntry",
]
