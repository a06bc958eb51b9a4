"""The organisation tree and what each committee is made of."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.core.models import BaseModel


class Organization(BaseModel):
    """A committee (政协) at one level. ``path`` is the materialised path of ids
    ("/1/4/17/"), so "this committee and everything under it" is one prefix filter."""

    class Level(models.IntegerChoices):
        NATIONAL = 0, _("全国")
        PROVINCE = 1, _("省级")
        CITY = 2, _("市级")
        COUNTY = 3, _("县级")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("政协组织")
        verbose_name_plural = _("政协组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgs_org_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Organization:
        return self

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def subtree_q(self, prefix: str = "") -> Q:
        """Q for objects whose organisation is this one or below it."""
        return Q(**{f"{prefix}path__startswith": self.path})


class Term(BaseModel):
    """届: a five-year term of one committee."""

    org = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    name = models.CharField(_("名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_current = models.BooleanField(_("本届"), default=False)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["org", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="orgs_term_unique_number"),
            models.UniqueConstraint(
                fields=["org"], condition=Q(is_current=True), name="orgs_term_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Organization:
        return self.org


class Session(BaseModel):
    """次会议: a plenary session of a term, with its dates and the proposal deadline."""

    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("次"))
    name = models.CharField(_("名称"), max_length=80)
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))
    proposal_deadline = models.DateTimeField(_("大会提案截止时间"))

    class Meta:
        verbose_name = _("次会议")
        verbose_name_plural = _("次会议")
        ordering = ["term", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="orgs_session_unique_number"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="orgs_session_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Organization:
        return self.term.org


class OrgPart(BaseModel):
    """A named part of one committee (sector, committee, group, unit)."""

    org = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["org", "order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Organization:
        return self.org


class Sector(OrgPart):
    """界别"""

    class Meta(OrgPart.Meta):
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="orgs_sector_uniq")]


class Committee(OrgPart):
    """专门委员会"""

    class Meta(OrgPart.Meta):
        verbose_name = _("专门委员会")
        verbose_name_plural = _("专门委员会")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="orgs_committee_uniq")]


class Group(OrgPart):
    """学习组 (by region) or 工作组 (by sector); a member may be in both."""

    class Kind(models.TextChoices):
        STUDY = "study", _("学习组")
        WORK = "work", _("工作组")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("界别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.CharField(_("片区"), max_length=60, blank=True)

    class Meta(OrgPart.Meta):
        verbose_name = _("委员小组")
        verbose_name_plural = _("委员小组")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="orgs_group_uniq")]


class Unit(OrgPart):
    """承办单位: a government department or other body that handles proposals."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        PARTY = "party", _("党委部门")
        COURT = "court", _("法院检察院")
        ENTERPRISE = "enterprise", _("企事业单位")
        OTHER = "other", _("其他")

    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.GOVERNMENT)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta(OrgPart.Meta):
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="orgs_unit_uniq")]


class Workstation(OrgPart):
    """委员工作室(站) or 协商议事室, with location and the members who staff it."""

    class Kind(models.TextChoices):
        STUDIO = "studio", _("委员工作室")
        STATION = "station", _("委员工作站")
        ROOM = "room", _("协商议事室")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    description = models.TextField(_("简介"), blank=True)
    members = models.ManyToManyField(
        "accounts.Membership", verbose_name=_("驻站委员"), blank=True, related_name="workstations"
    )

    class Meta(OrgPart.Meta):
        verbose_name = _("委员工作室")
        verbose_name_plural = _("委员工作室")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="orgs_ws_uniq")]
