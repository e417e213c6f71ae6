"""Evidence spans in curators' decisions: take, merge, edit, refuse, history, bulk accept."""

import pytest

from annotate.adjudication import services as adjudication
from annotate.models import Adjudication, AdjudicationRevision, Annotation, LabelScheme
from tests.annotate.adjudication.span_support import (
    loaded,
    marks,
    ordered,
    source,
    with_spans,
    words,
)
from tests.annotate.adjudication_support import label_everything, vote
from tests.conftest import make_campaign


def alice(passage, reviewer):
    return with_spans(
        vote("opinion"), marks(passage, lambda p: source(p, 0), lambda p: loaded(p, 1))
    )


def bob(passage, reviewer):
    return with_spans(
        vote("sourced_fact"),
        marks(passage, lambda p: source(p, 0, "official_body"), lambda p: loaded(p, 2)),
    )


@pytest.fixture
def campaign(seed_corpus, users):
    return make_campaign("Small", seed_corpus[:1], users, overlap=2)


@pytest.fixture
def passage(campaign, users):
    """The first passage, labelled by alice and bob, who mark different spans."""
    passages = label_everything(campaign, users["alice"], alice)
    label_everything(campaign, users["bob"], bob)
    return next(p for p in passages if len(words(p)) >= 4)


def spans_of(campaign, passage, username):
    return Annotation.objects.get(
        assignment__campaign=campaign,
        assignment__passage=passage,
        assignment__reviewer__username=username,
    ).spans


def decide(campaign, curator, passage, spans, **extra):
    data = {"label": "opinion", "rationale": "Checked the text.", "spans": spans, **extra}
    return adjudication.decide(campaign, curator, passage.pk, data)


def test_a_decision_can_take_one_reviewers_spans(campaign, users, passage):
    taken = spans_of(campaign, passage, "alice")
    decision, changed = decide(campaign, users["carol"], passage, taken)
    decision.refresh_from_db()
    assert changed and decision.spans == taken == ordered([source(passage, 0), loaded(passage, 1)])


def test_a_decision_can_merge_every_reviewers_spans(campaign, users, passage):
    merged = spans_of(campaign, passage, "alice") + [
        s for s in spans_of(campaign, passage, "bob") if s["layer"] == "loaded"
    ]
    decision, _ = decide(campaign, users["carol"], passage, merged)
    decision.refresh_from_db()
    assert decision.spans == ordered([source(passage, 0), loaded(passage, 1), loaded(passage, 2)])


def test_editing_the_final_spans_keeps_before_and_after_in_the_history(campaign, users, passage):
    first = spans_of(campaign, passage, "alice")
    decide(campaign, users["carol"], passage, first)
    edited = [source(passage, 0), loaded(passage, 2, last=3)]  # one removed, one added
    decision, changed = decide(campaign, users["mike"], passage, edited)
    assert changed and decision.spans == ordered(edited)
    history = list(decision.revisions.order_by("id"))
    assert [r.after["spans"] for r in history] == [first, ordered(edited)]
    assert history[0].before is None and history[1].before["spans"] == first
    assert history[1].changed_by == users["mike"]


def test_spans_are_trimmed_and_ordered_so_the_same_decision_is_stored_once(
    campaign, users, passage
):
    word = source(passage, 1)
    wide = {**word, "start": word["start"] - 1, "text": " " + word["text"]}
    decide(campaign, users["carol"], passage, [loaded(passage, 2), wide])
    decision, changed = decide(campaign, users["carol"], passage, [word, loaded(passage, 2)])
    assert not changed and decision.spans == [word, loaded(passage, 2)]
    assert AdjudicationRevision.objects.count() == 1


def bad_spans(passage):
    word = source(passage, 0)
    return {
        "outside the passage": (
            [{**word, "start": passage.end, "end": passage.end + 3, "text": None}],
            "lies outside this passage",
        ),
        "text that does not match": ([{**word, "text": "Elsewhere"}], "does not match"),
        "an unknown type": ([{**word, "label": "gossip"}], "is not a cited source type"),
        "an unknown layer": ([{**word, "layer": "mood"}], "is not a span layer"),
        "the same words twice": ([word, {**word, "label": "document"}], "marked twice"),
        "an empty span": ([{**word, "end": word["start"], "text": ""}], "is empty"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "outside the passage",
        "text that does not match",
        "an unknown type",
        "an unknown layer",
        "the same words twice",
        "an empty span",
    ],
)
def test_a_bad_span_is_refused_with_its_reason_and_nothing_is_saved(campaign, users, passage, case):
    spans, message = bad_spans(passage)[case]
    with pytest.raises(adjudication.AdjudicationError, match=message) as refused:
        decide(campaign, users["carol"], passage, spans)
    assert str(refused.value).startswith("Nothing was saved:")
    assert not Adjudication.objects.exists() and not AdjudicationRevision.objects.exists()


def test_a_bad_span_leaves_an_existing_decision_as_it_was(campaign, users, passage):
    decide(campaign, users["carol"], passage, [source(passage, 0)])
    with pytest.raises(adjudication.AdjudicationError, match="does not match"):
        decide(
            campaign,
            users["mike"],
            passage,
            [{**source(passage, 0), "text": "nope"}],
            label="sourced_fact",
        )
    decision = Adjudication.objects.get()
    assert (decision.label, decision.spans, decision.decided_by) == (
        "opinion",
        [source(passage, 0)],
        users["carol"],
    )
    assert AdjudicationRevision.objects.count() == 1


def require_spans(campaign):
    campaign.scheme.spans = LabelScheme.Spans.REQUIRED
    campaign.scheme.save()


def test_when_the_scheme_requires_spans_a_cited_source_needs_its_span(campaign, users, passage):
    require_spans(campaign)
    with pytest.raises(adjudication.AdjudicationError, match="Mark who is cited"):
        decide(campaign, users["carol"], passage, [], cited_type="document")
    decision, _ = decide(
        campaign, users["carol"], passage, [source(passage, 0, "document")], cited_type="document"
    )
    assert decision.spans == [source(passage, 0, "document")]


def test_spans_are_refused_when_the_scheme_marks_none(campaign, users, passage):
    campaign.scheme.spans = LabelScheme.Spans.OFF
    campaign.scheme.save()
    with pytest.raises(adjudication.AdjudicationError, match="does not mark"):
        decide(campaign, users["carol"], passage, [source(passage, 0)])
    decision, _ = decide(campaign, users["carol"], passage, [])
    assert decision.spans == []


@pytest.fixture
def three(seed_corpus, users):
    """alice and bob agree on a source span, alice and dave on a loaded word; every reviewer
    also marks something only they marked. Two of three say opinion."""
    campaign = make_campaign("Three", seed_corpus[:1], users, overlap=3)

    def answer(label, *makers):
        return lambda p, r: with_spans(vote(label), marks(p, *makers))

    passages = label_everything(
        campaign,
        users["alice"],
        answer("opinion", lambda p: source(p, 0), lambda p: loaded(p, 1)),
    )
    label_everything(
        campaign,
        users["bob"],
        answer("opinion", lambda p: source(p, 0), lambda p: loaded(p, 2)),
    )
    label_everything(
        campaign,
        users["dave"],
        answer(
            "sourced_fact",
            lambda p: source(p, 0, "official_body"),
            lambda p: loaded(p, 1),
            lambda p: loaded(p, 3, "emotional_appeal"),
        ),
    )
    return campaign, next(p for p in passages if len(words(p)) >= 4)


def test_bulk_accept_keeps_the_spans_at_least_two_reviewers_marked_identically(three, users):
    campaign, passage = three
    accepted, left = adjudication.accept_majority(campaign, users["carol"], [passage.pk])
    assert accepted == [passage.pk] and left == {}
    decision = Adjudication.objects.get(passage=passage)
    assert decision.method == Adjudication.Method.MAJORITY and decision.label == "opinion"
    # Same layer, offsets and type from two reviewers: kept. dave's other source type and
    # the words only one reviewer marked: left out.
    assert decision.spans == [source(passage, 0), loaded(passage, 1)]
    assert decision.revisions.get().after["spans"] == decision.spans


def test_bulk_accept_leaves_a_passage_whose_agreed_spans_miss_a_required_source(seed_corpus, users):
    campaign = make_campaign("Required", seed_corpus[:1], users, overlap=2)
    require_spans(campaign)

    def cite(last):
        def answer(p, r):
            if len(words(p)) < 2:
                return vote("opinion")
            return with_spans(vote("attributed_claim", "named_person"), [source(p, 0, last=last)])

        return answer

    passages = label_everything(campaign, users["alice"], cite(0))
    label_everything(campaign, users["bob"], cite(1))
    ids = [p.pk for p in passages if len(words(p)) >= 2]
    accepted, left = adjudication.accept_majority(campaign, users["carol"], ids)
    assert accepted == [] and set(left) == set(ids)
    assert set(left.values()) == {"spans not agreed"}
    assert not Adjudication.objects.exists()
