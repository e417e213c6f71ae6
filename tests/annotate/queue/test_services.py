"""The queue: claim_next, save_annotation and skip (annotate/services.py)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from annotate.campaigns import services as campaign_services
from annotate.models import Annotation, AnnotationRevision, Assignment, Campaign, Skip
from annotate.queue import services
from corpus.models import Passage
from tests.conftest import make_campaign

CLAIM = timedelta(minutes=settings.CREDENCE_CLAIM_MINUTES)


def answer(label="opinion", **extra):
    return {
        "label": label,
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "confidence": "medium",
        "note": "",
        **extra,
    }


def by_source(docs, name):
    return next(d for d in docs if d.source.name == name)


def annotatable(document):
    return list(
        document.passages.exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("position")
        .values_list("pk", flat=True)
    )


def label_everything(campaign, reviewer, now=None):
    """Claim and save until the queue is empty; the passages in the order they came."""
    seen = []
    while (a := services.claim_next(campaign, reviewer, now=now)) is not None:
        seen.append(a.passage_id)
        services.save_annotation(campaign, reviewer, a.pk, answer(), now=now)
        assert len(seen) < 1000
    return seen


@pytest.fixture
def two_docs(seed_corpus, users):
    """USTimeToday then Coverpage: the reverse of the import order, overlap 2."""
    docs = [by_source(seed_corpus, "USTimeToday"), by_source(seed_corpus, "Coverpage")]
    return make_campaign("Two docs", docs, users, overlap=2)


def test_passages_come_in_campaign_document_order_then_passage_order(two_docs, seed_corpus, users):
    expected = annotatable(by_source(seed_corpus, "USTimeToday")) + annotatable(
        by_source(seed_corpus, "Coverpage")
    )
    assert label_everything(two_docs, users["alice"]) == expected


def test_asking_twice_returns_the_same_assignment_and_extends_it(two_docs, users):
    now = timezone.now()
    first = services.claim_next(two_docs, users["alice"], now=now)
    again = services.claim_next(two_docs, users["alice"], now=now + timedelta(minutes=5))
    assert again.pk == first.pk
    assert again.expires_at == now + timedelta(minutes=5) + CLAIM
    assert Assignment.objects.filter(reviewer=users["alice"]).count() == 1


def test_two_reviewers_get_the_same_first_passage_on_different_places(two_docs, users):
    a = services.claim_next(two_docs, users["alice"])
    b = services.claim_next(two_docs, users["bob"])
    assert a.passage_id == b.passage_id and a.slot != b.slot


def test_each_passage_reaches_exactly_overlap_reviewers(two_docs, users):
    for name in ("alice", "bob", "dave"):
        label_everything(two_docs, users[name])
    per_passage = (
        Assignment.objects.filter(campaign=two_docs, status=Assignment.Status.DONE)
        .values("passage")
        .annotate(n=Count("reviewer", distinct=True))
        .values_list("n", flat=True)
    )
    assert set(per_passage) == {2}
    assert Annotation.objects.filter(assignment__campaign=two_docs).count() == 2 * len(per_passage)
    assert (
        not Assignment.objects.filter(campaign=two_docs)
        .exclude(status=Assignment.Status.DONE)
        .exists()
    )


def test_third_reviewer_gets_nothing_once_two_have_labelled_everything(two_docs, users):
    label_everything(two_docs, users["alice"])
    label_everything(two_docs, users["bob"])
    assert services.claim_next(two_docs, users["dave"]) is None


def test_a_reviewer_never_gets_a_passage_they_did(two_docs, users):
    done = label_everything(two_docs, users["alice"])
    assert len(done) == len(set(done))
    assert services.claim_next(two_docs, users["alice"]) is None


def test_skip_needs_a_reason_and_writes_nothing_without_one(two_docs, users):
    a = services.claim_next(two_docs, users["alice"])
    for reason in ("", "   ", None):
        with pytest.raises(services.QueueError, match="why"):
            services.skip(two_docs, users["alice"], a.pk, reason)
    a.refresh_from_db()
    assert a.status == Assignment.Status.CLAIMED and a.reviewer == users["alice"]
    assert not Skip.objects.exists()


def test_skipped_passage_returns_to_others_and_never_to_the_skipper(two_docs, users):
    alice, bob, dave = users["alice"], users["bob"], users["dave"]
    a = services.claim_next(two_docs, alice)
    services.skip(two_docs, alice, a.pk, "garbled text")
    assert Skip.objects.get().reason == "garbled text"
    a.refresh_from_db()
    assert a.status == Assignment.Status.OPEN and a.reviewer is None
    assert services.claim_next(two_docs, alice).passage_id != a.passage_id
    # Both places of the skipped passage still go to other reviewers.
    assert services.claim_next(two_docs, bob).passage_id == a.passage_id
    assert services.claim_next(two_docs, dave).passage_id == a.passage_id


def test_skip_refuses_a_passage_already_labelled_or_not_yours(two_docs, users):
    a = services.claim_next(two_docs, users["alice"])
    services.save_annotation(two_docs, users["alice"], a.pk, answer())
    with pytest.raises(services.QueueError, match="already labelled"):
        services.skip(two_docs, users["alice"], a.pk, "changed my mind")
    with pytest.raises(services.QueueError, match="not reserved for you"):
        services.skip(two_docs, users["bob"], a.pk, "not mine")
    assert not Skip.objects.exists()


def test_unexpired_claim_is_not_handed_to_another_reviewer(two_docs, users):
    now = timezone.now()
    a = services.claim_next(two_docs, users["alice"], now=now)
    services.claim_next(two_docs, users["bob"], now=now)  # the passage's other place
    later = services.claim_next(two_docs, users["dave"], now=now + CLAIM - timedelta(seconds=1))
    assert later.passage_id != a.passage_id


def test_abandoned_claim_expires_and_goes_to_another_reviewer(two_docs, users):
    now = timezone.now()
    a = services.claim_next(two_docs, users["alice"], now=now)
    services.claim_next(two_docs, users["bob"], now=now)
    taken = services.claim_next(two_docs, users["dave"], now=now + CLAIM + timedelta(seconds=1))
    assert taken.pk == a.pk and taken.reviewer == users["dave"]


def _lose_claim(campaign, users, now):
    """alice claims the first passage, sits on it past expiry, and dave takes her place."""
    lost = services.claim_next(campaign, users["alice"], now=now)
    later = now + CLAIM + timedelta(minutes=1)
    assert services.claim_next(campaign, users["dave"], now=later).pk == lost.pk
    return lost, later


def test_late_save_after_expiry_lands_on_a_spare_place(two_docs, users):
    now = timezone.now()
    lost, later = _lose_claim(two_docs, users, now)
    annotation, changed = services.save_annotation(
        two_docs, users["alice"], lost.pk, answer(note="late"), now=later
    )
    assert changed
    place = annotation.assignment
    assert place.pk != lost.pk and place.passage_id == lost.passage_id
    assert place.reviewer == users["alice"] and place.status == Assignment.Status.DONE
    lost.refresh_from_db()
    assert lost.reviewer == users["dave"] and lost.status == Assignment.Status.CLAIMED
    assert Assignment.objects.filter(passage_id=lost.passage_id, campaign=two_docs).count() == 2


def test_late_save_keeps_the_claim_the_reviewer_holds_now(two_docs, users):
    now = timezone.now()
    lost, later = _lose_claim(two_docs, users, now)
    other = services.claim_next(two_docs, users["bob"], now=later)  # the passage's other place
    current = services.claim_next(two_docs, users["alice"], now=later)
    assert current.passage_id != lost.passage_id
    services.skip(two_docs, users["bob"], other.pk, "unsure")  # frees a place again
    annotation, _ = services.save_annotation(two_docs, users["alice"], lost.pk, answer(), now=later)
    assert annotation.assignment.pk == other.pk
    current.refresh_from_db()
    assert current.reviewer == users["alice"] and current.status == Assignment.Status.CLAIMED


def test_late_save_fails_clearly_and_writes_nothing_when_every_place_is_taken(two_docs, users):
    now = timezone.now()
    lost, later = _lose_claim(two_docs, users, now)
    services.claim_next(two_docs, users["bob"], now=later)  # the passage's other place
    before = list(Assignment.objects.order_by("pk").values())
    with pytest.raises(services.QueueError, match="expired.*not saved"):
        services.save_annotation(two_docs, users["alice"], lost.pk, answer(), now=later)
    assert list(Assignment.objects.order_by("pk").values()) == before
    assert not Annotation.objects.exists() and not AnnotationRevision.objects.exists()


def test_late_save_on_a_passage_the_reviewer_skipped_is_refused(two_docs, users):
    a = services.claim_next(two_docs, users["alice"])
    services.skip(two_docs, users["alice"], a.pk, "off topic")
    with pytest.raises(services.QueueError, match="skipped"):
        services.save_annotation(two_docs, users["alice"], a.pk, answer())
    assert not Annotation.objects.exists()
    assert not Assignment.objects.filter(passage_id=a.passage_id, reviewer=users["alice"]).exists()


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.CLOSED])
def test_inactive_campaign_refuses_claims_saves_and_skips(two_docs, users, status):
    a = services.claim_next(two_docs, users["alice"])
    two_docs.status = status
    two_docs.save()
    with pytest.raises(services.QueueError, match="not active"):
        services.claim_next(two_docs, users["bob"])
    with pytest.raises(services.QueueError, match="not active"):
        services.save_annotation(two_docs, users["alice"], a.pk, answer())
    with pytest.raises(services.QueueError, match="not active"):
        services.skip(two_docs, users["alice"], a.pk, "closing")
    assert not Annotation.objects.exists() and not Skip.objects.exists()
    assert Assignment.objects.filter(reviewer__isnull=False).count() == 1


def test_draft_campaign_has_no_places_until_activated(seed_corpus, users):
    draft = make_campaign("Draft", seed_corpus[:1], users, activate=False)
    assert not Assignment.objects.filter(campaign=draft).exists()
    with pytest.raises(services.QueueError):
        services.claim_next(draft, users["alice"])


def test_boilerplate_passages_are_never_handed_out(seed_corpus, users):
    boiler = Passage.objects.filter(kind=Passage.Kind.BOILERPLATE)
    docs = [d for d in seed_corpus if boiler.filter(document=d).exists()]
    assert docs, "the seed corpus has boilerplate passages"
    c = make_campaign("Boiler", docs, users, overlap=1)
    handed = label_everything(c, users["alice"])
    assert handed and not boiler.filter(pk__in=handed).exists()


def test_passage_reclassified_as_boilerplate_after_activation_is_not_handed_out(two_docs, users):
    first = Assignment.objects.filter(campaign=two_docs).order_by("sequence").first().passage
    Passage.objects.filter(pk=first.pk).update(kind=Passage.Kind.BOILERPLATE)
    assert services.claim_next(two_docs, users["alice"]).passage_id != first.pk


def set_overlap(campaign, overlap):
    campaign.overlap = overlap
    campaign.save()
    campaign_services.sync_slots(campaign)


def places(campaign, passage_id):
    return sorted(
        Assignment.objects.filter(campaign=campaign, passage_id=passage_id).values_list(
            "slot", "status", "reviewer__username"
        )
    )


@pytest.fixture
def three(seed_corpus, users):
    return make_campaign("Three", [by_source(seed_corpus, "USTimeToday")], users, overlap=3)


def test_lowering_overlap_keeps_done_work_and_removes_free_places(three, users):
    for name in ("alice", "bob", "dave"):
        a = services.claim_next(three, users[name])
        services.save_annotation(three, users[name], a.pk, answer())
    first = a.passage_id
    set_overlap(three, 2)
    assert [s for s, status, _ in places(three, first)] == [1, 2, 3]  # done work is never dropped
    assert Annotation.objects.count() == 3
    second = (
        Assignment.objects.filter(campaign=three)
        .exclude(passage_id=first)
        .order_by("sequence")
        .first()
        .passage_id
    )
    assert [s for s, _, _ in places(three, second)] == [1, 2]


def test_lowering_overlap_moves_done_work_into_a_free_place(three, users):
    # alice on place 1 (done), bob on place 2 skips it, dave on place 3 (done).
    a = services.claim_next(three, users["alice"])
    services.save_annotation(three, users["alice"], a.pk, answer())
    b = services.claim_next(three, users["bob"])
    d = services.claim_next(three, users["dave"])
    services.save_annotation(three, users["dave"], d.pk, answer())
    services.skip(three, users["bob"], b.pk, "unsure")
    set_overlap(three, 2)
    assert places(three, a.passage_id) == [(1, "done", "alice"), (2, "done", "dave")]
    # Two reviewers labelled it, so nobody else gets it.
    assert services.claim_next(three, users["carol"]).passage_id != a.passage_id


def test_lowering_overlap_releases_a_claim_above_the_new_overlap(three, users):
    for name in ("alice", "bob"):
        a = services.claim_next(three, users[name])
        services.save_annotation(three, users[name], a.pk, answer())
    d = services.claim_next(three, users["dave"])
    assert d.slot == 3
    set_overlap(three, 2)
    assert places(three, d.passage_id) == [(1, "done", "alice"), (2, "done", "bob")]
    with pytest.raises(services.QueueError):
        services.save_annotation(three, users["dave"], d.pk, answer())
    assert Annotation.objects.count() == 2


def test_raising_overlap_adds_places_and_keeps_done_work(two_docs, users):
    a = services.claim_next(two_docs, users["alice"])
    services.save_annotation(two_docs, users["alice"], a.pk, answer(note="kept"))
    made = campaign_services.sync_slots(two_docs)
    assert made == 0  # re-running changes nothing
    set_overlap(two_docs, 3)
    assert places(two_docs, a.passage_id) == [
        (1, "done", "alice"),
        (2, "open", None),
        (3, "open", None),
    ]
    assert Annotation.objects.get().note == "kept"
    for name in ("bob", "dave"):
        assert services.claim_next(two_docs, users[name]).passage_id == a.passage_id


def test_documents_added_to_an_active_campaign_come_after_the_existing_ones(
    two_docs, seed_corpus, users
):
    extra = by_source(seed_corpus, "Unknown outlet B")
    campaign_services.add_documents(two_docs, [extra])
    handed = label_everything(two_docs, users["alice"])
    assert handed[-len(annotatable(extra)) :] == annotatable(extra)


def test_activating_a_large_campaign_refreshes_planner_statistics_on_postgresql(seed_corpus, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotate.campaigns.defaults import default_scheme
    from annotate.models import Campaign

    big = Campaign.objects.create(name="Big", slug="big", scheme=default_scheme(), overlap=10)
    campaign_services.add_documents(big, seed_corpus)
    with CaptureQueriesContext(connection) as queries:
        made = campaign_services.activate_campaign(big)
    analyzed = any(q["sql"].startswith("ANALYZE") for q in queries.captured_queries)
    assert made >= campaign_services.ANALYZE_AFTER
    # Without fresh statistics PostgreSQL sorts every open place on each claim; SQLite's
    # planner needs no such help.
    assert analyzed == (connection.vendor == "postgresql")


def test_an_overlap_above_fifty_is_refused_by_the_model_so_the_admin_refuses_it_too(db):
    from django.core.exceptions import ValidationError

    from annotate.campaigns.defaults import default_scheme
    from annotate.models.campaigns import MAX_OVERLAP

    campaign = Campaign(name="Huge", slug="huge", scheme=default_scheme(), overlap=MAX_OVERLAP + 1)
    with pytest.raises(ValidationError, match="less than or equal to 50"):
        campaign.full_clean()
    campaign.overlap = MAX_OVERLAP
    campaign.full_clean()
