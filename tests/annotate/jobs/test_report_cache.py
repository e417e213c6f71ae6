"""The per-outlet report page cached against the campaign's data version
(annotate/reports/views.py outlets with annotate.jobs.cache.cached_result)."""

import pytest
from django.urls import reverse

from annotate.models import ComputedResult, Job
from tests.annotate.jobs.support import comparable, job_of, ready_tasks, run_jobs
from tests.annotate.jobs.test_agreement_cache import another_annotation
from tests.annotate.test_frames import label_passages
from tests.conftest import login

REPORT = Job.Kind.REPORT


@pytest.fixture
def labelled(campaign, users):
    label_passages(campaign, [users["alice"], users["bob"]], 12)
    return campaign


@pytest.fixture
def carol(client, users):
    return login(client, users["carol"])


def outlets(client, campaign):
    return client.get(reverse("annotate:reports", args=[campaign.slug]))


def report_jobs(campaign):
    return list(Job.objects.filter(campaign=campaign, kind=REPORT))


def test_the_cached_report_is_the_report_computed_in_the_request(labelled, carol, settings):
    live = outlets(carol, labelled).content.decode()
    settings.CREDENCE_INLINE_ANNOTATIONS = 0
    first = outlets(carol, labelled).content.decode()
    assert 'id="cache-computing"' in first and 'id="share-chart"' not in first
    [job] = report_jobs(labelled)
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == "done", job.error
    cached = outlets(carol, labelled).content.decode()
    assert 'id="cache-current"' in cached
    assert comparable(cached) == comparable(live)


def test_a_new_annotation_marks_the_report_out_of_date_and_queues_one_job(
    labelled, carol, users, settings
):
    settings.CREDENCE_INLINE_ANNOTATIONS = 0
    outlets(carol, labelled)
    run_jobs()
    another_annotation(labelled, users)
    html = outlets(carol, labelled).content.decode()
    assert 'id="cache-stale"' in html and 'id="share-chart"' in html
    outlets(carol, labelled)
    assert len([j for j in report_jobs(labelled) if j.is_live]) == 1 and ready_tasks() == 1
    run_jobs()
    assert 'id="cache-current"' in outlets(carol, labelled).content.decode()
    assert ComputedResult.objects.filter(campaign=labelled, kind=REPORT).count() == 1


def test_a_failed_report_can_be_asked_for_again(labelled, carol, settings, monkeypatch):
    from annotate.jobs import work

    settings.CREDENCE_INLINE_ANNOTATIONS = 0
    monkeypatch.setitem(work.WORK, REPORT, lambda job, progress: 1 / 0)
    outlets(carol, labelled)
    run_jobs()
    html = outlets(carol, labelled).content.decode()
    assert 'id="cache-failed"' in html and "ZeroDivisionError" in html
    monkeypatch.undo()
    job = job_of(carol.post(reverse("annotate:reports", args=[labelled.slug])))
    assert job.kind == REPORT and job.status == "queued"


@pytest.mark.parametrize("name", ["alice", "olga"])
def test_reviewers_and_non_members_get_404_and_queue_nothing(
    labelled, client, users, other_campaign, settings, name
):
    settings.CREDENCE_INLINE_ANNOTATIONS = 0
    login(client, users[name])
    assert outlets(client, labelled).status_code == 404
    assert client.post(reverse("annotate:reports", args=[labelled.slug])).status_code == 404
    assert not Job.objects.exists()
