"""Setting a campaign up without the shell (annotate.campaigns.setup and setup_selectors):
create, pick documents, name members, activate, close; every refusal changes nothing."""

import datetime

import pytest

from annotate.campaigns import setup
from annotate.campaigns.defaults import default_scheme
from annotate.campaigns.setup_selectors import SEARCH_MAX, pick_documents, readiness
from annotate.models import Assignment, Campaign, CampaignDocument, LabelScheme, Membership
from annotate.queue import services as queue_services
from corpus.models import Document, Passage

pytestmark = pytest.mark.django_db

Role = Membership.Role


def rows():
    """Everything set-up could write."""
    return (
        list(Campaign.objects.order_by("pk").values()),
        list(CampaignDocument.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
    )


def annotatable(documents):
    return Passage.objects.filter(document__in=documents).exclude(kind=Passage.Kind.BOILERPLATE)


@pytest.fixture
def draft(users):
    return setup.create_campaign(users["mike"], "Weapons study", overlap=2)


@pytest.fixture
def dated(seed_corpus):
    """The seed articles published on 1, 2, 3, 4 and 5 March 2023 (in outlet order)."""
    for day, document in enumerate(seed_corpus, 1):
        Document.objects.filter(pk=document.pk).update(published=datetime.date(2023, 3, day))
    return seed_corpus


# Creating -------------------------------------------------------------------------------------


def test_a_new_campaign_is_a_draft_with_its_creator_as_manager(users):
    campaign = setup.create_campaign(
        users["mike"],
        "  Weapons study  ",
        overlap=4,
        blind_outlet=True,
        queue_order="random_document",
        queue_block=5,
        queue_seed=1234,
        auto_accept_unanimous=False,
        guidelines="Label each passage.\n",
    )
    campaign.refresh_from_db()
    assert (campaign.name, campaign.slug, campaign.status) == (
        "Weapons study",
        "weapons-study",
        Campaign.Status.DRAFT,
    )
    assert campaign.scheme == default_scheme()
    assert (campaign.overlap, campaign.blind_outlet, campaign.auto_accept_unanimous) == (
        4,
        True,
        False,
    )
    assert (campaign.queue_order, campaign.queue_block, campaign.queue_seed) == (
        "random_document",
        5,
        1234,
    )
    assert campaign.guidelines == "Label each passage."
    assert list(campaign.memberships.values_list("user__username", "role")) == [
        ("mike", Role.MANAGER)
    ]


def test_a_new_campaign_without_a_seed_gets_a_random_one(users):
    seeds = {
        setup.create_campaign(users["mike"], f"Study {i}", queue_seed=None).queue_seed
        for i in range(5)
    }
    assert len(seeds) > 1


def test_a_campaign_made_by_nobody_has_no_members(db):
    campaign = setup.create_campaign(None, "Command study")
    assert campaign.memberships.count() == 0


def test_a_scheme_can_be_named_by_its_slug(users):
    other = LabelScheme.objects.create(name="Other scheme", slug="other-scheme")
    campaign = setup.create_campaign(users["mike"], "Study", scheme="other-scheme")
    assert campaign.scheme == other


def test_an_unknown_scheme_is_refused_naming_the_schemes_there_are(users):
    default_scheme()
    before = rows()
    with pytest.raises(setup.SetupError, match="fact-claim-opinion"):
        setup.create_campaign(users["mike"], "Study", scheme="no-such-scheme")
    assert rows() == before


@pytest.mark.parametrize(
    "name, message",
    [
        ("Seed campaign", "already exists"),
        ("SEED CAMPAIGN", "already exists"),  # names compare in any case
        ("Seed campaign!", "/c/seed-campaign/"),  # a different name with the same address
    ],
)
def test_a_taken_name_or_address_is_refused_and_nothing_is_made(campaign, users, name, message):
    before = rows()
    with pytest.raises(setup.SetupError, match=message):
        setup.create_campaign(users["mike"], name)
    assert rows() == before


@pytest.mark.parametrize("name", ["", "   ", "!!!"])
def test_a_name_with_nothing_to_make_an_address_from_is_refused(users, name):
    with pytest.raises(setup.SetupError):
        setup.create_campaign(users["mike"], name)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"overlap": 0}, "overlap"),
        ({"overlap": 51}, "overlap"),
        ({"overlap": "3"}, "overlap"),
        ({"queue_block": 0}, "block size"),
        ({"queue_seed": 1_000_000}, "random seed"),
        ({"queue_order": "alphabetical"}, "queue order"),
    ],
)
def test_settings_out_of_range_are_refused_with_what_was_wrong(users, options, message):
    with pytest.raises(setup.SetupError, match=message):
        setup.create_campaign(users["mike"], "Study", **options)
    assert not Campaign.objects.exists()


# Picking documents ----------------------------------------------------------------------------


def test_pick_by_outlet_names(seed_corpus):
    wanted = [seed_corpus[1], seed_corpus[3]]
    picked = pick_documents(outlets=[d.source.name for d in wanted])
    assert list(picked) == wanted


def test_pick_by_date_range_is_inclusive_and_leaves_out_undated_articles(dated):
    picked = pick_documents(date_from=datetime.date(2023, 3, 2), date_to=datetime.date(2023, 3, 4))
    assert list(picked) == dated[1:4]
    Document.objects.filter(pk=dated[0].pk).update(published=None)
    assert dated[0] not in pick_documents(date_to=datetime.date(2023, 3, 5))


def test_pick_by_search_finds_the_title_and_the_text_in_any_case(seed_corpus):
    by_title = seed_corpus[2]
    word = by_title.title.split()[-1]
    assert by_title in pick_documents(search=word.upper())
    text_only = next(d for d in seed_corpus if "Taliban" in d.text and "Taliban" not in d.title)
    assert text_only in pick_documents(search="taliban")
    assert not pick_documents(search="no article says xylophone").exists()


def test_a_search_term_is_cut_to_its_limit(seed_corpus):
    word = seed_corpus[0].title[:20]
    assert seed_corpus[0] in pick_documents(search=word + " " * SEARCH_MAX + "ignored")


def test_pick_by_ids_and_criteria_narrow_each_other(dated):
    ids = [dated[0].pk, dated[1].pk, dated[2].pk]
    assert list(pick_documents(ids=ids)) == dated[:3]
    narrowed = pick_documents(ids=ids, outlets=[d.source.name for d in dated[1:]])
    assert list(narrowed) == dated[1:3]
    assert list(narrowed.filter(published__gte=datetime.date(2023, 3, 3))) == [dated[2]]


def test_no_criterion_picks_every_document(seed_corpus):
    assert list(pick_documents()) == seed_corpus


def test_picked_documents_go_at_the_end_of_the_reading_order_once_each(draft, seed_corpus):
    assert setup.add_picked_documents(draft, pick_documents(ids=[seed_corpus[3].pk])) == 1
    assert setup.add_picked_documents(draft, pick_documents()) == 4
    assert setup.add_picked_documents(draft, pick_documents()) == 0
    order = list(
        CampaignDocument.objects.filter(campaign=draft)
        .order_by("position")
        .values_list("document_id", flat=True)
    )
    assert order == [seed_corpus[3].pk] + [d.pk for d in seed_corpus if d != seed_corpus[3]]
    assert not Assignment.objects.filter(campaign=draft).exists()  # a draft has no places yet


def test_documents_added_to_an_active_campaign_get_their_places_at_once(seed_corpus, users):
    campaign = setup.create_campaign(users["mike"], "Running", overlap=2)
    setup.add_picked_documents(campaign, pick_documents(ids=[seed_corpus[0].pk]))
    setup.set_members(campaign, {"alice": Role.REVIEWER})
    setup.activate(campaign)
    setup.add_picked_documents(campaign, pick_documents(ids=[seed_corpus[1].pk]))
    expected = annotatable(seed_corpus[:2]).count() * 2
    assert Assignment.objects.filter(campaign=campaign).count() == expected


def test_a_closed_campaign_takes_no_documents(draft, seed_corpus):
    setup.close_campaign(draft)
    before = rows()
    with pytest.raises(setup.SetupError, match="closed"):
        setup.add_picked_documents(draft, pick_documents())
    assert rows() == before


# Members --------------------------------------------------------------------------------------


def test_members_are_added_and_roles_changed(draft, users):
    setup.set_members(draft, {"alice": Role.REVIEWER, "carol": Role.CURATOR})
    setup.set_members(draft, {"alice": Role.CURATOR, "bob": Role.REVIEWER})
    roles = dict(draft.memberships.values_list("user__username", "role"))
    assert roles == {
        "mike": Role.MANAGER,
        "alice": Role.CURATOR,
        "carol": Role.CURATOR,
        "bob": Role.REVIEWER,
    }


def test_unknown_user_names_are_all_listed_and_nobody_is_added(draft, users):
    before = rows()
    with pytest.raises(setup.SetupError) as raised:
        setup.set_members(
            draft, {"alice": Role.REVIEWER, "zed": Role.REVIEWER, "yves": Role.CURATOR}
        )
    assert "“zed”" in str(raised.value) and "“yves”" in str(raised.value)
    assert "alice" not in str(raised.value)
    assert rows() == before


def test_an_unknown_role_is_refused(draft, users):
    before = rows()
    with pytest.raises(setup.SetupError, match="owner"):
        setup.set_members(draft, {"alice": "owner"})
    assert rows() == before


# Activating and closing -----------------------------------------------------------------------


def test_activating_with_no_documents_is_refused_with_what_to_add(draft, users):
    setup.set_members(draft, {"alice": Role.REVIEWER})
    before = rows()
    with pytest.raises(setup.SetupError, match="Add documents"):
        setup.activate(draft)
    assert rows() == before


def test_activating_with_no_reviewers_is_refused_with_what_to_add(draft, seed_corpus):
    setup.add_picked_documents(draft, pick_documents())
    before = rows()
    with pytest.raises(setup.SetupError, match="reviewer"):
        setup.activate(draft)
    assert rows() == before


def test_activating_documents_with_only_boilerplate_is_refused(draft, seed_corpus, users):
    setup.add_picked_documents(draft, pick_documents(ids=[seed_corpus[0].pk]))
    setup.set_members(draft, {"alice": Role.REVIEWER})
    Passage.objects.filter(document=seed_corpus[0]).update(kind=Passage.Kind.BOILERPLATE)
    with pytest.raises(setup.SetupError, match="no passages"):
        setup.activate(draft)
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT


def test_activating_an_active_campaign_is_refused(campaign):
    before = rows()
    with pytest.raises(setup.SetupError, match="already active"):
        setup.activate(campaign)
    assert rows() == before


def test_create_pick_members_activate_then_a_reviewer_is_handed_a_passage(seed_corpus, users):
    campaign = setup.create_campaign(users["mike"], "Whole flow", overlap=2, queue_order="reading")
    outlets = [seed_corpus[0].source.name, seed_corpus[4].source.name]
    assert setup.add_picked_documents(campaign, pick_documents(outlets=outlets)) == 2
    setup.set_members(campaign, {"alice": Role.REVIEWER, "bob": Role.REVIEWER})
    assert readiness(campaign) == {
        "documents": 2,
        "passages": annotatable([seed_corpus[0], seed_corpus[4]]).count(),
        "reviewers": 2,
    }
    made = setup.activate(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE
    assert made == annotatable([seed_corpus[0], seed_corpus[4]]).count() * 2
    place = queue_services.claim_next(campaign, users["alice"])
    assert place.passage.document == seed_corpus[0]


def test_a_closed_campaign_hands_out_nothing_and_keeps_its_work(campaign, users):
    place = queue_services.claim_next(campaign, users["alice"])
    queue_services.save_annotation(campaign, users["alice"], place.pk, {"label": "opinion"})
    setup.close_campaign(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert Assignment.objects.filter(campaign=campaign, status="done").count() == 1
    with pytest.raises(queue_services.QueueError, match="not active"):
        queue_services.claim_next(campaign, users["bob"])
    assert campaign.history.first().status == Campaign.Status.CLOSED  # recorded in its history


def test_closing_twice_is_refused(campaign):
    setup.close_campaign(campaign)
    with pytest.raises(setup.SetupError, match="already closed"):
        setup.close_campaign(campaign)


def test_a_closed_campaign_can_be_activated_again(campaign, users):
    setup.close_campaign(campaign)
    assert setup.activate(campaign) == 0  # its places are already there
    campaign.refresh_from_db()
    assert campaign.is_active
    assert queue_services.claim_next(campaign, users["alice"]) is not None


def test_staff_joining_becomes_a_reviewer(campaign, users):
    setup.join_as_reviewer(campaign, users["staff"])
    setup.join_as_reviewer(campaign, users["staff"])
    assert list(Membership.objects.filter(user=users["staff"]).values_list("campaign", "role")) == [
        (campaign.pk, Role.REVIEWER)
    ]
