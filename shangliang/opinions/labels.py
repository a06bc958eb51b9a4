"""Readable names for the opinion audit actions that are not workflow steps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shangliang.core.audit_labels import LABELS

LABELS.update(
    {
        "opinions.draft_created": _("撰写社情民意信息"),
        "opinions.feedback_sent": _("反馈信息办理情况"),
        "opinions.topic_guide_published": _("发布选题指南"),
        "opinions.exported": _("导出社情民意清单"),
        "opinions.figures_exported": _("导出社情民意统计"),
        "opinions.scan_attached": _("上传批示件"),
    }
)

LABELS.update(
    {
        "opinions.issue_updated": _("修改刊期"),
        "opinions.issue_reordered": _("调整刊内顺序"),
        "opinions.settings_updated": _("修改社情民意工作设置"),
    }
)
