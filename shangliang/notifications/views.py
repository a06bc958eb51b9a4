from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from shangliang.core.http import AuthedRequest
from shangliang.notifications.selectors import notifications_of
from shangliang.notifications.services import CHANNEL, notifications_mark_read, unread_count

PAGE_SIZE = 30


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notifications_of(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": unread_count(request.user),
        "live_url": reverse("live:stream", args=[CHANNEL, request.user.pk]),
        "nav_active": "notifications",
    }
    template = "notifications/inbox.html"
    if request.htmx:
        template += "#list"
    return TemplateResponse(request, template, context)


@login_required
@require_POST
def mark_read(request: AuthedRequest) -> HttpResponse:
    raw = request.POST.get("id")
    ids = [int(raw)] if raw and raw.isdigit() else None
    notifications_mark_read(actor=request.user, ids=ids)
    return redirect("notifications:inbox")
