"""Twenty reviewers annotating one campaign at once, through the real views.

Each worker is a thread with its own test client (so its own session, cookies
and database connection), logs in with a password through the login page, then
works the queue until it runs dry: Next, open the passage, Save and next, with
some double submits of the same form and some trips back to an earlier passage
to change the answer. Each worker records every form it posted. Afterwards the
database must hold every submitted annotation exactly once with the last values
posted, every passage done by exactly `overlap` distinct reviewers, and a
revision history with one entry per change, chained before -> after.

Runs on whichever database the settings name: SQLite (writers take turns) or
PostgreSQL with DATABASE_URL (real row locks); CI runs both. It runs with a CPU-burning
process on every core for its whole length, as on a busy machine: a lock held longer than
the busy timeout must be retried by the services, never reach a reviewer as an error.
"""

import multiprocessing
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from annotate.models import Annotation, AnnotationRevision, Assignment, Membership
from corpus.models import Passage
from tests.conftest import PASSWORD, make_campaign, make_user

WORKERS = 20
OVERLAP = 3
DOUBLE_SUBMIT = 0.15  # chance of posting the same form twice
GO_BACK = 0.2  # chance of revising an earlier passage after a save
OPEN_PAGE = 0.5  # chance of loading the page before saving (the save alone is the write under test)
LABELS = ["sourced_fact", "attributed_claim", "opinion"]
MARKERS = ["loaded_language", "one_sided_framing", "speculation_as_fact", "emotional_appeal"]
PASSAGE_URL = re.compile(r"/c/[\w-]+/p/(\d+)/$")
pytestmark = pytest.mark.django_db(transaction=True)


HOG_SECONDS = 600  # a hog never outlives a stuck test by long, whatever happens to this one


def burn(seconds):
    """Spin a core until the time is up (a CPU hog)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


@pytest.fixture
def busy_machine():
    """One CPU-burning process per core for the length of the test."""
    context = multiprocessing.get_context("spawn")
    hogs = [
        context.Process(target=burn, args=(HOG_SECONDS,), daemon=True)
        for _ in range(os.cpu_count() or 2)
    ]
    for hog in hogs:
        hog.start()
    yield hogs
    for hog in hogs:
        hog.kill()
        hog.join(10)


@pytest.fixture
def crowd(seed_corpus, users):
    """Twenty reviewers on two seed articles (66 passages), overlap 3."""
    docs = [d for d in seed_corpus if d.source.name in ("USTimeToday", "Coverpage")]
    campaign = make_campaign("Twenty", docs, users, overlap=OVERLAP)
    reviewers = [users["alice"], users["bob"], users["dave"]]
    for i in range(WORKERS - len(reviewers)):
        user = make_user(f"crowd{i:02d}")
        Membership.objects.create(campaign=campaign, user=user, role=Membership.Role.REVIEWER)
        reviewers.append(user)
    return campaign, reviewers


def random_answer(rng, worker):
    cited = rng.random() < 0.5
    return {
        "label": rng.choice(LABELS),
        "cited_source": f"Source of {worker}" if cited else "",
        "cited_type": rng.choice(["named_person", "official_body", "anonymous"]) if cited else "",
        "markers": rng.sample(MARKERS, rng.randint(0, 2)),
        "confidence": rng.choice(["low", "medium", "high"]),
        "note": rng.choice(["", f"{worker} thinks so", "“quoted” — unsure"]),
    }


def stored(answer):
    """The answer as the database keeps it: markers as a sorted set, no spans marked."""
    return {"spans": [], **answer, "markers": sorted(set(answer["markers"]))}


class Worker:
    """One reviewer's browser session; `posted` maps assignment id -> every answer posted, in order."""

    def __init__(self, campaign, reviewer, seed):
        self.campaign, self.reviewer = campaign, reviewer
        self.rng = random.Random(seed)
        self.client = Client()
        self.posted = defaultdict(list)
        self.done = []  # assignment ids saved, in order
        self.campaign_url = reverse("annotate:campaign", args=[campaign.slug])

    def login(self):
        response = self.client.post(
            reverse("login"), {"username": self.reviewer.username, "password": PASSWORD}
        )
        assert response.status_code == 302, (self.reviewer.username, response.status_code)

    def save(self, url, answer):
        response = self.client.post(url, answer)
        assert response.status_code == 302, (url, response.status_code, response.content[:400])
        self.posted[int(PASSAGE_URL.search(url).group(1))].append(stored(answer))
        return response["Location"]

    def open(self, url):
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def run(self):
        response = self.client.post(reverse("annotate:next", args=[self.campaign.slug]))
        assert response.status_code == 302, response.status_code
        url = response["Location"]
        for _ in range(1000):
            if url == self.campaign_url:
                return  # the queue ran dry for this reviewer
            assert PASSAGE_URL.search(url), url
            if self.rng.random() < OPEN_PAGE:
                self.open(url)
            answer = random_answer(self.rng, self.reviewer.username)
            following = self.save(url, answer)
            if self.rng.random() < DOUBLE_SUBMIT:
                # The same form again: the same next passage, no new revision.
                assert self.save(url, answer) == following
            self.done.append(int(PASSAGE_URL.search(url).group(1)))
            if len(self.done) > 1 and self.rng.random() < GO_BACK:
                earlier = self.rng.choice(self.done[:-1])
                back = reverse("annotate:passage", args=[self.campaign.slug, earlier])
                self.open(back)
                # Saving an earlier passage moves on to the passage still held.
                assert self.save(back, random_answer(self.rng, self.reviewer.username)) == following
            url = following
        raise AssertionError("the queue never ran dry")


def run_workers(workers):
    barrier = threading.Barrier(len(workers))
    errors = []

    def body(worker):
        try:
            worker.login()
            barrier.wait(timeout=60)
            worker.run()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append((worker.reviewer.username, repr(exc)))
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


def changes(answers):
    """The answers that changed something: the first, then each differing from the one before."""
    return [a for i, a in enumerate(answers) if i == 0 or a != answers[i - 1]]


def test_twenty_reviewers_at_once_lose_nothing_duplicate_nothing_and_keep_every_revision(
    crowd, busy_machine
):
    assert all(hog.is_alive() for hog in busy_machine)  # the machine is busy while they work
    campaign, reviewers = crowd
    workers = [Worker(campaign, r, seed) for seed, r in enumerate(reviewers)]

    errors = run_workers(workers)

    assert not errors, errors
    posted = {}  # assignment id -> (reviewer id, answers in order)
    for w in workers:
        for assignment_id, answers in w.posted.items():
            assert assignment_id not in posted, (
                f"two reviewers posted to assignment {assignment_id}"
            )
            posted[assignment_id] = (w.reviewer.pk, answers)
    assert sum(1 for w in workers if w.done) >= WORKERS // 2, (
        "the work did not spread over the reviewers"
    )
    assert any(len(answers) > 1 for _, answers in posted.values()), (
        "no double submit or revision happened"
    )

    # Every submitted annotation is there exactly once, with the last values posted, on its reviewer's place.
    annotations = {
        a.assignment_id: a
        for a in Annotation.objects.filter(assignment__campaign=campaign).select_related(
            "assignment"
        )
    }
    assert sorted(annotations) == sorted(posted)
    for assignment_id, (reviewer_id, answers) in posted.items():
        annotation = annotations[assignment_id]
        assert annotation.snapshot() == answers[-1]
        assert annotation.assignment.reviewer_id == reviewer_id
        assert annotation.assignment.status == Assignment.Status.DONE

    # Every passage done by exactly `overlap` distinct reviewers, never more; nothing left open or claimed.
    passages = Passage.objects.filter(document__campaigndocument__campaign=campaign).exclude(
        kind="boilerplate"
    )
    places = Assignment.objects.filter(campaign=campaign)
    assert places.count() == OVERLAP * passages.count()
    assert not places.exclude(status=Assignment.Status.DONE).exists()
    done = Counter(places.values_list("passage_id", flat=True))
    assert set(done) == set(passages.values_list("pk", flat=True))
    assert set(done.values()) == {OVERLAP}
    pairs = list(places.values_list("passage_id", "reviewer_id"))
    assert len(set(pairs)) == len(pairs), "a reviewer labelled one passage twice"

    # The revision history: one entry per change, first before=None, each before = the previous after.
    history = defaultdict(list)
    for revision in AnnotationRevision.objects.filter(
        annotation__assignment__campaign=campaign
    ).order_by("pk"):
        history[revision.annotation_id].append(revision)
    assert sum(len(h) for h in history.values()) == sum(len(changes(a)) for _, a in posted.values())
    for assignment_id, (reviewer_id, answers) in posted.items():
        revisions = history[annotations[assignment_id].pk]
        assert [r.after for r in revisions] == changes(answers)
        assert [r.before for r in revisions] == [None] + [r.after for r in revisions[:-1]]
        assert {r.changed_by_id for r in revisions} == {reviewer_id}
