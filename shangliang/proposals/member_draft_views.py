"""Drafting a proposal: the form (autosaved with htmx every few seconds after a change),
submitting it, inviting cosigners and adding attachments."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.accounts.models import Membership
from shangliang.core.errors import Conflict, DomainError
from shangliang.core.forms import show_domain_error
from shangliang.core.http import AuthedRequest
from shangliang.proposals.forms import AttachmentForm, DraftForm, draft_initial
from shangliang.proposals.member_views import get_visible
from shangliang.proposals.models import Proposal
from shangliang.proposals.selectors import cosigner_candidates, memberships_for_drafting
from shangliang.proposals.services.attachments import (
    proposal_add_attachment,
    proposal_remove_attachment,
)
from shangliang.proposals.services.drafting import (
    EDITABLE,
    proposal_act,
    proposal_invite_cosigners,
    proposal_remove_cosigner,
    proposal_save_draft,
)

TOKENS = "proposal_draft_tokens"  # session: the form's token → the draft it created


def _seats(request: AuthedRequest) -> list[Membership]:
    return list(memberships_for_drafting(user=request.user))


def _draft_form(request: AuthedRequest, p: Proposal | None, data: Any = None) -> DraftForm:
    seats = _seats(request) if p is None else []
    if p is None and not seats:
        raise Http404(_("只有本届在职委员可以提出提案。"))
    org = p.org if p is not None else seats[0].org
    choices = [(m.pk, f"{m.org} · {m.term}") for m in seats]
    initial = draft_initial(p) if p is not None else {"publish_consent": True}
    return DraftForm(data, org=org, memberships=choices, initial=initial)


def _render_form(
    request: AuthedRequest, p: Proposal | None, form: DraftForm, token: str = ""
) -> HttpResponse:
    context: dict[str, Any] = {
        "p": p,
        "form": form,
        "token": token or uuid.uuid4().hex,
        "nav_active": "proposals",
    }
    if p is not None:
        context.update(
            cosigners=p.cosigners.select_related("membership__user").order_by("id"),
            attachments=p.attachments.all(),
            attachment_form=AttachmentForm(),
        )
    return render(request, "proposals/draft.html", context)


def _editable(request: AuthedRequest, pk: int) -> Proposal:
    p = get_visible(request, pk)
    if p.author.user_id != request.user.pk:
        raise Http404
    return p


@login_required
@require_GET
def new(request: AuthedRequest) -> HttpResponse:
    return _render_form(request, None, _draft_form(request, None))


@login_required
@require_GET
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _editable(request, pk)
    if p.status not in EDITABLE:
        messages.info(request, _("这件提案已经提交，不能再修改。"))
        return redirect("proposals:detail", pk=p.pk)
    return _render_form(request, p, _draft_form(request, p))


def _known_draft(request: AuthedRequest) -> Proposal | None:
    """The draft this form already saved: by its id, or by the token of a new form."""
    raw = request.POST.get("proposal") or request.session.get(TOKENS, {}).get(
        request.POST.get("draft_token", "")
    )
    if not raw:
        return None
    try:
        return _editable(request, int(raw))
    except ValueError:
        raise Http404 from None


def _save(request: AuthedRequest, p: Proposal | None, form: DraftForm) -> Proposal:
    membership = None
    if p is None:
        seats = {m.pk: m for m in _seats(request)}
        chosen = form.cleaned_data.get("membership")
        membership = seats.get(int(chosen)) if chosen else next(iter(seats.values()), None)
    saved = proposal_save_draft(
        actor=request.user, proposal=p, membership=membership, **form.service_fields()
    )
    if p is None:
        tokens = request.session.get(TOKENS, {})
        tokens[request.POST.get("draft_token", "")] = saved.pk
        request.session[TOKENS] = dict(list(tokens.items())[-20:])
    return saved


@login_required
@require_POST
def save(request: AuthedRequest) -> HttpResponse:
    """Autosave (htmx: answers with the status line) or the 保存草稿 button."""
    p = _known_draft(request)
    form = _draft_form(request, p, request.POST)
    error = ""
    saved = None
    if form.is_valid():
        try:
            saved = _save(request, p, form)
        except DomainError as exc:
            show_domain_error(form, exc)
            error = exc.detail
    else:
        error = _("有内容需要修改，尚未保存。")
    if request.htmx:
        context = {"saved": saved, "error": error, "created": p is None and saved is not None}
        response = render(request, "proposals/draft.html#status", context)
        if p is None and saved is not None:
            response["HX-Replace-Url"] = reverse("proposals:edit", args=[saved.pk])
        return response
    if saved is None:
        return _render_form(request, p, form, token=request.POST.get("draft_token", ""))
    messages.success(request, _("草稿已保存（%(t)s）。") % {"t": f"{timezone.localtime():%H:%M}"})
    return redirect("proposals:edit", pk=saved.pk)


@login_required
@require_POST
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the form's content and submit (or resubmit a returned proposal). A second tap
    finds the proposal submitted already: it is submitted once."""
    p = _editable(request, pk)
    if p.status not in EDITABLE:
        messages.info(request, _("这件提案已经提交。"))
        return redirect("proposals:detail", pk=p.pk)
    form = _draft_form(request, p, request.POST)
    if not form.is_valid():
        return _render_form(request, p, form)
    step = "resubmit" if p.status == Proposal.Status.RETURNED else "submit"
    try:
        p = _save(request, p, form)
        proposal_act(actor=request.user, proposal=p, action=step)
    except Conflict:
        messages.info(request, _("这件提案已经提交。"))
        return redirect("proposals:detail", pk=p.pk)
    except DomainError as exc:
        show_domain_error(form, exc)
        return _render_form(request, p, form)
    messages.success(request, _("提案已提交，等待提案委审查。"))
    return redirect("proposals:detail", pk=p.pk)


@login_required
@require_GET
def cosigner_search(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _editable(request, pk)
    found = list(cosigner_candidates(proposal=p, q=request.GET.get("q", "")))
    return render(request, "proposals/draft.html#candidates", {"p": p, "candidates": found})


def _back_to_form(request: AuthedRequest, p: Proposal, error: str = "") -> HttpResponse:
    if request.htmx:
        p.refresh_from_db()
        cosigners = p.cosigners.select_related("membership__user").order_by("id")
        context = {"p": p, "cosigners": cosigners, "cosigner_error": error}
        return render(request, "proposals/draft.html#cosigners", context)
    if error:
        messages.error(request, error)
    return redirect("proposals:edit", pk=p.pk)


@login_required
@require_POST
def cosigner_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _editable(request, pk)
    error = ""
    try:
        ids = [int(m) for m in request.POST.getlist("membership")]
        if not ids:
            raise ValueError
        proposal_invite_cosigners(actor=request.user, proposal=p, memberships=ids)
    except ValueError:
        error = _("请选择要邀请的委员。")
    except DomainError as exc:
        error = exc.detail
    return _back_to_form(request, p, error)


@login_required
@require_POST
def cosigner_remove(request: AuthedRequest, pk: int, cosigner_id: int) -> HttpResponse:
    p = _editable(request, pk)
    error = ""
    try:
        proposal_remove_cosigner(actor=request.user, proposal=p, cosigner_id=cosigner_id)
    except DomainError as exc:
        error = exc.detail
    return _back_to_form(request, p, error)


@login_required
@require_http_methods(["POST"])
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _editable(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("proposals:edit", pk=p.pk)
    try:
        proposal_add_attachment(actor=request.user, proposal=p, file=form.cleaned_data["file"])
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("proposals:edit", pk=p.pk)


@login_required
@require_POST
def attachment_remove(request: AuthedRequest, pk: int, attachment_id: int) -> HttpResponse:
    p = _editable(request, pk)
    try:
        proposal_remove_attachment(actor=request.user, proposal=p, attachment_id=attachment_id)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("proposals:edit", pk=p.pk)
