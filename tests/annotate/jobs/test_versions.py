"""A campaign's data version goes up with every write to its data, in the write's transaction
(annotate/jobs/versions.py and the services that call it)."""

import pytest

from annotate.adjudication import services as adjudication
from annotate.campaigns import services as campaigns
from annotate.claims import services as claims
from annotate.jobs import versions
from annotate.models import Assignment, Campaign
from annotate.queue import services as queue
from annotate.queue.services import QueueError
from tests.conftest import make_campaign

ANSWER = {"label": "opinion", "cited_type": "", "markers": [], "confidence": "high", "note": ""}


def version(campaign):
    return versions.current(campaign.pk)


def test_bump_is_one_update_adding_one(campaign, django_assert_num_queries):
    before = version(campaign)
    with django_assert_num_queries(1):
        versions.bump(campaign.pk)
    assert version(campaign) == before + 1


def test_a_whole_row_saved_from_an_old_copy_keeps_the_stored_version(campaign):
    stale = Campaign.objects.get(pk=campaign.pk)
    versions.bump(campaign.pk)
    stored = version(campaign)
    stale.name = "Renamed"
    stale.save()  # as the admin and the settings form save the whole row
    assert version(campaign) == stored
    assert Campaign.objects.get(pk=campaign.pk).name == "Renamed"


def test_a_new_campaign_starts_at_version_zero_and_a_bump_leaves_no_history(campaign):
    fresh = Campaign.objects.create(name="Fresh", slug="fresh", scheme=campaign.scheme)
    assert version(fresh) == 0
    records = fresh.history.count()
    versions.bump(fresh.pk)
    assert fresh.history.count() == records
    assert "data_version" not in {f.name for f in Campaign.history.model._meta.fields}


def test_saving_an_annotation_bumps_the_version_unless_nothing_changed(campaign, users):
    place = queue.claim_next(campaign, users["alice"])
    before = version(campaign)
    queue.save_annotation(campaign, users["alice"], place.pk, ANSWER)
    assert version(campaign) == before + 1
    queue.save_annotation(campaign, users["alice"], place.pk, ANSWER)  # a double submit
    assert version(campaign) == before + 1
    queue.save_annotation(campaign, users["alice"], place.pk, {**ANSWER, "label": "sourced_fact"})
    assert version(campaign) == before + 2


def test_a_refused_save_leaves_the_version_alone(campaign, users):
    place = queue.claim_next(campaign, users["alice"])
    before = version(campaign)
    with pytest.raises(QueueError):
        queue.save_annotation(
            campaign,
            users["alice"],
            place.pk,
            {**ANSWER, "spans": [{"layer": "source", "label": "nope", "start": 0, "end": 1}]},
        )
    assert version(campaign) == before


def test_skipping_bumps_the_version(campaign, users):
    place = queue.claim_next(campaign, users["alice"])
    before = version(campaign)
    queue.skip(campaign, users["alice"], place.pk, "garbled")
    assert version(campaign) == before + 1


def test_a_curators_decision_bumps_the_version_once_per_change(campaign, users):
    passage_id = (
        Assignment.objects.filter(campaign=campaign).order_by("sequence").first().passage_id
    )
    before = version(campaign)
    decision = {"label": "opinion", "rationale": "Reads as comment."}
    adjudication.decide(campaign, users["carol"], passage_id, decision)
    adjudication.decide(campaign, users["carol"], passage_id, decision)  # the same again
    assert version(campaign) == before + 1
    adjudication.decide(campaign, users["carol"], passage_id, {**decision, "label": "sourced_fact"})
    assert version(campaign) == before + 2


def test_claim_writes_bump_the_version_and_refused_ones_do_not(campaign, users):
    before = version(campaign)
    claim = claims.create_claim(campaign, users["carol"], "Weapons were left behind")
    assert version(campaign) == before + 1
    with pytest.raises(claims.ClaimError):
        claims.create_claim(campaign, users["carol"], "weapons were left behind")
    assert version(campaign) == before + 1
    claims.update_claim(campaign, users["carol"], claim.pk, statement="Arms were left behind")
    claims.delete_claim(campaign, users["carol"], claim.pk)
    assert version(campaign) == before + 3


def test_campaign_set_up_writes_bump_the_version(seed_corpus, users):
    draft = make_campaign("Draft", seed_corpus[:2], users, activate=False)
    start = version(draft)
    assert start >= 1  # its documents were added
    campaigns.add_documents(draft, seed_corpus[2:])
    campaigns.activate_campaign(draft)
    campaigns.set_member(draft, "olga", "reviewer")
    member = draft.memberships.get(user__username="olga")
    campaigns.remove_member(draft, member.pk)
    assert version(draft) == start + 4
