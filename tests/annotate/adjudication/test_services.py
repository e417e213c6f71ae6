import pytest

from annotate.adjudication import selectors as adjudication_queue
from annotate.adjudication import services as adjudication
from annotate.models import Adjudication, AdjudicationRevision
from tests.annotate.adjudication_support import label_everything, vote


def alice_and_bob_label(campaign, users, alice_answer, bob_answer):
    passages = label_everything(campaign, users["alice"], alice_answer)
    label_everything(campaign, users["bob"], bob_answer)
    return passages


def split_on_even_positions(passage, reviewer):
    """alice says opinion everywhere; bob agrees on odd positions and says sourced fact on even."""
    if reviewer.username == "bob" and passage.position % 2 == 0:
        return vote("sourced_fact")
    return vote("opinion")


@pytest.fixture
def campaign(seed_corpus, users):
    """One seed article, overlap 2: enough passages to disagree on, quick to label."""
    from tests.conftest import make_campaign

    return make_campaign("Small", seed_corpus[:1], users, overlap=2)


@pytest.fixture
def labelled(campaign, users):
    passages = alice_and_bob_label(
        campaign, users, lambda p, r: vote("opinion"), split_on_even_positions
    )
    return campaign, passages


def waiting_ids(campaign):
    return [row[adjudication_queue.PASSAGE] for row in adjudication_queue.disputed(campaign)]


def test_queue_holds_exactly_the_passages_reviewers_disagree_on(labelled):
    campaign, passages = labelled
    expected = [p.pk for p in passages if p.position % 2 == 0]
    assert expected and sorted(waiting_ids(campaign)) == sorted(expected)


def test_queue_is_in_reading_order(labelled):
    campaign, passages = labelled
    order = {p.pk: i for i, p in enumerate(passages)}
    ids = waiting_ids(campaign)
    assert ids == sorted(ids, key=order.__getitem__)


@pytest.mark.parametrize(
    "field,alice_value,bob_value",
    [
        ("cited_type", {"cited_type": "anonymous"}, {"cited_type": "official_body"}),
        ("markers", {"markers": ["loaded_language"]}, {"markers": []}),
    ],
)
def test_disagreeing_on_source_type_or_markers_alone_puts_a_passage_in_the_queue(
    campaign, users, field, alice_value, bob_value
):
    passages = alice_and_bob_label(
        campaign,
        users,
        lambda p, r: vote("attributed_claim", **({"cited_type": "named_person"} | alice_value)),
        lambda p, r: vote("attributed_claim", **({"cited_type": "named_person"} | bob_value)),
    )
    rows = list(adjudication_queue.disputed(campaign))
    assert len(rows) == len(passages)
    assert adjudication_queue.disagreements(rows[0]) == [
        {"cited_type": "cited-source type", "markers": "bias markers"}[field]
    ]


def test_unanimous_passages_wait_only_when_auto_accept_is_off(campaign, users):
    passages = alice_and_bob_label(
        campaign, users, lambda p, r: vote("opinion"), lambda p, r: vote("opinion")
    )
    assert waiting_ids(campaign) == []
    campaign.auto_accept_unanimous = False
    campaign.save()
    assert sorted(waiting_ids(campaign)) == sorted(p.pk for p in passages)


def test_a_single_annotation_is_not_a_disagreement(campaign, users):
    label_everything(campaign, users["alice"], lambda p, r: vote("opinion"))
    campaign.auto_accept_unanimous = False
    campaign.save()
    assert waiting_ids(campaign) == []


def test_decide_records_the_decision_and_takes_it_out_of_the_queue(labelled, users):
    campaign, _ = labelled
    passage_id = waiting_ids(campaign)[0]
    decision, changed = adjudication.decide(
        campaign,
        users["carol"],
        passage_id,
        {
            "label": "sourced_fact",
            "cited_type": "document",
            "cited_source": " DoD report ",
            "markers": ["loaded_language", "emotional_appeal", "loaded_language"],
            "rationale": "Cites the report.",
        },
    )
    assert changed
    decision.refresh_from_db()
    assert (decision.label, decision.cited_type, decision.cited_source) == (
        "sourced_fact",
        "document",
        "DoD report",
    )
    assert decision.markers == ["emotional_appeal", "loaded_language"]
    assert decision.decided_by == users["carol"] and decision.method == Adjudication.Method.CHOSEN
    assert passage_id not in waiting_ids(campaign)
    revision = AdjudicationRevision.objects.get(adjudication=decision)
    assert revision.before is None and revision.after == decision.snapshot()


def test_a_revised_decision_keeps_its_history(labelled, users):
    campaign, _ = labelled
    passage_id = waiting_ids(campaign)[0]
    first = {"label": "sourced_fact", "rationale": "Cites a report."}
    second = {"label": "opinion", "rationale": "On reflection, the outlet's own voice."}
    adjudication.decide(campaign, users["carol"], passage_id, first)
    decision, changed = adjudication.decide(campaign, users["mike"], passage_id, second)
    assert changed and decision.label == "opinion" and decision.decided_by == users["mike"]
    history = list(decision.revisions.order_by("id"))
    assert [(r.changed_by.username, r.after["label"]) for r in history] == [
        ("carol", "sourced_fact"),
        ("mike", "opinion"),
    ]
    assert history[1].before == history[0].after
    assert Adjudication.objects.filter(campaign=campaign, passage_id=passage_id).count() == 1


def test_the_same_decision_twice_is_stored_once(labelled, users):
    campaign, _ = labelled
    passage_id = waiting_ids(campaign)[0]
    data = {"label": "opinion", "rationale": "Own voice."}
    adjudication.decide(campaign, users["carol"], passage_id, data)
    _, changed = adjudication.decide(campaign, users["carol"], passage_id, data)
    assert not changed
    assert AdjudicationRevision.objects.count() == 1


@pytest.mark.parametrize(
    "data,message",
    [
        ({"label": "gossip", "rationale": "x"}, "not a label"),
        ({"label": "opinion", "markers": ["sarcasm"], "rationale": "x"}, "Not bias markers"),
        (
            {"label": "opinion", "cited_type": "oracle", "rationale": "x"},
            "not a type of cited source",
        ),
        ({"label": "opinion", "rationale": "   "}, "rationale"),
    ],
)
def test_invalid_decisions_are_refused_and_write_nothing(labelled, users, data, message):
    campaign, _ = labelled
    with pytest.raises(adjudication.AdjudicationError, match=message):
        adjudication.decide(campaign, users["carol"], waiting_ids(campaign)[0], data)
    assert not Adjudication.objects.exists() and not AdjudicationRevision.objects.exists()


def test_a_passage_outside_the_campaign_cannot_be_decided(labelled, users):
    from corpus.models import Passage

    campaign, _ = labelled
    outside = Passage.objects.exclude(assignments__campaign=campaign).first().pk
    with pytest.raises(adjudication.AdjudicationError, match="not part of this campaign"):
        adjudication.decide(
            campaign, users["carol"], outside, {"label": "opinion", "rationale": "x"}
        )
    assert not Adjudication.objects.exists()


def test_bulk_accept_takes_the_majority_and_leaves_ties(make_three_reviewer_campaign, users):
    campaign, passages = make_three_reviewer_campaign
    ids = waiting_ids(campaign)
    accepted, left = adjudication.accept_majority(campaign, users["carol"], ids)
    # Positions divisible by 3 got a three-way split: no majority, left for the curator.
    split = {p.pk for p in passages if p.position % 3 == 0}
    assert set(left) == split and set(left.values()) == {"no majority"}
    assert set(accepted) == set(ids) - split
    for decision in Adjudication.objects.filter(passage_id__in=accepted):
        assert decision.label == "opinion" and decision.method == Adjudication.Method.MAJORITY
        assert decision.rationale == "Majority accepted: 2 of 3 reviewers chose this passage type."
    assert sorted(waiting_ids(campaign)) == sorted(split)


def test_bulk_accept_never_overrides_a_curators_decision(labelled, users):
    campaign, _ = labelled
    passage_id = waiting_ids(campaign)[0]
    adjudication.decide(
        campaign, users["carol"], passage_id, {"label": "sourced_fact", "rationale": "Checked."}
    )
    accepted, left = adjudication.accept_majority(campaign, users["mike"], [passage_id])
    assert accepted == [] and left == {passage_id: "already decided"}
    assert Adjudication.objects.get(passage_id=passage_id).label == "sourced_fact"


def test_bulk_accept_of_a_two_way_split_accepts_nothing(labelled, users):
    campaign, _ = labelled
    ids = waiting_ids(campaign)
    accepted, left = adjudication.accept_majority(campaign, users["carol"], ids)
    assert accepted == [] and set(left) == set(ids)
    assert not Adjudication.objects.exists()


@pytest.fixture
def make_three_reviewer_campaign(seed_corpus, users):
    from tests.conftest import make_campaign

    campaign = make_campaign("Three", seed_corpus[:1], users, overlap=3)
    labels = ["opinion", "sourced_fact", "attributed_claim"]

    def answer(index):
        def choose(passage, reviewer):
            if passage.position % 3 == 0:
                return vote(labels[index])
            return vote("sourced_fact" if (index == 2 and passage.position % 3 == 1) else "opinion")

        return choose

    passages = label_everything(campaign, users["alice"], answer(0))
    label_everything(campaign, users["bob"], answer(1))
    label_everything(campaign, users["dave"], answer(2))
    return campaign, passages


def test_bulk_accept_leaves_a_passage_only_one_reviewer_labelled(campaign, users):
    from annotate.queue import services

    place = services.claim_next(campaign, users["alice"])
    services.save_annotation(
        campaign, users["alice"], place.pk, {"label": "opinion", "cited_type": ""}
    )
    accepted, left = adjudication.accept_majority(campaign, users["carol"], [place.passage_id])
    assert accepted == [] and left == {place.passage_id: "only one reviewer"}
    assert not Adjudication.objects.exists()
