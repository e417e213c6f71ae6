"""Evidence spans on the annotation page and in save_annotation: stored as document offsets
with the passages' invariant, checked by the server, recorded in the revision history."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotate.models import Annotation, AnnotationRevision, Assignment, BiasMarker, Label
from annotate.queue import services
from tests.conftest import login, make_campaign

FORM = {"label": "attributed_claim", "confidence": "medium", "cited_type": ""}


def first_word(assignment, word_index=0):
    """(start, end, text) of a word of the place's passage, as document offsets."""
    passage = assignment.passage
    words = list(re.finditer(r"\w+", passage.text))
    m = words[word_index]
    return passage.start + m.start(), passage.start + m.end(), m.group()


def answer(spans, **extra):
    return {
        "label": "attributed_claim",
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "spans": spans,
        "confidence": "medium",
        "note": "",
        **extra,
    }


@pytest.fixture
def place(campaign, users):
    return services.claim_next(campaign, users["alice"])


def test_spans_are_stored_as_document_offsets_with_the_passage_invariant(campaign, users, place):
    s, e, word = first_word(place)
    l_start, l_end, loaded = first_word(place, 2)
    spans = [
        {"layer": "loaded", "label": "loaded_language", "start": l_start, "end": l_end},
        {"layer": "source", "label": "official_body", "start": s, "end": e},
    ]
    services.save_annotation(campaign, users["alice"], place.pk, answer(spans))
    stored = Annotation.objects.get(assignment=place).spans
    document = place.passage.document
    assert [x["text"] for x in stored] == [word, loaded]
    for x in stored:
        assert document.text[x["start"] : x["end"]] == x["text"]
        assert place.passage.start <= x["start"] < x["end"] <= place.passage.end


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda s, e, p: {"start": p.end - 1, "end": p.end + 5}, "outside this passage"),
        (lambda s, e, p: {"start": s, "end": s}, "empty"),
        (lambda s, e, p: {"start": s, "end": e, "label": "loaded_language"}, "is not a cited"),
    ],
)
def test_a_bad_span_saves_nothing_and_says_why(campaign, users, place, make, message):
    s, e, _ = first_word(place)
    span = {"layer": "source", "label": "official_body", **make(s, e, place.passage)}
    with pytest.raises(services.QueueError, match=message):
        services.save_annotation(campaign, users["alice"], place.pk, answer([span]))
    assert not Annotation.objects.filter(assignment=place).exists()
    place.refresh_from_db()
    assert place.status == Assignment.Status.CLAIMED


def test_the_same_words_marked_twice_are_refused(campaign, users, place):
    s, e, _ = first_word(place)
    twice = [
        {"layer": "source", "label": label, "start": s, "end": e} for label in ("anonymous",) * 2
    ]
    with pytest.raises(services.QueueError, match="marked twice"):
        services.save_annotation(campaign, users["alice"], place.pk, answer(twice))
    assert not Annotation.objects.exists()


def test_a_scheme_with_spans_off_refuses_them(campaign, users, place):
    campaign.scheme.spans = "off"
    campaign.scheme.save()
    s, e, _ = first_word(place)
    span = {"layer": "source", "label": "official_body", "start": s, "end": e}
    with pytest.raises(services.QueueError, match="does not mark"):
        services.save_annotation(campaign, users["alice"], place.pk, answer([span]))
    services.save_annotation(campaign, users["alice"], place.pk, answer([]))
    assert Annotation.objects.get(assignment=place).spans == []


def test_required_spans_refuse_a_cited_source_left_unmarked(campaign, users, place):
    campaign.scheme.spans = "required"
    campaign.scheme.save()
    unmarked = answer([], cited_source="Officials", cited_type="official_body")
    with pytest.raises(services.QueueError, match="Mark who is cited"):
        services.save_annotation(campaign, users["alice"], place.pk, unmarked)
    loaded = answer([], markers=["loaded_language"])
    with pytest.raises(services.QueueError, match="loaded_language"):
        services.save_annotation(campaign, users["alice"], place.pk, loaded)
    s, e, _ = first_word(place)
    marked = {"layer": "source", "label": "official_body", "start": s, "end": e}
    services.save_annotation(campaign, users["alice"], place.pk, {**unmarked, "spans": [marked]})
    assert Annotation.objects.get(assignment=place).spans[0]["start"] == s


def test_revisions_keep_spans_before_and_after_and_the_guidelines_version(campaign, users, place):
    s, e, word = first_word(place)
    first = [{"layer": "source", "label": "official_body", "start": s, "end": e}]
    services.save_annotation(campaign, users["alice"], place.pk, answer(first))
    campaign.guidelines_version = 2
    services.save_annotation(
        campaign, users["alice"], place.pk, answer([{**first[0], "label": "named_person"}])
    )
    revisions = list(AnnotationRevision.objects.order_by("changed_at", "pk"))
    assert revisions[0].after["spans"][0]["label"] == "official_body"
    assert revisions[1].before["spans"][0]["label"] == "official_body"
    assert revisions[1].after["spans"] == [
        {"layer": "source", "label": "named_person", "start": s, "end": e, "text": word}
    ]
    assert Annotation.objects.get(assignment=place).guidelines_version == 2
    # The same spans again (a double submit) change nothing.
    services.save_annotation(
        campaign, users["alice"], place.pk, answer([{**first[0], "label": "named_person"}])
    )
    assert AnnotationRevision.objects.count() == 2


def test_the_page_shows_the_passage_as_words_carrying_document_offsets(
    client, campaign, users, place
):
    login(client, users["alice"])
    page = client.get(reverse("annotate:passage", args=[campaign.slug, place.pk]))
    html = page.content.decode()
    tokens = re.findall(r'<span class="tok[^"]*" data-s="(\d+)" data-e="(\d+)"[^>]*>([^<]*)<', html)
    assert len(tokens) >= 3
    text = place.passage.document.text
    for s, e, shown in tokens:
        assert text[int(s) : int(e)] == shown.replace("&#x27;", "'").replace("&quot;", '"').replace(
            "&amp;", "&"
        )
    assert 'name="spans"' in html
    # The legend lists every key the page reads, markers' keys included.
    for key in ("1", "2", "3", "l", "t", "r", "e", "n", "o", "d", "a", "u", "z", "x", "c"):
        assert f'data-key="{key}"' in html


def test_a_blind_campaign_shows_the_outlet_as_one_redacted_word(client, seed_corpus, users):
    jpost = next(d for d in seed_corpus if d.source.name == "The Jerusalem Post")
    blind = make_campaign("Blind", [jpost], users, overlap=1, blind_outlet=True)
    login(client, users["alice"])
    found = []
    while (place := services.claim_next(blind, users["alice"])) is not None:
        html = client.get(reverse("annotate:passage", args=[blind.slug, place.pk])).content.decode()
        at = html.index('id="span-text"')
        current = html[at : html.index("</p>", at)]
        assert "Media Line" not in current and "Jerusalem Post" not in current
        found += re.findall(r'class="tok redacted" data-s="(\d+)" data-e="(\d+)"', current)
        services.save_annotation(blind, users["alice"], place.pk, answer([]))
    # The byline ("told The Media Line that") is one token whose offsets cover the name.
    assert found
    assert {jpost.text[int(s) : int(e)] for s, e in found} == {"The Media Line"}


def test_spans_posted_through_the_page_are_saved_and_bad_ones_shown_as_errors(
    client, campaign, users, place
):
    login(client, users["alice"])
    url = reverse("annotate:passage", args=[campaign.slug, place.pk])
    s, e, _ = first_word(place)
    bad = json.dumps([{"layer": "source", "label": "official_body", "start": s, "end": s}])
    response = client.post(url, {**FORM, "spans": bad})
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Annotation.objects.exists()
    response = client.post(url, {**FORM, "spans": "{not json"})
    assert "could not be read" in response.content.decode()
    good = json.dumps([{"layer": "source", "label": "official_body", "start": s, "end": e}])
    response = client.post(url, {**FORM, "spans": good})
    assert response.status_code == 302
    assert Annotation.objects.get(assignment=place).spans[0]["end"] == e


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_saving_spans_takes_a_fixed_number_of_queries(client, seed_corpus, users):
    counts = []
    for name, docs, user in (("One", seed_corpus[:1], "alice"), ("All", seed_corpus, "bob")):
        campaign = make_campaign(name, docs, users)
        place = services.claim_next(campaign, users[user])
        login(client, users[user])
        s, e, _ = first_word(place)
        spans = json.dumps([{"layer": "source", "label": "official_body", "start": s, "end": e}])
        url = reverse("annotate:passage", args=[campaign.slug, place.pk])
        data = {**FORM, "spans": spans}
        counts.append(count_queries(lambda url=url, data=data: client.post(url, data)))
    assert counts[0] == counts[1] and counts[0] <= 28


def test_attribution_suggestions_appear_only_when_the_campaign_turns_them_on(
    client, campaign, users
):
    login(client, users["alice"])
    place = services.claim_next(campaign, users["alice"])
    while "said" not in place.passage.text and "according to" not in place.passage.text:
        services.save_annotation(campaign, users["alice"], place.pk, answer([]))
        place = services.claim_next(campaign, users["alice"])
    url = reverse("annotate:passage", args=[campaign.slug, place.pk])
    assert 'class="suggestion"' not in client.get(url).content.decode()
    campaign.attribution_suggestions = True
    campaign.save()
    html = client.get(url).content.decode()
    assert 'class="suggestion"' in html
    s, e = map(
        int, re.search(r'class="suggestion" data-start="(\d+)" data-end="(\d+)"', html).groups()
    )
    assert place.passage.start <= s < e <= place.passage.end


@pytest.mark.parametrize("model", [Label, BiasMarker])
def test_a_scheme_key_the_page_already_uses_is_refused(campaign, model):
    from django.core.exceptions import ValidationError

    row = model.objects.filter(scheme=campaign.scheme).first()
    row.key = "s"
    with pytest.raises(ValidationError, match="already a key"):
        row.clean()
    row.key = "k"
    row.clean()


def test_a_manager_turns_attribution_suggestions_on_in_the_settings(client, campaign, users):
    assert not campaign.attribution_suggestions
    login(client, users["mike"])
    page = client.get(reverse("annotate:manage", args=[campaign.slug])).content.decode()
    assert 'name="attribution_suggestions"' in page
    response = client.post(
        reverse("annotate:manage_settings", args=[campaign.slug]),
        {
            "name": campaign.name,
            "guidelines": campaign.guidelines,
            "overlap": 2,
            "status": "active",
            "attribution_suggestions": "on",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.attribution_suggestions
