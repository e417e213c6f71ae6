"""The queue under real concurrency: threads with their own database connections.

Runs on whichever database the settings name (SQLite by default, PostgreSQL
with DATABASE_URL); CI runs both.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from annotate.models import Annotation, AnnotationRevision, Assignment, Campaign, Membership
from annotate.queue import services
from corpus.models import Passage
from tests.conftest import make_campaign, make_user

THREADS = 8
ROUNDS = 20
pytestmark = pytest.mark.django_db(transaction=True)


def answer(note=""):
    return {
        "label": "opinion",
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "confidence": "medium",
        "note": note,
    }


def run_threads(target, args_list):
    """Start every thread at once (barrier); return the exceptions they raised."""
    barrier = threading.Barrier(len(args_list))
    errors = []

    def body(*args):
        try:
            barrier.wait(timeout=30)
            target(*args)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors


@pytest.fixture
def crowd(seed_corpus, users):
    """Eight reviewers on a campaign of two short articles, overlap 3."""
    docs = [d for d in seed_corpus if d.source.name in ("USTimeToday", "Coverpage")]
    campaign = make_campaign("Crowd", docs, users, overlap=3)
    reviewers = [users["alice"], users["bob"], users["dave"]]
    for i in range(THREADS - len(reviewers)):
        user = make_user(f"reviewer{i}")
        Membership.objects.create(campaign=campaign, user=user, role=Membership.Role.REVIEWER)
        reviewers.append(user)
    return campaign, reviewers


def check_queue_invariants(campaign):
    places = Assignment.objects.filter(campaign=campaign)
    per_passage = places.values("passage").annotate(
        n=Count("id"), r=Count("reviewer", distinct=True)
    )
    assert all(row["n"] == campaign.overlap for row in per_passage)
    assert all(row["r"] <= campaign.overlap for row in per_passage)
    held = Counter(places.exclude(reviewer=None).values_list("passage_id", "reviewer_id"))
    assert held and max(held.values()) == 1, "a reviewer holds two places on one passage"
    claims = Counter(
        places.filter(status=Assignment.Status.CLAIMED).values_list("reviewer_id", flat=True)
    )
    assert not claims or max(claims.values()) == 1, "a reviewer holds two claims at once"


def test_eight_reviewers_labelling_at_once_never_exceed_overlap_and_store_every_save_once(crowd):
    campaign, reviewers = crowd
    saved = {r.pk: [] for r in reviewers}

    def work(reviewer_id):
        c = Campaign.objects.get(pk=campaign.pk)
        reviewer = type(reviewers[0]).objects.get(pk=reviewer_id)
        for _ in range(500):
            assignment = services.claim_next(c, reviewer)
            if assignment is None:
                return
            note = f"{reviewer.username}:{assignment.passage_id}"
            annotation, changed = services.save_annotation(c, reviewer, assignment.pk, answer(note))
            assert changed
            saved[reviewer_id].append((annotation.pk, note))
        raise AssertionError("the queue never ran dry")

    errors = run_threads(work, [(r.pk,) for r in reviewers])
    assert not errors, errors
    check_queue_invariants(campaign)
    passages = Passage.objects.filter(document__campaigndocument__campaign=campaign).exclude(
        kind="boilerplate"
    )
    all_saves = [s for saves in saved.values() for s in saves]
    # Every passage labelled by exactly `overlap` reviewers, every save stored once.
    assert len(all_saves) == campaign.overlap * passages.count()
    assert Annotation.objects.count() == len(all_saves) == AnnotationRevision.objects.count()
    assert dict(Annotation.objects.values_list("pk", "note")) == dict(all_saves)
    assert not Assignment.objects.exclude(status=Assignment.Status.DONE).exists()
    # The work spread over the reviewers rather than one thread doing it all.
    assert sum(1 for saves in saved.values() if saves) >= 2


def test_eight_requests_of_one_reviewer_at_once_get_the_same_assignment(crowd):
    campaign, reviewers = crowd
    alice = reviewers[0]
    got = []
    errors = run_threads(
        lambda: got.append(services.claim_next(campaign, alice).pk), [()] * THREADS
    )
    assert not errors, errors
    assert len(got) == THREADS and len(set(got)) == 1
    assert list(Assignment.objects.filter(reviewer=alice).values_list("pk", flat=True)) == got[:1]


def test_eight_double_submits_of_one_form_store_one_annotation_and_one_revision(crowd):
    campaign, reviewers = crowd
    alice = reviewers[0]
    a = services.claim_next(campaign, alice)
    results = []
    errors = run_threads(
        lambda: results.append(services.save_annotation(campaign, alice, a.pk, answer("twice"))[1]),
        [()] * THREADS,
    )
    assert not errors, errors
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert Annotation.objects.count() == 1 and AnnotationRevision.objects.count() == 1


def test_expired_claims_taken_by_many_reviewers_at_once_go_to_one_reviewer_each(crowd):
    campaign, reviewers = crowd
    now = timezone.now()
    # Three reviewers claim the three places of the first passage, then walk away.
    first = [services.claim_next(campaign, r, now=now) for r in reviewers[:3]]
    assert len({a.passage_id for a in first}) == 1
    later = now + timedelta(minutes=settings.CREDENCE_CLAIM_MINUTES + 1)
    got = {}

    def take(reviewer):
        got[reviewer.pk] = services.claim_next(campaign, reviewer, now=later)

    errors = run_threads(take, [(r,) for r in reviewers[3:]])
    assert not errors, errors
    check_queue_invariants(campaign)
    on_first = [a for a in got.values() if a.passage_id == first[0].passage_id]
    assert len(on_first) == 3 and len({a.pk for a in on_first}) == 3


def test_late_saves_racing_fresh_claims_keep_every_passage_within_overlap(crowd):
    """Rounds of: three reviewers let their claims expire, then post their labels
    while five others claim and save at the same moment."""
    campaign, reviewers = crowd
    late, fresh = reviewers[:3], reviewers[3:]
    start = timezone.now()
    step = timedelta(minutes=settings.CREDENCE_CLAIM_MINUTES + 1)
    outcome = Counter()

    def late_save(reviewer, assignment, at):
        try:
            services.save_annotation(campaign, reviewer, assignment.pk, answer("late"), now=at)
            outcome["saved"] += 1
        except services.QueueError:
            outcome["refused"] += 1

    def claim_and_save(reviewer, at):
        a = services.claim_next(campaign, reviewer, now=at)
        if a is not None:
            services.save_annotation(campaign, reviewer, a.pk, answer("fresh"), now=at)
            outcome["fresh"] += 1

    for round_ in range(ROUNDS):
        t = start + 2 * round_ * step
        lost = [services.claim_next(campaign, r, now=t) for r in late]
        jobs = [(late_save, r, a, t + step) for r, a in zip(late, lost, strict=True)]
        jobs += [(claim_and_save, r, t + step) for r in fresh]
        errors = run_threads(lambda fn, *args: fn(*args), jobs)
        assert not errors, errors
        check_queue_invariants(campaign)
        assert not Assignment.objects.filter(status=Assignment.Status.CLAIMED).exists()
    assert outcome["saved"] + outcome["refused"] == 3 * ROUNDS
    assert (
        Annotation.objects.count()
        == outcome["saved"] + outcome["fresh"]
        == AnnotationRevision.objects.count()
    )
