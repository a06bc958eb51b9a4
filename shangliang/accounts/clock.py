"""The wall clock for session and login timeouts, in one place so tests can move it."""

from __future__ import annotations

import time


def now_ts() -> int:
    """Seconds since the epoch."""
    return int(time.time())
