"""Each kind of job from the page that asks for it to its result: claim suggestions refreshed
from the suggestions page, annotations imported from a stored upload."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotate.jobs import uploads, versions
from annotate.models import Annotation, ClaimSuggestion, Job
from corpus.models import Passage
from tests.annotate.jobs.support import job_of, run_jobs
from tests.conftest import login


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    settings.CREDENCE_JOB_FILES = tmp_path / "jobs"
    return settings.CREDENCE_JOB_FILES


def refresh(client, campaign):
    return client.post(reverse("annotate:claim_suggestions_refresh", args=[campaign.slug]))


def test_refreshing_suggestions_queues_a_job_and_its_page_leads_back_to_them(
    client, campaign, users
):
    login(client, users["carol"])
    job = job_of(refresh(client, campaign))
    assert (job.kind, job.status, job.campaign) == ("suggestions", "queued", campaign)
    assert not ClaimSuggestion.objects.exists()  # nothing computed inside the request
    assert job_of(refresh(client, campaign)) == job  # asked twice: still one job
    run_jobs()
    assert ClaimSuggestion.objects.filter(campaign=campaign).count() > 10
    html = client.get(job.get_absolute_url()).content.decode()
    assert "suggestion(s) found" in html
    assert reverse("annotate:claim_suggestions", args=[campaign.slug]) in html


def test_refreshing_suggestions_stays_post_only_and_for_curators(client, campaign, users):
    login(client, users["carol"])
    url = reverse("annotate:claim_suggestions_refresh", args=[campaign.slug])
    assert client.get(url).status_code == 405
    login(client, users["alice"])
    assert client.post(url).status_code == 404
    assert not Job.objects.exists()


def annotations_csv(campaign, label="opinion"):
    passages = Passage.objects.filter(document__campaigndocument__campaign=campaign).exclude(
        kind=Passage.Kind.BOILERPLATE
    )
    rows = "".join(f"zed,{label},{p.pk}\n" for p in passages.order_by("pk")[:3])
    return SimpleUploadedFile("elsewhere.csv", ("annotator,label,passage\n" + rows).encode())


def test_an_annotation_import_job_imports_bumps_the_version_and_deletes_the_upload(
    campaign, users, job_files
):
    before = versions.current(campaign.pk)
    job = uploads.enqueue_annotation_upload(campaign, annotations_csv(campaign), users["mike"])
    stored = Path(job.input_path)
    assert stored.parent == job_files and job.args == {"name": "elsewhere.csv"}
    run_jobs()
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.result["created"] == 3 and "3 annotation(s) imported" in job.message
    assert Annotation.objects.filter(assignment__reviewer__username="zed").count() == 3
    assert versions.current(campaign.pk) > before
    assert not stored.exists()


def test_a_refused_annotation_file_fails_its_job_with_the_reasons(client, campaign, users):
    job = uploads.enqueue_annotation_upload(
        campaign, annotations_csv(campaign, label="no-such-label"), users["mike"]
    )
    before = versions.current(campaign.pk)
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and "Nothing was imported" in job.error
    assert any("no-such-label" in e for e in job.result["errors"])
    assert not Annotation.objects.exists() and versions.current(campaign.pk) == before
    login(client, users["mike"])
    html = client.get(job.get_absolute_url()).content.decode()
    assert "no-such-label" in html


def test_a_job_whose_upload_vanished_fails_saying_so(campaign, users):
    job = uploads.enqueue_annotation_upload(campaign, annotations_csv(campaign), users["mike"])
    Path(job.input_path).unlink()
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and "no longer on the server" in job.error
