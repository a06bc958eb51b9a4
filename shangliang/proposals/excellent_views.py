"""优秀提案 pages for the proposal office and the leaders: the nomination list of a committee
(by state and session, Excel export, the leaders' bulk confirmation, the office's bulk
publication), nominating a proposal, and one nomination with its steps and history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.accounts.permissions import can, is_staff_of, staff_orgs_q
from shangliang.core.audit import history_for
from shangliang.core.errors import DomainError, NotFound
from shangliang.core.forms import StyledFormMixin, action_form, form_errors_text, show_domain_error
from shangliang.core.http import AuthedRequest
from shangliang.core.workflow import available_actions, workflow_for
from shangliang.core.xlsx import workbook_response
from shangliang.orgs.models import Organization, Session
from shangliang.proposals.excellent_models import ExcellentNomination
from shangliang.proposals.excellent_selectors import (
    NOMINABLE,
    VIEWERS,
    NominationFilters,
    active_nomination,
    excellent_label,
    nominable_proposals,
    nomination_visible,
    nominations_of,
    proposers_public,
    status_counts,
)
from shangliang.proposals.models import Proposal
from shangliang.proposals.permissions import LEADERS, OFFICE
from shangliang.proposals.services.excellent import (
    excellent_nominate,
    nomination_act,
    nominations_bulk_act,
    nominations_export,
)

N = ExcellentNomination.Status
PAGE_SIZE = 50
BULK = {"confirm": N.RECOMMENDED, "publish": N.CONFIRMED}  # action → the tab it is offered on


def excellent_orgs_for(user: Any) -> QuerySet[Organization]:
    """The committees whose nominations the user works on (office, leader, administrator)."""
    return Organization.objects.filter(staff_orgs_q(user, VIEWERS, prefix=""), is_active=True)


def excellent_context(user: Any, p: Proposal) -> dict[str, Any]:
    """What the proposal page shows about excellence: the badge, the nomination, the button."""
    if p.status not in NOMINABLE:
        return {"label": "", "nomination": None, "may_nominate": False}
    staff = can(user, "proposals.view_excellent", p.org)
    nomination = active_nomination(p) if staff else None
    return {
        "label": excellent_label(p),
        "nomination": nomination,
        "may_nominate": nomination is None
        and staff
        and can(user, "proposals.nominate_excellent", p),
    }


def _org(request: AuthedRequest, org_id: int) -> Organization:
    org = Organization.objects.filter(pk=org_id, is_active=True).first()
    if org is None or not can(request.user, "proposals.view_excellent", org):
        raise Http404
    return org


class NominationFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[("", ""), *N.choices], required=False, widget=forms.HiddenInput
    )
    session = forms.TypedChoiceField(
        label=gettext_lazy("会议"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label=gettext_lazy("案由或编号"), required=False, max_length=100)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = Session.objects.filter(term__org=org).order_by("-opens_on")
        field: Any = self.fields["session"]
        field.choices = [("", _("全部会议")), *((s.pk, s.name) for s in sessions)]

    def filters(self, org: Organization) -> NominationFilters:
        if not self.is_valid():
            return NominationFilters(org=org.pk)
        data = self.cleaned_data
        return NominationFilters(
            org=org.pk, session=data["session"], status=data["status"], q=data["q"]
        )


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    org = excellent_orgs_for(request.user).order_by("path").first()
    if org is None:
        raise Http404
    target = redirect("proposals:excellent_list", org_id=org.pk)
    if request.GET:
        target["Location"] += "?" + request.GET.urlencode()
    return target


@login_required
@require_GET
def nomination_list(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    form = NominationFilterForm(request.GET or None, org=org)
    filters = form.filters(org)
    rows = nominations_of(user=request.user, org=org, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = status_counts(org=org, session=filters.session)
    bulk = next((a for a, tab in BULK.items() if tab == filters.status), "")
    if bulk == "confirm" and not is_staff_of(request.user, org, LEADERS):
        bulk = ""
    if bulk == "publish" and not is_staff_of(request.user, org, OFFICE):
        bulk = ""
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("status", None)
    context = {
        "org": org,
        "orgs": excellent_orgs_for(request.user).order_by("path"),
        "form": form,
        "page": page,
        "rows": [(n, proposers_public(n)) for n in page],
        "tabs": [("", _("全部"), sum(counts.values()))]
        + [(s, label, counts[s]) for s, label in N.choices],
        "current": filters.status,
        "bulk": bulk,
        "query": query.urlencode(),
        "tab_query": tab_query.urlencode(),
        "may_nominate": is_staff_of(request.user, org, OFFICE + LEADERS),
        "nav_active": "excellent",
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "proposals/excellent/list.html#rows" if partial else "proposals/excellent/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def nomination_xlsx(request: AuthedRequest, org_id: int) -> FileResponse:
    org = _org(request, org_id)
    filters = NominationFilterForm(request.GET or None, org=org).filters(org)
    rows = list(nominations_of(user=request.user, org=org, filters=filters)[:5000])
    wb = nominations_export(actor=request.user, org=org, rows=rows)
    filename = _("%(org)s-优秀提案提名-%(d)s.xlsx") % {
        "org": org.short_name or org.name,
        "d": timezone.localdate().strftime("%Y%m%d"),
    }
    return workbook_response(wb, filename)


@login_required
@require_POST
def nomination_bulk(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    action = request.POST.get("do", "")
    ids = [int(v) for v in request.POST.getlist("n") if v.isdigit()]
    target = redirect("proposals:excellent_list", org_id=org.pk)
    if action in BULK:
        target["Location"] += f"?status={BULK[action]}"
    if not ids or action not in BULK:
        messages.warning(request, _("请先勾选提名。"))
        return target
    results = nominations_bulk_act(actor=request.user, org=org, ids=ids, action=action)
    done = [r for r in results if r.ok]
    if done:
        messages.success(request, _("已办理 %(n)s 件。") % {"n": len(done)})
    for r in results:
        if not r.ok:
            messages.error(request, f"{r.label}：{r.message}")
    return target


class NominateForm(StyledFormMixin, forms.Form):
    proposal = forms.ModelChoiceField(
        label=gettext_lazy("提案"), queryset=Proposal.objects.none(), empty_label="—"
    )
    reason = forms.CharField(
        label=gettext_lazy("提名理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("选题是否准确、针对性是否强、办理成效是否显著。"),
    )

    def __init__(self, *args: Any, org: Organization, q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["proposal"]
        candidates = nominable_proposals(org=org, q=q)
        # the list shown is capped (search narrows it); a posted choice is checked against all
        field.queryset = candidates if self.is_bound else candidates[:300]
        field.label_from_instance = lambda p: f"{p.number_label} {p.title}（{p.session.name}）"


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    if not is_staff_of(request.user, org, OFFICE + LEADERS):
        raise Http404
    q = request.GET.get("q", "")[:100]
    status = 200
    if request.method == "POST":
        form = NominateForm(request.POST, org=org)
        if form.is_valid():
            try:
                n = excellent_nominate(
                    actor=request.user,
                    proposal=form.cleaned_data["proposal"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                show_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已提名为优秀提案候选。"))
                return redirect("proposals:excellent_detail", excellent_id=n.pk)
        else:
            status = 422
    else:
        initial = {}
        wanted = request.GET.get("proposal", "")
        if wanted.isdigit():
            initial["proposal"] = int(wanted)
        form = NominateForm(initial=initial, org=org, q=q)
    context = {"org": org, "form": form, "q": q, "nav_active": "excellent"}
    return render(request, "proposals/excellent/nominate.html", context, status=status)


def _visible(request: AuthedRequest, pk: int) -> ExcellentNomination:
    try:
        return nomination_visible(user=request.user, nomination_id=pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def nomination_detail(request: AuthedRequest, excellent_id: int) -> HttpResponse:
    n = _visible(request, excellent_id)
    actions = [(a, action_form(a)) for a in available_actions(request.user, n)]
    context = {
        "n": n,
        "p": n.proposal,
        "proposers": proposers_public(n),
        "actions": actions,
        "workflow": workflow_for(n),
        "history": history_for(n).select_related("actor").order_by("-created_at", "-id")[:100],
        "nav_active": "excellent",
    }
    return render(request, "proposals/excellent/detail.html", context)


@login_required
@require_POST
def nomination_action(request: AuthedRequest, excellent_id: int, action: str) -> HttpResponse:
    n = _visible(request, excellent_id)
    try:
        step = workflow_for(n).action(action)
    except DomainError:
        raise Http404 from None
    form = action_form(step, request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("proposals:excellent_detail", excellent_id=n.pk)
    values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        nomination_act(actor=request.user, nomination=n, action=action, **values)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已执行：%(a)s") % {"a": step.label})
    return redirect("proposals:excellent_detail", excellent_id=n.pk)
