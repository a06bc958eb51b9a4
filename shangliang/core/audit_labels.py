"""Readable names for audit actions (workflow steps are named by their workflow table)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shangliang.core.models import AuditEvent
from shangliang.core.workflow import REGISTRY

LABELS: dict[str, str | Promise] = {
    "accounts.login": _("登录"),
    "accounts.logout": _("退出登录"),
    "accounts.login_failed": _("登录失败"),
    "accounts.otp_failed": _("动态码错误"),
    "accounts.reauth_failed": _("密码验证失败"),
    "accounts.locked_out": _("账号被锁定"),
    "accounts.unlocked": _("解除锁定"),
    "accounts.password_changed": _("修改密码"),
    "accounts.password_reset": _("重置为临时密码"),
    "accounts.public_registered": _("群众注册"),
    "accounts.user_created": _("创建账号"),
    "accounts.user_activated": _("启用账号"),
    "accounts.user_deactivated": _("停用账号"),
    "accounts.membership_added": _("新增委员"),
    "accounts.role_granted": _("授予角色"),
    "accounts.role_revoked": _("撤销角色"),
    "accounts.roles_exported": _("导出角色名单"),
    "accounts.token_issued": _("签发接口令牌"),
    "accounts.token_revoked": _("吊销接口令牌"),
    "accounts.totp_enabled": _("开启双重验证"),
    "accounts.totp_disabled": _("关闭双重验证"),
    "accounts.totp_reset": _("清除双重验证"),
    "accounts.unit_user_added": _("添加单位用户"),
    "accounts.unit_user_removed": _("移除单位用户"),
    "accounts.unit_user_updated": _("修改单位用户"),
    "calendar.day_added": _("添加节假日调整"),
    "calendar.day_deleted": _("删除节假日调整"),
    "calendar.year_loaded": _("载入法定节假日安排"),
    "orgs.exported": _("导出清单"),
    "orgs.org_created": _("创建政协组织"),
    "orgs.org_updated": _("修改政协组织"),
    "orgs.term_created": _("新增届次"),
    "orgs.term_updated": _("修改届次"),
    "orgs.term_set_current": _("设为本届"),
    "orgs.session_created": _("新增会议"),
    "orgs.session_updated": _("修改会议"),
    "orgs.workstation_updated": _("修改委员工作室"),
    "proposals.assignment.reply_file_attached": _("上传签章答复件"),
    "proposals.assignments_exported": _("导出承办提案"),
    "proposals.board_exported": _("导出提案办理期限"),
    "roster.member_added": _("新增委员"),
    "roster.member_updated": _("修改委员信息"),
    "proposals.figures_exported": _("导出提案统计"),
    "roster.import_uploaded": _("上传名册"),
    "roster.imported": _("导入名册"),
    "roster.exported": _("导出名册"),
}

VERBS: dict[str, str | Promise] = {
    "created": _("新增"),
    "updated": _("修改"),
    "deactivated": _("停用"),
    "reactivated": _("启用"),
}
PARTS: dict[str, str | Promise] = {
    "sector": _("界别"),
    "committee": _("专门委员会"),
    "group": _("委员小组"),
    "unit": _("承办单位"),
    "workstation": _("委员工作室"),
}


def label_for(action: str) -> str:
    """A readable label for an audit action, or the action itself when none is known."""
    if action in LABELS:
        return str(LABELS[action])
    prefix, _sep, name = action.rpartition(".")
    for wf in REGISTRY.values():
        if wf.name == prefix:
            for a in wf.actions:
                if a.name == name:
                    return str(a.label)
    part, _sep, verb = name.rpartition("_")
    if prefix == "orgs" and part in PARTS and verb in VERBS:
        return f"{VERBS[verb]}{PARTS[part]}"
    return action


def event_label(event: AuditEvent) -> str:
    return label_for(event.action)
