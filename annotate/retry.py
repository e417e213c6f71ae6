"""Writes that meet a busy database try again, so a reviewer never sees "database is locked".

On SQLite (the embedded default) writers take turns: a transaction that cannot get the
write lock within the busy timeout fails with "database is locked", which a busy machine
reaches. On PostgreSQL two transactions can deadlock or fail serialisation. All of these
are about timing, not about the request: the same write a moment later succeeds. So each
service's outermost transaction is retried a few times with exponential backoff and jitter
(Amazon's "full jitter"); if the database stays busy the service raises its own error with
a message a person can act on, never a server error.

Only a whole transaction can be retried: inside an outer atomic block the failure belongs
to the caller's transaction, which is then broken, so it propagates untouched.
"""

import functools
import random
import time

from django.db import OperationalError, connection

ATTEMPTS = 5
BACKOFF_SECONDS = 0.05  # doubled on every attempt: at most 0.05 + 0.1 + 0.2 + 0.4 s of waiting
BUSY = "The database is busy right now; nothing was lost. Please try again in a moment."
# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
RETRY_SQLSTATES = {"40001", "40P01", "55P03"}


def is_busy(error: Exception) -> bool:
    """A failure that the same transaction would not meet a moment later."""
    text = str(error).lower()
    if "database is locked" in text or "database table is locked" in text:
        return True
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRY_SQLSTATES


def retry_when_busy(error_class, sleep=time.sleep):
    """Decorate a service: retry it while the database is busy, then raise ``error_class``
    with a clear message (the service's own error, which its views already show)."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            for attempt in range(ATTEMPTS):
                try:
                    return service(*args, **kwargs)
                except OperationalError as error:
                    if connection.in_atomic_block or not is_busy(error):
                        raise
                    if attempt == ATTEMPTS - 1:
                        raise error_class(BUSY) from error
                    sleep(random.uniform(0, BACKOFF_SECONDS * 2**attempt))
            raise AssertionError("unreachable")  # pragma: no cover

        return wrapper

    return decorate
