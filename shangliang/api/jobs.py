"""The API's periodic jobs."""

from __future__ import annotations

from shangliang.api.idempotency import idempotency_keys_purge
from shangliang.core.scheduler import periodic


@periodic("api.purge_idempotency_keys", "17 3 * * *")
def purge_idempotency_keys() -> None:
    idempotency_keys_purge()
