"""Units' pages: the reports forwarded to them (转送件) and their replies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shangliang.core.errors import DomainError
from shangliang.core.forms import show_domain_error
from shangliang.core.http import AuthedRequest
from shangliang.opinions.forms import ReplyForm
from shangliang.opinions.selectors import forwarded_to
from shangliang.opinions.services import forwarding_reply


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    page = Paginator(forwarded_to(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request, "opinions/unit/inbox.html", {"page": page, "nav_active": "opinions_unit"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def forwarding(request: AuthedRequest, forwarding_id: int) -> HttpResponse:
    f = forwarded_to(user=request.user).filter(pk=forwarding_id).first()
    if f is None:
        raise Http404
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            forwarding_reply(actor=request.user, forwarding=f, text=form.cleaned_data["text"])
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已回复。"))
            return redirect("opinions:unit_inbox")
    context = {"f": f, "o": f.opinion, "form": form, "nav_active": "opinions_unit"}
    return render(request, "opinions/unit/forwarding.html", context)
