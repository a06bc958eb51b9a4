"""Drafting and submitting a proposal: drafts (autosaved), cosigner invitations, attachments,
and every workflow step of a proposal (:func:`proposal_act`, through the engine)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid, NotFound
from shangliang.core.workflow import transition
from shangliang.orgs.models import Unit
from shangliang.proposals import similarity
from shangliang.proposals.models import Cosigner, Proposal
from shangliang.proposals.selectors import current_session
from shangliang.proposals.steps import settings_for

EDITABLE = (Proposal.Status.DRAFT, Proposal.Status.RETURNED)
TEXT_FIELDS = ("title", "situation", "analysis", "suggestions", "collective_name")
DRAFT_FIELDS = (
    *TEXT_FIELDS,
    "kind",
    "collective_type",
    "category",
    "publish_consent",
    "suggested_units",
)


TITLE_MIN_LENGTH = 5
TITLE_ENDINGS = ("建议", "提案")


def title_problem(title: str, max_length: int) -> str | None:
    """What is wrong with a 案由, or None: it reads "关于……的建议" (or "……的提案")."""
    title = title.strip()
    if not title:
        return _("请填写案由。")
    if len(title) > max_length:
        return _("案由不能超过 %(n)s 个字。") % {"n": max_length}
    if len(title) < TITLE_MIN_LENGTH:
        return _("案由太短：请写成“关于……的建议”，至少 %(n)s 个字。") % {"n": TITLE_MIN_LENGTH}
    if not title.startswith("关于") or not title.endswith(TITLE_ENDINGS):
        return _("案由应以“关于”开头、以“建议”或“提案”结尾，例如“关于加强农村养老服务的建议”。")
    return None


def _check_fields(org: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """Lenient checks for a draft (it may be half written): lengths and choices only."""
    conf = settings_for(org)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise Invalid(_("多余的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    limits = {"title": conf.title_max_length, "collective_name": 100}
    for name in TEXT_FIELDS:
        if name in fields:
            text = str(fields[name] or "").strip()
            limit = limits.get(name, conf.body_max_length)
            if len(text) > limit:
                errors[name] = [
                    _("不能超过 %(n)s 个字（现为 %(m)s 个字）。") % {"n": limit, "m": len(text)}
                ]
            clean[name] = text
    if "kind" in fields:
        if fields["kind"] not in Proposal.Kind.values:
            errors["kind"] = [_("提案类型无效。")]
        clean["kind"] = fields["kind"]
    if "collective_type" in fields:
        value = fields["collective_type"] or ""
        if value and value not in Proposal.CollectiveType.values:
            errors["collective_type"] = [_("提案单位类型无效。")]
        clean["collective_type"] = value
    if "category" in fields:
        value = fields["category"] or ""
        if value and value not in conf.categories:
            errors["category"] = [_("类别“%(c)s”无效。") % {"c": value}]
        clean["category"] = value
    if "publish_consent" in fields:
        clean["publish_consent"] = bool(fields["publish_consent"])
    if "suggested_units" in fields:
        ids = {int(getattr(u, "pk", u)) for u in fields["suggested_units"] or []}
        units = list(Unit.objects.filter(pk__in=ids, org=org, is_active=True))
        if len(units) != len(ids):
            errors["suggested_units"] = [_("建议承办单位无效或不属于本会。")]
        clean["suggested_units"] = units
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    return clean


def _check_membership(actor: Any, membership: Membership) -> None:
    if membership.user_id != actor.pk:
        raise Forbidden()
    current = Membership.objects.filter(
        pk=membership.pk, status=Membership.Status.ACTIVE, term__is_current=True
    ).exists()
    if not current:
        raise Forbidden(_("只有本届在职委员可以提出提案。"))


@transaction.atomic
def proposal_create_draft(*, actor: Any, membership: Membership, **fields: Any) -> Proposal:
    """A new draft by ``membership`` (the first proposer, or a collective's contact)."""
    _check_membership(actor, membership)
    session = current_session(membership.org)
    if session is None:
        raise Invalid(_("本届尚未设置会议，暂不能提出提案。请联系提案委。"))
    clean = _check_fields(membership.org, fields)
    units = clean.pop("suggested_units", [])
    p = Proposal.objects.create(org=membership.org, session=session, author=membership, **clean)
    p.suggested_units.set(units)
    audit_record(actor=actor, action="proposals.draft_created", target=p)
    return p


@transaction.atomic
def proposal_save_draft(
    *, actor: Any, proposal: Proposal | None, membership: Membership | None = None, **fields: Any
) -> Proposal:
    """Save a draft (or a returned proposal being revised); creates it when ``proposal`` is
    None. Only the author may; a proposal that was submitted meanwhile gives a Conflict."""
    if proposal is None:
        if membership is None:
            raise Invalid(_("请选择以哪个政协的委员身份提出提案。"))
        return proposal_create_draft(actor=actor, membership=membership, **fields)
    if proposal.author.user_id != actor.pk:
        raise Forbidden()
    clean = _check_fields(proposal.org, fields)
    units = clean.pop("suggested_units", None)
    clean["updated_at"] = timezone.now()
    updated = Proposal.objects.filter(pk=proposal.pk, status__in=EDITABLE).update(**clean)
    if not updated:
        raise Conflict(_("这件提案已经提交，不能再修改草稿。"))
    if units is not None:
        proposal.suggested_units.set(units)
    if clean.get("kind", proposal.kind) != Proposal.Kind.JOINT:
        proposal.cosigners.filter(status=Cosigner.Status.INVITED).delete()
    proposal.refresh_from_db()
    similarity.reindex([proposal])  # written with update(): no post_save
    return proposal


def _editable_by_author(actor: Any, proposal: Proposal) -> None:
    if proposal.author.user_id != actor.pk:
        raise Forbidden()
    if proposal.status not in EDITABLE:
        raise Conflict(_("这件提案已经提交，不能再修改。"))


@transaction.atomic
def proposal_invite_cosigners(
    *, actor: Any, proposal: Proposal, memberships: list[int]
) -> list[Cosigner]:
    """Invite members of the same committee and term to cosign; each must confirm."""
    _editable_by_author(actor, proposal)
    if proposal.kind != Proposal.Kind.JOINT:
        raise Invalid(_("只有联名提案可以邀请联名人。"))
    author = Membership.objects.only("term_id").get(pk=proposal.author_id)
    wanted = {int(m) for m in memberships}
    found = Membership.objects.filter(
        pk__in=wanted,
        org_id=proposal.org_id,
        term_id=author.term_id,
        status=Membership.Status.ACTIVE,
    ).exclude(pk=proposal.author_id)
    if found.count() != len(wanted):
        raise Invalid(_("只能邀请本届、本会的在职委员联名（不能邀请自己）。"))
    existing = set(proposal.cosigners.values_list("membership_id", flat=True))
    made = [
        Cosigner.objects.create(proposal=proposal, membership=m)
        for m in found.select_related("user")
        if m.pk not in existing
    ]
    if made:
        audit_record(
            actor=actor,
            action="proposals.cosigners_invited",
            target=proposal,
            data={"memberships": [c.membership_id for c in made]},
        )
    return made


@transaction.atomic
def proposal_remove_cosigner(*, actor: Any, proposal: Proposal, cosigner_id: int) -> None:
    _editable_by_author(actor, proposal)
    cosigner = proposal.cosigners.filter(pk=cosigner_id).first()
    if cosigner is None:
        raise NotFound()
    cosigner.delete()
    audit_record(
        actor=actor,
        action="proposals.cosigner_removed",
        target=proposal,
        data={"membership": cosigner.membership_id},
    )


def proposal_act(*, actor: Any, proposal: Proposal, action: str, **fields: Any) -> Proposal:
    """One step of the proposal workflow (submit, cosign, review, assign, ...)."""
    if action in ("submit", "resubmit") and proposal.author.user_id == getattr(actor, "pk", None):
        _check_before_submit(proposal)
    result: Proposal = transition(proposal, action, actor=actor, **fields)
    return result


def _check_before_submit(p: Proposal) -> None:
    """The complete-proposal rules, each beside its field (the engine's guard checks them too)."""
    errors: dict[str, list[str]] = {}
    conf = settings_for(p.org)
    problem = title_problem(p.title, conf.title_max_length)
    if problem:
        errors["title"] = [problem]
    if not p.situation.strip():
        errors["situation"] = [_("请填写情况。")]
    if not p.suggestions.strip():
        errors["suggestions"] = [_("请填写建议。")]
    if p.kind == Proposal.Kind.COLLECTIVE:
        if not p.collective_type:
            errors["collective_type"] = [_("请选择提案单位类型。")]
        if not p.collective_name.strip():
            errors["collective_name"] = [_("请填写提案单位名称。")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
