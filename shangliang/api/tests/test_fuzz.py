"""API fuzzing: Schemathesis generates requests for every operation of the OpenAPI
document (valid and invalid ones) and sends each as a member, a proposal-office user and
a unit user, with bearer tokens. No answer may be a server error, and every answer must
be one the document declares, with a body that matches its schema.

The run is bounded (``MAX_EXAMPLES`` per operation, derandomised so CI is stable).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shangliang.accounts.models import ApiToken, Role, User
from shangliang.testing import World, make_role

MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The coverage phase (every boundary case of every parameter) alone sends thousands of
# requests: left to a manual run (`schemathesis run`); CI runs the bounded fuzzing phase.
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 2026,
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
    }
)


class InTestWsgi:
    """The Django WSGI app, called as the test client calls it: without closing the
    database connection at the end of each request (``close_old_connections`` would close
    the test's transaction on PostgreSQL)."""

    def __init__(self) -> None:
        self.app = get_wsgi_application()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", InTestWsgi(), config=CONFIG)


def _token(user: User) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(raw),
        name="fuzz",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    return raw


@pytest.fixture
def bearer(world: World) -> dict[str, str]:
    """Bearer tokens of three personas (the member, the proposal office, a unit user).
    Staff who enrolled in TOTP get theirs by sending the code (accounts/tokens.py); these
    personas have no device, so the token is issued as the login would issue it."""
    office = make_role(world.province, Role.Kind.PROPOSAL_OFFICE, username="p_office")
    return {
        "member": _token(world.member),
        "office": _token(office),
        "unit": _token(world.unit_user),
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_it_survives_fuzzing(case: Any, bearer: dict[str, str]) -> None:
    for token in bearer.values():
        headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        case.call_and_validate(headers=headers, checks=CHECKS)
