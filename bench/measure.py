"""Small measuring helpers shared by the benchmarks (standard library only)."""

from __future__ import annotations

import os
import resource
import time


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (getrusage maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> float:
    """One-minute load average: other work on a shared machine slows every figure."""
    return os.getloadavg()[0]


def machine() -> str:
    """'load average 1.2 on 2 CPUs', printed beside timings."""
    return f"load average {load_average():.2f} on {os.cpu_count()} CPUs"


def percentile(values, q: float) -> float:
    """The value of rank round(q·n/100 + 1/2) among the n sorted values (clamped to 1..n);
    NaN for no values.

    This is the nearest-rank percentile, rank ceil(q·n/100) (Hyndman & Fan 1996, definition
    1), except that Python's round-half-to-even gives one rank higher when q·n/100 is an odd
    whole number. Kept as the benchmarks have always computed it, so figures stay comparable.
    """
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def best_of(fn, repeat: int):
    """(fastest wall seconds of `repeat` calls, the last call's value): the minimum is the
    run least disturbed by the rest of the machine."""
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value
