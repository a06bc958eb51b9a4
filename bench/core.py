"""What every benchmark module returns (:class:`Figure`) and the helpers they share."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Figure:
    section: str
    name: str
    target: str
    median_ms: float | None
    p95_ms: float | None
    queries: int | None
    met: bool | None
    note: str = ""


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(samples_ms: list[float]) -> tuple[float, float]:
    """Median and p95 of samples in milliseconds, rounded to 0.1 ms."""
    return round(statistics.median(samples_ms), 1), round(percentile(samples_ms, 95), 1)


def timed(fn: Callable[[], Any], *, runs: int, warmup: int = 2) -> tuple[list[float], Any]:
    """Run ``fn`` ``warmup`` times unmeasured, then ``runs`` times; the durations in ms and
    the last result."""
    result: Any = None
    for _ in range(warmup):
        result = fn()
    samples: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples, result


def under(target_ms: float, p95_ms: float | None) -> bool | None:
    return None if p95_ms is None else p95_ms < target_ms
