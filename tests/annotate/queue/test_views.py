"""Who may reach which annotation page, POST-only mutations, and query bounds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotate.models import Annotation, Assignment, Campaign, Membership, Skip
from annotate.queue import services
from tests.conftest import login, make_campaign

GET_VIEWS = ["campaign", "guidelines", "passage", "annotations", "manage"]
POST_VIEWS = ["next", "skip", "manage_settings", "add_member", "remove_member"]


@pytest.fixture
def claimed(campaign, users):
    """alice's claim on the first passage."""
    return services.claim_next(campaign, users["alice"])


def url(name, campaign, assignment=None):
    slug = campaign.slug
    member = Membership.objects.get(campaign=campaign, user__username="dave")
    args = {
        "home": [],
        "passage": [slug, assignment.pk if assignment else 0],
        "skip": [slug, assignment.pk if assignment else 0],
        "remove_member": [slug, member.pk],
    }.get(name, [slug])
    return reverse(f"annotate:{name}", args=args)


def post_data(name):
    return {
        "skip": {"reason": "garbled"},
        "manage_settings": {"name": "Renamed", "guidelines": "", "overlap": 2, "status": "active"},
        "add_member": {"username": "olga", "role": "reviewer"},
    }.get(name, {})


def request(client, name, campaign, assignment):
    if name in POST_VIEWS:
        return client.post(url(name, campaign, assignment), post_data(name))
    return client.get(url(name, campaign, assignment))


def snapshot():
    """Everything a mutation could change."""
    return (
        list(Assignment.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Campaign.objects.order_by("pk").values()),
        Skip.objects.count(),
        Annotation.objects.count(),
    )


@pytest.mark.parametrize("name", ["home", *GET_VIEWS, *POST_VIEWS])
def test_anonymous_user_is_sent_to_the_login_page_and_changes_nothing(
    client, campaign, claimed, name
):
    before = snapshot()
    response = request(client, name, campaign, claimed)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert snapshot() == before


@pytest.mark.parametrize("name", [*GET_VIEWS, *POST_VIEWS])
def test_reviewer_of_another_campaign_gets_404_and_changes_nothing(
    client, campaign, other_campaign, claimed, users, name
):
    login(client, users["olga"])
    before = snapshot()
    assert request(client, name, campaign, claimed).status_code == 404
    assert snapshot() == before


def test_home_lists_only_the_users_own_campaigns(client, campaign, other_campaign, users):
    body = login(client, users["olga"]).get(reverse("annotate:home")).content.decode()
    assert other_campaign.name in body and campaign.name not in body
    body = login(client, users["staff"]).get(reverse("annotate:home")).content.decode()
    assert other_campaign.name in body and campaign.name in body


# What each role gets; passage and skip use alice's assignment for everyone.
EXPECTED = {
    "alice": {
        "campaign": 200,
        "guidelines": 200,
        "passage": 200,
        "annotations": 404,
        "manage": 404,
        "next": 302,
        "skip": 302,
        "manage_settings": 404,
        "add_member": 404,
        "remove_member": 404,
    },
    "bob": {"passage": 404, "skip": 404},
    "carol": {
        "campaign": 200,
        "guidelines": 200,
        "passage": 404,
        "annotations": 200,
        "manage": 404,
        "next": 404,
        "skip": 404,
        "manage_settings": 404,
        "add_member": 404,
        "remove_member": 404,
    },
    "mike": {
        "campaign": 200,
        "guidelines": 200,
        "passage": 404,
        "annotations": 200,
        "manage": 200,
        "next": 404,
        "skip": 404,
        "manage_settings": 302,
        "add_member": 302,
        "remove_member": 302,
    },
    "staff": {
        "campaign": 200,
        "guidelines": 200,
        "passage": 404,
        "annotations": 200,
        "manage": 200,
        "next": 302,
        "skip": 404,
        "manage_settings": 302,
        "add_member": 302,
        "remove_member": 302,
    },
}
for _row in EXPECTED.values():
    _row["home"] = 200
CASES = [(user, name, status) for user, row in EXPECTED.items() for name, status in row.items()]


@pytest.mark.parametrize("username,name,status", CASES)
def test_each_role_gets_what_it_may_and_404_for_the_rest(
    client, campaign, claimed, users, username, name, status
):
    login(client, users[username])
    before = snapshot()
    response = request(client, name, campaign, claimed)
    assert response.status_code == status
    if status == 404:
        assert snapshot() == before, "a refused request changed something"


def test_reviewer_posting_labels_to_another_reviewers_assignment_gets_404(
    client, campaign, claimed, users
):
    login(client, users["bob"])
    response = client.post(
        url("passage", campaign, claimed), {"label": "opinion", "confidence": "medium"}
    )
    assert response.status_code == 404
    assert not Annotation.objects.exists()


def test_manager_actions_take_effect(client, campaign, users):
    login(client, users["mike"])
    client.post(url("manage_settings", campaign), post_data("manage_settings"))
    assert Campaign.objects.get(pk=campaign.pk).name == "Renamed"
    client.post(url("add_member", campaign), post_data("add_member"))
    assert Membership.objects.filter(
        campaign=campaign, user=users["olga"], role="reviewer"
    ).exists()
    client.post(url("remove_member", campaign))
    assert not Membership.objects.filter(campaign=campaign, user=users["dave"]).exists()


def test_reviewer_next_and_skip_take_effect(client, campaign, users):
    login(client, users["alice"])
    response = client.post(url("next", campaign))
    assignment = Assignment.objects.get(reviewer=users["alice"])
    assert response["Location"] == url("passage", campaign, assignment)
    client.post(url("skip", campaign, assignment), {"reason": "garbled"})
    assert Skip.objects.filter(reviewer=users["alice"], passage_id=assignment.passage_id).exists()


def test_skip_without_a_reason_skips_nothing(client, campaign, claimed, users):
    login(client, users["alice"])
    response = client.post(url("skip", campaign, claimed), {"reason": ""}, follow=True)
    assert "Say why you skip" in response.content.decode()
    assert not Skip.objects.exists()
    assert Assignment.objects.get(pk=claimed.pk).reviewer == users["alice"]


@pytest.mark.parametrize("name", POST_VIEWS)
def test_mutations_answer_405_to_get(client, campaign, claimed, users, name):
    login(client, users["staff" if name not in ("skip",) else "alice"])
    before = snapshot()
    assert client.get(url(name, campaign, claimed)).status_code == 405
    assert snapshot() == before


def _expire_and_hand_on(campaign, users, assignment):
    """alice's claim expires and dave gets her place."""
    Assignment.objects.filter(pk=assignment.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.claim_next(campaign, users["dave"]).pk == assignment.pk


def test_late_save_through_the_page_lands_on_a_spare_place(client, campaign, users):
    login(client, users["alice"])
    client.post(url("next", campaign))
    lost = Assignment.objects.get(reviewer=users["alice"])
    _expire_and_hand_on(campaign, users, lost)
    response = client.post(
        url("passage", campaign, lost), {"label": "opinion", "confidence": "medium"}
    )
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert (
        annotation.assignment.reviewer == users["alice"]
        and annotation.assignment.passage_id == lost.passage_id
    )
    assert Assignment.objects.get(pk=lost.pk).reviewer == users["dave"]


def test_late_save_through_the_page_fails_with_a_message_when_no_place_is_left(
    client, campaign, users
):
    login(client, users["alice"])
    client.post(url("next", campaign))
    lost = Assignment.objects.get(reviewer=users["alice"])
    _expire_and_hand_on(campaign, users, lost)
    services.claim_next(campaign, users["bob"])  # the passage's other place
    before = snapshot()
    response = client.post(
        url("passage", campaign, lost),
        {"label": "opinion", "confidence": "medium", "note": "typed"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "your labels were not saved" in body and "typed" in body
    assert snapshot() == before
    # The page does not show dave's place as alice's.
    assert client.get(url("passage", campaign, lost)).status_code == 404


# --- query bounds -----------------------------------------------------------

FORM = {
    "label": "attributed_claim",
    "confidence": "high",
    "markers": ["loaded_language"],
    "cited_source": "Pakistan's PM",
    "cited_type": "named_person",
    "note": "n",
}


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code in (200, 302)
    return len(ctx.captured_queries)


def measure(client, campaign, user):
    """Queries for the annotation page and for saving it, mid-campaign (one passage done)."""
    login(client, user)
    client.post(url("next", campaign))
    first = Assignment.objects.get(campaign=campaign, reviewer=user)
    client.post(url("passage", campaign, first), FORM)
    second = Assignment.objects.get(campaign=campaign, reviewer=user, status="claimed")
    first_url, second_url, home_url = (
        url("passage", campaign, first),
        url("passage", campaign, second),
        reverse("annotate:home"),
    )
    page = count_queries(lambda: client.get(second_url))
    save = count_queries(lambda: client.post(second_url, FORM))
    revise = count_queries(lambda: client.post(first_url, {**FORM, "note": "changed"}))
    home = count_queries(lambda: client.get(home_url))
    return {"page": page, "save": save, "revise": revise, "home": home}


# Save: 26 since every write bumps the campaign's data version (one UPDATE); home: 4 since it asks
# whether the user may create campaigns (none for staff).
PAGE_MAX, SAVE_MAX, HOME_MAX = 13, 26, 4  # measured on SQLite and PostgreSQL


def test_page_save_and_home_use_a_fixed_number_of_queries_whatever_the_corpus_size(
    client, seed_corpus, users
):
    one = make_campaign("One document", seed_corpus[:1], users)
    five = make_campaign("Five documents", seed_corpus, users, blind_outlet=True)
    small = measure(client, one, users["alice"])
    large = measure(client, five, users["bob"])
    print("queries", small)
    assert small == large
    assert small["page"] <= PAGE_MAX and small["save"] <= SAVE_MAX and small["revise"] <= SAVE_MAX
    assert small["home"] <= HOME_MAX


def test_home_page_queries_do_not_grow_with_campaigns(
    client, seed_corpus, users, django_assert_max_num_queries
):
    login(client, users["alice"])
    make_campaign("First", seed_corpus[:1], users)
    few = count_queries(lambda: client.get(reverse("annotate:home")))
    for i in range(3):
        make_campaign(f"More {i}", seed_corpus, users)
    with django_assert_max_num_queries(few):
        client.get(reverse("annotate:home"))


def test_annotation_page_and_save_stay_within_their_query_budget(
    client, campaign, users, django_assert_max_num_queries
):
    login(client, users["alice"])
    client.post(url("next", campaign))
    page = url("passage", campaign, Assignment.objects.get(reviewer=users["alice"]))
    with django_assert_max_num_queries(PAGE_MAX):
        assert client.get(page).status_code == 200
    with django_assert_max_num_queries(SAVE_MAX):
        assert client.post(page, FORM).status_code == 302
