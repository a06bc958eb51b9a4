"""Public registration per client address: a fixed-window counter in Django's cache.

Each address may register ``REGISTER_RATE_PER_HOUR`` accounts per clock hour (0 turns the
limit off). An attempt counts once its input is valid, whether it creates an account or
finds the mobile number taken, so the form cannot be used to test many numbers either;
typing a weak password again does not use up the allowance.

The counter lives in the default cache: shared by every process when ``REDIS_URL`` is set,
per process otherwise (the local-memory cache).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError

WINDOW_SECONDS = 3600


class Throttled(DomainError):
    status = 429
    code = "throttled"


def client_address(request: HttpRequest) -> str:
    """The address the request came from (the one the audit trail records)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def registration_limit() -> int:
    return int(settings.REGISTER_RATE_PER_HOUR)


def _key(address: str) -> str:
    return f"sl:register:{address}:{int(time.time()) // WINDOW_SECONDS}"


def _refusal() -> Throttled:
    return Throttled(
        _("注册过于频繁：同一网络每小时最多注册 %(n)d 次，请稍后再试。")
        % {"n": registration_limit()}
    )


def registration_check(request: HttpRequest) -> None:
    """Raise ``Throttled`` if this address has used up the current hour's allowance."""
    limit = registration_limit()
    if limit and int(cache.get(_key(client_address(request)), 0)) >= limit:
        raise _refusal()


def registration_hit(request: HttpRequest) -> None:
    """Count one attempt; raise ``Throttled`` if it goes over the allowance."""
    limit = registration_limit()
    if not limit:
        return
    key = _key(client_address(request))
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    if count > limit:
        raise _refusal()
