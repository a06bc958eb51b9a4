from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from shangliang.core.http import AuthedRequest
from shangliang.core.todo import todos_for
from shangliang.orgs.selectors import org_tree
from shangliang.web.selectors import audit_events_visible_to


def home(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "web/landing.html", {"orgs": org_tree(), "nav_active": "home"})
    return render(
        request, "web/home.html", {"todos": todos_for(request.user), "nav_active": "home"}
    )


def audit(request: AuthedRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    events = audit_events_visible_to(user=request.user, action=request.GET.get("action", ""))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    template = "web/audit.html#rows" if request.htmx else "web/audit.html"
    return render(request, template, {"page": page, "nav_active": "audit"})
