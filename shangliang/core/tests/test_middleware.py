from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from shangliang.core.middleware import ClientAddressMiddleware


def seen(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.META["REMOTE_ADDR"])


def test_it_ignores_forwarded_for_without_trusted_proxies():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert ClientAddressMiddleware(seen)(request).content == b"10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_it_takes_the_address_the_trusted_proxy_saw():
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1"
    )  # a forged first entry, then what nginx appended
    assert ClientAddressMiddleware(seen)(request).content == b"203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_it_keeps_the_peer_when_the_chain_is_too_short():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert ClientAddressMiddleware(seen)(request).content == b"10.0.0.1"


def test_every_response_has_a_request_id_and_a_strict_csp(client, db):
    r = client.get("/accounts/login/")
    assert len(r["X-Request-Id"]) == 32
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"
