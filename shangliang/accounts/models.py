"""People, their memberships in committees, staff roles, unit users and API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shangliang.core.models import BaseModel


class User(AbstractUser):
    """A person with an account: member, staff, unit user, informant or public user."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, null=True, blank=True, unique=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    birth_month = models.DateField(_("出生年月"), null=True, blank=True)
    party = models.CharField(_("党派"), max_length=40, blank=True)
    workplace = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    is_public = models.BooleanField(_("注册群众"), default=False)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.username


class Membership(BaseModel):
    """委员: a person's seat in one committee for one term."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("主席")
        VICE_CHAIR = "vice_chair", _("副主席")
        SECRETARY_GENERAL = "secretary_general", _("秘书长")
        STANDING = "standing", _("常委")
        MEMBER = "member", _("委员")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("membership status", "在职")
        SUSPENDED = "suspended", pgettext_lazy("membership status", "暂停履职")
        EXIT_PENDING = "exit_pending", pgettext_lazy("membership status", "退出待批")
        EXITED = "exited", pgettext_lazy("membership status", "已退出")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    term = models.ForeignKey(
        "orgs.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.CharField(
        _("职务"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    sector = models.ForeignKey(
        "orgs.Sector",
        verbose_name=_("界别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    committee = models.ForeignKey(
        "orgs.Committee",
        verbose_name=_("专委会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    groups = models.ManyToManyField(
        "orgs.Group", verbose_name=_("小组"), blank=True, related_name="memberships"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_reason = models.CharField(_("状态原因"), max_length=300, blank=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    joined_on = models.DateField(_("任职日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["org", "sector__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "term"], name="accounts_membership_uniq")
        ]
        indexes = [models.Index(fields=["org", "term", "status"])]

    def __str__(self) -> str:
        return f"{self.user.display_name}（{self.org}）"

    @property
    def audit_org(self) -> models.Model:
        return self.org

    @property
    def is_standing(self) -> bool:
        return self.position != self.Position.MEMBER


class Role(BaseModel):
    """A staff role (or the informant role) a user holds in one organisation."""

    class Kind(models.TextChoices):
        PROPOSAL_OFFICE = "proposal_office", _("提案委/提案处")
        INFO_OFFICE = "info_office", _("信息处")
        COMMITTEE_OFFICE = "committee_office", _("专委会/研究室")
        GENERAL_OFFICE = "general_office", _("办公厅/办公室")
        LEADER = "leader", _("主席/秘书长")
        ADMIN = "admin", _("系统管理员")
        INFORMANT = "informant", _("特邀信息员")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="roles"
    )
    kind = models.CharField(_("角色"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("职务"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "kind"], name="accounts_role_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} · {self.org} · {self.get_kind_display()}"

    @property
    def audit_org(self) -> models.Model:
        return self.org

    @property
    def is_staff_role(self) -> bool:
        return self.kind != self.Kind.INFORMANT


STAFF_ROLES = [k for k in Role.Kind.values if k != Role.Kind.INFORMANT]


class UnitUser(BaseModel):
    """A user who acts for a handling unit (承办单位)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="unit_links",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="users"
    )
    is_manager = models.BooleanField(_("单位负责人"), default=False)

    class Meta:
        verbose_name = _("承办单位用户")
        verbose_name_plural = _("承办单位用户")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="accounts_unituser_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} · {self.unit}"


class ApiToken(BaseModel):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=60, blank=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["user"], condition=Q(revoked=False), name="token_live")]

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
