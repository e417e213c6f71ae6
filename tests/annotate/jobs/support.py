"""Running queued jobs in a test: the worker's own code, in this process and transaction.

``run_jobs()`` does what one ``manage.py db_worker`` pass does for each ready task:
claim it, then ``Worker.run_task`` (django-tasks-db), which calls the task, records its
return value or its exception on the task's row and sends django-tasks' signals. Only the
polling loop is left out (it closes database connections between tasks, which would end
the test's transaction).
"""

import re

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from annotate.models import Job


def worker():
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def run_jobs(limit=100):
    """Run every ready task, oldest first, until none is left; returns how many ran."""
    ran, runner = 0, worker()
    while ran < limit:
        task = DBTaskResult.objects.ready().first()
        if task is None:
            return ran
        task.claim(runner.worker_id)
        runner.run_task(task)
        ran += 1
    raise AssertionError(f"more than {limit} tasks: a job keeps queueing another")


def ready_tasks():
    return DBTaskResult.objects.ready().count()


def job_of(response):
    """The job a response redirected to (its page's URL ends in /jobs/<id>/)."""
    assert response.status_code == 302, response.status_code
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    return Job.objects.get(pk=pk)


CURRENT = re.compile(r'<p class="muted" id="cache-current">.*?</p>\n', re.S)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def comparable(html):
    """A page's lines without how current its cached tables are, the log-out form's token
    and blank lines: what a page computed in the request and one read from the cache share."""
    return [line for line in TOKEN.sub("", CURRENT.sub("", html)).splitlines() if line.strip()]
