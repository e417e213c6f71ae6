"""The whole campaign's progress (selectors.campaign_progress) for curators, managers and staff:
places done, passages complete, per outlet; checked against a count made by hand, in a
constant number of queries; and the home page's line for each role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotate.campaigns import selectors, services
from annotate.models import Assignment, CampaignDocument, Membership
from annotate.queue import services as queue
from corpus.models import Passage
from tests.conftest import login, make_campaign

pytestmark = pytest.mark.django_db


def label(campaign, user):
    place = queue.claim_next(campaign, user)
    queue.save_annotation(campaign, user, place.pk, {"label": "opinion", "confidence": "high"})
    return place


@pytest.fixture
def worked(campaign, users):
    """Reading order, overlap 2: alice and bob label the first passage (complete), alice the
    second; dave holds a claim on the second (not done)."""
    first = label(campaign, users["alice"])
    assert label(campaign, users["bob"]).passage_id == first.passage_id
    second = label(campaign, users["alice"])
    assert queue.claim_next(campaign, users["dave"]).passage_id == second.passage_id
    return campaign


def by_hand(campaign):
    """{outlet: [passages, complete, done places]}, one passage and one place at a time."""
    counts = {}
    links = CampaignDocument.objects.filter(campaign=campaign).select_related("document__source")
    for link in links:
        row = counts.setdefault(link.document.source.name, [0, 0, 0])
        for passage in link.document.passages.all():
            if passage.kind == Passage.Kind.BOILERPLATE:
                continue
            places = Assignment.objects.filter(campaign=campaign, passage=passage)
            done = sum(1 for p in places if p.status == "done" and p.slot <= campaign.overlap)
            row[0] += 1
            row[1] += done == campaign.overlap
            row[2] += done
    return counts


def as_counts(progress):
    return {o.name: [o.passages, o.complete, o.done] for o in progress.outlets}


def test_progress_matches_a_count_by_hand(worked, seed_corpus):
    progress = selectors.campaign_progress(worked)
    assert as_counts(progress) == by_hand(worked)
    passages = sum(row[0] for row in by_hand(worked).values())
    assert (progress.done, progress.complete) == (3, 1)
    assert (progress.passages, progress.places) == (passages, passages * 2)
    assert progress.percent == 300 // (passages * 2)
    first_outlet = seed_corpus[0].source.name  # reading order: the first document's passages
    assert [o.done for o in progress.outlets if o.name == first_outlet] == [3]
    for outlet in progress.outlets:
        assert outlet.places == outlet.passages * 2


def test_outlets_are_listed_by_name_and_every_outlet_appears_before_any_work(campaign):
    progress = selectors.campaign_progress(campaign)
    names = [o.name for o in progress.outlets]
    assert names == sorted(names) and len(names) == 5
    assert (progress.done, progress.complete) == (0, 0)
    assert all(o.percent == 0 for o in progress.outlets)


def test_a_draft_campaign_counts_the_places_it_will_have(seed_corpus, users):
    draft = make_campaign("Draft", seed_corpus[:2], users, overlap=3, activate=False)
    progress = selectors.campaign_progress(draft)
    passages = Passage.objects.filter(document__in=seed_corpus[:2]).exclude(kind="boilerplate")
    assert (progress.places, progress.done) == (passages.count() * 3, 0)


def test_work_kept_above_a_lowered_overlap_is_not_counted_twice(worked):
    worked.overlap = 1
    worked.save(update_fields=["overlap"])
    services.sync_slots(worked)
    progress = selectors.campaign_progress(worked)
    assert as_counts(progress) == by_hand(worked)
    assert (progress.done, progress.complete) == (2, 2)  # the first two passages, once each


def test_percent_is_rounded_down_so_100_means_all_done():
    almost = selectors.PlacesDone(passages=200, complete=199, places=200, done=199)
    assert almost.percent == 99
    assert selectors.PlacesDone(passages=0, complete=0, places=0, done=0).percent == 0


def test_progress_takes_three_queries_whatever_the_campaign_size(
    seed_corpus, users, django_assert_max_num_queries
):
    small = make_campaign("Small", seed_corpus[:1], users)
    large = make_campaign("Large", seed_corpus, users)
    for campaign in (small, large):
        label(campaign, users["alice"])
        with django_assert_max_num_queries(3):
            selectors.campaign_progress(campaign)


# Pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["carol", "mike", "staff"])
def test_curators_managers_and_staff_see_the_progress_on_the_campaign_page(
    client, worked, users, name
):
    body = login(client, users[name]).get(reverse("annotate:campaign", args=[worked.slug]))
    html = body.content.decode()
    progress = selectors.campaign_progress(worked)
    assert 'id="outlet-progress"' in html
    assert f'<strong id="places-done">3</strong> of {progress.places} reviewer places' in html
    assert f'<strong id="passages-complete">1</strong> of {progress.passages} passages' in html


def test_reviewers_do_not_see_the_whole_campaign_progress(client, worked, users):
    html = login(client, users["alice"]).get(reverse("annotate:campaign", args=[worked.slug]))
    html = html.content.decode()
    assert 'id="outlet-progress"' not in html and 'id="done-count">2<' in html


def test_the_manage_page_shows_the_progress(client, worked, users):
    html = login(client, users["mike"]).get(reverse("annotate:manage", args=[worked.slug]))
    assert '<strong id="places-done">3</strong>' in html.content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["annotate:campaign", "annotate:manage"])
def test_the_progress_pages_take_as_many_queries_for_a_large_campaign_as_for_a_small_one(
    client, seed_corpus, users, page
):
    small = make_campaign("Small", seed_corpus[:1], users)
    large = make_campaign("Large", seed_corpus, users)
    for campaign in (small, large):
        label(campaign, users["alice"])
        label(campaign, users["bob"])
    login(client, users["mike"])
    few = queries(client, reverse(page, args=[small.slug]))
    assert queries(client, reverse(page, args=[large.slug])) == few
    assert few <= 12


def test_the_home_page_shows_curators_the_campaign_progress_and_reviewers_their_own(
    client, worked, users
):
    places = selectors.campaign_progress(worked).places
    carol = login(client, users["carol"]).get(reverse("annotate:home")).content.decode()
    assert f"{places} places in the campaign" in carol
    assert 'value="3" aria-label="3 of' in carol and "passages for you" not in carol
    alice = login(client, users["alice"]).get(reverse("annotate:home")).content.decode()
    assert "passages for you" in alice and "places in the campaign" not in alice
    assert 'value="2" aria-label="2 of' in alice


def test_home_progress_per_role_and_for_staff(worked, other_campaign, users):
    rows = {c.slug: c for c in selectors.campaigns_with_progress(users["staff"])}
    assert rows[worked.slug].progress.whole_campaign
    assert (rows[worked.slug].progress.done, rows[worked.slug].progress.places) == (
        3,
        selectors.campaign_progress(worked).places,
    )
    assert rows["other"].progress.done == 0
    # A staff user who reviews a campaign sees their own progress there.
    Membership.objects.create(campaign=worked, user=users["staff"], role="reviewer")
    rows = {c.slug: c for c in selectors.campaigns_with_progress(users["staff"])}
    assert not rows[worked.slug].progress.whole_campaign
    assert rows[worked.slug].progress.done == 0


def test_the_home_page_takes_a_fixed_number_of_queries(
    client, seed_corpus, users, django_assert_max_num_queries
):
    login(client, users["staff"])
    make_campaign("First", seed_corpus[:1], users)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("annotate:home"))
    for i in range(3):
        label(make_campaign(f"More {i}", seed_corpus, users), users["alice"])
    with django_assert_max_num_queries(len(one)):
        client.get(reverse("annotate:home"))
