"""A real `manage.py db_worker` process runs the jobs: it first settles a job a killed worker
left running, then runs every queued task and exits (--batch), so the test waits for the
process to end rather than sleeping."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from annotate.jobs import services, versions
from annotate.models import ComputedResult, Job
from tests.annotate.test_frames import label_passages

ROOT = Path(__file__).resolve().parents[3]
DEADLINE_SECONDS = 300  # generous: the machine may be busy; a normal run takes seconds


def database_environment():
    """The environment that points a child process at this test's database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        env["DATABASE_URL"] = f"postgres://{user}{password}@{host}{port}/{db['NAME']}"
    return env


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_settles_a_dead_workers_job_then_runs_every_queued_job(
    campaign, users, settings
):
    label_passages(campaign, [users["alice"], users["bob"]], 6)
    agreement = services.enqueue(
        Job.Kind.AGREEMENT, campaign, users["carol"], data_version=versions.current(campaign.pk)
    )
    abandoned = services.enqueue(Job.Kind.SUGGESTIONS, campaign, users["carol"])
    # A worker took the suggestions job and was killed ten minutes ago.
    assert services.start(abandoned.pk, "a-dead-workers-task")
    past = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk=abandoned.pk).update(heartbeat_at=past, started_at=past)

    finished = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
        ],
        cwd=ROOT,
        env=database_environment(),
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
    )

    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    assert "1 queued again, 0 failed" in finished.stdout, output
    agreement.refresh_from_db()
    abandoned.refresh_from_db()
    assert (agreement.status, agreement.attempts) == ("done", 1), agreement.error
    assert (abandoned.status, abandoned.attempts) == ("done", 2), abandoned.error
    assert "suggestion(s) found" in abandoned.message
    # Computed at the version it was asked for; the suggestions, refreshed after it (a write),
    # have since made it out of date.
    stored = ComputedResult.objects.get(campaign=campaign, kind=Job.Kind.AGREEMENT)
    assert (stored.data_version, stored.job_id) == (agreement.data_version, agreement.pk)
    assert versions.current(campaign.pk) == agreement.data_version + 1
