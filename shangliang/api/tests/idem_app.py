"""A tiny API that exists only in tests: a creating POST behind ``@idempotent``.

Mounted with ``@pytest.mark.urls("shangliang.api.tests.idem_app")``. Each note it creates
is an audit row (``test.note_created``), so tests count what a request really did.
"""

from __future__ import annotations

import threading

from django.urls import path
from ninja import Schema, Status

from shangliang.api.auth import BearerToken
from shangliang.api.errors import JsonErrorsAPI, install_error_handlers
from shangliang.api.idempotency import idempotent
from shangliang.api.rendering import Utf8JSONRenderer
from shangliang.api.schemas import errors
from shangliang.core.audit import audit_record
from shangliang.core.errors import Invalid
from shangliang.core.http import AuthedRequest

api = JsonErrorsAPI(
    title="idempotency test",
    urls_namespace="idem_test",
    auth=BearerToken(),
    renderer=Utf8JSONRenderer(),
    docs_url=None,
)
install_error_handlers(api)

entered = threading.Event()  # a "slow" request has started
release = threading.Event()  # ... and may finish


class NoteIn(Schema):
    text: str


class NoteOut(Schema):
    id: int
    text: str


@api.post("/notes", response={201: NoteOut, **errors(400, 401, 409, 422)})
@idempotent
def note_create(request: AuthedRequest, payload: NoteIn) -> Status[NoteOut]:
    if payload.text == "invalid":
        raise Invalid("无效", fields={"text": ["无效"]})
    event = audit_record(actor=request.user, action="test.note_created", data={"t": payload.text})
    if payload.text == "boom":
        raise RuntimeError("the handler failed after writing")
    if payload.text == "slow":
        entered.set()
        release.wait(timeout=10)
    return Status(201, NoteOut(id=event.pk, text=payload.text))


urlpatterns = [path("api/test/", api.urls)]
