"""My annotations: a member's own work in a campaign and each answer's history, in words."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotate.models import Annotation, Membership
from annotate.queue import services
from tests.conftest import login, make_campaign

pytestmark = pytest.mark.django_db


def answer(**extra):
    return {
        "label": "opinion",
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "confidence": "medium",
        "note": "",
        **extra,
    }


def word_span(place, marker="loaded_language"):
    """A loaded-language span over the first long word of the place's passage."""
    passage = place.passage
    found = re.search(r"\w{4,}", passage.text)
    start = passage.start + found.start()
    return {
        "layer": "loaded",
        "label": marker,
        "start": start,
        "end": start + len(found.group()),
        "text": found.group(),
    }


def label_passages(campaign, user, n, **extra):
    """``user`` claims and saves ``n`` passages; returns the annotations."""
    done = []
    for _ in range(n):
        place = services.claim_next(campaign, user)
        annotation, _ = services.save_annotation(campaign, user, place.pk, answer(**extra))
        done.append(annotation)
    return done


def mine_url(campaign):
    return reverse("annotate:my_annotations", args=[campaign.slug])


def history_url(campaign, annotation):
    return reverse("annotate:my_annotation_history", args=[campaign.slug, annotation.pk])


def test_the_page_lists_only_my_annotations_with_names_not_codes(client, campaign, users):
    place = services.claim_next(campaign, users["alice"])
    services.save_annotation(
        campaign,
        users["alice"],
        place.pk,
        answer(
            label="attributed_claim",
            cited_source="Kakar",
            cited_type="named_person",
            markers=["loaded_language", "emotional_appeal"],
            spans=[word_span(place)],
            confidence="high",
        ),
    )
    label_passages(campaign, users["bob"], 1, note="BOB-ONLY", cited_source="BOB-SOURCE")
    login(client, users["alice"])
    response = client.get(mine_url(campaign))
    assert response.status_code == 200
    body = response.content.decode()
    rows = response.context["table"].rows
    assert len(rows) == 1
    assert "Attributed claim" in body and "attributed_claim" not in body
    assert "Kakar (Named person)" in body
    assert "Emotional appeal, Loaded language" in body
    assert "High" in body
    assert "BOB-SOURCE" not in body
    row = rows[0]
    assert row.get_cell("spans") == 1
    assert row.get_cell("guidelines_version") == campaign.guidelines_version
    assert place.passage.document.title in body
    assert reverse("annotate:passage", args=[campaign.slug, place.pk]) in body
    annotation = Annotation.objects.get(assignment=place)
    assert history_url(campaign, annotation) in body


def test_sorting_by_confidence_goes_low_medium_high(client, campaign, users):
    for confidence in ("high", "low", "medium"):
        label_passages(campaign, users["alice"], 1, confidence=confidence)
    login(client, users["alice"])
    table = client.get(mine_url(campaign) + "?sort=confidence").context["table"]
    assert [row.record.confidence for row in table.rows] == ["low", "medium", "high"]
    table = client.get(mine_url(campaign) + "?sort=-confidence").context["table"]
    assert [row.record.confidence for row in table.rows] == ["high", "medium", "low"]


def test_a_blinded_campaign_hides_the_outlet_in_titles_and_passages(client, seed_corpus, users):
    campaign = make_campaign("Blind", seed_corpus, users, blind_outlet=True)
    place = services.claim_next(campaign, users["alice"])
    services.save_annotation(campaign, users["alice"], place.pk, answer())
    document = place.passage.document
    login(client, users["alice"])
    body = client.get(mine_url(campaign)).content.decode()
    assert document.source.name not in body
    annotation = Annotation.objects.get(assignment=place)
    body = client.get(history_url(campaign, annotation)).content.decode()
    assert document.source.name not in body


def test_curators_and_managers_see_only_their_own_work(client, campaign, users):
    label_passages(campaign, users["alice"], 1)
    for name in ("carol", "mike"):
        login(client, users[name])
        response = client.get(mine_url(campaign))
        assert response.status_code == 200
        assert len(response.context["table"].rows) == 0
        assert "You have not labelled anything" in response.content.decode()


def test_a_reviewer_made_curator_keeps_the_history_link_but_not_the_passage_link(
    client, campaign, users
):
    # The annotation page is for reviewers: a curator following the link would get 404.
    (annotation,) = label_passages(campaign, users["alice"], 1)
    Membership.objects.filter(campaign=campaign, user=users["alice"]).update(role="curator")
    login(client, users["alice"])
    body = client.get(mine_url(campaign)).content.decode()
    assert history_url(campaign, annotation) in body
    assert reverse("annotate:passage", args=[campaign.slug, annotation.assignment_id]) not in body


def test_non_members_get_404_and_visitors_the_login_page(client, campaign, users):
    login(client, users["olga"])
    assert client.get(mine_url(campaign)).status_code == 404
    client.logout()
    response = client.get(mine_url(campaign))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_campaign_page_links_to_my_annotations(client, campaign, users):
    for name in ("alice", "carol"):
        login(client, users[name])
        body = client.get(reverse("annotate:campaign", args=[campaign.slug])).content.decode()
        assert mine_url(campaign) in body and "My annotations" in body


def test_the_history_reads_each_change_in_words(client, campaign, users):
    place = services.claim_next(campaign, users["alice"])
    t0 = timezone.now().replace(second=0, microsecond=0)
    services.save_annotation(campaign, users["alice"], place.pk, answer(), now=t0)
    span = word_span(place)
    services.save_annotation(
        campaign,
        users["alice"],
        place.pk,
        answer(
            label="attributed_claim",
            markers=["loaded_language"],
            spans=[span],
            confidence="high",
        ),
        now=t0 + timedelta(minutes=5),
    )
    annotation = Annotation.objects.get(assignment=place)
    login(client, users["alice"])
    response = client.get(history_url(campaign, annotation))
    assert response.status_code == 200
    lines = [r["line"] for r in response.context["revisions"]]
    assert lines[0] == "alice labelled the passage Opinion; confidence Medium"
    assert lines[1] == (
        "alice changed passage type from Opinion to Attributed claim; ticked Loaded language; "
        f"added loaded-language span “{span['text']}” (Loaded language); confidence Medium → High"
    )
    body = response.content.decode()
    assert "changed passage type from Opinion to Attributed claim" in body
    when = timezone.localtime(t0 + timedelta(minutes=5))
    assert f"{when:%H:%M}" in body and str(when.year) in body


def test_someone_elses_annotation_history_is_404(client, campaign, users, other_campaign):
    (bobs,) = label_passages(campaign, users["bob"], 1)
    (olgas,) = label_passages(other_campaign, users["olga"], 1)
    login(client, users["alice"])
    assert client.get(history_url(campaign, bobs)).status_code == 404
    # olga's annotation belongs to another campaign: not reachable through this one
    login(client, users["olga"])
    assert client.get(history_url(campaign, olgas)).status_code == 404
    assert client.get(history_url(campaign, bobs)).status_code == 404
    # curators and staff see their own work only, not the reviewers'
    for name in ("carol", "staff"):
        login(client, users[name])
        assert client.get(history_url(campaign, bobs)).status_code == 404
    login(client, users["bob"])
    assert client.get(history_url(campaign, bobs)).status_code == 200


def test_the_list_takes_as_many_queries_for_many_annotations_as_for_one(
    client, campaign, users, django_assert_max_num_queries
):
    label_passages(campaign, users["alice"], 1, markers=["loaded_language"])
    login(client, users["alice"])
    with django_assert_max_num_queries(8):
        assert len(client.get(mine_url(campaign)).context["table"].rows) == 1
    label_passages(campaign, users["alice"], 12, markers=["loaded_language"], note="n")
    with django_assert_max_num_queries(8):
        assert len(client.get(mine_url(campaign)).context["table"].rows) == 13


def test_the_history_takes_as_many_queries_for_many_revisions_as_for_one(
    client, campaign, users, django_assert_max_num_queries
):
    (annotation,) = label_passages(campaign, users["alice"], 1)
    place = annotation.assignment
    login(client, users["alice"])
    with django_assert_max_num_queries(8):
        assert len(client.get(history_url(campaign, annotation)).context["revisions"]) == 1
    for i, label in enumerate(["sourced_fact", "attributed_claim", "opinion"] * 3):
        services.save_annotation(
            campaign, users["alice"], place.pk, answer(label=label, note=str(i))
        )
    with django_assert_max_num_queries(8):
        assert len(client.get(history_url(campaign, annotation)).context["revisions"]) == 10


def test_hostile_text_in_my_answers_is_shown_escaped(client, campaign, users):
    hostile = "<script>alert(1)</script>"
    (annotation,) = label_passages(
        campaign, users["alice"], 1, cited_source=hostile, cited_type="named_person"
    )
    services.save_annotation(
        campaign,
        users["alice"],
        annotation.assignment_id,
        answer(cited_source=hostile, cited_type="named_person", note=hostile),
    )
    login(client, users["alice"])
    for url in (mine_url(campaign), history_url(campaign, annotation)):
        body = client.get(url).content.decode()
        assert hostile not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
