"""Readable names for the proposal audit actions that are not workflow steps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shangliang.core.audit_labels import LABELS

LABELS.update(
    {
        "proposals.draft_created": _("创建提案草稿"),
        "proposals.cosigners_invited": _("邀请联名"),
        "proposals.cosigner_removed": _("移除联名人"),
        "proposals.attachment_added": _("上传附件"),
        "proposals.attachment_removed": _("删除附件"),
        "proposals.exported": _("导出提案清单"),
        "proposals.settings_updated": _("修改提案工作设置"),
        "proposals.supervision_added": _("记录督办情况"),
        "proposals.pdf_printed": _("打印 PDF（提案表或答复函）"),
        "proposals.excellent_nominated": _("提名优秀提案"),
        "proposals.excellent_exported": _("导出优秀提案提名清单"),
    }
)
