"""A committee's proposal settings (categories, review stages, grounds, result classes and
the deadlines), edited by its proposal office or administrator; audited before and after."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from shangliang.accounts.permissions import can
from shangliang.core.audit import audit_record
from shangliang.core.errors import Forbidden, Invalid, invalid_from_django
from shangliang.orgs.models import Organization
from shangliang.proposals.models import Proposal, ProposalSettings

CATEGORY_MAX = Proposal._meta.get_field("category").max_length or 20
LISTS = ("categories", "review_stages", "reject_grounds", "result_classes")
NUMBERS = (
    "reassignment_days",
    "contact_days",
    "co_opinion_days",
    "reply_months",
    "max_reply_months",
    "rating_days",
    "second_handling_days",
    "reminder_days",
    "title_max_length",
    "body_max_length",
    "max_attachments",
    "max_attachment_mb",
)
CHOICES = ("excellent_reviewer",)


def may_edit_settings(user: Any, org: Organization) -> bool:
    return can(user, "proposals.manage", org) or can(user, "orgs.configure", org)


def _snapshot(conf: ProposalSettings) -> dict[str, Any]:
    return model_to_dict(conf, fields=[*LISTS, *NUMBERS, *CHOICES])


def _check(org: Organization, values: dict[str, Any]) -> None:
    for name in ("categories", "review_stages", "reject_grounds"):
        items = values.get(name)
        if items is not None and (not items or len(set(items)) != len(items)):
            raise Invalid(
                _("每个列表至少填一项，且不能重复。"), fields={name: [_("不能为空或重复")]}
            )
    if any(len(c) > CATEGORY_MAX for c in values.get("categories") or []):
        raise Invalid(
            _("类别名称不能超过 %(n)s 个字。") % {"n": CATEGORY_MAX},
            fields={"categories": [_("过长")]},
        )
    classes = values.get("result_classes")
    if classes is not None:
        codes = [c["code"] for c in classes]
        if not codes or len(set(codes)) != len(codes) or any(not c["label"] for c in classes):
            raise Invalid(
                _("办理结果分类每行写“代码 名称”，代码不能重复。"),
                fields={"result_classes": [_("格式有误")]},
            )
    stages = values.get("review_stages")
    if stages is not None:
        deepest = (
            Proposal.objects.filter(org=org, status=Proposal.Status.IN_REVIEW)
            .order_by("-review_stage")
            .values_list("review_stage", flat=True)
            .first()
        )
        if deepest is not None and deepest >= len(stages):
            raise Invalid(
                _("有提案正处于第 %(n)s 个审查阶段，审查阶段不能少于 %(n)s 个。")
                % {"n": deepest + 1},
                fields={"review_stages": [_("阶段过少")]},
            )


@transaction.atomic
def proposal_settings_update(*, actor: Any, org: Organization, **values: Any) -> ProposalSettings:
    if not may_edit_settings(actor, org):
        raise Forbidden()
    unknown = set(values) - set(LISTS) - set(NUMBERS) - set(CHOICES)
    if unknown:
        raise Invalid(_("多余的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    conf, _created = ProposalSettings.objects.get_or_create(org=org)
    conf = ProposalSettings.objects.select_for_update().get(pk=conf.pk)
    _check(org, values)
    before = _snapshot(conf)
    for name, value in values.items():
        setattr(conf, name, value)
    if conf.max_reply_months < conf.reply_months:
        raise Invalid(
            _("延期后最长期限不能短于答复期限。"), fields={"max_reply_months": [_("过短")]}
        )
    try:
        conf.full_clean()
    except ValidationError as exc:
        raise invalid_from_django(exc) from exc
    conf.save()
    after = _snapshot(conf)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changed:
        audit_record(
            actor=actor,
            action="proposals.settings_updated",
            target=conf,
            org=org,
            data={"changes": changed},
        )
    return conf
