"""The set-up pages: New campaign, the Documents step, Activate and Close, and staff joining a
campaign as reviewers before the queue hands them passages."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from annotate.models import Assignment, Campaign, CampaignDocument, Membership
from corpus.models import Document
from tests.conftest import login

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Weapons study",
    "guidelines": "Label each passage.",
    "overlap": 2,
    "queue_order": "reading",
    "queue_block": 3,
    "queue_seed": "",
    "auto_accept_unanimous": "on",
}


def new_form(**changes):
    from annotate.campaigns.defaults import default_scheme

    return {**NEW, "scheme": default_scheme().pk, **changes}


def grant_add_campaign(user):
    user.user_permissions.add(Permission.objects.get(codename="add_campaign"))


def writes():
    return (
        list(Campaign.objects.order_by("pk").values()),
        list(CampaignDocument.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
    )


# New campaign ---------------------------------------------------------------------------------


def test_staff_create_a_draft_campaign_and_go_on_to_its_documents(client, users):
    login(client, users["staff"])
    assert client.get(reverse("annotate:campaign_new")).status_code == 200
    response = client.post(reverse("annotate:campaign_new"), new_form(blind_outlet="on"))
    campaign = Campaign.objects.get(name="Weapons study")
    assert response.status_code == 302
    assert response["Location"] == reverse("annotate:campaign_documents", args=[campaign.slug])
    assert campaign.status == Campaign.Status.DRAFT and campaign.blind_outlet
    assert campaign.queue_order == "reading" and campaign.queue_seed is not None
    assert list(campaign.memberships.values_list("user__username", "role")) == [
        ("staff", "manager")
    ]


def test_a_new_campaign_without_a_scheme_takes_the_default_one(client, users):
    from annotate.campaigns.defaults import default_scheme

    login(client, users["staff"])
    form = new_form()
    del form["scheme"]
    assert client.post(reverse("annotate:campaign_new"), form).status_code == 302
    assert Campaign.objects.get(name="Weapons study").scheme == default_scheme()


def test_a_user_with_the_add_campaign_permission_may_create_campaigns(client, users):
    grant_add_campaign(users["olga"])
    login(client, users["olga"])
    assert client.post(reverse("annotate:campaign_new"), new_form()).status_code == 302
    assert Campaign.objects.get(name="Weapons study").memberships.get().user == users["olga"]
    assert "New campaign" in client.get(reverse("annotate:home")).content.decode()


def test_the_permission_may_come_through_a_group(client, users):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Researchers")
    group.permissions.add(Permission.objects.get(codename="add_campaign"))
    users["carol"].groups.add(group)
    login(client, users["carol"])
    assert client.get(reverse("annotate:campaign_new")).status_code == 200


@pytest.mark.parametrize("name", ["alice", "carol", "mike", "olga"])
def test_members_without_the_permission_get_404_and_no_link(client, campaign, users, name):
    login(client, users[name])
    before = writes()
    assert client.get(reverse("annotate:campaign_new")).status_code == 404
    assert client.post(reverse("annotate:campaign_new"), new_form()).status_code == 404
    assert writes() == before
    assert "New campaign" not in client.get(reverse("annotate:home")).content.decode()


def test_the_home_page_links_new_campaign_for_staff(client, users):
    html = login(client, users["staff"]).get(reverse("annotate:home")).content.decode()
    assert f'href="{reverse("annotate:campaign_new")}"' in html


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": "Seed campaign"}, "already exists"),
        ({"name": "seed campaign"}, "already exists"),
        ({"overlap": 0}, "greater than or equal to 1"),
        ({"overlap": 51}, "At most 50"),
        ({"queue_seed": 1_000_000}, "A seed from 0"),
    ],
)
def test_a_bad_new_campaign_is_refused_with_its_reason(client, campaign, users, changes, message):
    login(client, users["staff"])
    before = writes()
    response = client.post(reverse("annotate:campaign_new"), new_form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert writes() == before


# Documents ------------------------------------------------------------------------------------


@pytest.fixture
def draft(client, seed_corpus, users):
    login(client, users["staff"])
    client.post(reverse("annotate:campaign_new"), new_form())
    return Campaign.objects.get(name="Weapons study")


def documents_url(campaign):
    return reverse("annotate:campaign_documents", args=[campaign.slug])


def test_the_preview_counts_and_lists_the_picked_documents(client, draft, seed_corpus):
    outlets = [seed_corpus[0].source.name, seed_corpus[2].source.name]
    response = client.get(documents_url(draft), {"outlets": outlets})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p id="pick-count"><strong>2</strong> documents match.' in html
    assert "Add these 2 documents" in html
    assert seed_corpus[0].title in html and seed_corpus[1].title not in html
    assert not CampaignDocument.objects.filter(campaign=draft).exists()  # a preview adds nothing


def test_adding_the_picked_documents(client, draft, seed_corpus):
    outlets = [seed_corpus[0].source.name, seed_corpus[2].source.name]
    response = client.post(documents_url(draft), {"outlets": outlets})
    assert response.status_code == 302
    added = CampaignDocument.objects.filter(campaign=draft).order_by("position")
    assert [c.document for c in added] == [seed_corpus[0], seed_corpus[2]]
    again = client.get(documents_url(draft), {"outlets": outlets}).content.decode()
    assert "2 of them are already in the campaign" in again and "Add these" not in again


def test_documents_by_date_range_search_and_id(client, draft, seed_corpus):
    for day, document in enumerate(seed_corpus, 1):
        Document.objects.filter(pk=document.pk).update(published=datetime.date(2023, 3, day))
    client.post(documents_url(draft), {"date_from": "2023-03-04", "date_to": "2023-03-05"})
    client.post(documents_url(draft), {"search": seed_corpus[0].title[:25]})
    client.post(documents_url(draft), {"ids": f"{seed_corpus[1].pk}, {seed_corpus[4].pk}"})
    added = CampaignDocument.objects.filter(campaign=draft).order_by("position")
    assert [c.document_id for c in added] == [
        seed_corpus[3].pk,
        seed_corpus[4].pk,
        seed_corpus[0].pk,
        seed_corpus[1].pk,
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose at least one"),
        ({"ids": "12x"}, "is not a document id"),
        ({"ids": "999999"}, "No document with id 999999"),
        ({"outlets": ["No such outlet"]}, "Select a valid choice"),
        ({"date_from": "2023-03-05", "date_to": "2023-03-01"}, "end date comes before"),
    ],
)
def test_bad_criteria_add_nothing_and_say_why(client, draft, data, message):
    before = writes()
    response = client.post(documents_url(draft), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert writes() == before


@pytest.mark.parametrize("name", ["alice", "carol", "olga"])
def test_only_managers_reach_the_documents_step(client, campaign, users, name):
    login(client, users[name])
    before = writes()
    assert client.get(documents_url(campaign)).status_code == 404
    assert client.post(documents_url(campaign), {"ids": "1"}).status_code == 404
    assert writes() == before


def test_the_preview_takes_as_many_queries_for_many_documents_as_for_one(
    client, draft, seed_corpus, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(documents_url(draft), {"ids": str(seed_corpus[0].pk)})
    with django_assert_max_num_queries(len(one)):
        client.get(documents_url(draft), {"outlets": [d.source.name for d in seed_corpus]})


# Members, activation, closing -----------------------------------------------------------------


def activate(client, campaign):
    return client.post(reverse("annotate:campaign_activate", args=[campaign.slug]), follow=True)


def test_activating_with_no_documents_says_so_and_stays_a_draft(client, draft):
    html = activate(client, draft).content.decode()
    draft.refresh_from_db()
    assert "Add documents before activating" in html and draft.status == "draft"


def test_activating_with_no_reviewers_says_so(client, draft, seed_corpus):
    client.post(documents_url(draft), {"ids": str(seed_corpus[0].pk)})
    html = activate(client, draft).content.decode()
    draft.refresh_from_db()
    assert "Add at least one reviewer" in html and draft.status == "draft"


def test_the_whole_set_up_on_the_pages_then_a_reviewer_labels(client, draft, seed_corpus, users):
    client.post(documents_url(draft), {"outlets": [seed_corpus[1].source.name]})
    client.post(
        reverse("annotate:add_member", args=[draft.slug]), {"username": "bob", "role": "reviewer"}
    )
    manage = client.get(reverse("annotate:manage", args=[draft.slug])).content.decode()
    assert "It has 1 document" in manage and "1 reviewer." in manage
    html = activate(client, draft).content.decode()
    draft.refresh_from_db()
    assert draft.is_active and "The campaign is active" in html
    login(client, users["bob"])
    client.post(reverse("annotate:next", args=[draft.slug]))
    held = Assignment.objects.get(reviewer=users["bob"])
    assert held.passage.document == seed_corpus[1]


def test_closing_stops_the_queue(client, campaign, users):
    login(client, users["mike"])
    html = client.post(
        reverse("annotate:campaign_close", args=[campaign.slug]), follow=True
    ).content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "closed" and "The campaign is closed" in html
    login(client, users["alice"])
    client.post(reverse("annotate:next", args=[campaign.slug]))
    assert not Assignment.objects.filter(reviewer=users["alice"]).exists()


@pytest.mark.parametrize("name", ["campaign_activate", "campaign_close"])
def test_activate_and_close_take_only_a_post(client, campaign, users, name):
    login(client, users["mike"])
    assert client.get(reverse(f"annotate:{name}", args=[campaign.slug])).status_code == 405


# Staff who are not members --------------------------------------------------------------------


def test_staff_who_are_not_members_are_offered_to_join_not_to_label(client, campaign, users):
    html = login(client, users["staff"]).get(reverse("annotate:campaign", args=[campaign.slug]))
    html = html.content.decode()
    assert "Join as reviewer" in html and "Start labelling" not in html


def test_staff_who_are_not_members_are_handed_no_passage(client, campaign, users):
    login(client, users["staff"])
    before = writes()
    response = client.post(reverse("annotate:next", args=[campaign.slug]), follow=True)
    assert "Join it as a reviewer" in response.content.decode()
    assert writes() == before


def test_staff_who_manage_a_campaign_are_handed_no_passage_either(client, campaign, users):
    Membership.objects.create(campaign=campaign, user=users["staff"], role="manager")
    login(client, users["staff"])
    client.post(reverse("annotate:next", args=[campaign.slug]))
    assert not Assignment.objects.filter(reviewer=users["staff"]).exists()


def test_staff_who_join_as_reviewers_are_handed_passages(client, campaign, users):
    login(client, users["staff"])
    response = client.post(reverse("annotate:campaign_join", args=[campaign.slug]))
    assert response.status_code == 302
    assert Membership.objects.get(user=users["staff"]).role == "reviewer"
    html = client.get(reverse("annotate:campaign", args=[campaign.slug])).content.decode()
    assert "Start labelling" in html and "Join as reviewer" not in html
    client.post(reverse("annotate:next", args=[campaign.slug]))
    assert Assignment.objects.filter(reviewer=users["staff"], status="claimed").count() == 1


@pytest.mark.parametrize("name", ["alice", "carol", "mike", "olga"])
def test_only_staff_may_join_a_campaign_this_way(client, campaign, users, name):
    login(client, users[name])
    before = writes()
    assert client.post(reverse("annotate:campaign_join", args=[campaign.slug])).status_code == 404
    assert writes() == before
