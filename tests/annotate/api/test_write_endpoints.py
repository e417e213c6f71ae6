"""The API's writes: campaign set-up end to end, imports as jobs, job status, clear errors."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotate.models import Annotation, Campaign, Job, Membership
from corpus.models import Document
from tests.annotate.jobs.support import run_jobs

pytestmark = pytest.mark.django_db


def post(client, name, body, *args):
    return client.post(
        reverse(f"annotate:{name}", args=args), json.dumps(body), content_type="application/json"
    )


def test_a_campaign_is_set_up_and_activated_through_the_api(api, seed_corpus, users):
    client = api("staff")
    made = post(client, "api_campaign_create", {"name": "API study", "overlap": 2})
    assert made.status_code == 201, made.json()
    slug = made.json()["slug"]
    outlets = sorted({d.source.name for d in seed_corpus})[:2]
    added = post(client, "api_campaign_documents", {"outlets": outlets}, slug)
    assert added.json()["added"] == Document.objects.filter(source__name__in=outlets).count()
    members = post(client, "api_campaign_members", {"members": {"alice": "reviewer"}}, slug)
    assert members.json() == {"members": ["alice"]}
    settings = client.patch(
        reverse("annotate:api_campaign_settings", args=[slug]),
        json.dumps({"blind_outlet": True, "guidelines": "Read twice."}),
        content_type="application/json",
    )
    assert settings.status_code == 200, settings.json()
    active = post(client, "api_campaign_activate", {}, slug)
    assert active.status_code == 200 and active.json()["status"] == "active"
    campaign = Campaign.objects.get(slug=slug)
    assert campaign.blind_outlet and campaign.guidelines_version == 2
    assert Membership.objects.filter(campaign=campaign, user=users["staff"], role="manager")
    progress = client.get(reverse("annotate:api_campaign_progress", args=[slug])).json()
    assert progress["done"] == 0 and progress["places"] == 2 * progress["passages"]
    assert {o["outlet"] for o in progress["outlets"]} == set(outlets)
    closed = post(client, "api_campaign_close", {}, slug)
    assert closed.json()["status"] == "closed"


def test_set_up_errors_are_json_with_the_services_message(api, campaign):
    client = api("staff")
    clash = post(client, "api_campaign_create", {"name": campaign.name})
    assert clash.status_code == 400 and "already" in clash.json()["error"]
    unknown = post(
        client, "api_campaign_members", {"members": {"nobody": "reviewer"}}, campaign.slug
    )
    assert unknown.status_code == 400 and "nobody" in unknown.json()["error"]
    outlet = post(client, "api_campaign_documents", {"outlets": ["Nowhere"]}, campaign.slug)
    assert outlet.status_code == 400 and "Nowhere" in outlet.json()["error"]
    dates = post(client, "api_campaign_documents", {"date_from": "last week"}, campaign.slug)
    assert dates.status_code == 400 and "YYYY-MM-DD" in dates.json()["error"]
    again = post(client, "api_campaign_activate", {}, campaign.slug)
    assert again.status_code == 400 and "already active" in again.json()["error"]
    bad = client.patch(
        reverse("annotate:api_campaign_settings", args=[campaign.slug]),
        json.dumps({"overlap": 0}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "overlap" in bad.json()["fields"]


def test_only_managers_change_a_campaign_and_reviewers_cannot_create_one(api, campaign):
    assert post(api("alice"), "api_campaign_create", {"name": "Mine"}).status_code == 404
    for name in ("api_campaign_activate", "api_campaign_close"):
        assert post(api("carol"), name, {}, campaign.slug).status_code == 404
    assert (
        post(
            api("olga"), "api_campaign_members", {"members": {"olga": "manager"}}, campaign.slug
        ).status_code
        == 404
    )
    assert not Membership.objects.filter(user__username="olga", campaign=campaign).exists()


def test_documents_posted_as_json_are_imported_by_a_job(api, db):
    client = api("staff")
    body = {
        "documents": [
            {"outlet": "API Times", "title": "A story", "text": "Officials said it rose. It did."}
        ]
    }
    queued = post(client, "api_corpus_import", body)
    assert queued.status_code == 202
    status_url = queued.json()["status_url"]
    assert client.get(status_url).json()["status"] == "queued"
    run_jobs()
    finished = client.get(status_url).json()
    assert finished["status"] == "done", finished
    assert Document.objects.filter(source__name="API Times").count() == 1


def test_a_bad_corpus_file_fails_its_job_with_the_errors(api, db):
    client = api("staff")
    upload = SimpleUploadedFile("bad.jsonl", b'{"outlet": "X", "title": "", "text": ""}\n')
    queued = client.post(reverse("annotate:api_corpus_import"), {"file": upload})
    assert queued.status_code == 202
    run_jobs()
    finished = client.get(queued.json()["status_url"]).json()
    assert finished["status"] == "failed"
    assert finished["errors"] or finished["error"]
    assert not Document.objects.exists()


def test_only_staff_import_documents(api, db):
    response = post(api("carol"), "api_corpus_import", {"documents": [{"outlet": "x"}]})
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_annotations_uploaded_through_the_api_are_imported_by_a_job(api, campaign, users):
    passage = campaign.documents.first().passages.exclude(kind="boilerplate").first()
    csv = f"annotator,label,passage\nextern1,opinion,{passage.pk}\nextern2,opinion,{passage.pk}\n"
    client = api("carol")
    upload = SimpleUploadedFile("labels.csv", csv.encode())
    queued = client.post(
        reverse("annotate:api_annotation_import", args=[campaign.slug]), {"file": upload}
    )
    assert queued.status_code == 202, queued.content
    run_jobs()
    assert client.get(queued.json()["status_url"]).json()["status"] == "done"
    assert Annotation.objects.filter(assignment__passage=passage).count() == 2
    missing = client.post(reverse("annotate:api_annotation_import", args=[campaign.slug]), {})
    assert missing.status_code == 400 and "file" in missing.json()["error"]


def test_someone_elses_job_is_404(api, campaign, users):
    job = Job.objects.create(kind=Job.Kind.AGREEMENT, campaign=campaign, created_by=users["carol"])
    assert api("alice").get(reverse("annotate:api_job", args=[job.pk])).status_code == 404
    assert api("mike").get(reverse("annotate:api_job", args=[job.pk])).status_code == 200
