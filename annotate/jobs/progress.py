"""How far a job has got and how long it has left (pure: no Django).

Time left assumes the job keeps the average rate it has had since it started (a linear
extrapolation of rows done against time elapsed): with d of n rows done after t seconds,
the rest takes t × (n − d) / d. It is only an estimate: an import checks its file before
writing a row, and the rows of a job need not all cost the same.
"""

import math

# Below this many rows done, or this many seconds run, the rate is too uncertain to quote.
MIN_DONE = 1
MIN_ELAPSED = 2.0


def percent(done, total):
    """Whole percent done, from 0 to 100; None while the total is unknown.

    Rounded down, so a job shows 100 only once every row is done; a job with nothing to do
    (total 0) is complete.
    """
    if total is None:
        return None
    if total <= 0:
        return 100
    return max(0, min(100, math.floor(100 * done / total)))


def seconds_left(done, total, elapsed):
    """Estimated seconds until done: elapsed × (total − done) / done; None when unknown.

    Unknown while the total is, before MIN_DONE rows or MIN_ELAPSED seconds; 0 once done.
    """
    if total is None or elapsed is None:
        return None
    if done >= total:
        return 0.0
    if done < MIN_DONE or elapsed < MIN_ELAPSED:
        return None
    return elapsed * (total - done) / done


def duration(seconds):
    """A duration for people: "less than a minute", "about 1 minute", "about 12 minutes",
    "about 2 hours"; None stays None."""
    if seconds is None:
        return None
    if seconds < 60:
        return "less than a minute"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(seconds / 3600)
    return f"about {hours} hour{'s' if hours != 1 else ''}"
