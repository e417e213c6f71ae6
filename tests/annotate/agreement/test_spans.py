"""Span agreement: token alpha against the krippendorff package, span F1 on worked examples."""

import itertools
import math

import krippendorff
import numpy as np
import pandas as pd
import pytest

from annotate.agreement.spans import (
    NONE_LABEL,
    ONE_ANNOTATOR,
    ONE_CODE,
    pairwise_span_f1,
    span_f1,
    token_alpha,
    token_frame,
    tokenize,
)

COLUMNS = ["item", "annotator", "start", "end", "label"]


def frame(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


def reference_alpha(spans, tokens, coders):
    """Code every token by hand, one reviewer at a time, and ask the krippendorff package."""
    annotators = sorted(set(coders["annotator"]) | set(spans["annotator"]))
    seen = set(zip(coders["item"], coders["annotator"], strict=True))
    seen |= set(zip(spans["item"], spans["annotator"], strict=True))
    codes, columns = {}, []
    for item, start, end in tokens[["item", "start", "end"]].itertuples(index=False):
        column = []
        for annotator in annotators:
            if (item, annotator) not in seen:
                column.append(np.nan)
                continue
            labels = sorted(
                {
                    str(r.label)
                    for r in spans.itertuples()
                    if r.item == item
                    and r.annotator == annotator
                    and r.start < end
                    and start < r.end
                }
            )
            code = "+".join(labels) if labels else NONE_LABEL
            column.append(codes.setdefault(code, len(codes)))
        columns.append(column)
    data = np.array(columns, dtype=float).T
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def test_tokenize_gives_offsets_that_slice_the_words_and_marks():
    text = "Officials said: “don't panic”, co-operation rose 3.5%."
    starts, ends = tokenize(text, offset=100)
    words = [text[a - 100 : b - 100] for a, b in zip(starts, ends, strict=True)]
    assert words == [
        "Officials", "said", ":", "“", "don't", "panic", "”", ",", "co-operation", "rose",
        "3", ".", "5", "%", ".",
    ]  # fmt: skip


def test_token_frame_shifts_tokens_by_each_passages_offset():
    passages = pd.DataFrame({"item": [7, 8], "text": ["Two words", "One"], "offset": [0, 40]})
    got = token_frame(passages)
    assert got.to_dict("list") == {"item": [7, 7, 8], "start": [0, 4, 40], "end": [3, 9, 43]}


def test_alpha_matches_a_hand_worked_example():
    # Four tokens; A marks tokens 0-1 as X, B marks token 1. Coincidences: X-X 2, none-none 4,
    # X-none 1 each way; n = 8, n_X = 3, n_none = 5; alpha = 1 - 7 * 2 / (64 - 9 - 25) = 8/15.
    tokens = pd.DataFrame({"item": [1] * 4, "start": [0, 2, 4, 6], "end": [1, 3, 5, 7]})
    spans = frame([(1, "A", 0, 3, "X"), (1, "B", 2, 3, "X")])
    result = token_alpha(spans, tokens)
    assert result.value == pytest.approx(8 / 15)
    assert result.n_items == 4
    data = np.array([[1, 1, 0, 0], [0, 1, 0, 0]], dtype=float)
    assert result.value == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )


def test_a_reviewer_who_saw_a_passage_and_marked_nothing_codes_it_none():
    tokens = token_frame(pd.DataFrame({"item": [1, 2], "text": ["a b c d", "e f g h"]}))
    spans = frame([(1, "A", 0, 3, "X"), (1, "B", 0, 3, "X"), (2, "A", 2, 3, "X")])
    coders = pd.DataFrame({"item": [1, 1, 1, 2, 2], "annotator": ["A", "B", "C", "A", "B"]})
    with_coders = token_alpha(spans, tokens, coders)
    without = token_alpha(spans, tokens)
    assert with_coders.value == pytest.approx(reference_alpha(spans, tokens, coders))
    assert without.value == pytest.approx(
        reference_alpha(spans, tokens, spans[["item", "annotator"]])
    )
    assert with_coders.value != pytest.approx(without.value)


def test_overlapping_spans_of_one_reviewer_give_the_token_a_joined_label():
    tokens = token_frame(pd.DataFrame({"item": [1], "text": ["one two three four five"]}))
    spans = frame(
        [(1, "A", 0, 7, "X"), (1, "A", 4, 13, "Y"), (1, "B", 4, 7, "X"), (1, "B", 8, 13, "Y")]
    )
    assert token_alpha(spans, tokens).value == pytest.approx(
        reference_alpha(spans, tokens, spans[["item", "annotator"]])
    )


@pytest.mark.parametrize("seed", range(25))
def test_alpha_matches_the_krippendorff_package_on_random_spans(seed):
    rng = np.random.default_rng(seed)
    annotators = ["A", "B", "C", "D"]
    passages, rows, coders = [], [], []
    for item in range(int(rng.integers(2, 8))):
        n_words = int(rng.integers(1, 9))
        text = " ".join("w" * int(rng.integers(1, 4)) for _ in range(n_words))
        offset = 1000 * item
        passages.append((item, text, offset))
        who = [a for a in annotators if rng.random() < 0.7]
        coders += [(item, a) for a in who]
        for a in who:
            for _ in range(int(rng.integers(0, 3))):
                start = int(rng.integers(0, len(text)))
                end = int(rng.integers(start + 1, len(text) + 1))
                rows.append((item, a, offset + start, offset + end, str(rng.choice(["X", "Y"]))))
    tokens = token_frame(pd.DataFrame(passages, columns=["item", "text", "offset"]))
    spans, coders = frame(rows), pd.DataFrame(coders, columns=["item", "annotator"])
    got = token_alpha(spans, tokens, coders)
    try:
        expected = reference_alpha(spans, tokens, coders)
    except ValueError:  # the package refuses data with a single value: ours must be undefined
        assert not got.defined
        return
    if math.isnan(expected):
        assert not got.defined and got.reason
    else:
        assert got.value == pytest.approx(expected)


def test_alpha_is_undefined_with_a_reason():
    tokens = token_frame(pd.DataFrame({"item": [1], "text": ["a b c"]}))
    alone = token_alpha(frame([(1, "A", 0, 1, "X")]), tokens)
    assert (alone.defined, alone.reason) == (False, ONE_ANNOTATOR)
    nothing_marked = token_alpha(
        frame([]), tokens, pd.DataFrame({"item": [1, 1], "annotator": ["A", "B"]})
    )
    assert (nothing_marked.defined, nothing_marked.reason) == (False, ONE_CODE)
    assert str(nothing_marked) == f"undefined ({ONE_CODE})"
    assert not token_alpha(frame([]), tokens).defined


def test_alpha_needs_the_tokens_of_every_item_with_spans():
    tokens = token_frame(pd.DataFrame({"item": [1], "text": ["a b"]}))
    with pytest.raises(ValueError, match="tokens are missing"):
        token_alpha(frame([(2, "A", 0, 1, "X"), (2, "B", 0, 1, "X")]), tokens)


def test_exact_and_overlap_f1_on_a_hand_worked_example():
    # A: [0,5) X, [10,15) X, [20,25) Y; B: [0,5) X, [10,14) X, [20,25) X.
    # Exact: only [0,5) X matches -> F1 = 2*1/6. Overlap: [0,5) and [10,15)~[10,14) match;
    # [20,25) differs in label -> 2 matched, F1 = 4/6, precision = recall = 2/3.
    spans = frame(
        [
            (1, "A", 0, 5, "X"), (1, "A", 10, 15, "X"), (1, "A", 20, 25, "Y"),
            (1, "B", 0, 5, "X"), (1, "B", 10, 14, "X"), (1, "B", 20, 25, "X"),
        ]
    )  # fmt: skip
    assert span_f1(spans).value == pytest.approx(1 / 3)
    overlap = pairwise_span_f1(spans, match="overlap").iloc[0]
    assert (overlap["matched"], overlap["spans_a"], overlap["spans_b"]) == (2, 3, 3)
    assert overlap["precision"] == pytest.approx(2 / 3)
    assert overlap["f1"] == pytest.approx(2 / 3)
    assert span_f1(spans, match="overlap").value == pytest.approx(2 / 3)


def test_overlap_matching_is_optimal_whatever_the_row_order():
    # A1 [0,10) overlaps B1 [5,15) and B2 [0,3); A2 [12,20) overlaps only B1. A greedy pass
    # that gives A1 the first span it overlaps (B1) leaves A2 unmatched; the best is 2.
    rows = [(1, "A", 0, 10, "X"), (1, "A", 12, 20, "X"), (1, "B", 5, 15, "X"), (1, "B", 0, 3, "X")]
    for order in itertools.permutations(rows):
        assert pairwise_span_f1(frame(list(order)), match="overlap")["matched"].tolist() == [2]


def test_micro_f1_sums_matches_and_spans_over_all_pairs_of_reviewers():
    # Item 1 seen by A, B, C; item 2 only by A and C. Exact matches: A-B 1 (item 1),
    # A-C 2 (items 1 and 2), B-C 1 (item 1). Spans compared, only on items both saw:
    # A-B 2+1, A-C 3+3, B-C 1+1. Micro F1 = 2 * 4 / 11.
    spans = frame(
        [
            (1, "A", 0, 4, "X"), (2, "A", 0, 4, "X"), (1, "A", 8, 9, "X"),
            (1, "B", 0, 4, "X"),
            (1, "C", 0, 4, "X"), (2, "C", 0, 4, "X"), (2, "C", 6, 7, "X"),
        ]
    )  # fmt: skip
    pairs = pairwise_span_f1(spans).set_index(["annotator_a", "annotator_b"])
    counts = pairs[["items", "spans_a", "spans_b", "matched"]]
    assert counts.loc[("A", "B")].tolist() == [1, 2, 1, 1]
    assert counts.loc[("A", "C")].tolist() == [2, 3, 3, 2]
    assert counts.loc[("B", "C")].tolist() == [1, 1, 1, 1]
    assert pairs.loc[("A", "B"), "precision"] == pytest.approx(1 / 2)
    assert pairs.loc[("A", "B"), "recall"] == pytest.approx(1 / 1)
    result = span_f1(spans)
    assert result.value == pytest.approx(8 / 11)
    assert result.n_items == 11


def test_a_reviewer_who_marked_nothing_lowers_f1_when_given_as_a_coder():
    spans = frame([(1, "A", 0, 4, "X"), (1, "B", 0, 4, "X")])
    coders = pd.DataFrame({"item": [1, 1, 1], "annotator": ["A", "B", "C"]})
    assert span_f1(spans).value == pytest.approx(1.0)
    # Pairs A-B (2 of 2), A-C (0 of 1), B-C (0 of 1): 2 * 1 / 4.
    assert span_f1(spans, coders).value == pytest.approx(0.5)
    silent = pairwise_span_f1(spans, coders).set_index(["annotator_a", "annotator_b"])
    assert silent.loc[("A", "C"), "recall"] is pd.NA
    assert silent.loc[("A", "C"), "f1"] == 0


def test_f1_is_undefined_with_a_reason_never_nan():
    one = span_f1(frame([(1, "A", 0, 4, "X")]))
    assert not one.defined and "two reviewers" in one.reason
    quiet = span_f1(frame([]), pd.DataFrame({"item": [1, 1], "annotator": ["A", "B"]}))
    assert not quiet.defined and "no spans" in quiet.reason
    assert pairwise_span_f1(frame([])).empty


def brute_force_matches(a_spans, b_spans):
    """Largest one-to-one matching of same-label overlapping spans, by trying every subset."""
    best = 0
    for size in range(min(len(a_spans), len(b_spans)), 0, -1):
        for chosen in itertools.combinations(a_spans, size):
            for partners in itertools.permutations(b_spans, size):
                if all(
                    x[2] == y[2] and x[0] < y[1] and y[0] < x[1]
                    for x, y in zip(chosen, partners, strict=True)
                ):
                    return size
    return best


@pytest.mark.parametrize("seed", range(15))
def test_overlap_matching_equals_a_brute_force_search(seed):
    rng = np.random.default_rng(100 + seed)
    rows = []
    for annotator in ["A", "B", "C"]:
        for _ in range(int(rng.integers(0, 5))):
            start = int(rng.integers(0, 30))
            rows.append(
                (1, annotator, start, start + int(rng.integers(1, 8)), str(rng.choice(["X", "Y"])))
            )
    spans = frame(rows).drop_duplicates()
    got = pairwise_span_f1(
        spans, pd.DataFrame({"item": [1] * 3, "annotator": ["A", "B", "C"]}), "overlap"
    )
    for r in got.itertuples():
        side = {
            who: [
                tuple(x) for x in spans[spans["annotator"] == who][["start", "end", "label"]].values
            ]
            for who in (r.annotator_a, r.annotator_b)
        }
        assert r.matched == brute_force_matches(side[r.annotator_a], side[r.annotator_b])
