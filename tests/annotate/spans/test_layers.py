"""annotate.spans.layers: the one gate every span passes before it is stored."""

import pytest

from annotate.spans.layers import LOADED, SOURCE, SpanError, clean_spans, missing_spans, summary

TEXT = "Officials said the staggering cost was “a scandal”."
START = 100  # the passage starts at offset 100 of its document
LABELS = {
    SOURCE: {"official_body": "Official body", "named_person": "Named person"},
    LOADED: {"loaded_language": "Loaded language"},
}


def at(word, occurrence=0):
    i = -1
    for _ in range(occurrence + 1):
        i = TEXT.index(word, i + 1)
    return START + i, START + i + len(word)


def span(layer, label, word, **extra):
    start, end = at(word)
    return {"layer": layer, "label": label, "start": start, "end": end, **extra}


def clean(raw, labels=LABELS):
    return clean_spans(raw, passage_text=TEXT, passage_start=START, labels=labels)


def test_valid_spans_come_back_in_order_with_their_text():
    got = clean(
        [span(LOADED, "loaded_language", "staggering"), span(SOURCE, "official_body", "Officials")]
    )
    assert got == [
        {"layer": SOURCE, "label": "official_body", "start": 100, "end": 109, "text": "Officials"},
        {
            "layer": LOADED,
            "label": "loaded_language",
            "start": at("staggering")[0],
            "end": at("staggering")[1],
            "text": "staggering",
        },
    ]
    for s in got:  # the invariant, read through the passage
        assert TEXT[s["start"] - START : s["end"] - START] == s["text"]


def test_white_space_around_a_selection_is_trimmed():
    start, end = at("staggering")
    got = clean([{"layer": LOADED, "label": "loaded_language", "start": start - 1, "end": end + 1}])
    assert (got[0]["start"], got[0]["end"], got[0]["text"]) == (start, end, "staggering")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([{"layer": SOURCE, "label": "official_body", "start": 90, "end": 109}], "outside"),
        ([{"layer": SOURCE, "label": "official_body", "start": 140, "end": 160}], "outside"),
        ([{"layer": SOURCE, "label": "official_body", "start": 105, "end": 105}], "empty"),
        ([{"layer": SOURCE, "label": "official_body", "start": 109, "end": 110}], "empty"),
        ([{"layer": SOURCE, "label": "official_body", "start": 109, "end": 100}], "empty"),
        ([{"layer": SOURCE, "label": "wizard", "start": 100, "end": 109}], "“wizard” is not"),
        ([{"layer": "topic", "label": "x", "start": 100, "end": 109}], "not a span layer"),
        ([{"layer": SOURCE, "label": "official_body", "start": "100", "end": 109}], "whole"),
        ([{"layer": SOURCE, "label": "official_body", "start": True, "end": 109}], "whole"),
        ([["source", "official_body", 100, 109]], "Each span needs"),
        ([{"layer": ["source"], "label": "official_body", "start": 100, "end": 109}], "text"),
        ([{"layer": SOURCE, "label": {"a": 1}, "start": 100, "end": 109}], "text"),
        ({"layer": SOURCE}, "must be a list"),
        (
            [{"layer": SOURCE, "label": "official_body", "start": 100, "end": 109, "text": "Boss"}],
            "does not match",
        ),
    ],
)
def test_a_bad_span_is_refused_with_its_reason(raw, message):
    with pytest.raises(SpanError, match=message):
        clean(raw)


def test_the_same_words_twice_in_one_layer_are_a_duplicate():
    twice = [span(SOURCE, "official_body", "Officials"), span(SOURCE, "named_person", "Officials")]
    with pytest.raises(SpanError, match="marked twice"):
        clean(twice)
    # The same words in both layers are two different marks.
    both = [
        span(SOURCE, "official_body", "Officials"),
        span(LOADED, "loaded_language", "Officials"),
    ]
    assert len(clean(both)) == 2


def test_a_layer_the_scheme_does_not_use_is_refused():
    with pytest.raises(SpanError, match="does not mark loaded language"):
        clean([span(LOADED, "loaded_language", "staggering")], labels={SOURCE: LABELS[SOURCE]})


def test_too_many_spans_are_refused_before_any_is_checked():
    with pytest.raises(SpanError, match="At most"):
        clean([span(SOURCE, "official_body", "Officials")] * 201)


def test_nothing_posted_means_no_spans():
    assert clean(None) == [] and clean("") == [] and clean([]) == []


def test_required_spans_name_what_the_passage_level_answer_lacks():
    source = clean([span(SOURCE, "official_body", "Officials")])
    assert missing_spans(source, "official_body", []) == []
    assert missing_spans([], "official_body", []) == [
        "Mark who is cited in the text (select the words, then a source key)."
    ]
    assert missing_spans(source, "official_body", ["loaded_language"]) == [
        "Mark the words that show the “loaded_language” bias marker."
    ]
    assert missing_spans([], "", []) == []


def test_summary_reads_layer_type_and_words():
    spans = clean([span(SOURCE, "official_body", "Officials")])
    assert summary(spans) == "source official_body: “Officials”"
