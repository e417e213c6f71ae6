"""The Agreement page cached against the campaign's data version (annotate/agreement/views.py
with annotate.jobs.cache.cached_result).

CREDENCE_INLINE_ANNOTATIONS = 0 makes every campaign "large", so its page reads the cache.
"""

import pytest
from django.urls import reverse

from annotate.agreement.selectors import agreement_tables
from annotate.jobs import cache, versions
from annotate.models import Annotation, ComputedResult, Job
from annotate.queue import services as queue
from tests.annotate.jobs.support import comparable, job_of, ready_tasks, run_jobs
from tests.annotate.test_frames import label_passages
from tests.conftest import login

AGREEMENT = Job.Kind.AGREEMENT
TABLES = ["overall", "outlets", "documents", "labels", "reviewers", "pairs", "coincidences"]
SPAN_TABLES = ["spans", "span_pairs", "versions"]


@pytest.fixture
def labelled(campaign, users):
    label_passages(campaign, [users["alice"], users["bob"]], 12)
    return campaign


@pytest.fixture
def large(settings):
    settings.CREDENCE_INLINE_ANNOTATIONS = 0


@pytest.fixture
def carol(client, users):
    return login(client, users["carol"])


def dashboard(client, campaign):
    return client.get(reverse("annotate:agreement", args=[campaign.slug]))


def download(client, campaign, table):
    response = client.get(reverse("annotate:agreement_csv", args=[campaign.slug, table]))
    if response.status_code != 200:
        return response
    return b"".join(response.streaming_content) if response.streaming else response.content


def agreement_jobs(campaign):
    return list(Job.objects.filter(campaign=campaign, kind=AGREEMENT).order_by("pk"))


def alpha_shown(campaign):
    return f'<strong id="overall-alpha">{agreement_tables(campaign)["overall"].iloc[0]["alpha"]:.3f}</strong>'


def another_annotation(campaign, users):
    place = queue.claim_next(campaign, users["dave"])
    queue.save_annotation(
        campaign,
        users["dave"],
        place.pk,
        {"label": "opinion", "cited_type": "", "markers": [], "confidence": "high"},
    )


def test_a_large_campaign_first_shows_computing_and_queues_one_job(large, labelled, carol):
    html = dashboard(carol, labelled).content.decode()
    assert 'id="cache-computing"' in html and "Computing…" in html
    assert 'id="overall-alpha"' not in html
    [job] = agreement_jobs(labelled)
    assert (job.status, job.data_version, job.created_by.username) == (
        "queued",
        versions.current(labelled.pk),
        "carol",
    )
    assert reverse("annotate:job", args=[job.pk]) in html
    dashboard(carol, labelled)
    assert len(agreement_jobs(labelled)) == 1 and ready_tasks() == 1  # not a second one


def test_after_the_job_the_page_shows_the_cached_tables_as_current(large, labelled, carol):
    dashboard(carol, labelled)
    assert run_jobs() == 1
    stored = ComputedResult.objects.get(campaign=labelled, kind=AGREEMENT)
    assert stored.data_version == versions.current(labelled.pk)
    html = dashboard(carol, labelled).content.decode()
    assert 'id="cache-current"' in html
    assert alpha_shown(labelled) in html
    for table in TABLES:
        if table != "pairs":
            assert f'id="table-{table}"' in html
    assert len(agreement_jobs(labelled)) == 1


def test_a_new_annotation_makes_the_page_out_of_date_and_queues_exactly_one_job(
    large, labelled, users, carol
):
    dashboard(carol, labelled)
    run_jobs()
    before = versions.current(labelled.pk)
    old_alpha = alpha_shown(labelled)

    another_annotation(labelled, users)

    assert versions.current(labelled.pk) == before + 1
    html = dashboard(carol, labelled).content.decode()
    assert 'id="cache-stale"' in html and "Out of date, recomputing" in html
    assert old_alpha in html  # the last result, still shown
    dashboard(carol, labelled)
    fresh = [j for j in agreement_jobs(labelled) if j.data_version == before + 1]
    assert len(fresh) == 1 and fresh[0].status == "queued" and ready_tasks() == 1
    assert reverse("annotate:job", args=[fresh[0].pk]) in html

    run_jobs()

    html = dashboard(carol, labelled).content.decode()
    assert 'id="cache-current"' in html and 'id="cache-stale"' not in html
    assert alpha_shown(labelled) in html
    assert ComputedResult.objects.filter(campaign=labelled).count() == 1  # the old one is gone


def test_saving_the_same_answer_again_keeps_the_cache_current(large, labelled, users, carol):
    dashboard(carol, labelled)
    run_jobs()
    answer = Annotation.objects.filter(
        assignment__campaign=labelled, assignment__reviewer=users["alice"]
    ).first()
    place, data = answer.assignment, answer.snapshot()
    _, changed = queue.save_annotation(labelled, users["alice"], place.pk, data)
    assert not changed
    assert 'id="cache-current"' in dashboard(carol, labelled).content.decode()


def test_every_csv_from_the_cache_equals_the_csv_computed_in_the_request(labelled, carol, settings):
    live = {table: download(carol, labelled, table) for table in TABLES + SPAN_TABLES}
    settings.CREDENCE_INLINE_ANNOTATIONS = 0
    dashboard(carol, labelled)
    run_jobs()
    for table in TABLES + SPAN_TABLES:
        assert download(carol, labelled, table) == live[table], table


def test_an_out_of_date_csv_sends_the_curator_to_the_page(large, labelled, users, carol):
    dashboard(carol, labelled)
    run_jobs()
    another_annotation(labelled, users)
    response = download(carol, labelled, "overall")
    assert response.status_code == 302
    assert response["Location"] == reverse("annotate:agreement", args=[labelled.slug])
    assert len([j for j in agreement_jobs(labelled) if j.is_live]) == 1


def test_a_failed_computation_is_shown_and_can_be_asked_for_again(
    large, labelled, carol, monkeypatch
):
    from annotate.jobs import work

    def broken(job, progress):
        raise MemoryError("out of memory")

    monkeypatch.setitem(work.WORK, AGREEMENT, broken)
    dashboard(carol, labelled)
    run_jobs()
    html = dashboard(carol, labelled).content.decode()
    assert 'id="cache-failed"' in html and "MemoryError: out of memory" in html
    assert len(agreement_jobs(labelled)) == 1  # a failure is not retried on every visit
    monkeypatch.undo()

    job = job_of(carol.post(reverse("annotate:agreement", args=[labelled.slug])))
    assert job.status == "queued" and job.kind == AGREEMENT
    run_jobs()
    assert alpha_shown(labelled) in dashboard(carol, labelled).content.decode()


def test_two_requests_at_once_queue_one_computation(large, labelled, users):
    labelled.refresh_from_db()  # as each request loads it
    version = labelled.data_version
    first = cache._queue_computation(labelled, AGREEMENT, users["carol"])
    second = cache._queue_computation(labelled, AGREEMENT, users["mike"])
    assert second == first and first.data_version == version
    assert len(agreement_jobs(labelled)) == 1


def test_the_cached_page_takes_few_queries(large, labelled, carol, django_assert_max_num_queries):
    dashboard(carol, labelled)
    run_jobs()
    dashboard(carol, labelled)  # warm caches
    # session, user, campaign, membership, done places, the cached result
    with django_assert_max_num_queries(6):
        response = dashboard(carol, labelled)
    assert 'id="cache-current"' in response.content.decode()


def test_a_small_campaign_is_computed_in_the_request_and_writes_nothing(labelled, carol):
    html = dashboard(carol, labelled).content.decode()
    assert alpha_shown(labelled) in html
    assert 'id="cache-' not in html
    assert not Job.objects.exists() and not ComputedResult.objects.exists()


@pytest.mark.parametrize("name", ["alice", "olga"])
def test_reviewers_and_non_members_get_404_and_queue_nothing(
    large, labelled, client, users, other_campaign, name
):
    login(client, users[name])
    assert dashboard(client, labelled).status_code == 404
    assert client.post(reverse("annotate:agreement", args=[labelled.slug])).status_code == 404
    assert not Job.objects.exists()


def test_an_unreadable_cached_result_is_computed_again(large, labelled, carol):
    dashboard(carol, labelled)
    run_jobs()
    ComputedResult.objects.update(payload=b"not a pickle")
    html = dashboard(carol, labelled).content.decode()
    assert 'id="cache-computing"' in html
    assert len([j for j in agreement_jobs(labelled) if j.is_live]) == 1


def test_the_cached_page_is_the_page_computed_in_the_request(labelled, carol, settings):
    live = dashboard(carol, labelled).content.decode()
    settings.CREDENCE_INLINE_ANNOTATIONS = 0
    dashboard(carol, labelled)
    run_jobs()
    cached = dashboard(carol, labelled).content.decode()
    assert 'id="cache-current"' in cached
    assert comparable(cached) == comparable(live)


def test_asking_a_small_campaign_to_recompute_queues_nothing(labelled, carol):
    response = carol.post(reverse("annotate:agreement", args=[labelled.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("annotate:agreement", args=[labelled.slug])
    assert not Job.objects.exists()
