"""The permission matrix: every page of the site, every persona, real object ids.

Every URL pattern the resolver knows must be classified in :data:`PAGES` (or be a Django
admin or API pattern, tested in their own way): a new page that is not classified fails
:func:`test_it_classifies_every_page`, naming the pattern to add.

For each page, ``own`` is the set of personas allowed on the province's objects (the
member's proposal, the education department's assignment, ...) and ``other`` the set
allowed on county B's objects; every other persona must be refused (403 or 404, or sent
to the login page when anonymous), and a refusal never carries the other organisation's
data. Pages answered by POST only are acted on with an empty form inside a transaction
that is rolled back: an allowed persona is not refused, a refused one changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from shangliang.core.models import AuditEvent
from shangliang.web.tests.security_cast import (
    B_PHONE,
    MARKER,
    MEMBER_MARKER,
    PDF,
    PERSONAS,
    SecurityCast,
    build_cast,
)
from shangliang.web.tests.urlwalk import Route, all_routes, body_text

LOGGED_IN = frozenset(PERSONAS) - {"anon"}
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
MEMBERS = frozenset({"member", "m2", "a_member"})
ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"office", "admin"})  # general office and administrator
P_OFFICE = frozenset({"p_office"})
PROVINCE_MEMBERS_AND_STAFF = frozenset(
    {"member", "m2", "p_office", "office", "leader", "admin", "i_office"}
)
# Who may see county B's private data (phones, proposals): the province's staff, who reach
# down the tree. A member of the province or of county A, and county A's staff, never.
PRIVATE_OK = frozenset({"p_office", "office", "leader", "admin", "i_office"})
I_OFFICE = frozenset({"i_office"})  # the information office (社情民意)
I_READERS = frozenset({"leader", "admin", "i_office"})  # who read opinions and issues
M_STAFF = frozenset({"office", "leader", "admin"})  # who see meetings and the duty ledger
OPINION = {"pk": "opinion_id"}  # the opinions' URLs name the report ``pk``
PROPOSAL_STAFF = frozenset({"p_office", "leader", "admin"})  # who read every proposal below


@dataclass(frozen=True)
class Page:
    own: frozenset[str]
    other: frozenset[str] | None = None  # None: the page takes no object id
    method: str = "GET"
    slug: dict[str, str] | None = None  # values of the URL's non-id arguments
    draft: bool = False  # ``pk`` is the author's draft (attachments, cosigners)
    fresh: bool = False  # the request ends the session: use clients of its own
    data: dict[str, Any] | None = None  # a valid form: an allowed persona must act on it
    ids: dict[str, str] | None = None  # URL argument -> the cast's object id to put there
    note: str = ""


def get(own: frozenset[str], other: frozenset[str] | None = None, **kw: Any) -> Page:
    return Page(own=own, other=other, **kw)


def post(own: frozenset[str], other: frozenset[str] | None = None, **kw: Any) -> Page:
    return Page(own=own, other=other, method="POST", **kw)


S = frozenset
DAY = "2026-12-01"

PAGES: dict[str, Page] = {
    # --- public and personal pages ------------------------------------------------------
    "web:home": get(EVERYONE),
    "web:orgs": get(EVERYONE),
    "web:org_detail": get(EVERYONE, EVERYONE, note="the public structure of a committee"),
    "web:audit": get(LOGGED_IN, note="scoped: each sees the audit of the orgs they reach"),
    "accounts:login": get(EVERYONE, note="a logged-in user is sent home"),
    "accounts:login_otp": get(LOGGED_IN),
    "accounts:logout": post(EVERYONE, fresh=True, note="then sent to the login page"),
    "accounts:register": get(EVERYONE),
    "accounts:password_change": get(LOGGED_IN),
    "accounts:profile": get(LOGGED_IN),
    "accounts:totp": get(LOGGED_IN),
    "accounts:totp_disable": post(LOGGED_IN),
    "set_language": post(EVERYONE, fresh=True),
    # --- committee configuration: the administrator of the committee or above ------------
    "web:org_manage": get(ADMIN, ADMIN),
    "web:org_edit": get(ADMIN, ADMIN),
    "web:manage_child_new": get(ADMIN, ADMIN),
    "web:manage_terms": get(ADMIN, ADMIN),
    "web:manage_term_new": get(ADMIN, ADMIN),
    "web:manage_term_edit": get(ADMIN, ADMIN),
    "web:manage_term_current": post(ADMIN, ADMIN),
    "web:manage_session_new": get(ADMIN, ADMIN),
    "web:manage_session_edit": get(ADMIN, ADMIN),
    "web:manage_unit": get(ADMIN, ADMIN),
    "web:manage_export": get(ADMIN, ADMIN, slug={"kind": "units"}),
    "web:manage_parts": get(ADMIN, ADMIN, slug={"kind": "sectors"}),
    "web:manage_part_new": get(ADMIN, ADMIN, slug={"kind": "sectors"}),
    "web:manage_part_edit": get(ADMIN, ADMIN, slug={"kind": "sectors"}),
    "web:manage_part_deactivate": post(ADMIN, ADMIN, slug={"kind": "sectors"}),
    "web:manage_part_reactivate": post(ADMIN, ADMIN, slug={"kind": "sectors"}),
    "web:calendar": get(ADMIN),
    "web:calendar_check": get(ADMIN),
    "web:calendar_load": post(ADMIN),
    "web:calendar_delete": post(ADMIN, note="the national working-day calendar"),
    # --- accounts and roles ----------------------------------------------------------------
    "accounts:user_account": get(MANAGERS, MANAGERS),
    "accounts:user_password_reset": post(MANAGERS, MANAGERS),
    "accounts:user_unlock": post(MANAGERS, MANAGERS),
    "accounts:user_set_active": post(MANAGERS, MANAGERS),
    "accounts:user_totp_reset": post(MANAGERS, MANAGERS),
    "accounts:org_roles": get(ADMIN, ADMIN),
    "accounts:org_roles_export": get(ADMIN, ADMIN),
    "accounts:org_role_grant": post(ADMIN, ADMIN),
    "accounts:org_role_create": post(ADMIN, ADMIN),
    "accounts:org_role_revoke": post(ADMIN, ADMIN),
    "accounts:unit_users": get(MANAGERS, MANAGERS),
    "accounts:unit_user_add": post(MANAGERS, MANAGERS),
    "accounts:unit_user_create": post(MANAGERS, MANAGERS),
    "accounts:unit_user_manager": post(MANAGERS, MANAGERS),
    "accounts:unit_user_remove": post(MANAGERS, MANAGERS),
    # --- the roster: names to members of the committee and above; phones to staff only ---
    "roster:mine": get(LOGGED_IN - {"public", "unit"}),
    "roster:list": get(PROVINCE_MEMBERS_AND_STAFF, PROVINCE_MEMBERS_AND_STAFF),
    "roster:export": get(PROVINCE_MEMBERS_AND_STAFF, PROVINCE_MEMBERS_AND_STAFF),
    "roster:membership": get(PROVINCE_MEMBERS_AND_STAFF, PROVINCE_MEMBERS_AND_STAFF),
    "roster:import": get(MANAGERS, MANAGERS),
    "roster:member_new": get(MANAGERS, MANAGERS),
    "roster:template": get(MANAGERS, MANAGERS),
    "roster:import_job": get(MANAGERS, MANAGERS),
    "roster:import_errors": get(MANAGERS, MANAGERS),
    "roster:member_edit": get(MANAGERS, MANAGERS),
    "roster:membership_action": post(
        MANAGERS,
        MANAGERS,
        slug={"action": "suspend"},
        data={"suspend-reason": "测试", "suspend-date": DAY},
    ),
    # --- proposals: the member's side ------------------------------------------------------
    "proposals:portal_list": get(EVERYONE),
    "proposals:portal_detail": get(NOBODY, NOBODY, note="nothing is published in the cast"),
    "proposals:mine": get(LOGGED_IN),
    "proposals:invitations": get(LOGGED_IN),
    "proposals:new": get(MEMBERS),
    "proposals:draft_save": post(MEMBERS),
    "proposals:detail": get(S({"member", "unit", "p_office", "leader", "admin"}), PROPOSAL_STAFF),
    "proposals:edit": get(S({"member"}), NOBODY, draft=True),
    "proposals:submit": post(S({"member"}), NOBODY, draft=True),
    "proposals:action": post(
        S({"member"}),
        NOBODY,
        draft=True,
        slug={"action": "withdraw"},
        data={"withdraw-reason": "测试"},
    ),
    "proposals:cosigner_search": get(S({"member"}), NOBODY, draft=True),
    "proposals:cosigner_invite": post(S({"member"}), NOBODY, draft=True),
    "proposals:cosigner_remove": post(S({"member"}), NOBODY, draft=True),
    "proposals:attachment_add": post(S({"member"}), NOBODY, draft=True),
    "proposals:attachment": get(S({"member", "m2"}), NOBODY, draft=True),
    "proposals:attachment_remove": post(S({"member"}), NOBODY, draft=True),
    "proposals:supervision_add": post(
        S({"leader"}), S({"leader"}), data={"date": DAY, "kind": "visit", "note": "督办"}
    ),
    # --- proposals: the proposal office --------------------------------------------------
    "proposals:office_home": get(P_OFFICE),
    "proposals:office_queue": get(P_OFFICE, P_OFFICE),
    "proposals:office_export": get(P_OFFICE, P_OFFICE),
    "proposals:office_bulk": post(P_OFFICE, P_OFFICE),
    "proposals:office_settings": get(P_OFFICE | ADMIN, P_OFFICE | ADMIN),
    "proposals:office_assignments": get(P_OFFICE, P_OFFICE, slug={"kind": "audit"}),
    "proposals:office_assignments_export": get(P_OFFICE, P_OFFICE, slug={"kind": "audit"}),
    "proposals:office_review": get(P_OFFICE, P_OFFICE),
    "proposals:office_assign": get(P_OFFICE, P_OFFICE),
    "proposals:office_assignment_action": post(
        P_OFFICE, P_OFFICE, slug={"action": "decide_extension"}
    ),
    # --- proposals: handling units and their overseers -------------------------------------
    "proposals:unit_inbox": get(S({"unit"})),
    "proposals:unit_inbox_export": get(S({"unit"})),
    "proposals:unit_assignment": get(
        S({"member", "unit", "p_office", "leader", "admin"}), PROPOSAL_STAFF
    ),
    "proposals:unit_assignment_action": post(
        S({"unit"}),
        NOBODY,
        slug={"action": "record_contact"},
        data={
            "record_contact-date": DAY,
            "record_contact-way": "visit",
            "record_contact-person": "甲",
        },
    ),
    "proposals:unit_reply_file": post(S({"unit"}), NOBODY, data={"file": "PDF"}),
    "proposals:unit_reply_file_download": get(NOBODY, NOBODY, note="no reply file in the cast"),
    "proposals:ratings_mine": get(LOGGED_IN),
    "proposals:rating_submit": post(NOBODY, NOBODY, note="the cast's reply awaits no rating"),
    "proposals:handling_office": get(S({"p_office", "leader", "a_leader"})),
    "proposals:handling_audit": get(P_OFFICE, P_OFFICE),
    "proposals:handling_reassignments": get(P_OFFICE, P_OFFICE),
    "proposals:handling_extensions": get(P_OFFICE, P_OFFICE),
    "proposals:handling_contacts": get(P_OFFICE, P_OFFICE),
    "proposals:handling_board": get(S({"p_office", "leader"}), S({"p_office", "leader"})),
    "proposals:handling_board_export": get(S({"p_office", "leader"}), S({"p_office", "leader"})),
    "proposals:key_list": get(S({"p_office", "leader", "a_leader"})),
    "proposals:key_export": get(S({"p_office", "leader", "a_leader"})),
    "proposals:figures": get(S({"p_office", "leader", "admin", "a_leader"})),
    "proposals:figures_units": get(S({"p_office", "leader", "admin", "a_leader"})),
    "proposals:figures_export": get(S({"p_office", "leader", "admin", "a_leader"})),
    # --- proposals: printing and excellent proposals (优秀提案) ----------------------------
    "proposals:proposal_pdf": get(
        S({"member", "unit", "p_office", "leader", "admin"}), PROPOSAL_STAFF
    ),
    "proposals:reply_letter_pdf": get(NOBODY, NOBODY, note="the cast's reply is not approved"),
    "proposals:portal_excellent": get(EVERYONE),
    "proposals:excellent_home": get(S({"p_office", "leader", "admin", "a_leader"})),
    "proposals:excellent_list": get(S({"p_office", "leader", "admin"}), PROPOSAL_STAFF),
    "proposals:excellent_export": get(S({"p_office", "leader", "admin"}), PROPOSAL_STAFF),
    "proposals:excellent_bulk": post(S({"p_office", "leader", "admin"}), PROPOSAL_STAFF),
    "proposals:excellent_nominate": get(S({"p_office", "leader"}), S({"p_office", "leader"})),
    "proposals:excellent_detail": get(S({"p_office", "leader", "admin"}), PROPOSAL_STAFF),
    "proposals:excellent_action": post(
        P_OFFICE,
        P_OFFICE,
        slug={"action": "review"},
        data={"review-decision": "approve", "review-note": "推荐"},
    ),
    # --- opinions (社情民意): reporters, the information office, units, readers ------------
    "opinions:mine": get(LOGGED_IN),
    "opinions:new": get(LOGGED_IN, note="who may not report is sent to their list"),
    "opinions:similar": post(LOGGED_IN - {"public", "unit"}),
    "opinions:feedback": get(LOGGED_IN),
    "opinions:detail": get(
        S({"member", "unit", "leader", "admin", "i_office"}), I_READERS, ids=OPINION
    ),
    "opinions:edit": get(
        S({"member", "unit"}) | I_READERS, I_READERS, ids=OPINION, note="signed: sent to it"
    ),
    "opinions:action": post(S({"member"}), NOBODY, ids=OPINION, slug={"action": "withdraw"}),
    "opinions:scan": get(NOBODY, ids=OPINION, note="no scan uploaded in the cast"),
    "opinions:office_home": get(I_OFFICE),
    "opinions:office_queue": get(I_OFFICE, I_OFFICE),
    "opinions:office_export": get(I_OFFICE, I_OFFICE),
    "opinions:office_feedback": get(I_OFFICE, I_OFFICE),
    "opinions:office_guide": get(I_OFFICE, I_OFFICE),
    "opinions:figures": get(I_OFFICE, I_OFFICE),
    "opinions:office_settings": get(I_OFFICE, I_OFFICE),
    "opinions:figures_export": get(I_OFFICE, I_OFFICE),
    "opinions:editor": get(I_OFFICE, I_OFFICE, ids=OPINION, note="not editing: sent to the report"),
    "opinions:scan_upload": post(I_OFFICE, I_OFFICE, ids=OPINION),
    "opinions:issues": get(LOGGED_IN, note="each sees the issues they may read"),
    "opinions:issue": get(I_READERS),
    "opinions:issue_pdf": get(I_READERS),
    "opinions:unit_inbox": get(LOGGED_IN, note="a list of the user's own units' items"),
    "opinions:unit_forwarding": get(S({"unit"})),
    # --- meetings: staff organise, attendees check in and ask for leave -------------------
    "meetings:list": get(LOGGED_IN, note="each sees the meetings they attend or organise"),
    "meetings:new": get(MANAGERS, MANAGERS),
    "meetings:detail": get(S({"member", "m2"}) | M_STAFF, M_STAFF),
    "meetings:qr": get(MANAGERS, MANAGERS),
    "meetings:check_in": get(S({"member", "m2"}) | M_STAFF, M_STAFF),
    "meetings:leave": post(S({"member", "m2"}), NOBODY),
    "meetings:finalize": post(MANAGERS, MANAGERS),
    "meetings:mark": post(MANAGERS, MANAGERS),
    "meetings:correct": post(MANAGERS, MANAGERS),
    "meetings:leave_act": post(MANAGERS, MANAGERS, slug={"action": "approve"}),
    # --- duty (履职): the member's archive, the committee's ledger and rules ----------------
    "duty:home": get(LOGGED_IN - {"public", "unit", "p_office", "i_office"}),
    "duty:member": get(S({"member"}) | M_STAFF, M_STAFF),
    "duty:member_pdf": get(S({"member"}) | M_STAFF, M_STAFF),
    "duty:report": get(MEMBERS),
    "duty:org": get(M_STAFF, M_STAFF),
    "duty:org_export": get(M_STAFF, M_STAFF),
    "duty:nominate": post(MANAGERS, MANAGERS),
    "duty:nomination_decide": post(S({"leader"}), S({"leader"})),
    "duty:flag_decide": post(MANAGERS, MANAGERS),
    "duty:entries": get(MANAGERS, MANAGERS),
    "duty:entry_decide": post(MANAGERS, MANAGERS),
    "duty:entry_evidence": get(MANAGERS, MANAGERS, note="an entry with an evidence file"),
    "duty:rules": get(MANAGERS, MANAGERS),
    "duty:rules_preset": post(MANAGERS, MANAGERS),
    "duty:recompute_job": get(MANAGERS, MANAGERS, ids={"job_id": "recompute_job_id"}),
    # --- notifications and live updates -----------------------------------------------------
    "notifications:inbox": get(LOGGED_IN),
    "notifications:read": post(LOGGED_IN),
    "live:stream": get(
        NOBODY, slug={"prefix": "nosuch", "key": "1"}, note="an allowed stream never ends"
    ),
}

# Patterns tested elsewhere: the Django admin (test_it_keeps_everyone_out_of_the_admin) and
# the API (test_permission_matrix_api.py, from the OpenAPI document).
ELSEWHERE = ("admin/", "api/v1/")


def classified_routes() -> list[Route]:
    return [r for r in all_routes() if not r.route.startswith(ELSEWHERE)]


def test_it_classifies_every_page() -> None:
    missing = [r for r in classified_routes() if r.name not in PAGES]
    assert not missing, (
        "Pages with no entry in the permission matrix: add each to PAGES in "
        "shangliang/web/tests/test_permission_matrix.py (who may read or act, on the "
        "province's and on county B's objects):\n"
        + "\n".join(f"  {r.name!r}: /{r.route}  ({r.module})" for r in missing)
    )
    stale = set(PAGES) - {r.name for r in classified_routes()}
    assert not stale, f"Entries in PAGES for pages that no longer exist: {sorted(stale)}"


@pytest.fixture
def cast(world: Any, settings: Any, tmp_path: Any) -> SecurityCast:
    settings.MEDIA_ROOT = tmp_path
    return build_cast(world)


def clients_for(cast: SecurityCast) -> dict[str, Client]:
    out = {}
    for persona in PERSONAS:
        client = Client()
        user = cast.user(persona)
        if user is not None:
            client.force_login(user)
        out[persona] = client
    return out


class _Rollback(Exception):
    pass


def form(data: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(data or {})
    if out.get("file") == "PDF":
        out["file"] = SimpleUploadedFile("reply.pdf", PDF, content_type="application/pdf")
    return out


def request(client: Client, method: str, url: str, data: dict[str, Any] | None) -> Any:
    """GET as is; POST the form inside a transaction that is then rolled back. Returns
    the response and whether the request acted (wrote to the audit trail)."""
    if method == "GET":
        return client.get(url), False
    response, acted = None, False
    try:
        with transaction.atomic():
            before = AuditEvent.objects.count()
            response = client.post(url, form(data))
            acted = AuditEvent.objects.count() > before
            raise _Rollback
    except _Rollback:
        pass
    return response, acted


def outcome(response: Any) -> str:
    """'ok', 'denied', 'login', or the unexpected status."""
    status = response.status_code
    if status == 302 and "/login/" in response["Location"]:
        return "login"
    if status in (403, 404):
        return "denied"
    if status >= 500 or status == 405:
        return str(status)
    return "ok"


def judge(page: Page, persona: str, allowed: bool, response: Any, acted: bool) -> str | None:
    """What is wrong with this answer, or None."""
    got = outcome(response)
    if got not in ("ok", "denied", "login"):
        return f"answered {response.status_code}"
    if page.method == "POST" and not allowed:
        # a refusal may be a 403/404, or the page again with an error message: but nothing
        # may have happened
        return "acted though not allowed" if acted else None
    if page.method == "POST" and page.data is not None:
        return None if acted else f"did not act ({response.status_code})"
    if allowed:
        if got == "login" and page.fresh:
            return None
        return None if got == "ok" else f"{got} ({response.status_code}), expected to be let in"
    want = ("login", "denied") if persona == "anon" else ("denied",)
    return None if got in want else f"{got} ({response.status_code}), expected {'/'.join(want)}"


def url_for(route: Route, page: Page, cast: SecurityCast, which: str) -> str:
    objs = cast.own if which == "own" else cast.other
    values = objs.kwargs()
    if page.draft:
        values["pk"] = objs.draft.pk
        values["attachment_id"] = objs.attachment.pk
        values["cosigner_id"] = objs.cosigner.pk
    values["day_id"] = cast.day.pk
    for param, source in (page.ids or {}).items():
        values[param] = values[source]
    values.update(page.slug or {})
    return reverse(route.name, kwargs={k: values[k] for k in route.params})


def check_page(
    route: Route, page: Page, cast: SecurityCast, clients: dict[str, Client]
) -> Iterator[str]:
    if page.fresh:
        clients = clients_for(cast)
    sets = [("own", page.own)] + ([("other", page.other)] if page.other is not None else [])
    for which, allowed in sets:
        url = url_for(route, page, cast, which)
        for persona in PERSONAS:
            response, acted = request(clients[persona], page.method, url, page.data)
            problem = judge(page, persona, persona in allowed, response, acted)
            if problem:
                yield f"{page.method} {url} [{route.name}, {which}] as {persona}: {problem}"
            if page.method == "GET" and response.status_code == 200:
                yield from leaks(route.name, url, persona, body_text(response))


def leaks(name: str, url: str, persona: str, text: str) -> Iterator[str]:
    if persona not in PRIVATE_OK:
        for marker, what in ((MARKER, "county B's proposal"), (B_PHONE, "county B's phone")):
            if marker in text:
                yield f"LEAK {url} [{name}] as {persona}: shows {what} ({marker})"
    if persona not in ("member", "m2") and MEMBER_MARKER in text:
        # the draft is the author's (and the invited cosigner's) until it is submitted
        yield f"LEAK {url} [{name}] as {persona}: shows the member's draft"


def test_it_enforces_the_page_matrix(cast: SecurityCast) -> None:
    clients = clients_for(cast)
    problems: list[str] = []
    for route in classified_routes():
        page = PAGES.get(route.name)
        if page is not None:
            problems.extend(check_page(route, page, cast, clients))
    assert not problems, f"{len(problems)} permission problems:\n" + "\n".join(problems)


def test_it_ignores_another_orgs_ids_in_filters_and_search(cast: SecurityCast) -> None:
    """Every list page (no object in its URL, or only the committee), read with county B's
    ids guessed into its filters and a search for county B's text, shows nothing of county B
    to anyone who may not see it."""
    clients = clients_for(cast)
    b = cast.other
    query = (
        f"?q=乙县&org={b.org.pk}&unit={b.unit.pk}&proposal={b.proposal.pk}"
        f"&session={b.org.terms.get().sessions.get().pk}&term={b.org.terms.get().pk}&tab=all"
    )
    problems: list[str] = []
    for route in classified_routes():
        page = PAGES.get(route.name)
        if page is None or page.method != "GET" or set(route.params) - {"org_id", "kind"}:
            continue
        url = url_for(route, page, cast, "own") + query
        for persona in PERSONAS:
            if persona in PRIVATE_OK or persona not in page.own:
                continue
            response = clients[persona].get(url)
            if response.status_code >= 500:
                problems.append(f"GET {url} as {persona}: {response.status_code}")
            elif response.status_code == 200:
                problems.extend(leaks(route.name, url, persona, body_text(response)))
    assert not problems, "\n".join(problems)


ADMIN_SAMPLES = (
    "/admin/",
    "/admin/core/auditevent/",
    "/admin/accounts/user/",
    "/admin/accounts/role/",
    "/admin/orgs/organization/",
    "/admin/roster/importjob/",
)


def test_it_keeps_everyone_out_of_the_admin(cast: SecurityCast) -> None:
    """The Django admin is for superusers (operators) only: no persona, not even the
    committee's administrator role, gets in."""
    clients = clients_for(cast)
    for url in ADMIN_SAMPLES:
        for persona in PERSONAS:
            response = clients[persona].get(url)
            assert response.status_code == 302, (url, persona, response.status_code)
            assert response["Location"].startswith("/admin/login/"), (url, persona)
