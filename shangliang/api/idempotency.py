"""``Idempotency-Key``: a POST retried from a phone on a bad network takes effect once.

Put :func:`idempotent` under ``@router.post(...)``; the endpoint then takes an optional
``Idempotency-Key`` header (it appears in the OpenAPI document). With a key:

* the first request claims the key (one row per user and key), runs, and if it succeeds
  (2xx) stores the status and body in the same transaction as the change it made;
* a retry with the same key and the same request gets the stored response again, with
  ``Idempotent-Replayed: true``, and changes nothing;
* the same key with a different request (body, path or method) → 422
  ``idempotency_key_reused``;
* the same key while the first request is still running → 409 ``idempotency_in_progress``;
* a request that fails (4xx/5xx) releases the key: correct the input and retry with it.

Keys are kept for :data:`KEY_TTL`; a claim whose request died is reclaimed after
:data:`CLAIM_TIMEOUT`. The view must return a Schema (or ``Status`` of one, or a response).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Header, Status
from ninja.utils import contribute_operation_args, contribute_operation_callback
from pydantic import BaseModel, StringConstraints

from shangliang.api.rendering import CONTENT_TYPE, json_response
from shangliang.core.errors import Conflict, Invalid
from shangliang.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_TTL = dt.timedelta(hours=24)
CLAIM_TIMEOUT = dt.timedelta(minutes=5)

KeyValue = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[!-~]+$")]
F = TypeVar("F", bound=Callable[..., Any])


class KeyReused(Invalid):
    code = "idempotency_key_reused"
    default_detail = _("此 Idempotency-Key 已用于另一个不同的请求，请换一个新的。")


class KeyInProgress(Conflict):
    code = "idempotency_in_progress"
    default_detail = _("使用相同 Idempotency-Key 的请求正在处理中，请稍后重试。")


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the method, path, query and body (JSON compared by value, not by bytes)."""
    body: bytes = request.body
    try:
        body = json.dumps(json.loads(body), sort_keys=True, ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        pass  # not JSON (or absurdly nested): compare the bytes
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.GET.urlencode()):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        row.response_body, status=row.status_code or 200, content_type=CONTENT_TYPE
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(*, user: Any, key: str, request: HttpRequest) -> IdempotencyKey | HttpResponse:
    """Claim ``key`` for this request, or answer from an earlier request that holds it."""
    fingerprint = request_fingerprint(request)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    method=request.method or "",
                    path=request.path[:300],
                    request_hash=fingerprint,
                )
        except IntegrityError:
            pass
        held = IdempotencyKey.objects.filter(user=user, key=key).first()
        if held is None:
            continue  # released meanwhile: claim it again
        age = timezone.now() - held.created_at
        if age > (CLAIM_TIMEOUT if held.status_code is None else KEY_TTL):
            IdempotencyKey.objects.filter(pk=held.pk, status_code=held.status_code).delete()
            continue  # abandoned or expired: start afresh
        if held.request_hash != fingerprint:
            raise KeyReused()
        if held.status_code is None:
            raise KeyInProgress()
        return _replay(held)
    raise KeyInProgress()


def _release(claim: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=claim.pk, status_code__isnull=True).delete()


def _as_response(request: HttpRequest, result: Any, dump: dict[str, bool]) -> HttpResponse:
    if isinstance(result, HttpResponse):
        return result
    status = 200
    if isinstance(result, Status):
        status, result = result.status_code, result.value
    if result is None:
        return HttpResponse(status=status, content_type=CONTENT_TYPE)
    if not isinstance(result, BaseModel):
        raise TypeError("An @idempotent view must return a Schema, Status or HttpResponse.")
    data = result.model_dump(
        by_alias=dump.get("by_alias", False),
        exclude_unset=dump.get("exclude_unset", False),
        exclude_defaults=dump.get("exclude_defaults", False),
        exclude_none=dump.get("exclude_none", False),
    )
    return json_response(request, data, status=status)


def idempotent(view: F) -> F:
    """Honour an ``Idempotency-Key`` header on this (authenticated) POST endpoint."""
    dump: dict[str, bool] = {}

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = kwargs.pop("idempotency_key", None)
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated:
            return view(request, *args, **kwargs)
        claim = _claim(user=user, key=key, request=request)
        if isinstance(claim, HttpResponse):
            return claim
        try:
            with transaction.atomic():
                response = _as_response(request, view(request, *args, **kwargs), dump)
                if 200 <= response.status_code < 300:
                    IdempotencyKey.objects.filter(pk=claim.pk).update(
                        status_code=response.status_code,
                        response_body=response.content.decode() if response.content else "",
                    )
                    return response
        except BaseException:
            _release(claim)
            raise
        _release(claim)
        return response

    def remember_dump_options(operation: Any) -> None:
        dump.update(
            by_alias=bool(operation.by_alias),
            exclude_unset=bool(operation.exclude_unset),
            exclude_defaults=bool(operation.exclude_defaults),
            exclude_none=bool(operation.exclude_none),
        )
        missing = {409, 422} - set(operation.response_models)
        if missing:
            raise TypeError(f"{operation.path}: @idempotent needs ErrorOut for {missing}")

    # ninja resolves string annotations in the wrapper's module: hand it the view's, resolved.
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    contribute_operation_args(
        wrapper,
        "idempotency_key",
        KeyValue | None,
        Header(
            None,
            alias=HEADER,
            description="A client-chosen unique key (up to 128 printable ASCII characters, "
            "e.g. a UUID): a retry with the same key and body returns the first response.",
        ),
    )
    contribute_operation_callback(wrapper, remember_dump_options)
    return cast(F, wrapper)


def idempotency_keys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete keys older than :data:`KEY_TTL` (for the scheduler); returns how many."""
    cutoff = (now or timezone.now()) - KEY_TTL
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
