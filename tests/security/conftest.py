"""The `world` the security tests walk: the seed campaign with claims and saved work."""

from types import SimpleNamespace

import pytest
from django.apps import apps

from annotate.api.services import create_token
from annotate.claims import services as claims
from annotate.models import Annotation, Assignment, ClaimSuggestion, Job, Membership
from annotate.queue import services
from corpus.models import Passage

SECRET_NOTE = "bob-only-note-7f3a"
SECRET_SOURCE = "Bob's private source"


@pytest.fixture
def world(campaign, other_campaign, users):
    """alice and bob each hold a place on the first passage; bob has saved his
    annotation (with a note and cited source nobody else should see); alice's place
    is claimed, not yet saved."""
    alice_place = services.claim_next(campaign, users["alice"])
    bob_place = services.claim_next(campaign, users["bob"])
    assert alice_place.passage_id == bob_place.passage_id
    services.save_annotation(
        campaign,
        users["bob"],
        bob_place.pk,
        {
            "label": "opinion",
            "cited_source": SECRET_SOURCE,
            "cited_type": "named_person",
            "markers": ["loaded_language"],
            "confidence": "high",
            "note": SECRET_NOTE,
        },
    )
    bob_place.refresh_from_db()
    # alice's own finished work elsewhere, for the pages only its author may read (her
    # annotation history); written directly so her claim on the first passage stays open.
    alice_done = (
        Assignment.objects.filter(campaign=campaign, status=Assignment.Status.OPEN)
        .exclude(passage_id=alice_place.passage_id)
        .order_by("sequence", "slot")
        .first()
    )
    Assignment.objects.filter(pk=alice_done.pk).update(
        reviewer=users["alice"], status=Assignment.Status.DONE
    )
    alice_annotation = Annotation.objects.create(
        assignment_id=alice_done.pk, label="opinion", guidelines_version=1
    )
    # Claims: one claim with a link proposed by bob, and one suggested pair of passages.
    claim = claims.create_claim(
        campaign, users["carol"], "Weapons worth $7 billion were left behind"
    )
    claim_link, _ = claims.propose_link(campaign, users["bob"], claim.pk, bob_place.passage_id)
    body = (
        Passage.objects.exclude(kind=Passage.Kind.BOILERPLATE)
        .exclude(pk=bob_place.passage_id)
        .order_by("pk")
    )
    documents = campaign.documents.order_by("pk")
    first, second = sorted(body.filter(document=d).first().pk for d in documents[:2])  # two outlets
    suggestion = ClaimSuggestion.objects.create(
        campaign=campaign,
        passage_a_id=first,
        passage_b_id=second,
        score=0.9,
        similarity=0.8,
        rank=1,
    )
    return SimpleNamespace(
        claim=claim,
        claim_link=claim_link,
        suggestion=suggestion,
        campaign=campaign,
        other_campaign=other_campaign,
        users=users,
        alice_place=alice_place,
        bob_place=bob_place,
        alice_annotation=alice_annotation,
        alice_token=create_token(users["alice"], "walk")[0],
        job=Job.objects.create(
            kind=Job.Kind.AGREEMENT, campaign=campaign, created_by=users["carol"]
        ),
        membership=lambda username: Membership.objects.get(
            campaign=campaign, user__username=username
        ),
    )


def snapshot():
    """Every row of every model the app's views could write (annotate, corpus, users)."""
    models = [
        *apps.get_app_config("annotate").get_models(),
        *apps.get_app_config("corpus").get_models(),
        apps.get_model("auth", "User"),
    ]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
