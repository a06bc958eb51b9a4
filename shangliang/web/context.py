"""Navigation per persona, built from what the user holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import STAFF_ROLES, Role
from shangliang.accounts.permissions import member_paths, paths_for, role_paths


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    key: str


def nav_items(user: Any) -> list[NavItem]:
    items = [NavItem(_("首页"), reverse("web:home"), "home")]
    if not user.is_authenticated:
        items.append(NavItem(_("政协组织"), reverse("web:orgs"), "orgs"))
        return items
    staff = bool(paths_for(user, STAFF_ROLES)) or user.is_superuser
    if staff or member_paths(user):
        items.append(NavItem(_("委员名册"), reverse("roster:mine"), "roster"))
    if member_paths(user):
        items.append(NavItem(_("我的提案"), reverse("proposals:mine"), "proposals"))
        items.append(NavItem(_("待我测评"), reverse("proposals:ratings_mine"), "ratings"))
    if unit_member(user):
        items.append(NavItem(_("提案办理"), reverse("proposals:unit_inbox"), "unit"))
    if role_paths(user).get(Role.Kind.PROPOSAL_OFFICE):
        items.append(NavItem(_("提案审查"), reverse("proposals:office_home"), "office"))
    if role_paths(user).get(Role.Kind.LEADER):
        items.append(NavItem(_("重点提案"), reverse("proposals:key_list"), "key"))
    if role_paths(user).get(Role.Kind.PROPOSAL_OFFICE) or role_paths(user).get(Role.Kind.LEADER):
        items.append(NavItem(_("办理督办"), reverse("proposals:handling_office"), "handling"))
        items.append(NavItem(_("提案统计"), reverse("proposals:figures"), "proposal_figures"))
        items.append(NavItem(_("优秀提案"), reverse("proposals:excellent_home"), "excellent"))
    if member_paths(user) or role_paths(user).get(Role.Kind.INFORMANT):
        items.append(NavItem(_("社情民意"), reverse("opinions:mine"), "opinions"))
    if role_paths(user).get(Role.Kind.INFO_OFFICE):
        items.append(NavItem(_("信息编辑"), reverse("opinions:office_home"), "opinions_office"))
    if role_paths(user).get(Role.Kind.INFO_OFFICE) or role_paths(user).get(Role.Kind.LEADER):
        items.append(NavItem(_("信息刊物"), reverse("opinions:issues"), "opinions_issues"))
    if unit_member(user):
        items.append(NavItem(_("转送信息"), reverse("opinions:unit_inbox"), "opinions_unit"))
    duty_staff = paths_for(
        user,
        [Role.Kind.ADMIN, Role.Kind.GENERAL_OFFICE, Role.Kind.COMMITTEE_OFFICE, Role.Kind.LEADER],
    )
    if member_paths(user) or duty_staff or user.is_superuser:
        items.append(NavItem(_("履职档案"), reverse("duty:home"), "duty"))
        items.append(NavItem(_("会议考勤"), reverse("meetings:list"), "meetings"))
    items.append(NavItem(_("政协组织"), reverse("web:orgs"), "orgs"))
    if (
        user.is_superuser
        or role_paths(user).get(Role.Kind.ADMIN)
        or role_paths(user).get(Role.Kind.LEADER)
        or role_paths(user).get(Role.Kind.GENERAL_OFFICE)
    ):
        items.append(NavItem(_("审计日志"), reverse("web:audit"), "audit"))
    admin_paths = role_paths(user).get(Role.Kind.ADMIN, [])
    if admin_paths:
        # the highest committee the user administers: the shortest path (its last id)
        top = min(admin_paths, key=lambda p: (p.count("/"), p))
        org_id = int(top.strip("/").split("/")[-1])
        items.append(NavItem(_("组织配置"), reverse("web:org_manage", args=[org_id]), "manage"))
    if admin_paths or user.is_superuser:
        items.append(NavItem(_("工作日历"), reverse("web:calendar"), "calendar"))
    if user.is_superuser:
        items.append(NavItem(_("系统管理"), reverse("admin:index"), "admin"))
    return items


def unit_member(user: Any) -> bool:
    cached = getattr(user, "_sl_unit_member", None)
    if cached is None:
        cached = user.unit_links.exists()
        user._sl_unit_member = cached
    return bool(cached)


def persona_label(user: Any) -> str:
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return str(_("系统管理员"))
    kinds = list(role_paths(user))
    if kinds:
        return str(Role.Kind(kinds[0]).label)
    if member_paths(user):
        return str(_("委员"))
    if unit_member(user):
        return str(_("承办单位"))
    return str(_("群众"))


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"nav_items": nav_items(user), "persona_label": persona_label(user)}
