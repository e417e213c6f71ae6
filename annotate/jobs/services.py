"""Writes for background jobs.

A job moves queued → running (``start``, when a worker picks its task up) → done
(``finish``) or failed (``fail``). ``run`` does all of that around a job's work, so that
an exception fails the job with its message. The work's own transactions have rolled
back by the time ``run`` sees the exception, and the job is written after them, in
autocommit: nothing is left open.

Workers die (killed, out of memory, the machine restarted) without a word. A running job
reports progress, each report also a heartbeat; ``mark_stale`` takes a running job whose
heartbeat is older than CREDENCE_JOB_STALE_SECONDS for dead. Such a job is queued again
once, as every kind of job can safely run again: imports are all or nothing (a killed
import wrote nothing; re-importing documents already in changes nothing), suggestions are
recomputed whole, computations only read. A second death fails the job, so a file that
kills its worker (running it out of memory, say) is not retried for ever. A job taken for
dead that is in fact alive stops at its next progress report (JobLost) and leaves the
job to its successor; its worker task ends quietly.

On PostgreSQL a worker inside a long transaction (an import writing a file) cannot make its
heartbeat visible, but its progress UPDATE locks the job's row until it commits:
mark_stale skips locked rows, so a job whose worker holds a transaction open is alive. On
SQLite mark_stale waits for the writer like any other write, and by then the worker's
reports are committed and its heartbeat is fresh.

Uploads waiting for their import: annotate.jobs.uploads; cached results: annotate.jobs.cache.
"""

import logging
import time
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from annotate.jobs import selectors
from annotate.models import Job

logger = logging.getLogger(__name__)

Kind, Status = Job.Kind, Job.Status
MAX_ATTEMPTS = 2
MESSAGE_CHARS = 500
REPORT_INTERVAL_SECONDS = 1.0


class JobFailed(Exception):
    """Raised by a job's work for a refusal it can explain (a file with errors): the job
    fails with this message and ``result``; nothing is logged as a crash."""

    def __init__(self, message, result=None):
        super().__init__(message)
        self.result = result or {}


class JobLost(Exception):
    """The job is no longer this worker's to run (taken for dead and handed on, or
    settled): the work stops at its next progress report."""


# Queueing -------------------------------------------------------------------------------


def enqueue(kind, campaign, user, *, input_path="", data_version=None, **args):
    """Create a queued job and its django-tasks task in one transaction; returns the job.

    With the database backend the task's row is written in the same transaction as the
    job's, so they commit (or roll back) together and a worker never picks up a task whose
    job it cannot see. Any other backend (one that runs tasks elsewhere, or at once) gets
    the task when the transaction commits (transaction.on_commit).
    """
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            campaign=campaign,
            created_by=user if user is not None and user.is_authenticated else None,
            input_path=str(input_path),
            data_version=data_version,
            args=args,
            message="Waiting for a worker.",
        )
        _send(job.pk, kind)
    return job


def _send(job_id, kind):
    from django_tasks_db import DatabaseBackend

    from annotate.jobs.tasks import TASKS  # the tasks run services: imported when used

    task = TASKS[kind]
    if isinstance(task.get_backend(), DatabaseBackend):
        _record_task(job_id, task.enqueue(job_id).id)
    else:
        transaction.on_commit(lambda: _record_task(job_id, task.enqueue(job_id).id))


def _record_task(job_id, task_id):
    # Conditional: a backend that runs the task at once has recorded it already.
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(task_id))


def enqueue_once(kind, campaign, user, **args):
    """The queued or running job of ``kind`` for the campaign, or a new one."""
    return selectors.live_job(campaign, kind) or enqueue(kind, campaign, user, **args)


# Running --------------------------------------------------------------------------------


def start(job_id, task_id=""):
    """Mark a queued job running; False if it is not queued (done, failed, or taken by
    another task), and then the task must not run it."""
    now = timezone.now()
    started = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        task_id=str(task_id or ""),
        message="Started.",
        error="",
    )
    return bool(started)


def report_progress(job_id, done, total=None, message=None):
    """Record progress and a heartbeat: one UPDATE. Returns False if the job is no longer
    running (see JobLost)."""
    fields = {"done": max(0, int(done)), "heartbeat_at": timezone.now()}
    if total is not None:
        fields["total"] = max(0, int(total))
    if message is not None:
        fields["message"] = str(message)[:MESSAGE_CHARS]
    return bool(Job.objects.filter(pk=job_id, status=Status.RUNNING).update(**fields))


class Reporter:
    """The progress callback handed to a job's work: ``reporter(done, total=None,
    message=None)``. An import calls it once per document, so it writes at most once every
    REPORT_INTERVAL_SECONDS, except a new message or the last row, which are always written.
    Raises JobLost once the job is no longer running."""

    def __init__(self, job_id, clock=time.monotonic):
        self.job_id = job_id
        self.clock = clock
        self.last_at = None
        self.last_message = None

    def __call__(self, done, total=None, message=None):
        now = self.clock()
        final = total is not None and done >= total
        new_message = message is not None and message != self.last_message
        if (
            self.last_at is not None
            and not final
            and not new_message
            and now - self.last_at < REPORT_INTERVAL_SECONDS
        ):
            return
        self.last_at = now
        if message is not None:
            self.last_message = message
        if not report_progress(self.job_id, done, total, message):
            raise JobLost(f"job {self.job_id} is no longer running here")


def finish(job_id, result=None, message="Done."):
    """Mark the job done with its result (whatever its status: the work did finish)."""
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=Status.DONE,
        finished_at=now,
        heartbeat_at=now,
        result=result or {},
        message=str(message)[:MESSAGE_CHARS],
        error="",
    )


def fail(job_id, error, result=None):
    """Mark a running job failed with ``error`` (shown on its page)."""
    Job.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error=str(error),
        message="Failed.",
        result=result or {},
    )


def describe(exc):
    """An unexpected exception as one line for the job's page."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"The job stopped on an unexpected error ({name}{': ' + text if text else ''}); the worker's log has the details."


def _write_after_failure(write):
    """Write the outcome even if the failure broke the database connection: outside any
    transaction, a broken connection is closed and the write tried once more."""
    try:
        write()
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        connection.close()
        write()


def run(job_id, task_id, work):
    """Run ``work(job, progress)`` for a job a worker picked up, and record its outcome.

    ``work`` returns a result dict (its "message" shown on the page) or raises JobFailed (a
    refusal) or anything else (a crash: the job fails, and the exception goes on to the
    worker, which logs it and marks the task failed). Returns the task's return value.
    """
    if not start(job_id, task_id):
        return {"job": job_id, "ran": False}
    job = Job.objects.select_related("campaign", "created_by").get(pk=job_id)
    try:
        result = dict(work(job, Reporter(job_id)) or {})
    except JobLost:
        logger.warning("job %s was taken for dead while running; left to its successor", job_id)
        return {"job": job_id, "ran": False}
    except JobFailed as refusal:
        _write_after_failure(partial(fail, job_id, str(refusal), refusal.result))
        _discard_input(job)
        return {"job": job_id, "ran": True, "status": Status.FAILED}
    except Exception as crash:
        _write_after_failure(partial(fail, job_id, describe(crash)))
        _discard_input(job)
        raise
    finish(job_id, result, result.get("message") or "Done.")
    _discard_input(job)
    return {"job": job_id, "ran": True, "status": Status.DONE}


def _discard_input(job):
    """Delete a settled job's uploaded file: a refused file is uploaded again, fixed."""
    if job.input_path:
        Path(job.input_path).unlink(missing_ok=True)


def mark_stale(now=None):
    """Settle running jobs whose worker stopped reporting: each is queued again once
    (attempts < MAX_ATTEMPTS), else failed. Returns (requeued, failed).

    Reads first, and writes only when there is something to settle, so the job page's call
    costs one query and never waits for a writer. Rows locked by a live transaction are
    skipped (PostgreSQL; see the module docstring).
    """
    now = now or timezone.now()
    cutoff = selectors.stale_cutoff(now)
    stale = Job.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    if not stale.exists():
        return 0, 0
    requeued = failed = 0
    try:
        with transaction.atomic():
            for job in stale.select_for_update(skip_locked=True).order_by("pk"):
                # Conditional: another mark_stale, or the worker itself, may have got there.
                row = Job.objects.filter(pk=job.pk, status=Status.RUNNING, heartbeat_at__lt=cutoff)
                silent = int((now - job.heartbeat_at).total_seconds())
                _fail_task(job.task_id, silent)
                if job.attempts < MAX_ATTEMPTS:
                    if row.update(
                        status=Status.QUEUED,
                        task_id="",
                        message=(
                            f"The worker running this job stopped answering ({silent} s "
                            "without a sign of life); queued to run again."
                        ),
                    ):
                        requeued += 1
                        _send(job.pk, job.kind)
                elif row.update(
                    status=Status.FAILED,
                    finished_at=now,
                    message="Failed.",
                    error=(
                        f"The worker running this job stopped answering ({silent} s without a "
                        f"sign of life), on each of {job.attempts} attempts; it was given up. "
                        "Work too large for the worker's memory can do this (split a large "
                        "file); the worker's log says more."
                    ),
                ):
                    failed += 1
                    _discard_input(job)
    except OperationalError as exc:  # SQLite: a long import held the database past the wait
        logger.warning("could not settle stale jobs now (%s); the next call will", exc)
        return 0, 0
    return requeued, failed


def _fail_task(task_id, silent):
    """Close the dead worker's task row too (django-tasks-db leaves it running for ever)."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        with transaction.atomic():  # a savepoint: a bad id must not break the caller's work
            DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="annotate.jobs.services.JobLost",
                traceback=f"No sign of life from its worker for {silent} s "
                "(annotate.jobs.services.mark_stale).",
            )
    except (ValidationError, ValueError, DatabaseError):  # not a task id of this backend
        pass
