"""What the roster puts on people's home pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.models import Membership, Role
from shangliang.accounts.permissions import paths_for, scope_q
from shangliang.core.todo import TodoItem, todo_provider


@todo_provider
def exits_to_decide(user: Any) -> list[TodoItem]:
    paths = paths_for(user, [Role.Kind.LEADER])
    if not paths:
        return []
    count = Membership.objects.filter(scope_q(paths), status=Membership.Status.EXIT_PENDING).count()
    url = reverse("roster:mine") + "?status=exit_pending"
    return [TodoItem(_("委员退出待审批"), url, count, urgent=True)]
