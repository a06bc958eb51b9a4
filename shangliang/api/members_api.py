"""Members (委员): an organisation's roster, one member, and the steps of their workflow."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Body, Query, Router
from pydantic import StringConstraints

from shangliang.accounts.models import Membership
from shangliang.accounts.permissions import can
from shangliang.accounts.services import membership_act
from shangliang.api.idempotency import idempotent
from shangliang.api.paging import page_of
from shangliang.api.schemas import (
    ActionFields,
    ActionOut,
    HistoryOut,
    Id,
    MemberDetailOut,
    MemberFilters,
    MemberOut,
    MemberPage,
    PageIn,
    RefOut,
    errors,
)
from shangliang.api.selectors import org_active
from shangliang.core.audit import history_for
from shangliang.core.errors import Invalid, NotFound
from shangliang.core.http import AuthedRequest
from shangliang.core.models import AuditEvent
from shangliang.core.workflow import Action, Workflow, available_actions, workflow_for
from shangliang.roster.selectors import RosterFilters, membership_visible, roster_for

router = Router(tags=["members"])

HISTORY_LIMIT = 100
ActionName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def member_out(m: Membership, *, private: bool) -> MemberOut:
    user = m.user
    return MemberOut(
        id=m.pk,
        user_id=m.user_id,
        name=user.display_name,
        org_id=m.org_id,
        term=RefOut(id=m.term_id, name=m.term.name),
        position=m.position,
        position_label=str(m.get_position_display()),
        is_standing=m.is_standing,
        sector=RefOut(id=m.sector.pk, name=m.sector.name) if m.sector else None,
        committee=RefOut(id=m.committee.pk, name=m.committee.name) if m.committee else None,
        groups=[RefOut(id=g.pk, name=g.name) for g in m.groups.all()],
        workplace=user.workplace,
        party=user.party,
        status=m.status,
        status_label=str(m.get_status_display()),
        joined_on=m.joined_on,
        phone=user.phone if private else None,
        gender=user.gender if private else None,
        ethnicity=user.ethnicity if private else None,
        birth_month=user.birth_month.strftime("%Y-%m") if private and user.birth_month else None,
        status_reason=m.status_reason if private else None,
        status_changed_on=m.status_changed_on if private else None,
    )


def sees_private(user: Any, m: Membership) -> bool:
    return m.user_id == user.pk or can(user, "orgs.view_private", m.org)


def action_out(action: Action) -> ActionOut:
    return ActionOut(
        name=action.name,
        label=str(action.label),
        confirm=str(action.confirm),
        fields=[f.as_dict() for f in action.fields],
    )


def history_out(event: AuditEvent, wf: Workflow) -> HistoryOut:
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    name = event.action.removeprefix(f"{wf.name}.")
    label = next((str(a.label) for a in wf.actions if a.name == name), event.action)
    fields = data.get("fields", {k: v for k, v in data.items() if k not in ("from", "to")})
    return HistoryOut(
        action=event.action,
        label=label,
        actor=event.actor_label or None,
        time=event.created_at,
        from_state=data.get("from"),
        to_state=data.get("to"),
        fields=fields if isinstance(fields, dict) else {},
    )


def member_detail_out(user: Any, m: Membership) -> MemberDetailOut:
    wf = workflow_for(m)
    private = sees_private(user, m)
    history = [history_out(e, wf) for e in history_for(m)[:HISTORY_LIMIT]] if private else None
    return MemberDetailOut(
        **member_out(m, private=private).model_dump(),
        org_name=m.org.name,
        state=wf.state_of(m),
        state_label=str(wf.states(wf.state_of(m)).label),
        available_actions=[action_out(a) for a in available_actions(user, m)],
        history=history,
    )


@router.get(
    "/orgs/{org_id}/members",
    response={200: MemberPage, **errors(401, 404, 422)},
    summary="The members of one committee (current term unless `term` is given), paged",
    description="Private fields (phone, gender, ethnicity, birth_month, status_reason, "
    "status_changed_on) are null unless the caller may see the committee's private data. "
    "A committee whose roster the caller may not read answers 404.",
)
def member_list(
    request: AuthedRequest,
    org_id: Id,
    filters: Query[MemberFilters],
    paging: Query[PageIn],
) -> MemberPage:
    org = org_active(org_id=org_id)
    members = roster_for(
        user=request.user,
        org=org,
        filters=RosterFilters(
            q=filters.q.strip(),
            sector=filters.sector,
            committee=filters.committee,
            group=filters.group,
            position=filters.position or "",
            status=filters.status or "",
            term=filters.term,
        ),
    )
    count, rows = page_of(members, paging)
    private = can(request.user, "orgs.view_private", org)
    return MemberPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[member_out(m, private=private or m.user_id == request.user.pk) for m in rows],
    )


@router.get(
    "/members/{member_id}",
    response={200: MemberDetailOut, **errors(401, 404, 422)},
    by_alias=True,
    summary="One member, with the workflow state, the caller's available actions and history",
)
def member_detail(request: AuthedRequest, member_id: Id) -> MemberDetailOut:
    m = membership_visible(user=request.user, membership_id=member_id)
    return member_detail_out(request.user, m)


@router.post(
    "/members/{member_id}/actions/{action}",
    response={200: MemberDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    by_alias=True,
    summary="Take one step of the member's workflow (suspend, reinstate, propose_exit, ...)",
    description="The body is a JSON object with the action's fields (see `available_actions`). "
    "Returns the member as it is afterwards. 409 when the member has moved on meanwhile.",
)
@idempotent
def member_act(
    request: AuthedRequest,
    member_id: Id,
    action: ActionName,
    payload: Body[ActionFields | None] = None,
) -> MemberDetailOut:
    m = membership_visible(user=request.user, membership_id=member_id)
    step = next((a for a in workflow_for(m).actions if a.name == action), None)
    if step is None:
        raise NotFound(_("没有这个操作：%(a)s") % {"a": action})
    values = payload or {}
    unknown = sorted(set(values) - {f.name for f in step.fields})
    if unknown:
        raise Invalid(
            _("多余的字段：%(f)s") % {"f": ", ".join(unknown)},
            fields={name: [_("此操作没有这个字段")] for name in unknown},
        )
    m = membership_act(actor=request.user, membership=m, action=action, **values)
    return member_detail_out(request.user, m)
