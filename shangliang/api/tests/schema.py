"""Check API responses in tests against the OpenAPI document (Zulip-style).

``ApiClient`` wraps Django's test client: every response it gets is checked against the
response schema the OpenAPI document declares for that operation and status code. A
status the operation does not declare, a field the schema does not list, or a value of
the wrong type fails the test.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from typing import Any

from django.test import Client
from django.test.client import RequestFactory
from openapi_schema_validator import OAS31Validator

from shangliang.accounts import tokens
from shangliang.accounts.models import User
from shangliang.api.urls import api
from shangliang.testing import PASSWORD

PREFIX = "/api/v1/"


@cache
def openapi(target: Any = api) -> dict[str, Any]:
    """The OpenAPI document of ``target`` (the real API unless a test mounts its own)."""
    return json.loads(json.dumps(target.get_openapi_schema()))


def _closed(schema: Any) -> Any:
    """The schema with ``additionalProperties: false`` on every object that lists its
    properties, so an undocumented field in a response fails the check."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@cache
def _components(target: Any = api) -> dict[str, Any]:
    return _closed(copy.deepcopy(openapi(target).get("components", {})))


@cache
def _path_patterns(target: Any = api) -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for template in openapi(target)["paths"]:
        regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        patterns.append((re.compile(f"^{regex}$"), template))
    return patterns


def operation_for(method: str, path: str, target: Any = api) -> dict[str, Any] | None:
    path = path.split("?", 1)[0]
    for regex, template in _path_patterns(target):
        if regex.match(path):
            return openapi(target)["paths"][template].get(method.lower())
    return None


def validate(instance: Any, schema: dict[str, Any], target: Any = api) -> None:
    document = {**_closed(schema), "components": _components(target)}
    OAS31Validator(document, format_checker=OAS31Validator.FORMAT_CHECKER).validate(instance)


def check_response(method: str, path: str, response: Any, target: Any = api) -> None:
    """Fail unless ``response`` is what the OpenAPI document promises for this request."""
    status = str(response.status_code)
    body = response.content
    operation = operation_for(method, path, target)
    if operation is None:
        # No such operation (unknown path, or a method the path does not take): an error.
        assert response.status_code in (404, 405), (method, path, status)
        validate(json.loads(body), {"$ref": "#/components/schemas/ErrorOut"}, target)
        return
    responses = operation["responses"]
    assert status in responses, (
        f"{method} {path} answered {status}, which the OpenAPI document does not declare "
        f"(declared: {sorted(responses)}); body: {body[:300]!r}"
    )
    content = responses[status].get("content")
    if not content:
        assert body == b"", f"{method} {path}: {status} should have no body"
        return
    if "application/pdf" in content:  # a file, not JSON
        assert response["Content-Type"] == "application/pdf", response["Content-Type"]
        assert body.startswith(b"%PDF-"), body[:20]
        return
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    validate(json.loads(body), content["application/json"]["schema"], target)


def token_for(user: User) -> str:
    request = RequestFactory().post("/api/v1/auth/token")
    raw, _token = tokens.token_issue(request=request, username=user.username, password=PASSWORD)
    return raw


class ApiClient:
    """A test client for the API; every response is checked against the OpenAPI document."""

    def __init__(
        self,
        user: User | None = None,
        *,
        token: str | None = None,
        target: Any = api,
        prefix: str = PREFIX,
    ) -> None:
        self.client = Client()
        self.token = token or (token_for(user) if user is not None else None)
        self.target = target
        self.prefix = prefix

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        check: bool = True,
    ) -> Any:
        url = path if path.startswith("/") else self.prefix + path
        all_headers = dict(headers or {})
        if self.token and "Authorization" not in all_headers:
            all_headers["Authorization"] = f"Bearer {self.token}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        response = self.client.generic(
            method, url, data, content_type="application/json", headers=all_headers
        )
        if check:
            check_response(method, url, response, self.target)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)
