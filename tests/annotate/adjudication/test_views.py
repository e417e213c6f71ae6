import pytest
from django.urls import reverse

from annotate.adjudication import selectors as adjudication_queue
from annotate.models import Adjudication, AdjudicationRevision
from tests.annotate.adjudication_support import label_everything, vote
from tests.conftest import login, make_campaign


@pytest.fixture
def campaign(seed_corpus, users):
    return make_campaign("Small", seed_corpus[:1], users, overlap=2)


@pytest.fixture
def disputed(campaign, users):
    """alice and bob label the article; they disagree on even positions."""
    label_everything(campaign, users["alice"], lambda p, r: vote("opinion", note="alice's note"))
    label_everything(
        campaign,
        users["bob"],
        lambda p, r: vote(
            "sourced_fact" if p.position % 2 == 0 else "opinion",
            "document",
            "DoD report",
            ["loaded_language"],
            confidence="high",
        ),
    )
    return [row[adjudication_queue.PASSAGE] for row in adjudication_queue.disputed(campaign)]


def url(name, campaign, *args):
    return reverse(f"annotate:{name}", args=[campaign.slug, *args])


@pytest.mark.parametrize("name", ["carol", "mike", "staff"])
def test_curators_managers_and_staff_see_the_queue(client, campaign, users, disputed, name):
    response = login(client, users[name]).get(url("adjudication", campaign))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == len(disputed)


@pytest.mark.parametrize("name", ["alice", "olga"])
@pytest.mark.parametrize("page", ["adjudication", "adjudication_decided"])
def test_reviewers_and_outsiders_get_404(client, campaign, users, disputed, name, page):
    assert login(client, users[name]).get(url(page, campaign)).status_code == 404


def test_reviewers_cannot_open_or_post_a_decision(client, campaign, users, disputed):
    login(client, users["alice"])
    page = url("adjudicate", campaign, disputed[0])
    assert client.get(page).status_code == 404
    assert client.post(page, {"label": "opinion", "rationale": "mine"}).status_code == 404
    assert client.post(url("adjudication_bulk", campaign), {"passage": disputed}).status_code == 404
    assert not Adjudication.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, campaign, disputed):
    response = client.get(url("adjudication", campaign))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_decision_page_shows_every_reviewers_answer_side_by_side(
    client, campaign, users, disputed
):
    response = login(client, users["carol"]).get(url("adjudicate", campaign, disputed[0]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "alice",
        "bob",
        "alice&#x27;s note",
        "DoD report",
        "loaded_language",
        "High",
        "Sourced fact",
        "Opinion",
    ):
        assert text in html
    # Every passage is disputed: bob names a source and ticks a marker, alice does neither;
    # on even positions they also differ on the type.
    from corpus.models import Passage

    even = Passage.objects.get(pk=disputed[0]).position % 2 == 0
    expected = (
        "passage type, cited-source type, bias markers"
        if even
        else "cited-source type, bias markers"
    )
    assert f"Disagree on: {expected}." in html
    # The passage is shown in its context, marked as current.
    assert 'id="current"' in html and len(response.context["context_passages"]) > 1


def test_the_form_is_prefilled_with_the_majority_or_the_current_decision(
    client, campaign, users, disputed
):
    three = make_campaign("Three", campaign.documents.all(), users, overlap=3)
    label_everything(three, users["alice"], lambda p, r: vote("opinion", "anonymous"))
    label_everything(
        three, users["bob"], lambda p, r: vote("opinion", "anonymous", markers=["loaded_language"])
    )
    label_everything(three, users["dave"], lambda p, r: vote("sourced_fact", "anonymous"))
    passage_id = adjudication_queue.disputed(three).first()[adjudication_queue.PASSAGE]
    login(client, users["carol"])
    form = client.get(url("adjudicate", three, passage_id)).context["form"]
    assert form.initial == {
        "label": "opinion",
        "cited_type": "anonymous",
        "cited_source": "",
        "markers": [],
        "spans": [],
    }
    Adjudication.objects.create(
        campaign=three,
        passage_id=passage_id,
        label="sourced_fact",
        rationale="r",
        decided_by=users["mike"],
    )
    form = client.get(url("adjudicate", three, passage_id)).context["form"]
    assert form.initial["label"] == "sourced_fact" and form.initial["rationale"] == "r"


def test_posting_a_decision_saves_it_and_moves_to_the_next_disputed_passage(
    client, campaign, users, disputed
):
    login(client, users["carol"])
    response = client.post(
        url("adjudicate", campaign, disputed[0]),
        {
            "label": "sourced_fact",
            "cited_type": "document",
            "cited_source": "DoD report",
            "markers": ["loaded_language"],
            "rationale": "The report is cited.",
        },
    )
    assert response.status_code == 302 and response.url == url("adjudicate", campaign, disputed[1])
    decision = Adjudication.objects.get(passage_id=disputed[0])
    assert (decision.label, decision.decided_by, decision.rationale) == (
        "sourced_fact",
        users["carol"],
        "The report is cited.",
    )


def test_deciding_the_last_disputed_passage_returns_to_the_queue(client, campaign, users, disputed):
    login(client, users["carol"])
    for passage_id in disputed[:-1]:
        Adjudication.objects.create(
            campaign=campaign,
            passage_id=passage_id,
            label="opinion",
            rationale="r",
            decided_by=users["carol"],
        )
    response = client.post(
        url("adjudicate", campaign, disputed[-1]), {"label": "opinion", "rationale": "Own voice."}
    )
    assert response.url == url("adjudication", campaign)


def test_a_double_submit_stores_one_decision(client, campaign, users, disputed):
    login(client, users["carol"])
    data = {"label": "opinion", "rationale": "Own voice."}
    client.post(url("adjudicate", campaign, disputed[0]), data)
    client.post(url("adjudicate", campaign, disputed[0]), data)
    assert Adjudication.objects.count() == 1 and AdjudicationRevision.objects.count() == 1


def test_a_decided_passage_can_be_revised_and_shows_its_history(client, campaign, users, disputed):
    login(client, users["carol"])
    client.post(
        url("adjudicate", campaign, disputed[0]), {"label": "opinion", "rationale": "Own voice."}
    )
    login(client, users["mike"])
    client.post(
        url("adjudicate", campaign, disputed[0]),
        {"label": "sourced_fact", "rationale": "Cites DoD."},
    )
    html = client.get(url("adjudicate", campaign, disputed[0])).content.decode()
    assert "Decided by mike" in html
    assert "carol: opinion" in html and "mike: sourced_fact" in html
    decided = client.get(url("adjudication_decided", campaign))
    assert [row.record.label for row in decided.context["table"].rows] == ["sourced_fact"]


@pytest.mark.parametrize(
    "data,error",
    [
        ({"label": "opinion"}, "Write a short rationale"),
        ({"label": "opinion", "rationale": "   "}, "Write a short rationale"),
        ({"label": "gossip", "rationale": "x"}, "is not a label of this campaign"),
        ({"label": "opinion", "markers": ["sarcasm"], "rationale": "x"}, "is not a bias marker"),
        (
            {"label": "opinion", "cited_source": "Someone", "rationale": "x"},
            "Say what kind of source",
        ),
        ({"rationale": "x"}, "Choose the final passage type"),
    ],
)
def test_bad_decisions_show_an_error_and_write_nothing(
    client, campaign, users, disputed, data, error
):
    response = login(client, users["carol"]).post(url("adjudicate", campaign, disputed[0]), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Adjudication.objects.exists()


def test_a_passage_outside_the_campaign_answers_404(client, campaign, users, disputed):
    from corpus.models import Passage

    outside = Passage.objects.exclude(assignments__campaign=campaign).first().pk
    login(client, users["carol"])
    assert client.get(url("adjudicate", campaign, outside)).status_code == 404
    assert (
        client.post(
            url("adjudicate", campaign, outside), {"label": "opinion", "rationale": "x"}
        ).status_code
        == 404
    )


def test_bulk_accept_needs_post(client, campaign, users, disputed):
    assert login(client, users["carol"]).get(url("adjudication_bulk", campaign)).status_code == 405


def test_bulk_accept_reports_what_it_left(client, campaign, users, disputed):
    response = login(client, users["carol"]).post(
        url("adjudication_bulk", campaign), {"passage": disputed[:2]}, follow=True
    )
    # Two reviewers split one against one: no majority anywhere.
    assert "Left 2 passages for you to decide (no majority)" in response.content.decode()
    assert not Adjudication.objects.exists()


@pytest.mark.parametrize("data", [{}, {"passage": ["x"]}, {"passage": ["-1"]}])
def test_bulk_accept_with_a_bad_selection_changes_nothing(client, campaign, users, disputed, data):
    response = login(client, users["carol"]).post(
        url("adjudication_bulk", campaign), data, follow=True
    )
    assert response.status_code == 200
    assert not Adjudication.objects.exists()


def test_bulk_accept_ignores_passages_of_other_campaigns(client, campaign, users, disputed):
    from corpus.models import Passage

    outside = Passage.objects.exclude(assignments__campaign=campaign).first().pk
    response = login(client, users["carol"]).post(
        url("adjudication_bulk", campaign), {"passage": [outside]}, follow=True
    )
    assert "no annotations" in response.content.decode()
    assert not Adjudication.objects.exists()


@pytest.mark.parametrize("page", ["adjudication", "adjudication_decided"])
def test_queue_pages_take_the_same_number_of_queries_however_many_passages(
    client, campaign, users, disputed, seed_corpus, django_assert_max_num_queries, page
):
    login(client, users["carol"])
    for passage_id in disputed[:3]:
        Adjudication.objects.create(
            campaign=campaign,
            passage_id=passage_id,
            label="opinion",
            rationale="r",
            decided_by=users["carol"],
        )
    with django_assert_max_num_queries(12):
        small = client.get(url(page, campaign))
    big = make_campaign("Big", seed_corpus, users, overlap=2)
    label_everything(big, users["alice"], lambda p, r: vote("opinion"))
    label_everything(big, users["bob"], lambda p, r: vote("sourced_fact"))
    for row in list(adjudication_queue.disputed(big))[:20]:
        Adjudication.objects.create(
            campaign=big,
            passage_id=row[adjudication_queue.PASSAGE],
            label="opinion",
            rationale="r",
            decided_by=users["carol"],
        )
    with django_assert_max_num_queries(12):
        large = client.get(url(page, big))
    assert len(large.context["table"].rows) > len(small.context["table"].rows)


def test_the_decision_page_takes_a_fixed_number_of_queries(
    client, campaign, users, disputed, django_assert_max_num_queries
):
    login(client, users["carol"])
    client.post(url("adjudicate", campaign, disputed[0]), {"label": "opinion", "rationale": "a"})
    client.post(
        url("adjudicate", campaign, disputed[0]), {"label": "sourced_fact", "rationale": "b"}
    )
    with django_assert_max_num_queries(14):
        response = client.get(url("adjudicate", campaign, disputed[0]))
    assert response.status_code == 200


def test_a_manager_can_turn_auto_accept_off_in_the_settings(client, campaign, users):
    login(client, users["mike"])
    page = client.get(url("manage", campaign)).content.decode()
    assert 'name="auto_accept_unanimous"' in page and "checked" in page
    client.post(
        url("manage_settings", campaign),
        {"name": campaign.name, "guidelines": "", "overlap": 2, "status": "active"},
    )
    campaign.refresh_from_db()
    assert campaign.auto_accept_unanimous is False


@pytest.mark.parametrize("page", ["adjudication", "reports", "claims", "agreement", "annotations"])
def test_the_campaign_page_links_curators_to_their_pages_and_reviewers_not(
    client, campaign, users, page
):
    assert (
        url(page, campaign)
        in login(client, users["carol"]).get(url("campaign", campaign)).content.decode()
    )
    assert (
        url(page, campaign)
        not in login(client, users["alice"]).get(url("campaign", campaign)).content.decode()
    )
