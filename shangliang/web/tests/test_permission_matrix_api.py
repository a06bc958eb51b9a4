"""The permission matrix of the API: every operation of the OpenAPI document, every
persona (with a bearer token), the province's and county B's objects.

An operation with no entry in :data:`OPERATIONS` fails :func:`test_it_classifies_every_operation`.
Every answer is also checked against the OpenAPI document (``ApiClient``). Writes run
inside a transaction that is rolled back; a persona that is not allowed must be refused
(401/403/404) and must not have written anything.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from shangliang.accounts.models import ApiToken, User
from shangliang.api.tests.schema import ApiClient, openapi
from shangliang.core.models import AuditEvent
from shangliang.web.tests.security_cast import (
    B_PHONE,
    MARKER,
    MEMBER_MARKER,
    PERSONAS,
    Objects,
    SecurityCast,
    build_cast,
)
from shangliang.web.tests.urlwalk import body_text

LOGGED_IN = frozenset(PERSONAS) - {"anon"}
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
S = frozenset
MEMBERS = S({"member", "m2", "a_member"})
MANAGERS = S({"office", "admin"})
ROSTER_READERS = S({"member", "m2", "p_office", "office", "leader", "admin", "i_office"})
PROPOSAL_READERS_OWN = S({"member", "unit", "p_office", "leader", "admin"})
PROPOSAL_READERS_OTHER = S({"p_office", "leader", "admin"})
PRIVATE_OK = S({"p_office", "office", "leader", "admin", "i_office"})
I_READERS = S({"leader", "admin", "i_office"})  # who read every report below
M_STAFF = S({"office", "leader", "admin"})  # meetings and the duty record of members below
REPORTERS = LOGGED_IN - {"public", "unit"}


@dataclass(frozen=True)
class Op:
    own: frozenset[str]
    other: frozenset[str] | None = None  # None: takes no object id
    body: Any = None
    draft: bool = False  # the proposal is the member's draft
    action: str = ""
    query: str = ""
    audited: bool = True  # an allowed write leaves an audit event


# keyed by the operation id without the module prefix
OPERATIONS: dict[str, Op] = {
    # a bad login answers 403 to all: a public endpoint (no persona is refused for who it is)
    "token_create": Op(EVERYONE, body={"username": "nobody", "password": "x"}),
    "token_delete": Op(LOGGED_IN),
    "me": Op(LOGGED_IN),
    "org_list": Op(EVERYONE),
    "org_detail": Op(EVERYONE, EVERYONE),
    "member_list": Op(ROSTER_READERS, ROSTER_READERS),
    "member_detail": Op(ROSTER_READERS, ROSTER_READERS),
    "member_create": Op(MANAGERS, MANAGERS, body={"name": "新委员", "phone": "13912345678"}),
    "member_patch": Op(MANAGERS, MANAGERS, body={"workplace": "新单位"}),
    "member_act": Op(
        MANAGERS, MANAGERS, action="suspend", body={"reason": "测试", "date": "2026-12-01"}
    ),
    "proposals_list": Op(LOGGED_IN, query="?q=乙县"),
    "proposal_create": Op(
        MEMBERS,
        body={
            "kind": "individual",
            "title": "关于测试的建议",
            "situation": "情况",
            "suggestions": "建议",
            "category": "社会",
        },
    ),
    # a search for the drafting member (a seat is needed: 422 otherwise); a read, not audited
    "proposals_similar_text": Op(
        MEMBERS, body={"title": "乙县提案", "body": "情况说明 具体建议"}, audited=False
    ),
    "proposal_get": Op(PROPOSAL_READERS_OWN, PROPOSAL_READERS_OTHER),
    # saving a draft (autosave) is the author's private work: not audited until submitted
    "proposal_patch": Op(
        S({"member"}), NOBODY, draft=True, body={"title": "新的题目"}, audited=False
    ),
    "proposal_similar": Op(PROPOSAL_READERS_OWN, PROPOSAL_READERS_OTHER),
    "proposal_action": Op(
        S({"member"}), NOBODY, draft=True, action="withdraw", body={"reason": "测试"}
    ),
    "assignments_list": Op(LOGGED_IN),
    "assignment_get": Op(PROPOSAL_READERS_OWN, PROPOSAL_READERS_OTHER),
    "assignment_action": Op(
        S({"unit"}),
        NOBODY,
        action="record_contact",
        body={"date": "2026-12-01", "way": "visit", "person": "省委员甲"},
    ),
    "units_list": Op(LOGGED_IN),
    "proposal_pdf": Op(PROPOSAL_READERS_OWN, PROPOSAL_READERS_OTHER),
    "reply_pdf": Op(NOBODY, NOBODY),  # the cast's reply is not approved yet
    "nominations_list": Op(LOGGED_IN),
    "nomination_create": Op(NOBODY, body={"proposal": 999999, "reason": "好"}),  # no such id
    "nomination_get": Op(PROPOSAL_READERS_OTHER, PROPOSAL_READERS_OTHER),
    "nomination_action": Op(
        S({"p_office"}), S({"p_office"}), action="review", body={"decision": "approve"}
    ),
    # marking one's notifications read is not audited (nothing of anyone else changes)
    "notifications_list": Op(LOGGED_IN),
    "notifications_read": Op(LOGGED_IN, body={}, audited=False),
    "opinions_list": Op(LOGGED_IN, query="?q=乙县"),
    "opinion_create": Op(MEMBERS, body={"title": "关于测试的建议"}),
    "opinions_similar": Op(
        REPORTERS, body={"title": "乙县社情民意", "text": "情况 分析 建议"}, audited=False
    ),
    # --- meetings and duty ---
    "meetings_list": Op(LOGGED_IN),
    "meeting_get": Op(S({"member", "m2"}) | M_STAFF, M_STAFF),
    "meeting_action": Op(
        S({"member", "m2"}), NOBODY, action="request_leave", body={"reason": "出差"}
    ),
    "duty_member": Op(S({"member"}) | M_STAFF, M_STAFF),
    "duty_reports": Op(LOGGED_IN),
    "duty_report_draft": Op(MEMBERS),
    "duty_report_save": Op(MEMBERS, body={"year": 2026, "body": "述职"}),
    "duty_report_get": Op(S({"member"}), NOBODY),  # only one's own, even for staff
    "duty_report_submit": Op(S({"member"}), NOBODY),
    "opinion_get": Op(S({"member", "unit"}) | I_READERS, I_READERS),
    # the cast's own report is published: the author is let in, and told it cannot change
    "opinion_patch": Op(S({"member"}), NOBODY, body={"title": "新标题"}, audited=False),
    "opinion_action": Op(S({"member"}), NOBODY, action="withdraw", body={"reason": "测试"}),
}
PUBLIC_WRITES = {"token_create"}  # no persona is refused; nothing is written for a bad login


def operations() -> Iterator[tuple[str, str, str]]:
    """(short id, method, path template) of every operation in the OpenAPI document."""
    for path, ops in openapi()["paths"].items():
        for method, op in ops.items():
            yield op["operationId"].rsplit("_api_", 1)[-1], method.upper(), path


def test_it_classifies_every_operation() -> None:
    missing = [(oid, m, p) for oid, m, p in operations() if oid not in OPERATIONS]
    assert not missing, (
        "API operations with no entry in the permission matrix: add each to OPERATIONS in "
        "shangliang/web/tests/test_permission_matrix_api.py:\n"
        + "\n".join(f"  {oid!r}: {m} {p}" for oid, m, p in missing)
    )
    stale = set(OPERATIONS) - {oid for oid, _m, _p in operations()}
    assert not stale, f"Entries in OPERATIONS for operations that no longer exist: {stale}"


def token(user: User) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(raw),
        name="test",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    return raw


@pytest.fixture
def cast(world: Any, settings: Any, tmp_path: Any) -> SecurityCast:
    settings.MEDIA_ROOT = tmp_path
    return build_cast(world)


def api_clients(cast: SecurityCast) -> dict[str, ApiClient]:
    out = {}
    for persona in PERSONAS:
        user = cast.user(persona)
        out[persona] = ApiClient(token=token(user)) if user is not None else ApiClient()
    return out


def path_for(template: str, op: Op, objs: Objects) -> str:
    proposal = objs.draft if op.draft else objs.proposal
    values = {
        "org_id": objs.org.pk,
        "member_id": objs.membership.pk,
        "proposal_id": proposal.pk,
        "assignment_id": objs.assignment.pk,
        "excellent_id": objs.nomination.pk if objs.nomination else 0,
        "opinion_id": objs.extra.get("opinion_id", 0),
        "meeting_id": objs.extra.get("meeting_id", 0),
        "membership_id": objs.membership.pk,
        "report_id": objs.extra.get("report_id", 0),
        "action": op.action,
    }
    path = template
    for key, value in values.items():
        path = path.replace("{" + key + "}", str(value))
    assert "{" not in path, f"no value for a parameter of {template}"
    return path + op.query


class _Rollback(Exception):
    pass


def call(client: ApiClient, method: str, path: str, body: Any) -> tuple[Any, bool]:
    if method == "GET":
        return client.request(method, path), False
    response, wrote = None, False
    try:
        with transaction.atomic():
            before = AuditEvent.objects.count()
            response = client.request(method, path, body)
            wrote = AuditEvent.objects.count() > before
            raise _Rollback
    except _Rollback:
        pass
    return response, wrote


def leaks(path: str, persona: str, text: str) -> Iterator[str]:
    if persona not in PRIVATE_OK:
        for marker, what in ((MARKER, "county B's proposal"), (B_PHONE, "county B's phone")):
            if marker in text:
                yield f"LEAK {path} as {persona}: shows {what}"
    if persona not in ("member", "m2") and MEMBER_MARKER in text:
        yield f"LEAK {path} as {persona}: shows the member's draft"


def check(
    oid: str, method: str, template: str, op: Op, cast: SecurityCast, clients: dict[str, ApiClient]
) -> Iterator[str]:
    sets = [("own", op.own, cast.own)]
    if op.other is not None:
        sets.append(("other", op.other, cast.other))
    for which, allowed, objs in sets:
        path = path_for(template, op, objs)
        for persona in PERSONAS:
            response, wrote = call(clients[persona], method, path, op.body)
            status = response.status_code
            where = f"{method} {path} [{oid}, {which}] as {persona}"
            if status >= 500:
                yield f"{where}: answered {status}"
                continue
            # a write may also be refused as invalid input (422: e.g. no committee to report
            # to) as long as nothing was written
            refused = status in (401, 403, 404) or (method != "GET" and status == 422)
            if oid in PUBLIC_WRITES:
                pass
            elif persona in allowed:
                if refused:
                    yield f"{where}: refused ({status}), expected to be let in"
                elif method != "GET" and op.audited and not wrote and status < 400:
                    yield f"{where}: answered {status} but wrote no audit event"
            else:
                if not refused:
                    yield f"{where}: answered {status}, expected 401/403/404"
                if wrote:
                    yield f"{where}: WROTE though not allowed"
            if status == 200 and method in ("GET", "POST"):
                yield from leaks(path, persona, body_text(response))


def test_it_enforces_the_api_matrix(cast: SecurityCast) -> None:
    clients = api_clients(cast)
    problems: list[str] = []
    for oid, method, template in operations():
        op = OPERATIONS.get(oid)
        if op is not None:
            problems.extend(check(oid, method, template, op, cast, clients))
    assert not problems, f"{len(problems)} API permission problems:\n" + "\n".join(problems)


def test_it_filters_api_lists_by_another_orgs_ids(cast: SecurityCast) -> None:
    """Guessing county B's ids in the filters of a list returns nothing of county B."""
    clients = api_clients(cast)
    b = cast.other
    queries = [
        f"proposals?org={b.org.pk}",
        "proposals?q=乙县",
        f"proposals?session={b.org.terms.get().sessions.get().pk}",
        f"assignments?unit={b.unit.pk}",
        f"assignments?proposal={b.proposal.pk}",
        f"orgs/{b.org.pk}/members?q={B_PHONE[:7]}",
        f"units?org={b.org.pk}",
    ]
    problems: list[str] = []
    searches = [  # the similar-item panels, asked to search county B's committee
        ("proposals/similar", {"org": b.org.pk, "title": "乙县提案", "body": "情况说明 具体建议"}),
        ("opinions/similar", {"org": b.org.pk, "title": "乙县社情民意", "text": "情况 分析 建议"}),
    ]
    for persona in PERSONAS:
        if persona in PRIVATE_OK:
            continue
        for q in queries:
            response = clients[persona].get(q)
            assert response.status_code < 500, (q, persona)
            problems.extend(leaks(q, persona, response.content.decode()))
        for path, body in searches:
            response = clients[persona].post(path, body)
            assert response.status_code < 500, (path, persona)
            problems.extend(leaks(f"{path} {body}", persona, response.content.decode()))
    assert not problems, "\n".join(problems)
