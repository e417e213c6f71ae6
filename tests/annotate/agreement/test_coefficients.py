"""Tests for annotate.agreement: published worked examples, reference libraries, edge cases.

Pure: no database and no Django import, so they run with or without pytest-django.
"""

from __future__ import annotations

import math
import warnings
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from annotate.agreement import (
    AgreementResult,
    BootstrapResult,
    agreement_summary,
    alpha_summary,
    bootstrap_alpha,
    cohen_kappa,
    coincidence_matrix,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    per_label_alpha,
    percent_agreement,
)

# Undefined coefficients must come back as NaN quietly: any warning from our code fails a test.
pytestmark = pytest.mark.filterwarnings("error")

HYPOTHESIS = settings(max_examples=100, deadline=None, database=None)  # no .hypothesis/ dir
COLUMNS = ["item", "annotator", "label"]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x
# 12 units, values 1-5, None = missing. Also the example in the krippendorff package docs.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def long_frame(matrix, annotators=None) -> pd.DataFrame:
    """Annotator x item matrix (None = not annotated) -> long frame."""
    names = annotators or [f"r{i}" for i in range(len(matrix))]
    rows = [
        (item, names[a], value)
        for a, row in enumerate(matrix)
        for item, value in enumerate(row)
        if value is not None
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def reference_alpha(matrix, level: str) -> float:
    """krippendorff package on the pivot; its ValueErrors and 0/0 mean 'undefined'."""
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
        except ValueError:
            return math.nan


def same(ours: float, reference: float, tol: float = 1e-9) -> bool:
    if math.isnan(ours) or math.isnan(reference):
        return math.isnan(ours) and math.isnan(reference)
    return abs(ours - reference) <= tol


@st.composite
def rating_matrices(draw, max_labels: int = 4):
    """Annotator x item matrices with random gaps, sizes and label sets (ints from 0)."""
    n_annotators = draw(st.integers(1, 6))
    n_items = draw(st.integers(1, 12))
    n_labels = draw(st.integers(1, max_labels))
    cell = st.one_of(st.none(), st.integers(0, n_labels - 1))
    return [draw(st.lists(cell, min_size=n_items, max_size=n_items)) for _ in range(n_annotators)]


# --- published worked examples -------------------------------------------------------------


def test_krippendorff_2011_missing_data_example_gives_nominal_alpha_0743():
    assert round(krippendorff_alpha(long_frame(K2011)), 3) == 0.743


def test_krippendorff_2011_example_ordinal_alpha_matches_package_and_paper_0815():
    ours = krippendorff_alpha(long_frame(K2011), level="ordinal")
    assert ours == pytest.approx(reference_alpha(K2011, "ordinal"), abs=1e-12)
    assert round(ours, 3) == 0.815


def test_krippendorff_2011_example_interval_alpha_is_0849():
    ours = krippendorff_alpha(long_frame(K2011), level="interval")
    assert round(ours, 3) == 0.849
    assert ours == pytest.approx(reference_alpha(K2011, "interval"), abs=1e-12)


def test_coincidence_matrix_reproduces_krippendorff_2011_table():
    o = coincidence_matrix(long_frame(K2011))
    assert list(o.index) == [1, 2, 3, 4, 5]
    assert o.loc[1, 1] == pytest.approx(7) and o.loc[1, 2] == pytest.approx(4 / 3)
    assert o.loc[2, 2] == pytest.approx(10) and o.loc[3, 4] == pytest.approx(1 / 3)
    assert o.sum(axis=1).tolist() == pytest.approx([9, 13, 10, 5, 3])  # n_c; n = 40
    assert np.allclose(o.to_numpy(), o.to_numpy().T)


def test_cohen_kappa_textbook_50_item_example_is_0_4():
    # Wikipedia "Cohen's kappa": 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    rows = [
        (i, who, lab) for i, pair in enumerate(pairs) for who, lab in zip("AB", pair, strict=True)
    ]
    df = pd.DataFrame(rows, columns=COLUMNS)
    # p_o = 35/50 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4
    assert cohen_kappa(df, "A", "B") == pytest.approx(0.4, abs=1e-12)
    table = pairwise_cohen_kappa(df)
    assert table.to_dict("records") == [
        {"annotator_a": "A", "annotator_b": "B", "shared_items": 50, "kappa": pytest.approx(0.4)}
    ]


def test_fleiss_1971_worked_example_gives_kappa_0210():
    # Wikipedia "Fleiss' kappa": 10 subjects, 14 raters, counts per category 1..5.
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    rows = []
    for subject, counts in enumerate(table):
        labels = [cat + 1 for cat, count in enumerate(counts) for _ in range(count)]
        rows += [(subject, rater, label) for rater, label in enumerate(labels)]
    df = pd.DataFrame(rows, columns=COLUMNS)
    assert round(fleiss_kappa(df), 3) == 0.210
    assert round(percent_agreement(df), 3) == 0.378  # P-bar in the same worked example
    assert fleiss_kappa(df) == pytest.approx(statsmodels_fleiss_kappa(np.array(table)), abs=1e-12)


def tiny_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (1, "A", "x"),
            (1, "B", "x"),
            (1, "C", "x"),  # 3 of 3 pairs agree
            (2, "A", "x"),
            (2, "B", "y"),  # 0 of 1 pair agrees
            (3, "A", "y"),
            (3, "B", "y"),
            (3, "C", "x"),  # 1 of 3 pairs agrees
            (4, "C", "x"),  # one annotation: no pairs
        ],
        columns=COLUMNS,
    )


def test_percent_agreement_gwet_ac1_and_fleiss_match_hand_computation():
    df = tiny_frame()
    # P_a = mean(3/3, 0/1, 1/3) over items 1-3 = 4/9.
    assert percent_agreement(df) == pytest.approx(4 / 9, abs=1e-12)
    # pi_k averages r_ik / r_i over all four items:
    #   pi_x = (1 + 1/2 + 1/3 + 1) / 4 = 17/24,  pi_y = (0 + 1/2 + 2/3 + 0) / 4 = 7/24.
    # AC1, Q = 2: P_e = 2 * (17/24)(7/24) / 1 = 238/576; (256/576 - 238/576) / (338/576) = 9/169.
    assert gwet_ac1(df) == pytest.approx(9 / 169, abs=1e-12)
    # AC1 with the full category set x, y, z (Q = 3): P_e = 119/576; AC1 = 137/457.
    assert gwet_ac1(df, labels=["x", "y", "z"]) == pytest.approx(137 / 457, abs=1e-12)
    # Fleiss: P_e = (17^2 + 7^2) / 24^2 = 338/576; kappa = (256 - 338) / (576 - 338) = -41/119.
    assert fleiss_kappa(df) == pytest.approx(-41 / 119, abs=1e-12)


def test_gwet_ac1_rejects_labels_outside_the_given_category_set():
    with pytest.raises(ValueError, match="not in the given label list"):
        gwet_ac1(tiny_frame(), labels=["x"])


# --- equality with reference libraries on random data --------------------------------------


@HYPOTHESIS
@given(matrix=rating_matrices(), as_strings=st.booleans())
def test_alpha_equals_krippendorff_package_nominal_and_ordinal(matrix, as_strings):
    df = long_frame(matrix)
    order = None
    if as_strings:  # same data with string labels; ordinal order then comes from order=
        df["label"] = df["label"].map(lambda v: f"L{v}")
        order = [f"L{v}" for v in range(5)]
    assert same(krippendorff_alpha(df), reference_alpha(matrix, "nominal"))
    assert same(krippendorff_alpha(df, "ordinal", order), reference_alpha(matrix, "ordinal"))


@HYPOTHESIS
@given(matrix=rating_matrices())
def test_alpha_summary_is_undefined_exactly_when_value_is_nan(matrix):
    result = alpha_summary(long_frame(matrix))
    assert result.defined == (not math.isnan(result.value))
    assert (result.reason is None) == result.defined


def test_alpha_with_many_labels_takes_sparse_path_and_still_matches_package():
    # 400 annotations over 200 items with 30 labels: the item x label grid is too sparse to
    # build densely, which exercises the pair-enumeration fallback.
    rng = np.random.default_rng(7)
    matrix = rng.integers(0, 30, size=(2, 200)).tolist()
    matrix[1][:120] = matrix[0][:120]
    ours = krippendorff_alpha(long_frame(matrix))
    assert same(ours, reference_alpha(matrix, "nominal"))
    assert same(
        krippendorff_alpha(long_frame(matrix), "ordinal"), reference_alpha(matrix, "ordinal")
    )


@st.composite
def constant_rater_tables(draw):
    """Items x raters label codes, every item rated by the same number of annotators."""
    n_items = draw(st.integers(1, 15))
    raters = draw(st.integers(2, 5))
    n_labels = draw(st.integers(1, 4))
    labels = st.integers(0, n_labels - 1)
    rows = [draw(st.lists(labels, min_size=raters, max_size=raters)) for _ in range(n_items)]
    return rows, draw(st.integers(raters, 7))


@HYPOTHESIS
@given(case=constant_rater_tables())
def test_fleiss_kappa_equals_statsmodels_when_every_item_has_equal_raters(case):
    table, pool = case
    # Rotate through a pool of annotators so different items have different rater sets.
    rows = [
        (item, f"a{(item + j) % pool}", label)
        for item, labels in enumerate(table)
        for j, label in enumerate(labels)
    ]
    counts, _ = aggregate_raters(np.array(table))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        expected = float(statsmodels_fleiss_kappa(counts, method="fleiss"))
    expected = expected if math.isfinite(expected) else math.nan
    assert same(fleiss_kappa(pd.DataFrame(rows, columns=COLUMNS)), expected)


def irrcac_reference(matrix):
    """Plain-loop transcription of irrCAC's pa/fleiss_kappa/gwet_ac1 raw formulas."""
    items = [[row[i] for row in matrix if row[i] is not None] for i in range(len(matrix[0]))]
    items = [values for values in items if values]
    categories = sorted({v for values in items for v in values})
    paired = [values for values in items if len(values) >= 2]
    if not paired or len(categories) < 2:
        return math.nan, math.nan, math.nan
    pa = sum(
        sum(v.count(k) * (v.count(k) - 1) for k in categories) / (len(v) * (len(v) - 1))
        for v in paired
    ) / len(paired)
    pi = [sum(v.count(k) / len(v) for v in items) / len(items) for k in categories]
    pe_fleiss = sum(p * p for p in pi)
    pe_gwet = sum(p * (1 - p) for p in pi) / (len(categories) - 1)
    return pa, (pa - pe_fleiss) / (1 - pe_fleiss), (pa - pe_gwet) / (1 - pe_gwet)


@HYPOTHESIS
@given(matrix=rating_matrices())
def test_fleiss_ac1_and_percent_agreement_follow_irrcac_with_varying_raters(matrix):
    pa, kappa, ac1 = irrcac_reference(matrix)
    df = long_frame(matrix)
    if math.isnan(pa):  # no pairs or a single label: our coefficients are undefined too
        assert math.isnan(fleiss_kappa(df)) and math.isnan(gwet_ac1(df))
        return
    assert same(percent_agreement(df), pa)
    assert same(fleiss_kappa(df), kappa)
    assert same(gwet_ac1(df), ac1)


@HYPOTHESIS
@given(matrix=rating_matrices())
def test_pairwise_cohen_kappa_equals_sklearn_on_each_pairs_shared_items(matrix):
    df = long_frame(matrix)
    table = pairwise_cohen_kappa(df, min_shared=1)
    expected = {}
    for (i, a), (j, b) in combinations(enumerate(matrix), 2):
        shared = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
        if not shared:
            continue
        y1, y2 = zip(*shared, strict=True)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            expected[(f"r{i}", f"r{j}")] = (len(shared), float(cohen_kappa_score(y1, y2)))
    got = {
        (row.annotator_a, row.annotator_b): (row.shared_items, row.kappa)
        for row in table.itertuples()
    }
    assert set(got) == set(expected)
    for pair, (n_shared, kappa) in expected.items():
        assert got[pair][0] == n_shared
        assert same(got[pair][1], kappa)
        assert same(cohen_kappa(df, *pair), kappa)


@HYPOTHESIS
@given(matrix=rating_matrices())
def test_per_label_alpha_equals_alpha_of_the_binary_recoding(matrix):
    df = long_frame(matrix)
    table = per_label_alpha(df)
    assert list(table["label"]) == sorted(df["label"].unique())
    for row in table.itertuples():
        binary = df.assign(label=df["label"] == row.label)
        assert same(row.alpha, krippendorff_alpha(binary))


def test_pairwise_cohen_kappa_drops_pairs_below_min_shared():
    df = long_frame([[1, 2, 1, None], [1, 2, 2, 1], [None, None, None, 2]])
    assert list(
        pairwise_cohen_kappa(df)[["annotator_a", "annotator_b"]].itertuples(index=False)
    ) == [("r0", "r1")]
    assert len(pairwise_cohen_kappa(df, min_shared=1)) == 2
    assert pairwise_cohen_kappa(df, min_shared=4).empty


# --- edge cases -----------------------------------------------------------------------------


def test_perfect_agreement_gives_one_for_every_chance_corrected_coefficient():
    df = long_frame([["a", "b", "c", "a"], ["a", "b", "c", "a"], ["a", None, "c", "a"]])
    for value in (
        krippendorff_alpha(df),
        krippendorff_alpha(df, "ordinal"),
        fleiss_kappa(df),
        gwet_ac1(df),
        percent_agreement(df),
        cohen_kappa(df, "r0", "r1"),
    ):
        assert value == pytest.approx(1.0, abs=1e-12)


def test_single_label_used_by_everyone_is_undefined_with_reason_and_no_warning():
    df = long_frame([["fact"] * 5, ["fact"] * 5, ["fact", None, "fact", "fact", None]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [
            krippendorff_alpha(df),
            krippendorff_alpha(df, "ordinal"),
            fleiss_kappa(df),
            gwet_ac1(df),
            cohen_kappa(df, "r0", "r1"),
        ]
        result = alpha_summary(df)
    assert all(isinstance(v, float) and math.isnan(v) for v in values)
    assert not result.defined and "same label" in result.reason
    assert str(result).startswith("undefined (")
    assert percent_agreement(df) == 1.0  # raw agreement is still perfectly meaningful
    # With the campaign's full category set AC1 is defined: chance agreement is then < 1.
    assert gwet_ac1(df, labels=["fact", "claim", "opinion"]) == pytest.approx(1.0)
    assert "same label" in agreement_summary(df, "cohen_kappa", "r0", "r1").reason


def test_one_annotator_gives_undefined_coefficients_and_no_pairs():
    df = long_frame([["a", "b", "a"]])
    assert alpha_summary(df).reason == "only one annotator"
    assert math.isnan(fleiss_kappa(df)) and math.isnan(percent_agreement(df))
    assert math.isnan(gwet_ac1(df))
    assert pairwise_cohen_kappa(df).empty
    assert agreement_summary(df, "cohen_kappa", "r0", "nobody").reason.startswith("the two")


@pytest.mark.parametrize("df", [pd.DataFrame(columns=COLUMNS), pd.DataFrame()])
def test_empty_frame_gives_undefined_results_and_empty_tables(df):
    summary = alpha_summary(df)
    assert math.isnan(summary.value) and summary.reason == "no annotations"
    assert math.isnan(krippendorff_alpha(df)) and math.isnan(fleiss_kappa(df))
    for measure in ("fleiss_kappa", "gwet_ac1", "percent_agreement"):
        assert agreement_summary(df, measure).reason == "no annotations"
    assert list(pairwise_cohen_kappa(df).columns) == [
        "annotator_a",
        "annotator_b",
        "shared_items",
        "kappa",
    ]
    assert per_label_alpha(df).empty and coincidence_matrix(df).empty
    boot = bootstrap_alpha(df, n=50)
    assert math.isnan(boot.alpha) and boot.n_undefined == 50 and boot.reason == "no annotations"


def test_no_item_with_two_annotations_is_undefined_with_its_own_reason():
    df = long_frame([["a", None], [None, "b"]])
    assert alpha_summary(df).reason == "no item was labelled by two or more annotators"
    assert math.isnan(percent_agreement(df))


def test_items_with_a_single_annotation_do_not_change_alpha_or_percent_agreement():
    base = long_frame(K2011)
    singles = pd.DataFrame(
        [(100 + i, "r0", v) for i, v in enumerate([1, 5, 5, 2])], columns=COLUMNS
    )
    padded = pd.concat([base, singles], ignore_index=True)
    assert krippendorff_alpha(padded) == pytest.approx(krippendorff_alpha(base), abs=1e-15)
    assert percent_agreement(padded) == pytest.approx(percent_agreement(base), abs=1e-15)
    # ...whereas Fleiss' label shares pi_k do count them, as in irrCAC.
    assert fleiss_kappa(padded) != pytest.approx(fleiss_kappa(base), abs=1e-6)


def test_kappa_paradox_skewed_labels_high_agreement_low_kappa_high_ac1():
    # 100 passages, two reviewers: 90 both "fact", 5 fact/opinion, 5 opinion/fact.
    pairs = [("fact", "fact")] * 90 + [("fact", "opinion")] * 5 + [("opinion", "fact")] * 5
    df = pd.DataFrame(
        [
            (i, who, lab)
            for i, pair in enumerate(pairs)
            for who, lab in zip("AB", pair, strict=True)
        ],
        columns=COLUMNS,
    )
    pa, kappa, ac1 = percent_agreement(df), cohen_kappa(df, "A", "B"), gwet_ac1(df)
    assert pa == pytest.approx(0.9)
    assert kappa == pytest.approx((0.9 - 0.905) / 0.095)  # p_e = 0.95^2 + 0.05^2, below zero
    assert ac1 == pytest.approx((0.9 - 0.095) / (1 - 0.095))  # P_e = 2 * 0.95 * 0.05
    assert pa > ac1 > 0.85 > 0.1 > kappa
    assert krippendorff_alpha(df) < 0.1 and fleiss_kappa(df) < 0.1


def test_duplicate_annotation_by_same_annotator_keeps_the_last_row():
    base = long_frame(K2011)
    # r0 first labels unit 0 as 5, then corrects it to 1 (the value in the paper's data).
    duplicated = pd.concat([pd.DataFrame([(0, "r0", 5)], columns=COLUMNS), base], ignore_index=True)
    assert krippendorff_alpha(duplicated) == pytest.approx(0.743421052631579, abs=1e-12)
    reversed_order = pd.concat(
        [base, pd.DataFrame([(0, "r0", 5)], columns=COLUMNS)], ignore_index=True
    )
    assert krippendorff_alpha(reversed_order) != pytest.approx(0.743421052631579, abs=1e-6)
    assert pairwise_cohen_kappa(duplicated).equals(pairwise_cohen_kappa(base))


def test_missing_labels_are_dropped_and_never_supersede_a_real_label():
    base = long_frame(K2011)
    noisy = pd.concat(
        [
            base,
            pd.DataFrame([(0, "r0", None), (3, "r9", np.nan), (None, "r1", 2)], columns=COLUMNS),
        ],
        ignore_index=True,
    )
    assert krippendorff_alpha(noisy) == pytest.approx(krippendorff_alpha(base), abs=1e-15)
    assert "r9" not in set(pairwise_cohen_kappa(noisy, min_shared=1)["annotator_b"])


def test_ordinal_alpha_follows_the_order_argument_and_rejects_unknown_labels():
    df = long_frame(
        [["low", "medium", "high", "low", "medium"], ["medium"] * 2 + ["high", "low", "medium"]]
    )
    natural = krippendorff_alpha(df, "ordinal", order=["low", "medium", "high"])
    # The only disagreement is low vs medium: putting "high" between them widens it.
    scrambled = krippendorff_alpha(df, "ordinal", order=["low", "high", "medium"])
    assert scrambled < natural - 0.2
    # Codes 0 < 1 < 2 for low < medium < high give the package the same ordering.
    coded = [[0, 1, 2, 0, 1], [1, 1, 2, 0, 1]]
    assert natural == pytest.approx(reference_alpha(coded, "ordinal"), abs=1e-12)
    with pytest.raises(ValueError, match="not in the given label list"):
        krippendorff_alpha(df, "ordinal", order=["low", "high"])
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(df, "ratio")


def test_agreement_result_renders_value_or_reason():
    assert str(AgreementResult(0.74342, None, 12)) == "0.743"
    assert str(AgreementResult(math.nan, "only one annotator")) == "undefined (only one annotator)"
    assert agreement_summary(long_frame(K2011)).n_items == 11
    with pytest.raises(ValueError, match="measure"):
        agreement_summary(long_frame(K2011), "icc")


# --- bootstrap --------------------------------------------------------------------------------


def clustered_campaign(seed: int = 3) -> pd.DataFrame:
    """40 documents x 10 passages x 3 reviewers; agreement differs strongly between documents."""
    rng = np.random.default_rng(seed)
    rows = []
    for doc in range(40):
        reliable = doc % 2 == 0
        for passage in range(10):
            item = doc * 10 + passage
            truth = rng.integers(0, 3)
            for reviewer in range(3):
                label = truth if reliable or rng.random() < 0.3 else rng.integers(0, 3)
                rows.append((item, f"rev{(doc + reviewer) % 7}", int(label), doc))
    return pd.DataFrame(rows, columns=[*COLUMNS, "document"])


def test_bootstrap_is_reproducible_for_a_seed_and_varies_with_it():
    df = clustered_campaign()
    first, again = bootstrap_alpha(df, n=300, seed=11), bootstrap_alpha(df, n=300, seed=11)
    assert first == again
    assert isinstance(first, BootstrapResult) and first.n == 300 and first.n_units == 400
    other = bootstrap_alpha(df, n=300, seed=12)
    assert other.alpha == first.alpha and (other.low, other.high) != (first.low, first.high)


def test_bootstrap_cluster_resampling_differs_from_item_resampling_and_is_wider():
    df = clustered_campaign()
    by_item = bootstrap_alpha(df, n=1000, seed=1)
    by_document = bootstrap_alpha(df, n=1000, seed=1, cluster="document")
    assert by_document.n_units == 40 and by_item.n_units == 400
    assert by_item.alpha == by_document.alpha
    # Passages of one document share their reliability, so treating them as independent
    # understates the uncertainty.
    assert (by_document.high - by_document.low) > 1.3 * (by_item.high - by_item.low)


def test_bootstrap_interval_contains_point_estimate():
    df = clustered_campaign()
    for kwargs in ({}, {"cluster": "document"}, {"level": "ordinal"}):
        result = bootstrap_alpha(df, n=500, seed=5, **kwargs)
        assert result.low < result.alpha < result.high
        assert result.n_undefined == 0 and result.defined
        assert result.alpha == pytest.approx(krippendorff_alpha(df, kwargs.get("level", "nominal")))


def test_bootstrap_with_one_cluster_gives_no_interval_but_says_why():
    # Each replicate would redraw the only cluster and give the point estimate back: a
    # zero-width "interval" that says nothing, so the interval is undefined with its reason.
    df = clustered_campaign().assign(document=0)
    for level in ("nominal", "ordinal", "interval"):
        result = bootstrap_alpha(df, n=20, cluster="document", level=level)
        assert result.alpha == pytest.approx(krippendorff_alpha(df, level))
        assert math.isnan(result.low) and math.isnan(result.high)
        assert result.interval_reason.startswith("only one document")


def test_bootstrap_counts_replicates_where_alpha_is_undefined():
    # Unit 0 has only "a"; a resample drawing it twice has a single label (p = 1/4).
    df = long_frame([["a", "a"], ["a", "b"]])
    result = bootstrap_alpha(df, n=400, seed=0)
    assert 50 < result.n_undefined < 150
    assert math.isfinite(result.low) and math.isfinite(result.high)


def test_bootstrap_rejects_items_split_across_clusters_or_unknown_column():
    df = clustered_campaign()
    df.loc[0, "document"] = 99  # item 0's first annotation now claims another document
    with pytest.raises(ValueError, match="more than one"):
        bootstrap_alpha(df, n=10, cluster="document")
    with pytest.raises(ValueError, match="not in frame"):
        bootstrap_alpha(df, n=10, cluster="outlet")


def test_clustered_bootstrap_interval_does_not_depend_on_row_order():
    from annotate.agreement import bootstrap_alpha

    rng = np.random.default_rng(7)
    rows = []
    for item in range(400):
        truth = rng.integers(0, 3)
        for annotator in rng.choice(6, 3, replace=False):
            label = truth if rng.random() < 0.7 else rng.integers(0, 3)
            rows.append((item, f"r{annotator}", int(label), f"doc{item // 8}"))
    df = pd.DataFrame(rows, columns=["item", "annotator", "label", "document"])
    shuffled = df.sample(frac=1, random_state=3).reset_index(drop=True)
    a = bootstrap_alpha(df, n=300, seed=1, cluster="document")
    b = bootstrap_alpha(shuffled, n=300, seed=1, cluster="document")
    assert (a.low, a.high) == pytest.approx((b.low, b.high), abs=1e-12)
