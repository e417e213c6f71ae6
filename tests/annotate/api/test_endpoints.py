"""The REST API: same access rules as the pages, JSON errors, cursor pages, streams, schema."""

import json

import pytest
from django.urls import reverse

from annotate.models import Annotation
from annotate.queue import services
from tests.conftest import make_campaign

pytestmark = pytest.mark.django_db

ANSWER = {
    "label": "opinion",
    "cited_source": "",
    "cited_type": "",
    "markers": ["loaded_language"],
    "spans": [],
    "confidence": "high",
    "note": "",
}


def label(campaign, user, n):
    for _ in range(n):
        place = services.claim_next(campaign, user)
        services.save_annotation(campaign, user, place.pk, ANSWER)


def test_campaigns_lists_only_the_users_campaigns(api, campaign, other_campaign):
    slugs = {
        c["slug"] for c in api("alice").get(reverse("annotate:api_campaigns")).json()["results"]
    }
    assert slugs == {campaign.slug}
    slugs = {
        c["slug"] for c in api("staff").get(reverse("annotate:api_campaigns")).json()["results"]
    }
    assert slugs == {campaign.slug, other_campaign.slug}


def test_a_non_member_gets_404_as_json(api, campaign):
    for name in ("api_campaign", "api_annotations", "api_agreement", "api_claims"):
        response = api("olga").get(reverse(f"annotate:{name}", args=[campaign.slug]))
        assert response.status_code == 404, name
        assert response.json() == {"error": "Not found, or not yours to see.", "status": 404}


def test_reviewers_do_not_read_everyones_annotations(api, campaign):
    response = api("alice").get(reverse("annotate:api_annotations", args=[campaign.slug]))
    assert response.status_code == 404


def test_without_a_token_or_session_the_api_asks_for_one(client, campaign):
    response = client.get(reverse("annotate:api_campaign", args=[campaign.slug]))
    assert response.status_code == 401
    assert "credentials" in response.json()["error"].lower()


def test_annotations_page_by_cursor_and_every_row_once(api, campaign, users):
    label(campaign, users["alice"], 3)
    label(campaign, users["bob"], 2)
    client = api("carol")
    url = reverse("annotate:api_annotations", args=[campaign.slug]) + "?page_size=2"
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        seen += body["results"]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert [r["id"] for r in seen] == list(
        Annotation.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert seen[0]["annotator"] == "alice" and seen[0]["markers"] == ["loaded_language"]
    assert seen[0]["guidelines_version"] == 1


def test_the_stream_gives_one_json_line_per_annotation(api, campaign, users):
    label(campaign, users["alice"], 4)
    response = api("carol").get(reverse("annotate:api_annotations_stream", args=[campaign.slug]))
    assert response.status_code == 200 and response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 4
    assert {json.loads(line)["label"] for line in lines} == {"opinion"}


def test_the_annotation_list_takes_the_same_queries_for_many_rows(
    api, seed_corpus, users, django_assert_max_num_queries
):
    small = make_campaign("Small", seed_corpus[:1], users)
    large = make_campaign("Large", seed_corpus, users)
    label(small, users["alice"], 1)
    label(large, users["alice"], 20)
    client = api("carol")
    for campaign in (small, large):
        with django_assert_max_num_queries(6):
            client.get(reverse("annotate:api_annotations", args=[campaign.slug]))


def test_agreement_as_json_matches_the_pages_tables(api, campaign, users):
    label(campaign, users["alice"], 3)
    label(campaign, users["bob"], 3)
    body = api("carol").get(reverse("annotate:api_agreement", args=[campaign.slug])).json()
    assert "overall" in body and body["overall"]
    from annotate.agreement.selectors import agreement_tables

    tables = agreement_tables(campaign)
    assert len(body["overall"]) == len(tables["overall"])


def test_exports_come_as_the_report_files(api, campaign, users):
    label(campaign, users["alice"], 2)
    client = api("carol")
    response = client.get(reverse("annotate:api_export", args=[campaign.slug, "annotations.csv"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    from annotate.reports import exports

    assert text == "".join(exports.export(campaign, "annotations.csv"))  # the report's own file
    assert "alice" in text
    missing = client.get(reverse("annotate:api_export", args=[campaign.slug, "nothing.csv"]))
    assert missing.status_code == 404
    assert "choose from" in missing.json()["error"]


def test_claims_are_listed_with_their_outlets(api, campaign, users):
    from annotate.claims import services as claims

    claims.create_claim(campaign, users["carol"], "78 aircraft left behind")
    body = api("carol").get(reverse("annotate:api_claims", args=[campaign.slug])).json()
    assert [c["statement"] for c in body["results"]] == ["78 aircraft left behind"]


def test_the_openapi_schema_names_every_endpoint_and_the_docs_page_answers(client, users):
    from tests.conftest import login

    login(client, users["alice"])
    schema = client.get(reverse("annotate:api_schema") + "?format=json").json()
    paths = set(schema["paths"])
    for expected in (
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{slug}/annotations/",
        "/api/v1/campaigns/{slug}/annotations.jsonl",
        "/api/v1/campaigns/{slug}/agreement/",
        "/api/v1/campaigns/{slug}/claims/",
    ):
        assert expected in paths
    assert "bearerAuth" in json.dumps(schema["components"].get("securitySchemes", {})) or (
        "ApiToken" in json.dumps(schema)
    )
    docs = client.get(reverse("annotate:api_docs"))
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_one_agreement_table_comes_as_json_or_csv(api, campaign, users):
    label(campaign, users["alice"], 3)
    label(campaign, users["bob"], 3)
    client = api("carol")
    url = reverse("annotate:api_agreement", args=[campaign.slug])
    rows = client.get(url + "?table=reviewers").json()["reviewers"]
    assert {r["annotator"] for r in rows} == {"alice", "bob"}
    csv = client.get(url + "?table=reviewers&as=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0].startswith("annotator")
    unknown = client.get(url + "?table=nothing")
    assert unknown.status_code == 404 and "choose from" in unknown.json()["error"]


def test_a_large_campaigns_agreement_answers_202_with_its_job_then_the_tables(
    api, campaign, users, settings
):
    from tests.annotate.jobs.support import run_jobs

    settings.CREDENCE_INLINE_ANNOTATIONS = 1  # "large": computed by a job, read from the cache
    label(campaign, users["alice"], 2)
    label(campaign, users["bob"], 2)
    client = api("carol")
    url = reverse("annotate:api_agreement", args=[campaign.slug])
    first = client.get(url)
    assert first.status_code == 202 and first.json()["status"] == "computing"
    status_url = first.json()["job"]["status_url"]
    assert client.get(url).json()["job"]["id"] == first.json()["job"]["id"]  # one job only
    run_jobs()
    assert client.get(status_url).json()["status"] == "done"
    assert "overall" in client.get(url).json()


def test_report_tables_come_as_json_rows(api, campaign, users):
    label(campaign, users["alice"], 3)
    client = api("carol")
    outlets = client.get(reverse("annotate:api_report", args=[campaign.slug, "outlets"]))
    assert outlets.status_code == 200
    names = {r["outlet"] for r in outlets.json()["results"]}
    assert names == set(campaign.documents.values_list("source__name", flat=True))
    missing = client.get(reverse("annotate:api_report", args=[campaign.slug, "nothing"]))
    assert missing.status_code == 404
