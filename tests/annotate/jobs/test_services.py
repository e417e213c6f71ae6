"""Queueing, running, progress, failure and dead workers (annotate/jobs/services.py)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotate.jobs import services, work
from annotate.jobs.services import JobFailed, Reporter
from annotate.models import Campaign, Job
from tests.annotate.jobs.support import ready_tasks, run_jobs

Status = Job.Status


@pytest.fixture
def fake_work(monkeypatch):
    """Replace what a suggestions job does with ``behaviour(job, progress)``."""

    def install(behaviour):
        monkeypatch.setitem(work.WORK, Job.Kind.SUGGESTIONS, behaviour)

    return install


def queued(campaign, user):
    return services.enqueue(Job.Kind.SUGGESTIONS, campaign, user)


def test_enqueue_writes_the_job_and_its_task_together(campaign, users):
    job = queued(campaign, users["carol"])
    assert (job.status, job.kind, job.campaign, job.created_by) == (
        "queued",
        "suggestions",
        campaign,
        users["carol"],
    )
    job.refresh_from_db()
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert task.task_path == "annotate.jobs.tasks.suggestions"


def test_a_job_rolled_back_with_its_transaction_leaves_no_task(campaign, users):
    with pytest.raises(RuntimeError), transaction.atomic():
        queued(campaign, users["carol"])
        raise RuntimeError("the request failed after queueing")
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_running_a_job_records_progress_result_and_times(campaign, users, fake_work):
    seen = []

    def behaviour(job, progress):
        progress(0, 3, "starting")
        seen.append(Job.objects.values_list("status", "done", "total", "message").get(pk=job.pk))
        progress(3, 3, "all rows")
        return {"message": "Three rows done.", "rows": 3}

    fake_work(behaviour)
    job = queued(campaign, users["carol"])
    assert run_jobs() == 1
    job.refresh_from_db()
    assert seen == [("running", 0, 3, "starting")]
    assert (job.status, job.done, job.total, job.message) == ("done", 3, 3, "Three rows done.")
    assert job.result == {"message": "Three rows done.", "rows": 3}
    assert job.attempts == 1 and job.error == ""
    assert job.created_at <= job.started_at <= job.heartbeat_at <= job.finished_at
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


def test_report_progress_is_one_update_and_a_heartbeat(campaign, users, django_assert_num_queries):
    job = queued(campaign, users["carol"])
    assert services.start(job.pk, "task")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    with django_assert_num_queries(1):
        assert services.report_progress(job.pk, 40, 200, "forty")
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (40, 200, "forty")
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=5)


def test_report_progress_on_a_job_that_is_not_running_changes_nothing(campaign, users):
    job = queued(campaign, users["carol"])
    assert not services.report_progress(job.pk, 5, 10, "too early")
    job.refresh_from_db()
    assert (job.done, job.total, job.status) == (0, None, "queued")


def test_the_reporter_writes_at_most_once_a_second_but_always_new_messages_and_the_end(
    campaign, users, django_assert_num_queries
):
    job = queued(campaign, users["carol"])
    services.start(job.pk)
    now = [100.0]
    report = Reporter(job.pk, clock=lambda: now[0])
    with django_assert_num_queries(4):
        report(0, 1000, "writing")  # first: written
        for done in range(1, 500):  # same message within the second: skipped
            report(done, 1000, "writing")
        now[0] += 1.5
        report(500, 1000, "writing")  # a second later: written
        report(501, 1000, "checking")  # a new message: written
        report(1000, 1000, "checking")  # the last row: written
    job.refresh_from_db()
    assert (job.done, job.message) == (1000, "checking")


def test_an_exception_fails_the_job_with_its_message_and_the_task_records_it(
    campaign, users, fake_work
):
    def behaviour(job, progress):
        progress(1, 10, "about to break")
        raise ValueError("the figures do not add up")

    fake_work(behaviour)
    job = queued(campaign, users["carol"])
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "ValueError: the figures do not add up" in job.error
    assert job.finished_at is not None and job.done == 1
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == "FAILED" and "the figures do not add up" in task.traceback


def test_a_refusal_fails_the_job_with_its_message_and_result_without_a_crash(
    campaign, users, fake_work
):
    def behaviour(job, progress):
        raise JobFailed("Nothing was imported.", {"errors": ["line 2: bad label"]})

    fake_work(behaviour)
    job = queued(campaign, users["carol"])
    run_jobs()
    job.refresh_from_db()
    assert (job.status, job.error, job.result) == (
        "failed",
        "Nothing was imported.",
        {"errors": ["line 2: bad label"]},
    )
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_rolls_back_its_writes_and_leaves_no_transaction_open(
    campaign, users, fake_work
):
    def behaviour(job, progress):
        with transaction.atomic():
            Campaign.objects.filter(pk=job.campaign_id).update(name="Half written")
            raise RuntimeError("broke in the middle of a write")

    fake_work(behaviour)
    job = queued(campaign, users["carol"])
    run_jobs()
    assert not connection.in_atomic_block and connection.get_autocommit()
    job.refresh_from_db()
    campaign.refresh_from_db()
    assert job.status == "failed" and "broke in the middle of a write" in job.error
    assert campaign.name == "Seed campaign"


def test_a_job_runs_once_even_if_its_task_is_queued_twice(campaign, users, fake_work):
    calls = []
    fake_work(lambda job, progress: calls.append(job.pk) or {})
    job = queued(campaign, users["carol"])
    services._send(job.pk, job.kind)  # a second task for the same job
    assert run_jobs() == 2
    assert calls == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1


def running_since(job, seconds, attempts=1):
    """As a worker leaves a job it was running when it died ``seconds`` ago."""
    job.refresh_from_db()
    past = timezone.now() - timedelta(seconds=seconds)
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING")
    Job.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, started_at=past, heartbeat_at=past, attempts=attempts
    )


def test_a_job_left_running_by_a_killed_worker_is_queued_again_then_runs(
    campaign, users, fake_work, settings
):
    settings.CREDENCE_JOB_STALE_SECONDS = 120
    fake_work(lambda job, progress: {"message": "second time lucky"})
    job = queued(campaign, users["carol"])
    job.refresh_from_db()
    first_task = job.task_id
    running_since(job, 121)
    assert ready_tasks() == 0

    assert services.mark_stale() == (1, 0)

    job.refresh_from_db()
    assert job.status == "queued" and "stopped answering" in job.message
    assert job.task_id and job.task_id != first_task
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"
    assert ready_tasks() == 1
    run_jobs()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == ("done", 2, "second time lucky")


def test_a_job_whose_worker_dies_twice_is_failed_with_a_clear_message(campaign, users):
    job = queued(campaign, users["carol"])
    job.refresh_from_db()
    running_since(job, 600, attempts=2)
    assert services.mark_stale() == (0, 1)
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "stopped answering" in job.error and "on each of 2 attempts" in job.error
    assert ready_tasks() == 0


def test_a_job_with_a_recent_heartbeat_is_left_alone(campaign, users, settings):
    settings.CREDENCE_JOB_STALE_SECONDS = 120
    job = queued(campaign, users["carol"])
    running_since(job, 60)
    assert services.mark_stale() == (0, 0)
    job.refresh_from_db()
    assert job.status == "running"


def test_a_worker_taken_for_dead_stops_at_its_next_report(campaign, users, fake_work):
    after_report = []

    def behaviour(job, progress):
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
        services.mark_stale()  # another process decides this worker is dead
        progress(1, 2, "still here")
        after_report.append("went on")

    fake_work(behaviour)
    job = queued(campaign, users["carol"])
    assert run_jobs() == 2  # the first attempt stops; the second runs (and stops too)
    assert after_report == []
    job.refresh_from_db()
    assert job.attempts == 2 and job.status == "failed"


def test_enqueue_once_reuses_a_live_job(campaign, users):
    first = services.enqueue_once(Job.Kind.SUGGESTIONS, campaign, users["carol"])
    again = services.enqueue_once(Job.Kind.SUGGESTIONS, campaign, users["mike"])
    assert again == first
    Job.objects.filter(pk=first.pk).update(status=Status.DONE)
    assert services.enqueue_once(Job.Kind.SUGGESTIONS, campaign, users["mike"]) != first
