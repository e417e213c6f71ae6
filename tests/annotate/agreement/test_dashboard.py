"""annotate.agreement.dashboard: the dashboard's tables from long frames (no database)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.agreement import (
    alpha_summary,
    bootstrap_alpha,
    campaign_agreement,
    dimension_row,
    fleiss_kappa,
    grouped_agreement,
    grouped_alpha_interval,
    gwet_ac1,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    per_annotator,
    percent_agreement,
    reading,
)

HYPOTHESIS = settings(max_examples=150, deadline=None, database=None)
LABELS = ["sourced_fact", "attributed_claim", "opinion"]
TABLE_COLUMNS = {
    "overall": [
        "dimension",
        "items",
        "annotations",
        "reviewers",
        "alpha",
        "alpha_low",
        "alpha_high",
        "interval_note",
        "percent_agreement",
        "ac1",
        "fleiss_kappa",
        "reading",
        "note",
    ],
    "outlets": ["outlet", "items", "annotations", "alpha", "percent_agreement", "alpha_note"],
    "documents": ["document", "items", "annotations", "alpha", "percent_agreement", "alpha_note"],
    "labels": ["label", "alpha", "n_values", "n_items"],
    "reviewers": [
        "annotator",
        "annotations",
        "paired_items",
        "agreement_with_others",
        "mean_kappa",
    ],
    "pairs": ["annotator_a", "annotator_b", "shared_items", "kappa"],
}


def close(ours, reference, tol=1e-9):
    if math.isnan(ours) or math.isnan(reference):
        return math.isnan(ours) and math.isnan(reference)
    return abs(ours - reference) <= tol


@st.composite
def grouped_frames(draw):
    """Long frames whose items each belong to one document, documents to one outlet.

    Includes re-annotations (same item and annotator twice), single-annotation items,
    single-label groups and, as a categorical column, the outlet, as annotation_frame gives it.
    """
    n_items = draw(st.integers(1, 14))
    document_of = [draw(st.integers(0, 4)) for _ in range(n_items)]
    outlet_of_document = [draw(st.sampled_from(["Le Monde", "BBC", "Coverpage"])) for _ in range(5)]
    labels = LABELS[: draw(st.integers(1, 3))] + ([None] if draw(st.booleans()) else [])
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_items - 1), st.sampled_from("abcde"), st.sampled_from(labels)
            ),
            min_size=0,
            max_size=45,
        )
    )
    df = pd.DataFrame(rows, columns=["item", "annotator", "label"])
    df["document"] = [document_of[i] for i in df["item"]]
    df["outlet"] = pd.Categorical([outlet_of_document[d] for d in df["document"]])
    df["label"] = df["label"].astype("category")
    return df


@HYPOTHESIS
@given(grouped_frames(), st.sampled_from(["outlet", "document"]))
def test_grouped_agreement_equals_alpha_and_percent_agreement_of_each_groups_subset(df, by):
    table = grouped_agreement(df, by)
    assert list(table["group"]) == sorted(df[by].dropna().unique())
    for row in table.itertuples():
        subset = df[df[by] == row.group][["item", "annotator", "label"]]
        summary = alpha_summary(subset)
        assert close(row.alpha, krippendorff_alpha(subset))
        assert close(row.percent_agreement, percent_agreement(subset))
        assert row.items == summary.n_items
        assert row.annotations == len(subset)
        if math.isnan(row.alpha):
            assert row.alpha_note in ("no passage with two reviewers", "everyone used one label")
        else:
            assert row.alpha_note == ""


@HYPOTHESIS
@given(grouped_frames())
def test_per_annotator_equals_a_brute_force_count_of_agreeing_pairs(df):
    last = {}
    for item, annotator, label in df[["item", "annotator", "label"]].itertuples(index=False):
        if isinstance(label, str):
            last[item, annotator] = label  # later rows supersede earlier ones
    on_item = {}
    for (item, annotator), label in last.items():
        on_item.setdefault(item, []).append((annotator, label))
    expected = {}
    for values in on_item.values():
        for annotator, label in values:
            agree, pairs, n, paired = expected.get(annotator, (0, 0, 0, 0))
            others = [lab for who, lab in values if who != annotator]
            expected[annotator] = (
                agree + others.count(label),
                pairs + len(others),
                n + 1,
                paired + bool(others),
            )
    table = per_annotator(df).set_index("annotator")
    assert set(table.index) == set(expected)
    for annotator, (agree, pairs, n, paired) in expected.items():
        row = table.loc[annotator]
        assert (row["annotations"], row["paired_items"]) == (n, paired)
        assert close(row["agreement_with_others"], agree / pairs if pairs else math.nan)


def resampled_documents_reference(df, n, seed, confidence=0.95):
    """The document bootstrap done the slow, obvious way: clean the frame, then for each
    replicate concatenate the drawn documents' rows (each copy its own items) and compute
    alpha. Documents are drawn as bootstrap_alpha draws them: the documents holding a passage
    with two or more annotations, in sorted order, from numpy's default_rng(seed)."""
    clean = df.dropna(subset=["item", "annotator", "label"])
    clean = clean.drop_duplicates(["item", "annotator"], keep="last")
    counts = clean.groupby("item")["annotator"].transform("size")
    documents = np.sort(clean.loc[counts >= 2, "document"].unique())
    if len(documents) < 2:  # nothing to resample: no interval
        return math.nan, math.nan
    by_document = {d: rows for d, rows in clean.groupby("document")}
    draws = np.random.default_rng(seed).integers(0, len(documents), size=(n, len(documents)))
    alphas = []
    for draw in draws:
        parts = [
            by_document[documents[g]].assign(
                item=lambda f, copy=copy: [(copy, i) for i in f["item"]]
            )
            for copy, g in enumerate(draw)
        ]
        value = krippendorff_alpha(pd.concat(parts)[["item", "annotator", "label"]])
        if not math.isnan(value):
            alphas.append(value)
    if not alphas:
        return math.nan, math.nan
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(alphas, [tail, 100 - tail])
    if low == high:  # no spread between resamples: no interval
        return math.nan, math.nan
    return float(low), float(high)


@settings(max_examples=40, deadline=None, database=None)
@given(grouped_frames(), st.integers(0, 3))
def test_the_document_bootstrap_equals_resampling_whole_documents_by_hand(df, seed):
    result = bootstrap_alpha(df, n=60, seed=seed, cluster="document")
    low, high = resampled_documents_reference(df, n=60, seed=seed)
    if result.defined and not math.isnan(low):
        assert close(result.low, low, 1e-9) and close(result.high, high, 1e-9)
        assert result.low < result.high
    else:
        assert math.isnan(result.low) and math.isnan(result.high)


def test_the_document_bootstrap_does_not_depend_on_how_replicates_are_chunked(monkeypatch):
    # 9,100 paired passages in 1,517 documents: with a small chunk limit the 1,001 replicates
    # are drawn in many chunks; the interval must be the one drawn in a single chunk.
    from annotate.agreement import bootstrap as engine

    rng = np.random.default_rng(7)
    item = np.repeat(np.arange(9100), 3)
    truth = rng.integers(0, 3, size=9100)[item]
    label = np.where(rng.random(len(item)) < 0.7, truth, rng.integers(0, 3, size=len(item)))
    df = pd.DataFrame(
        {
            "item": item,
            "annotator": np.tile(["a", "b", "c"], 9100),
            "label": np.array(LABELS)[label],
            "document": item // 6,
        }
    )
    whole = bootstrap_alpha(df, n=1001, seed=0, cluster="document")
    monkeypatch.setattr(engine, "_CHUNK_CELLS", 1517 * 97)
    chunked = bootstrap_alpha(df, n=1001, seed=0, cluster="document")
    assert close(chunked.low, whole.low, 1e-12) and close(chunked.high, whole.high, 1e-12)
    assert whole.low < whole.alpha < whole.high


@HYPOTHESIS
@given(grouped_frames(), st.sampled_from([None, LABELS, LABELS + ["satire"]]))
def test_dimension_row_equals_the_public_agreement_functions(df, labels):
    row = dimension_row("passage type", df, labels, n_boot=100, seed=1)
    frame = df[["item", "annotator", "label"]]
    summary = alpha_summary(frame)
    assert close(row["alpha"], summary.value, 1e-12)
    assert row["items"] == summary.n_items and row["note"] == (summary.reason or "")
    assert close(row["percent_agreement"], percent_agreement(frame), 1e-12)
    assert close(row["fleiss_kappa"], fleiss_kappa(frame), 1e-12)
    assert close(row["ac1"], gwet_ac1(frame, labels), 1e-12)
    reference = bootstrap_alpha(df, n=100, seed=1, cluster="document")
    if summary.defined:
        assert close(row["alpha_low"], reference.low, 1e-12) and close(
            row["alpha_high"], reference.high, 1e-12
        )
    else:
        assert math.isnan(row["alpha_low"]) and math.isnan(row["alpha_high"])


def test_group_without_paired_items_says_so_instead_of_showing_nan():
    df = pd.DataFrame(
        {
            "item": [1, 1, 2, 3],
            "annotator": ["a", "b", "a", "b"],
            "label": ["opinion", "sourced_fact", "opinion", "opinion"],
            "outlet": ["BBC", "BBC", "Le Monde", "Le Monde"],
        }
    )
    table = grouped_agreement(df, "outlet").set_index("group")
    lonely = table.loc["Le Monde"]
    assert lonely["items"] == 0
    assert lonely["annotations"] == 2
    assert math.isnan(lonely["alpha"]) and math.isnan(lonely["percent_agreement"])
    assert lonely["alpha_note"] == "no passage with two reviewers"
    assert table.loc["BBC", "items"] == 1
    assert table.loc["BBC", "percent_agreement"] == 0.0


def test_single_label_group_has_observed_agreement_one_and_a_note_for_undefined_alpha():
    df = pd.DataFrame(
        {
            "item": [1, 1, 2, 2, 3, 3],
            "annotator": ["a", "b", "a", "b", "a", "b"],
            "label": ["opinion", "opinion", "opinion", "opinion", "opinion", "sourced_fact"],
            "document": [10, 10, 10, 10, 11, 11],
        }
    )
    table = grouped_agreement(df, "document").set_index("group")
    assert math.isnan(table.loc[10, "alpha"])
    assert table.loc[10, "percent_agreement"] == 1.0
    assert table.loc[10, "alpha_note"] == "everyone used one label"
    assert table.loc[11, "alpha_note"] == ""


def test_grouped_agreement_of_an_empty_frame_is_an_empty_table_with_its_columns():
    empty = pd.DataFrame(columns=["item", "annotator", "label", "outlet"])
    assert list(grouped_agreement(empty, "outlet").columns) == [
        "group",
        "items",
        "annotations",
        "alpha",
        "percent_agreement",
        "alpha_note",
    ]


def test_per_annotator_agreement_with_others_and_mean_kappa_match_hand_computation():
    # Items 1-4; reviewer c labels only item 4, alone, so it has no partner there.
    #   item 1: a=x b=x c=y    item 2: a=x b=y    item 3: a=y b=y    item 4: c=x (unpaired)
    # agreement_with_others = sum over the reviewer's paired items of (others with the same
    # label) / sum of (others on the item):
    #   a: item 1 -> 1 of 2 (b agrees, c not), item 2 -> 0 of 1, item 3 -> 1 of 1: 2/4 = 0.5
    #   b: item 1 -> 1 of 2, item 2 -> 0 of 1, item 3 -> 1 of 1: 2/4 = 0.5
    #   c: item 1 -> 0 of 2 (item 4 unpaired, not counted): 0/2 = 0.0
    # Cohen's kappa a-b on items 1-3 (a: x x y, b: x y y): p_o = 2/3,
    #   p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9, kappa = (2/3 - 4/9) / (1 - 4/9) = 0.4.
    # a-c and b-c share only item 1 (one label each, p_e = 0 for differing labels): kappa 0.
    # mean_kappa (weighted by shared items): a = (0.4*3 + 0*1) / 4 = 0.3; b likewise 0.3;
    #   c = (0*1 + 0*1) / 2 = 0.
    df = pd.DataFrame(
        [
            (1, "a", "x"),
            (1, "b", "x"),
            (1, "c", "y"),
            (2, "a", "x"),
            (2, "b", "y"),
            (3, "a", "y"),
            (3, "b", "y"),
            (4, "c", "x"),
        ],
        columns=["item", "annotator", "label"],
    )
    kappas = pairwise_cohen_kappa(df, min_shared=1)
    table = per_annotator(df, kappas).set_index("annotator")
    assert table["annotations"].to_dict() == {"a": 3, "b": 3, "c": 2}
    assert table["paired_items"].to_dict() == {"a": 3, "b": 3, "c": 1}
    assert table["agreement_with_others"].to_dict() == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.0})
    assert table["mean_kappa"].to_dict() == pytest.approx({"a": 0.3, "b": 0.3, "c": 0.0})


def test_per_annotator_counts_only_the_last_of_a_reviewers_repeated_labels():
    df = pd.DataFrame(
        [(1, "a", "y"), (1, "b", "x"), (1, "a", "x")], columns=["item", "annotator", "label"]
    )
    table = per_annotator(df).set_index("annotator")
    assert table.loc["a", "annotations"] == 1
    assert table.loc["a", "agreement_with_others"] == 1.0


def dims_of(df):
    """The dims dict campaign_agreement takes, built from one frame with extra columns."""
    base = df[["item", "annotator", "document", "outlet"]]
    return {
        "passage type": base.assign(label=df["label"]),
        "cited-source type": base.assign(label=df["cited_type"]),
        "marker: Loaded language": base.assign(label=df["loaded"]),
    }


def small_campaign_frame(single_label=False, empty=False):
    rng = np.random.default_rng(3)
    rows = []
    for item in range(40):
        truth = rng.integers(0, 3)
        for annotator in rng.choice(["ann", "ben", "cat", "dan"], size=2 + item % 2, replace=False):
            label = truth if rng.random() < 0.8 else rng.integers(0, 3)
            rows.append(
                (
                    item,
                    annotator,
                    LABELS[0] if single_label else LABELS[label],
                    ["none", "named_person"][label % 2],
                    bool(label == 2),
                    item // 8,
                    f"Outlet {item // 16}",
                )
            )
    df = pd.DataFrame(
        rows, columns=["item", "annotator", "label", "cited_type", "loaded", "document", "outlet"]
    )
    return df.iloc[:0] if empty else df


@pytest.mark.parametrize("case", ["normal", "single label", "empty"])
def test_campaign_agreement_returns_every_table_with_stable_column_names(case):
    df = small_campaign_frame(single_label=case == "single label", empty=case == "empty")
    tables = campaign_agreement(dims_of(df), labels=LABELS, n_boot=50)
    assert list(tables) == [
        "overall",
        "outlets",
        "documents",
        "labels",
        "reviewers",
        "pairs",
        "coincidences",
    ]
    for name, columns in TABLE_COLUMNS.items():
        assert list(tables[name].columns) == columns, name
    assert list(tables["coincidences"].columns)[0] == "label"
    assert list(tables["overall"]["dimension"]) == [
        "passage type",
        "cited-source type",
        "marker: Loaded language",
    ]


def test_overall_has_a_row_per_dimension_each_measured_on_its_own_labels():
    df = small_campaign_frame()
    overall = campaign_agreement(dims_of(df), labels=LABELS, n_boot=200)["overall"].set_index(
        "dimension"
    )
    for name, column in [
        ("passage type", "label"),
        ("cited-source type", "cited_type"),
        ("marker: Loaded language", "loaded"),
    ]:
        frame = df[["item", "annotator"]].assign(label=df[column])
        row = overall.loc[name]
        assert close(row["alpha"], krippendorff_alpha(frame)), name
        assert close(row["percent_agreement"], percent_agreement(frame)), name
        assert row["annotations"] == len(df)
        assert row["reviewers"] == 4
        assert row["alpha_low"] <= row["alpha"] <= row["alpha_high"], name
        assert row["reading"] == reading(row["alpha"])
    assert close(
        overall.loc["passage type", "ac1"], gwet_ac1(df[["item", "annotator", "label"]], LABELS)
    )


def test_a_marker_nobody_ticked_has_ac1_one_over_the_two_categories_ticked_or_not():
    df = small_campaign_frame().assign(loaded=False)
    labels = {"passage type": LABELS, "marker: Loaded language": [False, True]}
    overall = campaign_agreement(dims_of(df), labels=labels, n_boot=0)["overall"].set_index(
        "dimension"
    )
    marker = overall.loc["marker: Loaded language"]
    assert marker["percent_agreement"] == 1.0
    assert marker["ac1"] == 1.0
    assert math.isnan(marker["alpha"]) and marker["reading"] == "undefined"
    assert marker["note"]


def test_single_label_campaign_gives_undefined_alpha_with_a_reason_and_no_interval():
    df = small_campaign_frame(single_label=True)
    row = dimension_row("passage type", dims_of(df)["passage type"], LABELS, n_boot=100)
    assert (
        math.isnan(row["alpha"]) and math.isnan(row["alpha_low"]) and math.isnan(row["alpha_high"])
    )
    assert row["reading"] == "undefined"
    assert "same label" in row["note"]
    assert row["percent_agreement"] == 1.0


def test_labels_outside_the_scheme_do_not_break_the_report():
    df = small_campaign_frame()
    df.loc[df.index[:5], "label"] = "retired_label"
    overall = campaign_agreement(dims_of(df), labels=LABELS, n_boot=0)["overall"]
    assert not math.isnan(overall.loc[0, "ac1"])


@pytest.mark.parametrize(
    ("alpha", "expected"),
    [
        (0.95, "reliable"),
        (0.8, "reliable"),
        (0.7, "tentative"),
        (0.667, "tentative"),
        (0.5, "low (expert range for fact vs opinion)"),
        (0.1, "unreliable"),
        (math.nan, "undefined"),
        (np.float64("nan"), "undefined"),
        (np.float32("nan"), "undefined"),
        (np.float32(0.9), "reliable"),
        (None, "undefined"),
    ],
)
def test_reading_follows_krippendorffs_thresholds(alpha, expected):
    assert reading(alpha) == expected


def test_a_one_document_group_gets_a_passage_resampled_interval_and_says_so():
    labels = ["a", "a", "b", "b", "a", "b", "a", "a", "b", "b", "a", "b"]
    rows = [(f"p{i // 2}", "xy"[i % 2], label) for i, label in enumerate(labels)]
    one = pd.DataFrame(rows, columns=["item", "annotator", "label"]).assign(
        outlet="One", document="D1"
    )
    out = grouped_alpha_interval(one, "outlet", n_boot=300, seed=0).set_index("outlet").loc["One"]
    expected = bootstrap_alpha(one[["item", "annotator", "label"]], n=300, seed=0)
    assert (out["alpha_low"], out["alpha_high"]) == pytest.approx((expected.low, expected.high))
    assert out["alpha_low"] < out["alpha"] < out["alpha_high"]
    assert "resamples passages, not documents" in out["alpha_note"]


def test_one_document_gives_no_interval_but_the_reason_never_a_zero_width_range():
    # Annotations in one document only: resampling documents gives that document back.
    labels = ["a", "a", "b", "b", "a", "b", "a", "a", "b", "b", "a", "b"]
    rows = [(f"p{i // 2}", "xy"[i % 2], label) for i, label in enumerate(labels)]
    one = pd.DataFrame(rows, columns=["item", "annotator", "label"]).assign(
        outlet="One", document="D1"
    )
    row = dimension_row("passage type", one, n_boot=200, seed=0)
    assert not math.isnan(row["alpha"])
    assert math.isnan(row["alpha_low"]) and math.isnan(row["alpha_high"])
    assert "only one document" in row["interval_note"]


def test_an_interval_whose_resamples_all_agree_is_undefined_with_its_reason():
    # Perfect agreement in every document: every resample gives alpha 1.
    rows = [(f"p{i}", reviewer, "ab"[i % 2], f"D{i // 2}") for i in range(12) for reviewer in "xy"]
    df = pd.DataFrame(rows, columns=["item", "annotator", "label", "document"])
    result = bootstrap_alpha(df, n=100, seed=0, cluster="document")
    assert result.alpha == 1.0
    assert math.isnan(result.low) and math.isnan(result.high)
    assert "no spread" in result.interval_reason
