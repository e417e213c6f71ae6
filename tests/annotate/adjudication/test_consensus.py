from annotate.adjudication.consensus import (
    CITED_TYPE,
    MARKERS,
    PASSAGE_TYPE,
    SPANS,
    Vote,
    agreed_spans,
    consensus,
    majority_rationale,
    strict_majority,
)


def test_strict_majority_needs_more_than_half():
    assert strict_majority(["a", "a", "b"]) == "a"
    assert strict_majority(["a", "b"]) is None
    assert strict_majority(["a", "a", "b", "b"]) is None
    assert strict_majority([]) is None


def test_unanimous_votes_have_no_disagreement():
    c = consensus([Vote("opinion", "", "", ("loaded_language",))] * 3)
    assert c.unanimous and c.disagreements == []
    assert (c.label, c.cited_type, c.markers) == ("opinion", "", ["loaded_language"])


def test_each_dimension_is_compared_on_its_own():
    votes = [
        Vote("attributed_claim", "official_body", "Pentagon", ("a",)),
        Vote("attributed_claim", "anonymous", "", ("a",)),
        Vote("attributed_claim", "official_body", "the Pentagon", ()),
    ]
    c = consensus(votes)
    assert c.disagreements == [CITED_TYPE, MARKERS]
    assert c.label == "attributed_claim" and c.label_votes == 3
    assert c.cited_type == "official_body"
    # Two of three ticked "a": a majority.
    assert c.markers == ["a"]
    # The wording the majority source type's reviewers used first wins a tie.
    assert c.cited_source == "Pentagon"


def test_markers_compare_as_sets():
    c = consensus([Vote("opinion", markers=("a", "b")), Vote("opinion", markers=("b", "a"))])
    assert c.unanimous


def test_a_split_vote_has_no_majority():
    c = consensus([Vote("opinion"), Vote("sourced_fact")])
    assert c.disagreements == [PASSAGE_TYPE]
    assert c.label is None and not c.has_majority


def test_majority_on_type_but_not_on_source_type_is_no_majority_decision():
    c = consensus([Vote("opinion", "anonymous"), Vote("opinion", "document"), Vote("opinion", "")])
    assert c.label == "opinion" and c.cited_type is None and not c.has_majority


def test_no_votes():
    c = consensus([])
    assert c.reviewers == 0 and not c.unanimous and not c.has_majority


def test_majority_rationale_states_the_count():
    c = consensus([Vote("opinion"), Vote("opinion"), Vote("sourced_fact")])
    assert majority_rationale(c) == "Majority accepted: 2 of 3 reviewers chose this passage type."


def test_one_reviewer_alone_is_no_majority_to_accept():
    c = consensus([Vote("opinion", "anonymous")])
    # More than half of one reviewer, but a majority needs two reviewers agreeing.
    assert c.label == "opinion" and c.label_votes == 1 and not c.has_majority


def test_two_of_three_agreeing_is_a_majority_to_accept_and_one_of_two_is_not():
    two_of_three = consensus([Vote("opinion"), Vote("opinion"), Vote("sourced_fact")])
    assert two_of_three.has_majority and two_of_three.label_votes == 2
    one_of_two = consensus([Vote("opinion"), Vote("sourced_fact")])
    assert not one_of_two.has_majority
    two_of_two = consensus([Vote("opinion"), Vote("opinion")])
    assert two_of_two.has_majority


def sp(layer, start, end, label, text="w"):
    return {"layer": layer, "label": label, "start": start, "end": end, "text": text}


def test_agreed_spans_keep_what_at_least_two_reviewers_marked_identically():
    a = [sp("source", 0, 5, "named_person"), sp("loaded", 10, 14, "loaded_language")]
    b = [sp("source", 0, 5, "named_person"), sp("loaded", 10, 15, "loaded_language")]
    c = [sp("source", 0, 5, "official_body"), sp("loaded", 20, 24, "emotional_appeal")]
    # The source span: two of three identical. The loaded words differ by one character
    # (no near misses) and c's spans are c's alone.
    assert agreed_spans([a, b, c]) == [sp("source", 0, 5, "named_person")]


def test_a_reviewer_marking_the_same_span_twice_counts_once():
    twice = [sp("loaded", 1, 3, "x"), sp("loaded", 1, 3, "x")]
    assert agreed_spans([twice, []]) == []
    assert agreed_spans([twice, [sp("loaded", 1, 3, "x")]]) == [sp("loaded", 1, 3, "x")]


def test_agreed_spans_with_rival_types_keep_the_larger_side_and_drop_a_tie():
    named, official = sp("source", 0, 5, "named_person"), sp("source", 0, 5, "official_body")
    assert agreed_spans([[named], [named], [named], [official], [official]]) == [named]
    assert agreed_spans([[named], [named], [official], [official]]) == []


def test_agreed_spans_come_in_stored_order_and_both_layers_may_cover_the_same_words():
    spans = [sp("source", 8, 9, "a"), sp("loaded", 0, 5, "b"), sp("source", 0, 5, "c")]
    assert agreed_spans([spans, list(reversed(spans))]) == [spans[1], spans[2], spans[0]]


def test_agreed_spans_need_min_agreeing_reviewers():
    one = [sp("source", 0, 5, "named_person")]
    assert agreed_spans([one]) == []
    assert agreed_spans([one, one], min_agreeing=3) == []
    assert agreed_spans([one, one, one], min_agreeing=3) == one


def test_consensus_reports_a_disagreement_on_spans_and_keeps_the_agreed_ones():
    named = sp("source", 0, 5, "named_person")
    word = sp("loaded", 7, 9, "loaded_language")
    c = consensus([Vote("opinion", spans=(named,)), Vote("opinion", spans=(word, named))])
    assert c.disagreements == [SPANS] and not c.unanimous
    assert c.spans == [named]
    same = consensus([Vote("opinion", spans=(named, word)), Vote("opinion", spans=(word, named))])
    assert same.unanimous and same.spans == [named, word]
