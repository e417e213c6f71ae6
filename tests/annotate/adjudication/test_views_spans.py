"""The decision page with evidence spans: each reviewer's highlights, the final spans, keys."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from annotate.adjudication import services as adjudication
from annotate.models import Adjudication, LabelScheme
from tests.annotate.adjudication.span_support import (
    answering,
    first_long,
    loaded,
    source,
    words,
)
from tests.annotate.adjudication_support import label_everything, vote
from tests.conftest import login, make_campaign


@pytest.fixture
def campaign(seed_corpus, users):
    return make_campaign("Small", seed_corpus[:1], users, overlap=2)


def alice_and_bob_mark(campaign, users):
    passages = label_everything(
        campaign,
        users["alice"],
        answering(vote("opinion"), lambda p: source(p, 0), lambda p: loaded(p, 1)),
    )
    label_everything(
        campaign,
        users["bob"],
        answering(vote("sourced_fact"), lambda p: source(p, 0, "official_body")),
    )
    return first_long(passages)


@pytest.fixture
def passage(campaign, users):
    return alice_and_bob_mark(campaign, users)


def page(campaign, passage):
    return reverse("annotate:adjudicate", args=[campaign.slug, passage.pk])


def between(html, start, end):
    return html[html.index(start) : html.index(end, html.index(start))]


def hidden_spans(html):
    value = re.search(r'<input type="hidden" name="spans" value="([^"]*)"', html).group(1)
    return json.loads(unescape(value))


def test_the_page_shows_each_reviewers_spans_highlighted_side_by_side(
    client, campaign, users, passage
):
    html = login(client, users["carol"]).get(page(campaign, passage)).content.decode()
    first, second = words(passage)[0][2], words(passage)[1][2]
    alice = between(html, 'id="reviewer-1"', "</article>")
    bob = between(html, 'id="reviewer-2"', "</article>")
    assert "Reviewer 1: alice" in alice and "Reviewer 2: bob" in bob
    assert (
        f'<mark class="span-mark layer-source" title="Cited source: Named person">{first}</mark>'
        in alice
    )
    assert (
        f'<mark class="span-mark layer-loaded" title="Loaded language: Loaded language">'
        f"{second}</mark>" in alice
    )
    assert (
        f'<mark class="span-mark layer-source" title="Cited source: Official body">{first}</mark>'
        in bob
    )
    assert "layer-loaded" not in bob
    # The spans are listed too, with the layer and the type by name.
    assert f"Cited source · Named person</span>: “{first}”" in alice
    assert f"Loaded language · Loaded language</span>: “{second}”" in alice
    assert "Disagree on: passage type, cited-source type, bias markers" not in html
    assert "evidence spans" in between(html, 'id="majority"', "</p>")


def test_the_final_passage_is_tokens_carrying_document_offsets(client, campaign, users, passage):
    html = login(client, users["carol"]).get(page(campaign, passage)).content.decode()
    final = between(html, 'id="final-text"', "</p>")
    for start, end, text in words(passage):
        assert f'data-start="{start}" data-end="{end}" title="">{text}</span>' in final


def test_the_script_gets_each_reviewers_answer_as_data_and_no_inline_code(
    client, campaign, users, passage
):
    response = login(client, users["carol"]).get(page(campaign, passage))
    html = response.content.decode()
    attribute = re.search(r'<div id="adjudication-data" hidden data-page="([^"]*)">', html)
    data = json.loads(unescape(attribute.group(1)))
    assert [(r["number"], r["username"], r["label"]) for r in data["reviewers"]] == [
        (1, "alice", "opinion"),
        (2, "bob", "sourced_fact"),
    ]
    assert data["reviewers"][0]["spans"] == [source(passage, 0), loaded(passage, 1)]
    assert data["passage"] == {"start": passage.start, "text": passage.text}
    assert data["names"]["source"]["named_person"] == "Named person"
    assert 'href="/static/css/adjudicate.css"' in html
    # The one script is the external file (the Content-Security-Policy forbids inline code).
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/adjudicate.js" defer>']


def test_the_final_spans_start_from_the_agreed_spans_then_from_the_decision(
    client, campaign, users, passage
):
    login(client, users["carol"])
    # alice and bob agree on no span exactly (different source types): nothing prefilled.
    assert hidden_spans(client.get(page(campaign, passage)).content.decode()) == []
    adjudication.decide(
        campaign,
        users["mike"],
        passage.pk,
        {"label": "opinion", "rationale": "r", "spans": [loaded(passage, 2)]},
    )
    html = client.get(page(campaign, passage)).content.decode()
    assert hidden_spans(html) == [loaded(passage, 2)]
    assert f"“{words(passage)[2][2]}”" in between(html, 'id="final-span-list"', "</ol>")
    assert 'class="adj-tok layer-loaded"' in between(html, 'id="final-text"', "</p>")


def test_agreed_spans_are_prefilled(client, campaign, users):
    three = make_campaign("Three", campaign.documents.all(), users, overlap=3)
    for name in ("alice", "bob"):
        label_everything(three, users[name], answering(vote("opinion"), lambda p: source(p, 0)))
    passages = label_everything(
        three, users["dave"], answering(vote("sourced_fact"), lambda p: loaded(p, 1))
    )
    passage = first_long(passages)
    html = login(client, users["carol"]).get(page(three, passage)).content.decode()
    assert hidden_spans(html) == [source(passage, 0)]


def test_posting_final_spans_saves_them(client, campaign, users, passage):
    spans = [source(passage, 0, "document"), loaded(passage, 1, last=2)]
    login(client, users["carol"]).post(
        page(campaign, passage),
        {"label": "opinion", "rationale": "Both marks.", "spans": json.dumps(spans)},
    )
    assert Adjudication.objects.get(passage=passage).spans == spans


@pytest.mark.parametrize(
    "spans,message",
    [
        ("not json", "The marked spans could not be read"),
        ('{"layer": "source"}', "The marked spans could not be read"),
        ("BAD_TEXT", "Nothing was saved: Span “Elsewhere” does not match the passage"),
    ],
)
def test_bad_posted_spans_show_the_reason_keep_the_answer_and_save_nothing(
    client, campaign, users, passage, spans, message
):
    if spans == "BAD_TEXT":
        spans = json.dumps([{**source(passage, 0), "text": "Elsewhere"}])
    response = login(client, users["carol"]).post(
        page(campaign, passage), {"label": "opinion", "rationale": "Mine.", "spans": spans}
    )
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert not Adjudication.objects.exists()
    assert "Mine." in html and 'value="opinion" data-key="3" checked' in html


def test_the_history_lists_the_spans_of_each_revision(client, campaign, users, passage):
    login(client, users["carol"])
    client.post(
        page(campaign, passage),
        {"label": "opinion", "rationale": "a", "spans": json.dumps([source(passage, 0)])},
    )
    client.post(page(campaign, passage), {"label": "opinion", "rationale": "b", "spans": "[]"})
    history = between(
        client.get(page(campaign, passage)).content.decode(), 'class="history"', "</ol>"
    )
    first = words(passage)[0][2]
    items = re.findall(r"<li>(.*?)</li>", history, re.S)
    assert len(items) == 2
    assert f"spans source named_person: “{first}”" in items[0] and "spans" not in items[1]


def test_the_legend_lists_every_label_key_and_one_take_key_per_reviewer(
    client, campaign, users, passage
):
    html = login(client, users["carol"]).get(page(campaign, passage)).content.decode()
    legend = between(html, 'id="adj-legend"', "</section>")
    presses = re.findall(r'data-press="([^"]+)"', legend)
    assert presses == [
        "1",
        "2",
        "3",
        "Shift+Digit1",
        "Shift+Digit2",
        "m",
        "Enter",
        "Control+Enter",
        "Escape",
    ]
    assert "Take reviewer 2's answer (bob), spans included" in legend
    # Each label radio answers to its key.
    for key, value in (("1", "sourced_fact"), ("2", "attributed_claim"), ("3", "opinion")):
        assert f'value="{value}" data-key="{key}"' in html


def test_with_spans_off_the_page_has_no_span_tools_but_keeps_taking_answers(
    client, campaign, users
):
    campaign.scheme.spans = LabelScheme.Spans.OFF
    campaign.scheme.save()
    passages = label_everything(campaign, users["alice"], lambda p, r: vote("opinion"))
    label_everything(campaign, users["bob"], lambda p, r: vote("sourced_fact"))
    html = login(client, users["carol"]).get(page(campaign, passages[0])).content.decode()
    for absent in ('id="final-text"', 'data-action="merge"', "span-mark", "data-take-spans"):
        assert absent not in html
    assert 'data-press="Shift+Digit2"' in html and 'data-take-answer="2"' in html


def test_the_page_takes_a_fixed_number_of_queries_however_many_reviewers_and_spans(
    client, campaign, users, passage, seed_corpus, django_assert_max_num_queries
):
    login(client, users["carol"])
    client.post(
        page(campaign, passage),
        {"label": "opinion", "rationale": "a", "spans": json.dumps([source(passage, 0)])},
    )
    with django_assert_max_num_queries(14):
        small = client.get(page(campaign, passage))
    three = make_campaign("Three", seed_corpus[:1], users, overlap=3)
    many = [lambda p, i=i: loaded(p, i) for i in range(4)]
    for name in ("alice", "bob", "dave"):
        passages = label_everything(
            three, users[name], answering(vote("opinion"), lambda p: source(p, 0), *many)
        )
    big = first_long(passages)
    for rationale in "abcd":
        client.post(
            page(three, big),
            {"label": "opinion", "rationale": rationale, "spans": json.dumps([source(big, 0)])},
        )
    with django_assert_max_num_queries(14):
        large = client.get(page(three, big))
    assert len(large.context["reviewers"]) == 3 > len(small.context["reviewers"])
    assert len(large.context["history"]) == 4
