"""annotate.reports.loaded_terms: loaded terms per outlet, worked by hand on a small example."""

import math
import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from annotate.agreement.spans import TOKEN
from annotate.reports.loaded_terms import (
    TERM_COLUMNS,
    counted_marks,
    loaded_terms,
    normalise_term,
    word_count,
    words_per_outlet,
)

LL, OSF, EA = "loaded_language", "one_sided_framing", "emotional_appeal"


def spans_frame(rows):
    return pd.DataFrame(rows, columns=["outlet", "item", "annotator", "text", "label", "final"])


# Daily: passages 1-4; Herald: 5-6. Passages 1 and 5 are decided by a curator.
#   1  reviewers a, b: "Slammed"; curator: "slammed" (LL), "disgraceful  decision" (EA)
#      -> counted: slammed, disgraceful decision (the curator's spans replace the reviewers')
#   2  3 reviewers; a "Slammed", b "slammed" twice, c "radical"
#      -> slammed: 2 of 3 reviewers, counted; radical: 1 of 3, not counted
#   3  2 reviewers; a "radical" (LL), b "Radical " (OSF) -> radical: 2 of 2, counted
#   4  2 reviewers; a "slammed" twice -> 1 of 2 reviewers (not 2 spans of 2), not counted
#   5  decided without spans; a, b "regime" -> nothing counted
#   6  1 reviewer; a "Regime" -> 1 of 1, counted
SPANS = spans_frame(
    [
        ("Daily", 1, "a", "Slammed", LL, False),
        ("Daily", 1, "b", "Slammed", LL, False),
        ("Daily", 1, None, "slammed", LL, True),
        ("Daily", 1, None, "disgraceful  decision", EA, True),
        ("Daily", 2, "a", "Slammed", LL, False),
        ("Daily", 2, "b", "slammed", LL, False),
        ("Daily", 2, "b", "slammed", LL, False),
        ("Daily", 2, "c", "radical", LL, False),
        ("Daily", 3, "a", "radical", LL, False),
        ("Daily", 3, "b", "Radical ", OSF, False),
        ("Daily", 4, "a", "slammed", LL, False),
        ("Daily", 4, "a", "slammed", LL, False),
        ("Herald", 5, "a", "regime", LL, False),
        ("Herald", 5, "b", "regime", LL, False),
        ("Herald", 6, "a", "Regime", LL, False),
    ]
)
PASSAGES = pd.DataFrame(
    {
        "item": [1, 2, 3, 4, 5, 6],
        "coders": [2, 3, 2, 2, 2, 1],
        "decided": [True, False, False, False, True, False],
    }
)
WORDS = pd.DataFrame({"outlet": ["Daily", "Herald"], "words": [200, 50]})


def test_the_hand_worked_example_counts_each_passage_once_by_the_final_label_rule():
    terms = loaded_terms(SPANS, PASSAGES, WORDS)
    assert list(terms.columns) == TERM_COLUMNS
    assert terms.to_dict("records") == [
        # slammed: passages 1 (curator) and 2 (2 of 3 reviewers): 1000 × 2 / 200 = 10
        {
            "outlet": "Daily",
            "rank": 1,
            "term": "slammed",
            "count": 2,
            "per_1000_words": 10.0,
            "words": 200,
            "labels": LL,
        },
        # ties at one passage: alphabetical; 1000 × 1 / 200 = 5
        {
            "outlet": "Daily",
            "rank": 2,
            "term": "disgraceful decision",
            "count": 1,
            "per_1000_words": 5.0,
            "words": 200,
            "labels": EA,
        },
        {
            "outlet": "Daily",
            "rank": 3,
            "term": "radical",
            "count": 1,
            "per_1000_words": 5.0,
            "words": 200,
            "labels": f"{LL};{OSF}",  # one passage each: by code
        },
        # regime: passage 6 only (5 was decided without it): 1000 × 1 / 50 = 20
        {
            "outlet": "Herald",
            "rank": 1,
            "term": "regime",
            "count": 1,
            "per_1000_words": 20.0,
            "words": 50,
            "labels": LL,
        },
    ]


def test_top_keeps_the_first_terms_of_each_outlet():
    terms = loaded_terms(SPANS, PASSAGES, WORDS, top=2)
    assert list(zip(terms["outlet"], terms["term"], strict=True)) == [
        ("Daily", "slammed"),
        ("Daily", "disgraceful decision"),
        ("Herald", "regime"),
    ]


def test_the_label_used_on_most_passages_comes_first():
    spans = spans_frame(
        [
            ("Daily", 1, "a", "thugs", OSF, False),
            ("Daily", 2, "a", "thugs", LL, False),
            ("Daily", 3, "a", "thugs", LL, False),
        ]
    )
    passages = pd.DataFrame({"item": [1, 2, 3], "coders": [1, 1, 1], "decided": [False] * 3})
    terms = loaded_terms(spans, passages, WORDS)
    assert terms[["term", "count", "labels"]].to_dict("records") == [
        {"term": "thugs", "count": 3, "labels": f"{LL};{OSF}"}
    ]


def test_counted_marks_lists_each_passage_term_and_label_once():
    marks = counted_marks(SPANS, PASSAGES)
    assert sorted(map(tuple, marks[["item", "term", "label"]].to_numpy().tolist())) == [
        (1, "disgraceful decision", EA),
        (1, "slammed", LL),
        (2, "slammed", LL),
        (3, "radical", LL),
        (3, "radical", OSF),
        (6, "regime", LL),
    ]


def test_an_outlet_without_annotated_words_has_an_undefined_rate_not_a_division_error():
    terms = loaded_terms(SPANS, PASSAGES, WORDS[WORDS["outlet"] == "Daily"])
    herald = terms[terms["outlet"] == "Herald"].iloc[0]
    assert herald["words"] == 0 and math.isnan(herald["per_1000_words"])


def test_no_spans_give_an_empty_frame_with_the_columns():
    terms = loaded_terms(SPANS.iloc[:0], PASSAGES, WORDS)
    assert terms.empty and list(terms.columns) == TERM_COLUMNS
    blank = spans_frame([("Daily", 2, "a", "  \n ", LL, False)])  # white space only
    assert loaded_terms(blank, PASSAGES, WORDS).empty


def test_terms_are_lower_cased_with_white_space_runs_made_one_space():
    assert normalise_term("  Slammed\n the   DOOR ") == "slammed the door"
    assert normalise_term("Ärger") == "ärger"


def test_word_count_counts_word_tokens_and_not_punctuation():
    text = "Officials slammed the city's “radical” plan — again."
    # Officials, slammed, the, city's, radical, plan, again
    assert word_count(text) == 7


@given(st.text(alphabet=st.characters(categories=("L", "N", "P", "S", "Zs", "Cc")), max_size=80))
def test_word_count_is_the_number_of_token_tokens_that_start_with_a_word_character(text):
    assert word_count(text) == sum(1 for t in TOKEN.findall(text) if re.match(r"\w", t))


def test_words_per_outlet_sums_the_outlets_passages():
    passages = pd.DataFrame(
        {
            "outlet": ["Daily", "Herald", "Daily"],
            "text": ["Two words.", "One", "and three more"],
        }
    )
    words = words_per_outlet(passages)
    assert words.to_dict("records") == [
        {"outlet": "Daily", "words": 5},
        {"outlet": "Herald", "words": 1},
    ]
    assert words_per_outlet(passages.iloc[:0]).empty
