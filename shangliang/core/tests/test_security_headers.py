"""Security headers on every kind of response, HSTS behind TLS, the production settings,
and CSRF protection on every page of the site (no view is exempt)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from shangliang.core.tests.test_settings import run_manage
from shangliang.testing import World
from shangliang.web.tests.security_cast import PERSONAS, SecurityCast, build_cast
from shangliang.web.tests.test_permission_matrix import PAGES, Page, classified_routes, url_for

REMOTE = re.compile(r"(https?:|wss?:|//|\*)")


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_secure_headers(response: Any, what: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{what}: no Content-Security-Policy"
    policy = directives(csp)
    for name, sources in policy.items():
        for source in sources:
            assert not REMOTE.search(source), f"{what}: {name} allows a remote source {source}"
            assert source not in ("'unsafe-inline'", "'unsafe-eval'"), f"{what}: {name} {source}"
    assert policy.get("default-src") == ["'self'"], what
    assert policy.get("frame-ancestors") == ["'none'"], what
    assert policy.get("object-src") == ["'none'"], what
    assert response["X-Frame-Options"] == "DENY", what
    assert response["X-Content-Type-Options"] == "nosniff", what
    assert response["Referrer-Policy"] == "same-origin", what
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", what


def test_every_kind_of_response_carries_the_headers(world: World) -> None:
    anon = Client()
    office = Client()
    office.force_login(world.general_office)
    responses = {
        "home page": anon.get("/"),
        "login page": anon.get("/accounts/login/"),
        "a 404": anon.get("/no/such/page/"),
        "a 403": office.get(f"/orgs/{world.province.pk}/manage/"),
        "a staff page": office.get(f"/roster/orgs/{world.province.pk}/"),
        "an Excel export": office.get(f"/roster/orgs/{world.province.pk}/export/"),
        "the API": anon.get("/api/v1/orgs"),
        "an API error": anon.get("/api/v1/me"),
        "a redirect to the login": anon.get("/proposals/"),
    }
    for what, response in responses.items():
        assert_secure_headers(response, what)


def test_it_sends_hsts_and_redirects_to_https_behind_tls(world: World, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()  # a new client loads the middleware with these settings
    plain = client.get("/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in plain  # never over plain HTTP
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_settings_are_secure(tmp_path: Any) -> None:
    """The settings a production process gets (no DEBUG, not under pytest)."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS, s.DEBUG, "
        "s.MAX_REQUEST_MB)"
    )
    r = run_manage(
        "shell",
        "-c",
        code,
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="zx.example.gov.cn",
        VAR_DIR=str(tmp_path),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1].split() == [
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "DENY",
        "False",
        "50",
    ]


# --- CSRF --------------------------------------------------------------------------------


@pytest.fixture
def cast(world: World, settings: Any, tmp_path: Any) -> SecurityCast:
    settings.MEDIA_ROOT = tmp_path
    return build_cast(world)


def test_every_page_refuses_a_post_without_a_csrf_token(cast: SecurityCast) -> None:
    """A POST without the token is refused (403) on every page of the site, whoever is
    logged in: no view is exempt from the CSRF check (the login and logout included)."""
    clients = {}
    for persona in PERSONAS:
        client = Client(enforce_csrf_checks=True)
        user = cast.user(persona)
        if user is not None:
            client.force_login(user)
        clients[persona] = client
    unprotected = []
    for route in classified_routes():
        page = PAGES.get(route.name)
        if page is None:
            page = Page(own=frozenset({"member"}))  # not yet in the matrix: ids may not fit
            if route.params:
                continue  # test_it_classifies_every_page names it
        url = url_for(route, page, cast, "own")
        # the first persona allowed on the page (a refused one might be stopped before)
        persona = next((p for p in PERSONAS if p in page.own), "member")
        response = clients[persona].post(url, {"x": "1"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            unprotected.append(f"{route.name} {url} as {persona}: {response.status_code}")
    assert not unprotected, "POST without a CSRF token accepted:\n" + "\n".join(unprotected)


def test_every_post_form_carries_the_token(cast: SecurityCast) -> None:
    """Each ``<form method="post">`` on the pages the personas see has the hidden token
    (an htmx form may send it in the ``X-CSRFToken`` header set on <body>)."""
    missing = []
    checked = 0
    clients: dict[str, Client] = {}
    for route in classified_routes():
        page = PAGES.get(route.name)
        if page is None or page.method != "GET":
            continue
        url = url_for(route, page, cast, "own")
        for persona in sorted(page.own - {"anon"})[:2] or ["anon"]:
            if persona not in clients:
                clients[persona] = Client()
                user = cast.user(persona)
                if user is not None:
                    clients[persona].force_login(user)
            response = clients[persona].get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            body_token = "X-CSRFToken" in html
            for form in re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S | re.I):
                opening = form[: form.index(">")]
                if not re.search(r"method=[\"']?post", opening, re.I):
                    continue
                checked += 1
                if "csrfmiddlewaretoken" in form:
                    continue
                if body_token and "hx-post" in opening:
                    continue
                missing.append(f"{route.name} {url} as {persona}: {opening[:120]}")
    assert not missing, "POST forms without a CSRF token:\n" + "\n".join(missing)
    assert checked >= 20, f"only {checked} POST forms found: is the form pattern still right?"


def test_the_api_does_not_take_a_session_cookie_for_writes(world: World) -> None:
    """The API is exempt from CSRF because it authenticates by bearer token only: a
    logged-in browser session (a cross-site request would carry its cookie) is not enough."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    r = client.post("/api/v1/proposals", data={"title": "x"}, content_type="application/json")
    assert r.status_code == 401
    r = client.get("/api/v1/me")
    assert r.status_code == 401
