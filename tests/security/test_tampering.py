"""A reviewer cannot read or write another reviewer's annotation by changing an
id in the URL, adding a query parameter or adding a form field.

alice is the one trying; bob's saved annotation carries a note and a cited
source that must never reach her (tests/security/conftest.py::world).
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from annotate.claims import services as claims
from annotate.models import Annotation, AnnotationRevision, Assignment, ClaimLink, Membership, Skip
from annotate.queue import services
from tests.conftest import login
from tests.security.conftest import SECRET_NOTE, SECRET_SOURCE, snapshot

SNOOPING = (
    "reviewer",
    "user",
    "reviewer_id",
    "user_id",
    "assignment",
    "assignment_id",
    "pk",
    "id",
    "annotation",
)


def snoop_params(world):
    """Every name a hopeful attacker might try, each pointing at bob or bob's place."""
    bob, place = world.users["bob"], world.bob_place
    values = {
        "reviewer": bob.username,
        "user": bob.username,
        "reviewer_id": bob.pk,
        "user_id": bob.pk,
        "assignment": place.pk,
        "assignment_id": place.pk,
        "pk": place.pk,
        "id": place.pk,
        "annotation": place.annotation.pk,
    }
    assert set(values) == set(SNOOPING)
    return values


def bobs_annotation(world):
    return Annotation.objects.filter(assignment=world.bob_place).values().get()


def assert_nothing_of_bobs(response):
    body = response.content.decode()
    assert SECRET_NOTE not in body
    assert SECRET_SOURCE not in body
    assert "Bob&#x27;s private source" not in body


@pytest.fixture
def alice(client, world):
    return login(client, world.users["alice"])


def passage_url(world, place):
    return reverse("annotate:passage", kwargs={"slug": world.campaign.slug, "pk": place.pk})


def test_alice_gets_404_for_bobs_place_by_its_id(alice, world):
    response = alice.get(passage_url(world, world.bob_place))
    assert response.status_code == 404
    assert_nothing_of_bobs(response)


def test_query_parameters_naming_bob_do_not_show_his_work_on_alices_pages(alice, world):
    params = snoop_params(world)
    slug = world.campaign.slug
    for url in (
        passage_url(world, world.alice_place),
        reverse("annotate:campaign", kwargs={"slug": slug}),
        reverse("annotate:guidelines", kwargs={"slug": slug}),
        reverse("annotate:home"),
    ):
        response = alice.get(url, params)
        assert response.status_code == 200, url
        assert_nothing_of_bobs(response)
    # Pages for curators stay closed to her whatever the query says.
    for name in ("annotations", "agreement"):
        response = alice.get(reverse(f"annotate:{name}", kwargs={"slug": slug}), params)
        assert response.status_code == 404
        assert_nothing_of_bobs(response)


def test_alice_posting_to_bobs_place_gets_404_and_changes_nothing(alice, world):
    before = snapshot()
    response = alice.post(
        passage_url(world, world.bob_place),
        {"label": "sourced_fact", "confidence": "low", "note": "overwritten by alice"},
    )
    assert response.status_code == 404
    assert_nothing_of_bobs(response)
    assert snapshot() == before


def test_form_fields_naming_bobs_place_only_ever_save_alices_own_answer(alice, world):
    bob_before = bobs_annotation(world)
    annotations_before = Annotation.objects.count()
    data = {
        "label": "sourced_fact",
        "confidence": "low",
        "note": "alice's own reading",
        **snoop_params(world),
    }
    response = alice.post(passage_url(world, world.alice_place), data)
    assert response.status_code == 302
    assert bobs_annotation(world) == bob_before
    mine = Annotation.objects.get(assignment=world.alice_place)
    assert (mine.label, mine.note) == ("sourced_fact", "alice's own reading")
    assert mine.assignment.reviewer == world.users["alice"]
    # Exactly one new annotation and one revision, both hers.
    assert Annotation.objects.count() == annotations_before + 1
    assert list(
        AnnotationRevision.objects.exclude(annotation__assignment=world.bob_place).values_list(
            "changed_by__username", flat=True
        )
    ) == ["alice"]


def test_alice_cannot_skip_bobs_place(alice, world):
    before = snapshot()
    url = reverse("annotate:skip", kwargs={"slug": world.campaign.slug, "pk": world.bob_place.pk})
    assert alice.post(url, {"reason": "not mine"}).status_code == 404
    assert snapshot() == before
    assert not Skip.objects.exists()


def test_skip_form_fields_naming_bobs_place_skip_only_alices(alice, world):
    bob_before = Assignment.objects.filter(pk=world.bob_place.pk).values().get()
    url = reverse("annotate:skip", kwargs={"slug": world.campaign.slug, "pk": world.alice_place.pk})
    assert alice.post(url, {"reason": "garbled", **snoop_params(world)}).status_code == 302
    assert Assignment.objects.filter(pk=world.bob_place.pk).values().get() == bob_before
    assert list(Skip.objects.values_list("reviewer__username", "passage_id")) == [
        ("alice", world.alice_place.passage_id)
    ]


def test_a_late_save_on_a_place_handed_on_to_dave_neither_shows_nor_changes_his_answer(
    alice, world
):
    """The one door the passage view leaves open (a claim this session was handed,
    since expired and taken by someone else) must not lead to that someone's work."""
    campaign, dave = world.campaign, world.users["dave"]
    slug = campaign.slug
    # The queue hands alice her place through her own session...
    assert alice.post(reverse("annotate:next", kwargs={"slug": slug})).status_code == 302
    # ...her reservation runs out, dave is handed the same place and saves.
    later = timezone.now() + timedelta(minutes=settings.CREDENCE_CLAIM_MINUTES + 1)
    daves = services.claim_next(campaign, dave, now=later)
    assert daves.pk == world.alice_place.pk
    services.save_annotation(
        campaign,
        dave,
        daves.pk,
        {
            "label": "opinion",
            "cited_source": "Dave's informant",
            "cited_type": "anonymous",
            "markers": [],
            "confidence": "high",
            "note": "dave-only-note-91c2",
        },
        now=later,
    )
    dave_before = Annotation.objects.filter(assignment=daves).values().get()

    response = alice.post(passage_url(world, daves), {"label": "sourced_fact", "confidence": "low"})

    body = response.content.decode()
    assert "dave-only-note-91c2" not in body and "informant" not in body
    assert Annotation.objects.filter(assignment=daves).values().get() == dave_before
    assert Assignment.objects.get(pk=daves.pk).reviewer == dave
    # And a GET of that place is still refused: she was only ever allowed to post.
    assert alice.get(passage_url(world, daves)).status_code == 404


def test_a_manager_cannot_remove_a_member_of_another_campaign_through_their_own(client, world):
    login(client, world.users["mike"])
    olga = Membership.objects.get(campaign=world.other_campaign, user=world.users["olga"])
    url = reverse(
        "annotate:remove_member", kwargs={"slug": world.campaign.slug, "member_id": olga.pk}
    )
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=olga.pk).exists()


def test_alice_cannot_propose_a_claim_for_bobs_place(alice, world):
    before = snapshot()
    url = reverse(
        "annotate:claim_propose", kwargs={"slug": world.campaign.slug, "pk": world.bob_place.pk}
    )
    assert alice.get(url).status_code == 404
    assert alice.post(url, {"claim": world.claim.pk}).status_code == 404
    assert snapshot() == before


def test_a_claim_of_another_campaign_cannot_be_proposed_through_this_one(alice, world):
    foreign = claims.create_claim(
        world.other_campaign, world.users["olga"], "Only in the other campaign"
    )
    before = snapshot()
    url = reverse(
        "annotate:claim_propose", kwargs={"slug": world.campaign.slug, "pk": world.alice_place.pk}
    )
    alice.post(url, {"claim": foreign.pk})
    assert snapshot() == before
    assert not ClaimLink.objects.filter(claim=foreign).exists()
