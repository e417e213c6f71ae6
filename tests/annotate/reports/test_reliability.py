"""Final labels and per-outlet figures, checked by hand and against statsmodels."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from annotate.reports.finals import (
    ADJUDICATED,
    UNANIMOUS,
    UNRESOLVED,
    final_labels,
    passage_final,
)
from annotate.reports.reliability import (
    INITIAL,
    RATING,
    group_report,
    reviewer_report,
    wilson_interval,
)


@pytest.mark.parametrize("k,n", [(0, 10), (3, 10), (10, 10), (1, 1), (45, 160), (7, 3000)])
def test_wilson_interval_matches_statsmodels(k, n):
    low, high = wilson_interval(k, n)
    ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert float(low) == pytest.approx(ref_low, abs=1e-12)
    assert float(high) == pytest.approx(ref_high, abs=1e-12)


def test_wilson_interval_of_no_trials_is_undefined_not_an_error():
    low, high = wilson_interval([0], [0])
    assert math.isnan(low[0]) and math.isnan(high[0])


def ann(rows):
    return pd.DataFrame(rows, columns=["item", "annotator", "label", "cited_type", "markers"])


def test_final_label_is_unanimous_label_adjudication_or_unresolved():
    annotations = ann(
        [
            (1, "a", "opinion", "none", ["loaded"]),
            (1, "b", "opinion", "none", ["loaded", "framing"]),
            (2, "a", "opinion", "none", []),
            (2, "b", "attributed_claim", "anonymous", []),
            (3, "a", "sourced_fact", "document", []),
            (3, "b", "opinion", "none", []),
            (4, "a", "sourced_fact", "document", []),  # one annotation: not yet unanimous
        ]
    )
    adjudications = pd.DataFrame(
        [(3, "sourced_fact", "document", [])], columns=["item", "label", "cited_type", "markers"]
    )
    finals = final_labels(annotations, adjudications).set_index("item")
    assert finals.loc[1, "status"] == UNANIMOUS and finals.loc[1, "final_label"] == "opinion"
    # "loaded" was ticked by both reviewers, "framing" by one of two: not a majority.
    assert finals.loc[1, "final_markers"] == ["loaded"]
    assert finals.loc[2, "status"] == UNRESOLVED and pd.isna(finals.loc[2, "final_label"])
    assert finals.loc[3, "status"] == ADJUDICATED and finals.loc[3, "final_label"] == "sourced_fact"
    assert finals.loc[4, "status"] == UNRESOLVED


def test_outlet_report_columns_computed_by_hand():
    passages = pd.DataFrame(
        [(1, 10, "A"), (2, 10, "A"), (3, 11, "A"), (4, 12, "B"), (5, 12, "B")],
        columns=["item", "document", "outlet"],
    )
    annotations = ann(
        [
            (1, "a", "attributed_claim", "anonymous", ["loaded"]),
            (1, "b", "attributed_claim", "anonymous", ["loaded"]),
            (2, "a", "opinion", "none", []),
            (2, "b", "opinion", "none", []),
            (3, "a", "opinion", "none", []),
            (3, "b", "sourced_fact", "document", []),
            (4, "a", "sourced_fact", "document", []),
            (4, "c", "sourced_fact", "document", []),
        ]
    )
    finals = final_labels(annotations)
    report = group_report(
        passages, annotations, finals, ["sourced_fact", "attributed_claim", "opinion"]
    ).set_index("outlet")
    a, b = report.loc["A"], report.loc["B"]
    assert (a["documents"], a["passages"], a["reviewers"], a["annotations"]) == (2, 3, 2, 6)
    # Outlet A: items 1 and 2 resolved (claim, opinion), item 3 unresolved.
    assert a["resolved"] == 2
    assert a["share_opinion"] == pytest.approx(0.5)
    low, high = proportion_confint(1, 2, method="wilson")
    assert (a["share_opinion_low"], a["share_opinion_high"]) == (
        pytest.approx(low),
        pytest.approx(high),
    )
    assert a["anonymous_claim_share"] == 1.0
    assert a["markers_per_100"] == pytest.approx(50.0)  # one marker over two resolved passages
    assert a["unresolved_share"] == pytest.approx(1 / 3)
    assert a["adjudicated_share"] == 0
    # Outlet B: item 4 resolved, item 5 never annotated.
    assert (
        b["resolved"] == 1 and b["unannotated"] == 1 and b["unresolved_share"] == pytest.approx(0.5)
    )
    assert math.isnan(b["anonymous_claim_share"])
    assert b["confidence"].startswith("initial reading")


@pytest.mark.parametrize("documents,confidence", [(14, INITIAL), (15, RATING)])
def test_outlet_is_rated_from_fifteen_documents_with_final_labels(documents, confidence):
    passages = pd.DataFrame(
        [(i, i, "A") for i in range(20)], columns=["item", "document", "outlet"]
    )
    annotations = ann([(i, r, "opinion", "none", []) for i in range(documents) for r in "ab"])
    report = group_report(passages, annotations, final_labels(annotations), ["opinion"])
    assert report.loc[0, "documents"] == 20 and report.loc[0, "documents_resolved"] == documents
    assert report.loc[0, "confidence"] == confidence


def test_outlet_without_final_labels_has_undefined_shares_and_is_an_initial_reading():
    passages = pd.DataFrame(
        [(i, i, "A") for i in range(15)], columns=["item", "document", "outlet"]
    )
    empty = ann([])
    report = group_report(passages, empty, final_labels(empty), ["opinion"])
    assert report.loc[0, "confidence"] == INITIAL
    assert np.isnan(report.loc[0, "share_opinion"]) and report.loc[0, "unannotated"] == 15


def finals_by_item(annotations, adjudications=None, **rules):
    return final_labels(annotations, adjudications, **rules).set_index("item")


def test_unanimous_needs_every_place_of_the_overlap():
    annotations = ann(
        [
            (1, "a", "opinion", "none", []),
            (1, "b", "opinion", "none", []),
            (2, "a", "opinion", "none", []),
            (2, "b", "opinion", "none", []),
            (2, "c", "opinion", "none", []),
        ]
    )
    finals = finals_by_item(annotations, min_annotations=3)
    assert finals.loc[1, "status"] == UNRESOLVED  # two of three places done
    assert finals.loc[2, "status"] == UNANIMOUS


def test_with_auto_accept_off_unanimous_passages_stay_unresolved_until_a_curator_decides():
    annotations = ann(
        [
            (1, "a", "opinion", "none", []),
            (1, "b", "opinion", "none", []),
            (2, "a", "opinion", "none", []),
            (2, "b", "opinion", "none", []),
        ]
    )
    adjudications = pd.DataFrame(
        [(2, "opinion", "none", [])], columns=["item", "label", "cited_type", "markers"]
    )
    finals = finals_by_item(annotations, adjudications, accept_unanimous=False)
    assert finals.loc[1, "status"] == UNRESOLVED and finals.loc[1, "final_label"] is None
    assert finals.loc[2, "status"] == ADJUDICATED


def test_a_curators_decision_overrides_a_unanimous_label_and_covers_unannotated_passages():
    annotations = ann([(1, "a", "opinion", "none", []), (1, "b", "opinion", "none", [])])
    adjudications = pd.DataFrame(
        [(1, "sourced_fact", "document", "Report", ["b", "a"]), (9, "opinion", "none", "", [])],
        columns=["item", "label", "cited_type", "cited_source", "markers"],
    )
    finals = finals_by_item(annotations, adjudications)
    assert finals.loc[1, "final_label"] == "sourced_fact" and finals.loc[1, "status"] == ADJUDICATED
    assert (
        finals.loc[1, "final_markers"] == ["a", "b"]
        and finals.loc[1, "final_cited_source"] == "Report"
    )
    assert finals.loc[1, "annotations"] == 2
    assert finals.loc[9, "status"] == ADJUDICATED and finals.loc[9, "annotations"] == 0


def test_unanimous_cited_type_source_and_markers_need_more_than_half():
    annotations = pd.DataFrame(
        [
            (1, "a", "opinion", "anonymous", "x", ["m1", "m2"]),
            (1, "b", "opinion", "anonymous", "x", ["m1"]),
            (1, "c", "opinion", "none", "y", ["m2"]),
            (1, "d", "opinion", "named_person", "y", ["m1"]),
        ],
        columns=["item", "annotator", "label", "cited_type", "cited_source", "markers"],
    )
    final = finals_by_item(annotations, min_annotations=4).loc[1]
    # anonymous 2 of 4 and x 2 of 4 are not majorities; m1 3 of 4 is, m2 2 of 4 is not.
    assert pd.isna(final["final_cited_type"]) and pd.isna(final["final_cited_source"])
    assert final["final_markers"] == ["m1"]


LABELS = st.sampled_from(["fact", "claim", "opinion"])
TYPES = st.sampled_from(["none", "anonymous", "document"])
SOURCES = st.sampled_from(["", "Reuters", "=cmd"])
MARKER_SETS = st.lists(st.sampled_from(["m1", "m2", "m3"]), max_size=3, unique=True)
VOTE = st.tuples(LABELS, TYPES, SOURCES, MARKER_SETS)


@settings(max_examples=150, deadline=None)
@given(
    passages=st.lists(
        st.tuples(st.lists(VOTE, max_size=4), st.none() | VOTE), min_size=1, max_size=6
    ),
    overlap=st.integers(1, 4),
    accept=st.booleans(),
)
def test_streaming_rule_passage_final_equals_final_labels(passages, overlap, accept):
    rows, decisions = [], []
    for item, (votes, decision) in enumerate(passages):
        rows += [(item, f"r{i}", *vote) for i, vote in enumerate(votes)]
        if decision is not None:
            decisions.append((item, *decision))
    annotations = pd.DataFrame(
        rows, columns=["item", "annotator", "label", "cited_type", "cited_source", "markers"]
    )
    adjudications = pd.DataFrame(
        decisions, columns=["item", "label", "cited_type", "cited_source", "markers"]
    )
    finals = finals_by_item(
        annotations, adjudications, min_annotations=overlap, accept_unanimous=accept
    )
    for item, (votes, decision) in enumerate(passages):
        status, label, cited_type, cited_source, markers = passage_final(
            votes, decision, overlap, accept
        )
        if item not in finals.index:
            assert not votes and decision is None
            continue
        row = finals.loc[item]
        assert row["status"] == status
        for got, want in (
            (row["final_label"], label),
            (row["final_cited_type"], cited_type),
            (row["final_cited_source"], cited_source),
            (row["final_markers"], markers),
        ):
            if want is None:
                assert got is None or (not isinstance(got, list) and pd.isna(got))
            else:
                assert got == want


def test_reviewer_report_caps_each_duration_and_leaves_unknown_ones_out():
    annotations = pd.DataFrame(
        [
            (1, "a", "opinion", 30.0),
            (2, "a", "opinion", 5000.0),
            (3, "a", "fact", np.nan),
            (4, "a", "fact", -3.0),
        ],
        columns=["item", "annotator", "label", "seconds"],
    )
    finals = pd.DataFrame(
        {
            "item": [1, 2, 3],
            "final_label": ["opinion", "fact", None],
            "status": [UNANIMOUS, ADJUDICATED, UNRESOLVED],
        }
    )
    row = reviewer_report(annotations, finals, cap_seconds=600).iloc[0]
    assert (row["annotations"], row["on_resolved"], row["agrees_with_final"], row["timed"]) == (
        4,
        2,
        1,
        3,
    )
    assert row["time_spent_s"] == pytest.approx(30 + 600 + 0)  # a clock going backwards counts 0
    assert row["median_s"] == pytest.approx(30)
    assert row["agreement_with_final"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "resolved_of_five,counts", [(5, True), (4, True), (3, False), (1, False), (0, False)]
)
def test_a_document_counts_towards_the_rating_only_when_four_fifths_of_it_is_resolved(
    resolved_of_five, counts
):
    # 15 documents of five passages each; in every one, resolved_of_five passages are
    # unanimous and the rest unannotated. 4 of 5 is exactly 80%: the boundary counts.
    passages = pd.DataFrame(
        [(d * 5 + p, d, "A") for d in range(15) for p in range(5)],
        columns=["item", "document", "outlet"],
    )
    annotations = ann(
        [
            (d * 5 + p, r, "opinion", "none", [])
            for d in range(15)
            for p in range(resolved_of_five)
            for r in "ab"
        ]
    )
    report = group_report(passages, annotations, final_labels(annotations), ["opinion"])
    row = report.loc[0]
    assert row["documents_resolved"] == (15 if resolved_of_five else 0)
    assert row["documents_rated"] == (15 if counts else 0)
    assert row["confidence"] == (RATING if counts else INITIAL)


def test_curator_decisions_and_bulk_majority_settlements_are_counted_apart():
    passages = pd.DataFrame(
        [(1, 10, "A"), (2, 10, "A"), (3, 10, "A")], columns=["item", "document", "outlet"]
    )
    annotations = ann(
        [
            (i, r, label, "none", [])
            for i in (1, 2, 3)
            for r, label in zip("ab", ["opinion", "sourced_fact"], strict=True)
        ]
    )
    adjudications = pd.DataFrame(
        {
            "item": [1, 2],
            "label": ["opinion", "opinion"],
            "cited_type": ["none", "none"],
            "markers": [[], []],
            "method": ["chosen", "majority"],
        }
    )
    finals = final_labels(annotations, adjudications)
    assert list(finals.set_index("item")["method"].loc[[1, 2]]) == ["chosen", "majority"]
    row = group_report(passages, annotations, finals, ["opinion", "sourced_fact"]).loc[0]
    assert (row["adjudicated"], row["adjudicated_curator"], row["adjudicated_majority"]) == (
        2,
        1,
        1,
    )
    assert row["unresolved"] == 1
