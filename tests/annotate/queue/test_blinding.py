"""Reviewers never see each other's work, and with blind_outlet never see who published."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotate.models import Assignment
from annotate.queue import selectors, services
from corpus.models import Document, Source
from tests.conftest import login, make_campaign


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


BOBS = answer(
    label="opinion",
    markers=["loaded_language"],
    cited_source="SECRET-SOURCE-BOB",
    cited_type="named_person",
    note="SECRET-NOTE-BOB",
    confidence="low",
)


def checked(body, value):
    return re.search(rf'<input[^>]*value="{value}"[^>]*checked', body) is not None


def reviewer_pages(client, campaign, assignment=None):
    urls = [
        reverse("annotate:home"),
        reverse("annotate:campaign", args=[campaign.slug]),
        reverse("annotate:guidelines", args=[campaign.slug]),
    ]
    if assignment is not None:
        urls.append(reverse("annotate:passage", args=[campaign.slug, assignment.pk]))
    pages = {}
    for u in urls:
        response = client.get(u)
        assert response.status_code == 200, u
        pages[u] = response.content.decode()
    return pages


@pytest.fixture
def bob_labelled(campaign, users):
    """alice and bob both hold the first passage; bob has labelled it."""
    mine = services.claim_next(campaign, users["alice"])
    bobs = services.claim_next(campaign, users["bob"])
    assert bobs.passage_id == mine.passage_id
    services.save_annotation(campaign, users["bob"], bobs.pk, BOBS)
    return mine, bobs


def test_reviewer_pages_never_show_another_reviewers_labels_notes_or_sources(
    client, campaign, users, bob_labelled
):
    mine, _ = bob_labelled
    login(client, users["alice"])
    for u, body in reviewer_pages(client, campaign, mine).items():
        assert "SECRET-" not in body, u
    body = client.get(reverse("annotate:passage", args=[campaign.slug, mine.pk])).content.decode()
    assert (
        not checked(body, "opinion")
        and not checked(body, "loaded_language")
        and not checked(body, "low")
    )


def test_reviewer_sees_their_own_labels_not_the_other_reviewers(
    client, campaign, users, bob_labelled
):
    mine, _ = bob_labelled
    services.save_annotation(
        campaign, users["alice"], mine.pk, answer(label="attributed_claim", note="alice-note")
    )
    login(client, users["alice"])
    body = client.get(reverse("annotate:passage", args=[campaign.slug, mine.pk])).content.decode()
    assert checked(body, "attributed_claim") and "alice-note" in body
    assert not checked(body, "opinion") and "SECRET-" not in body


def test_curators_do_see_everyones_work(client, campaign, users, bob_labelled):
    # The control for the tests above: the secret is on the pages meant for it.
    body = (
        login(client, users["carol"])
        .get(reverse("annotate:annotations", args=[campaign.slug]))
        .content.decode()
    )
    assert "SECRET-SOURCE-BOB" in body


def test_late_save_refused_on_another_reviewers_place_does_not_show_their_labels(
    client, campaign, users
):
    login(client, users["alice"])
    client.post(reverse("annotate:next", args=[campaign.slug]))
    lost = Assignment.objects.get(reviewer=users["alice"])
    Assignment.objects.filter(pk=lost.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.claim_next(campaign, users["bob"]).pk == lost.pk
    services.save_annotation(campaign, users["bob"], lost.pk, BOBS)
    services.claim_next(campaign, users["dave"])  # the passage's last place
    response = client.post(reverse("annotate:passage", args=[campaign.slug, lost.pk]), answer())
    body = response.content.decode()
    assert response.status_code == 200 and "not saved" in body
    assert "SECRET-" not in body and not checked(body, "loaded_language")


# --- blind outlet -------------------------------------------------------------

JPOST_URL = "https://www.jpost.com/middle-east/article-771234"


@pytest.fixture
def identities(seed_corpus):
    """Give the seed outlets the domains, URLs and bylines real imports carry."""
    jpost = Document.objects.get(source__name="The Jerusalem Post")
    assert jpost.byline == "The Media Line"
    Document.objects.filter(pk=jpost.pk).update(url=JPOST_URL)
    Source.objects.filter(pk=jpost.source_id).update(
        domain="jpost.com", homepage="https://www.jpost.com/"
    )
    Document.objects.filter(source__name="USTimeToday").update(byline="By Jaclyn Diaz")
    # Everything that names a publisher, in any letter case.
    return [*Source.objects.values_list("name", flat=True), "jpost", "Media Line", "Jaclyn Diaz"]


def walk(client, campaign, reviewer):
    """Every passage page the reviewer gets, in queue order, labelling as they go."""
    while (a := services.claim_next(campaign, reviewer)) is not None:
        response = client.get(reverse("annotate:passage", args=[campaign.slug, a.pk]))
        assert response.status_code == 200
        yield a, response.content.decode()
        services.save_annotation(campaign, reviewer, a.pk, answer())


def leaks(body, identities):
    return [name for name in identities if name.lower() in body.lower()]


def test_blind_campaign_pages_show_no_outlet_name_byline_or_url(
    client, seed_corpus, users, identities
):
    blind = make_campaign("Blind", seed_corpus, users, overlap=1, blind_outlet=True)
    login(client, users["alice"])
    seen = 0
    for assignment, body in walk(client, blind, users["alice"]):
        assert not leaks(body, identities), (
            assignment.passage.document.source.name,
            leaks(body, identities),
        )
        assert "Outlet hidden" in body
        seen += 1
    assert seen == Assignment.objects.filter(campaign=blind).count()
    for u, body in reviewer_pages(client, blind).items():
        assert not leaks(body, identities), u


def test_blind_campaign_masks_the_outlet_named_inside_the_text(
    client, seed_corpus, users, identities
):
    jpost = Document.objects.get(source__name="The Jerusalem Post")
    assert jpost.text.startswith("The Jerusalem Post")
    blind = make_campaign("Blind JPost", [jpost], users, overlap=1, blind_outlet=True)
    login(client, users["alice"])
    bodies = [body for _, body in walk(client, blind, users["alice"])]
    assert f'<h1 class="doc-title">{jpost.title}</h1>' in bodies[0]
    assert all("jerusalem post" not in body.lower() for body in bodies)
    # The masthead line is not handed out (it is boilerplate) but shown as context; it reads "[outlet]".
    assert re.search(r'<p class="passage kind-boilerplate"[^>]*>\[outlet\]</p>', bodies[0])
    assert any("told [outlet] that" in body for body in bodies)  # the byline, The Media Line


def test_campaign_without_blinding_shows_the_outlet(client, seed_corpus, users, identities):
    # The control: the same walk on an open campaign does show the outlet.
    jpost = Document.objects.get(source__name="The Jerusalem Post")
    open_campaign = make_campaign("Open", [jpost], users, overlap=1)
    login(client, users["alice"])
    bodies = [body for _, body in walk(client, open_campaign, users["alice"])]
    assert all("The Jerusalem Post" in body for body in bodies)
    assert any("The Media Line" in body for body in bodies)
    assert all(JPOST_URL in body for body in bodies)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The Jerusalem Post reports", "[outlet] reports"),
        ("THE JERUSALEM POST", "[outlet]"),
        ("see jpost.com and www.jpost.com/x", "see [outlet] and www.[outlet]/x"),
        ("told The Media Line that", "told [outlet] that"),
        ("JACLYN DIAZ is a reporter; Ann Lee too", "[outlet] is a reporter; [outlet] too"),
        (f"source: {JPOST_URL}", "source: [outlet]"),
    ],
)
def test_redact_outlet_masks_name_domain_byline_and_url(text, expected):
    source = Source(
        name="The Jerusalem Post", domain="jpost.com", homepage="https://www.jpost.com/"
    )
    document = Document(
        source=source, url=JPOST_URL, byline="The Media Line, By Jaclyn Diaz and Ann Lee"
    )
    assert selectors.redact_outlet(text, source, document) == expected


def test_redact_outlet_without_a_document_masks_only_the_outlet():
    source = Source(name="Coverpage", domain="")
    assert (
        selectors.redact_outlet("Coverpage’s editorial stance", source)
        == "[outlet]’s editorial stance"
    )
    assert selectors.redact_outlet("no outlet here", Source(name="AP")) == "no outlet here"
