"""The job page and its JSON status (annotate/jobs/views.py): what they show, who sees them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotate.jobs import services
from annotate.models import Job
from tests.annotate.jobs.support import run_jobs
from tests.conftest import login, make_user


@pytest.fixture
def job(campaign, users):
    """A suggestions job carol started, running: 250 of 1,000 rows done in 30 s."""
    job = services.enqueue(Job.Kind.SUGGESTIONS, campaign, users["carol"])
    services.start(job.pk, "task")
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=30))
    services.report_progress(job.pk, 250, 1000, "Comparing passages")
    job.refresh_from_db()
    return job


def page(client, job):
    return client.get(reverse("annotate:job", args=[job.pk]))


def status(client, job):
    return client.get(reverse("annotate:job_status", args=[job.pk]))


def test_the_status_reports_percent_rows_time_left_and_message(client, users, job):
    login(client, users["carol"])
    response = status(client, job)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert {k: body[k] for k in ("status", "finished", "done", "total", "percent", "message")} == {
        "status": "running",
        "finished": False,
        "done": 250,
        "total": 1000,
        "percent": 25,
        "message": "Comparing passages",
    }
    # 250 rows in about 30 s: about 90 s for the other 750.
    assert 85 <= body["seconds_left"] <= 100 and body["time_left"] == "about 2 minutes"
    assert body["kind_name"] == "Claim suggestions" and body["result_url"] is None


def test_the_page_shows_the_same_and_loads_its_polling_script(client, users, job):
    login(client, users["carol"])
    html = page(client, job).content.decode()
    assert '<strong id="job-status">Running</strong>' in html
    assert '<progress id="job-progress" max="100" value="25">' in html
    assert '<span id="job-done">250</span> of <span id="job-total">1000</span> steps' in html
    assert "about 2 minutes" in html and "Comparing passages" in html
    assert f'data-status-url="{reverse("annotate:job_status", args=[job.pk])}"' in html
    assert 'data-finished="0"' in html
    assert '<script src="/static/js/job.js" defer></script>' in html
    assert "<script>" not in html  # no inline script (Content-Security-Policy)


def test_a_finished_job_links_to_its_result_and_stops_polling(client, users, campaign):
    job = services.enqueue(Job.Kind.SUGGESTIONS, campaign, users["carol"])
    run_jobs()
    login(client, users["carol"])
    body = status(client, job).json()
    suggestions = reverse("annotate:claim_suggestions", args=[campaign.slug])
    assert body["status"] == "done" and body["finished"] and body["percent"] == 100
    assert body["result_url"] == suggestions
    assert "suggestion(s) found" in body["message"]
    html = page(client, job).content.decode()
    assert f'<a id="job-result-link" href="{suggestions}">Go to the suggestions</a>' in html
    assert 'data-finished="1"' in html


def test_a_failed_job_shows_its_error(client, users, job):
    services.fail(job.pk, "The file has 3 bad rows.")
    login(client, users["carol"])
    body = status(client, job).json()
    assert (body["status"], body["finished"], body["error"]) == (
        "failed",
        True,
        "The file has 3 bad rows.",
    )
    assert "The file has 3 bad rows." in page(client, job).content.decode()


@pytest.mark.parametrize("name", ["carol", "mike", "staff"])
def test_its_creator_the_campaigns_curators_and_managers_and_staff_see_a_job(
    client, users, job, name
):
    login(client, users[name])
    assert page(client, job).status_code == 200
    assert status(client, job).status_code == 200


@pytest.mark.parametrize("name", ["alice", "olga"])
def test_reviewers_and_non_members_get_404(client, users, job, other_campaign, name):
    login(client, users[name])
    assert page(client, job).status_code == 404
    assert status(client, job).status_code == 404


def test_a_job_without_a_campaign_is_for_its_creator_and_staff_only(client, users, campaign):
    job = Job.objects.create(kind=Job.Kind.CORPUS_IMPORT, created_by=users["staff"])
    for name, expected in (("staff", 200), ("carol", 404), ("mike", 404)):
        login(client, users[name])
        assert page(client, job).status_code == expected, name
    editor = make_user("editor")
    mine = Job.objects.create(kind=Job.Kind.CORPUS_IMPORT, created_by=editor)
    login(client, editor)
    assert page(client, mine).status_code == 200
    assert page(client, job).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, job):
    for response in (page(client, job), status(client, job)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_job_is_404(client, users, db):
    login(client, users["staff"])
    assert client.get(reverse("annotate:job", args=[999_999])).status_code == 404


@pytest.mark.parametrize("name", ["carol", "mike"])
def test_the_page_and_status_take_a_fixed_number_of_queries(
    client, users, job, name, django_assert_max_num_queries
):
    login(client, users[name])
    page(client, job)  # warm caches
    # session, user, job with campaign and creator, the curator check, stale jobs (a read)
    with django_assert_max_num_queries(5):
        assert page(client, job).status_code == 200
    with django_assert_max_num_queries(4):
        assert status(client, job).status_code == 200


def test_opening_the_page_of_a_job_whose_worker_died_queues_it_again(client, users, job, settings):
    settings.CREDENCE_JOB_STALE_SECONDS = 120
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    login(client, users["carol"])
    body = status(client, job).json()
    assert body["status"] == "queued" and "stopped answering" in body["message"]
    assert "Queued" in page(client, job).content.decode()
