"""Writes about opinion reports: drafting (here), every workflow step (:func:`opinion_act`,
through the engine), feedback and the topic guide (``feedback.py``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import Membership, Role, User
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid
from shangliang.core.workflow import transition, workflow_for
from shangliang.opinions.models import Forwarding, Issue, Opinion, Reporter
from shangliang.opinions.steps import char_count, precheck, serving_membership, settings_for
from shangliang.orgs.models import Organization

EDITABLE = (Opinion.Status.DRAFT, Opinion.Status.RETURNED)
TEXT_FIELDS = ("title", "situation", "analysis", "suggestions", "reporter_unit")
DRAFT_FIELDS = (*TEXT_FIELDS, "reporter_kind", "co_reporters")
COLLECTIVE = (
    Opinion.ReporterKind.PARTY,
    Opinion.ReporterKind.PEOPLES_ORG,
    Opinion.ReporterKind.COMMITTEE,
    Opinion.ReporterKind.SECTOR,
    Opinion.ReporterKind.LOWER,
)


def is_informant(user: Any, org: Any) -> bool:
    return Role.objects.filter(user=user, org=org, kind=Role.Kind.INFORMANT).exists()


def reporting_orgs(user: Any) -> list[Organization]:
    """The committees where the user may write reports: as a serving member of this term,
    as an informant (特邀信息员), or as staff writing for a party, sector or committee."""
    if not user.is_authenticated:
        return []
    member = Membership.objects.filter(
        user=user, term__is_current=True, status=Membership.Status.ACTIVE
    ).values("org_id")
    roles = Role.objects.filter(user=user).values("org_id")
    return list(
        Organization.objects.filter(Q(pk__in=member) | Q(pk__in=roles), is_active=True).order_by(
            "path"
        )
    )


def _seat(actor: Any, org: Organization, kind: str) -> Membership | None:
    """The actor's membership at ``org`` (None for an informant or staff); Forbidden when the
    actor may not report there in that capacity."""
    membership = serving_membership(actor, org)
    if kind == Opinion.ReporterKind.MEMBER:
        if membership is None:
            raise Forbidden(_("只有本会本届委员可以以委员身份报送信息。"))
        return membership
    if kind == Opinion.ReporterKind.INFORMANT:
        if not is_informant(actor, org):
            raise Forbidden(_("您不是本会的特邀信息员。"))
        return None
    if membership is None and not Role.objects.filter(user=actor, org=org).exists():
        raise Forbidden(_("您不能代表本会的单位报送信息。"))
    return membership


def _clean(org: Organization, fields: dict[str, Any]) -> dict[str, Any]:
    conf = settings_for(org)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise Invalid(_("多余的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            clean[name] = str(fields[name] or "").strip()
    if char_count(clean.get("title", "")) > conf.title_max_length:
        errors["title"] = [_("标题不能超过 %(n)s 个字。") % {"n": conf.title_max_length}]
    if len(clean.get("reporter_unit", "")) > 100:
        errors["reporter_unit"] = [_("反映单位不能超过 100 个字。")]
    if "reporter_kind" in fields:
        if fields["reporter_kind"] not in Opinion.ReporterKind.values:
            errors["reporter_kind"] = [_("反映人身份无效。")]
        clean["reporter_kind"] = fields["reporter_kind"]
    if "co_reporters" in fields:
        clean["co_reporters"] = _co_reporters(org, fields["co_reporters"] or [], errors)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    return clean


def _co_reporters(org: Organization, ids: list[Any], errors: dict[str, list[str]]) -> list[User]:
    try:
        wanted = list(dict.fromkeys(int(getattr(u, "pk", u)) for u in ids))
    except (TypeError, ValueError):
        errors["co_reporters"] = [_("联名反映人无效。")]
        return []
    members = Membership.objects.filter(
        org=org, term__is_current=True, status=Membership.Status.ACTIVE
    ).values("user_id")
    informants = Role.objects.filter(org=org, kind=Role.Kind.INFORMANT).values("user_id")
    found = sorted(
        User.objects.filter(Q(pk__in=members) | Q(pk__in=informants), pk__in=wanted),
        key=lambda u: wanted.index(u.pk),
    )
    if len(found) != len(wanted):
        errors["co_reporters"] = [_("联名反映人须为本会本届委员或特邀信息员。")]
    return found


def _text_length(o: Opinion) -> None:
    conf = settings_for(o.org)
    total = char_count(o.situation) + char_count(o.analysis) + char_count(o.suggestions)
    if total > conf.max_length:
        msg = _("正文不能超过 %(n)s 字（现为 %(m)s 字）。") % {"n": conf.max_length, "m": total}
        raise Invalid(msg, fields={"text": [msg]})


def _set_reporters(o: Opinion, co: list[User]) -> None:
    Reporter.objects.filter(opinion=o, first=False).exclude(user_id=o.author_id).delete()
    for user in co:
        if user.pk == o.author_id:
            continue
        Reporter.objects.get_or_create(
            opinion=o,
            user=user,
            defaults={"membership": serving_membership(user, o.org), "org": o.org},
        )


@transaction.atomic
def opinion_save_draft(
    *, actor: Any, opinion: Opinion | None = None, org: Organization | None = None, **fields: Any
) -> Opinion:
    """Write a new draft at ``org`` or save one (or a returned report being supplemented).
    Only its author may; a report that was submitted meanwhile gives a Conflict."""
    if opinion is None:
        if org is None:
            raise Invalid(_("请选择向哪个政协报送。"), fields={"org": [_("必填")]})
        clean = _clean(org, fields)
        kind = clean.get("reporter_kind") or (
            Opinion.ReporterKind.MEMBER
            if serving_membership(actor, org)
            else Opinion.ReporterKind.INFORMANT
        )
        membership = _seat(actor, org, kind)
        if kind in COLLECTIVE and not clean.get("reporter_unit"):
            msg = _("以单位名义报送须填写反映单位。")
            raise Invalid(msg, fields={"reporter_unit": [msg]})
        co = clean.pop("co_reporters", [])
        o = Opinion(org=org, author=actor, **{**clean, "reporter_kind": kind})
        _text_length(o)
        o.save()
        Opinion.objects.filter(pk=o.pk).update(origin=o)
        o.origin_id = o.pk
        Reporter.objects.create(opinion=o, user=actor, membership=membership, org=org, first=True)
        _set_reporters(o, co)
        audit_record(actor=actor, action="opinions.draft_created", target=o)
        return o
    if opinion.author_id != actor.pk:
        raise Forbidden()
    clean = _clean(opinion.org, fields)
    co_list = clean.pop("co_reporters", None)
    if "reporter_kind" in clean and clean["reporter_kind"] != opinion.reporter_kind:
        _seat(actor, opinion.org, clean["reporter_kind"])
    for name, value in clean.items():
        setattr(opinion, name, value)
    _text_length(opinion)
    clean["updated_at"] = timezone.now()
    if not Opinion.objects.filter(pk=opinion.pk, status__in=EDITABLE).update(**clean):
        raise Conflict(_("这篇信息已经报送，不能再修改。"))
    if co_list is not None:
        _set_reporters(opinion, co_list)
    opinion.refresh_from_db()
    return opinion


@transaction.atomic
def opinion_save_and_submit(
    *, actor: Any, opinion: Opinion | None = None, org: Organization | None = None, **fields: Any
) -> Opinion:
    """Save the draft (or the returned report being supplemented) and send it: ``submit``,
    or ``resubmit`` after a return; nothing is saved when sending fails."""
    saved = opinion_save_draft(actor=actor, opinion=opinion, org=org, **fields)
    action = "resubmit" if saved.status == Opinion.Status.RETURNED else "submit"
    return opinion_act(actor=actor, opinion=saved, action=action)


def opinion_act(
    *, actor: Any, opinion: Opinion, action: str, seen_version: str | None = None, **fields: Any
) -> Opinion:
    """One step of the report's workflow (submit, edit, check, sign_off, publish, ...).
    ``seen_version`` is the ``updated_at`` the editor's page showed: a change meanwhile is a
    Conflict (409), so a second editor never overwrites the first."""
    if action == "unpublish" and opinion.issue_id is not None:  # the issue's own service
        from shangliang.opinions.services.issues import issue_remove

        issue = Issue.objects.select_related("org").get(pk=opinion.issue_id)
        return issue_remove(
            actor=actor, issue=issue, opinion_id=opinion.pk, reason=fields.get("reason") or ""
        )
    act = workflow_for(opinion).action(action)
    if act.allowed(actor, opinion):  # who may not act learns nothing from the messages
        if seen_version is not None and seen_version != opinion.updated_at.isoformat():
            raise Conflict(_("这篇信息已被他人修改，请刷新后再编辑。"))
        problem = precheck(opinion, action)
        if problem:
            raise Invalid(problem)
        if action in ("submit", "resubmit"):
            from shangliang.opinions.steps import text_problems

            errors = text_problems(opinion)
            if errors:
                raise Invalid(next(iter(errors.values()))[0], fields=errors)
    result: Opinion = transition(opinion, action, actor=actor, **fields)
    return result


def forwarding_reply(*, actor: Any, forwarding: Forwarding, text: str) -> Forwarding:
    result: Forwarding = transition(forwarding, "reply", actor=actor, text=text)
    return result
