from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

from shangliang.api.tests.schema import ApiClient, check_response, openapi
from shangliang.api.urls import api

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in openapi()["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_it_serves_a_valid_openapi_document(world):
    r = ApiClient().get("openapi.json", check=False)
    assert r.status_code == 200
    document = r.json()
    validate(document)
    assert document == json.loads(json.dumps(api.get_openapi_schema()))
    assert document["info"]["title"] == "商量 Shangliang API"


def test_it_declares_every_error_in_the_one_format():
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path, method, op in operations():
        name = f"{method.upper()} {path}"
        errors = {code: r for code, r in op["responses"].items() if code.startswith(("4", "5"))}
        assert "500" in errors, name
        for code, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == error_ref, f"{name} {code}"
        if op.get("security"):
            assert "401" in errors, f"{name} needs a token but does not declare 401"
        if "{" in path:
            assert {"404", "422"} <= set(errors), f"{name}: a guessed id answers 404 or 422"
        if "requestBody" in op:
            assert {"400", "422"} <= set(errors), f"{name}: a bad body answers 400 or 422"


def test_it_gives_every_operation_a_summary_and_a_unique_id():
    ids = [op["operationId"] for _path, _method, op in operations()]
    assert len(ids) == len(set(ids))
    for path, method, op in operations():
        assert op.get("summary"), f"{method} {path}"


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("post", "/api/v1/auth/token", True),
        ("delete", "/api/v1/auth/token", False),
        ("get", "/api/v1/me", False),
        ("get", "/api/v1/orgs", True),
        ("get", "/api/v1/orgs/{org_id}", True),
        ("get", "/api/v1/orgs/{org_id}/members", False),
        ("get", "/api/v1/members/{member_id}", False),
        ("post", "/api/v1/members/{member_id}/actions/{action}", False),
    ],
)
def test_it_documents_who_needs_a_token(method, path, public):
    op = openapi()["paths"][path][method]
    assert bool(op.get("security")) is not public
    if not public:
        assert op["security"] == [{"BearerToken": []}]


def test_it_documents_the_idempotency_key_on_the_action_endpoint():
    op = openapi()["paths"]["/api/v1/members/{member_id}/actions/{action}"]["post"]
    header = next(p for p in op["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header"
    assert header["required"] is False
    assert header["schema"]["anyOf"][0]["maxLength"] == 128


def test_it_names_history_fields_from_and_to():
    history = openapi()["components"]["schemas"]["HistoryOut"]
    assert {"from", "to"} <= set(history["properties"])


def test_it_catches_a_response_that_breaks_the_contract(world):
    response = ApiClient(world.member).get("me", check=False)
    data = response.json()
    data["surprise"] = 1
    response.content = json.dumps(data).encode()
    with pytest.raises(Exception, match="surprise"):
        check_response("GET", "/api/v1/me", response)
    response.status_code = 418
    with pytest.raises(AssertionError, match="418"):
        check_response("GET", "/api/v1/me", response)


def test_the_docs_page_loads_nothing_from_another_host(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and 'src="http' not in html
