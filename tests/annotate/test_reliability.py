"""Final labels and per-outlet figures, checked by hand and against statsmodels."""

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from annotate.reliability import (
    ADJUDICATED,
    UNANIMOUS,
    UNRESOLVED,
    final_labels,
    outlet_report,
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
    annotations = ann([
        (1, "a", "opinion", "none", ["loaded"]), (1, "b", "opinion", "none", ["loaded", "framing"]),
        (2, "a", "opinion", "none", []), (2, "b", "attributed_claim", "anonymous", []),
        (3, "a", "sourced_fact", "document", []), (3, "b", "opinion", "none", []),
        (4, "a", "sourced_fact", "document", []),  # one annotation: not yet unanimous
    ])
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
    annotations = ann([
        (1, "a", "attributed_claim", "anonymous", ["loaded"]), (1, "b", "attributed_claim", "anonymous", ["loaded"]),
        (2, "a", "opinion", "none", []), (2, "b", "opinion", "none", []),
        (3, "a", "opinion", "none", []), (3, "b", "sourced_fact", "document", []),
        (4, "a", "sourced_fact", "document", []), (4, "c", "sourced_fact", "document", []),
    ])
    finals = final_labels(annotations)
    report = outlet_report(passages, annotations, finals, ["sourced_fact", "attributed_claim", "opinion"]).set_index("outlet")
    a, b = report.loc["A"], report.loc["B"]
    assert (a["documents"], a["passages"], a["reviewers"], a["annotations"]) == (2, 3, 2, 6)
    # Outlet A: items 1 and 2 resolved (claim, opinion), item 3 unresolved.
    assert a["resolved"] == 2
    assert a["share_opinion"] == pytest.approx(0.5)
    low, high = proportion_confint(1, 2, method="wilson")
    assert (a["share_opinion_low"], a["share_opinion_high"]) == (pytest.approx(low), pytest.approx(high))
    assert a["anonymous_claim_share"] == 1.0
    assert a["markers_per_100"] == pytest.approx(50.0)  # one marker over two resolved passages
    assert a["unresolved_share"] == pytest.approx(1 / 3)
    assert a["adjudicated_share"] == 0
    # Outlet B: item 4 resolved, item 5 never annotated.
    assert b["resolved"] == 1 and b["unannotated"] == 1 and b["unresolved_share"] == pytest.approx(0.5)
    assert math.isnan(b["anonymous_claim_share"])
    assert b["confidence"].startswith("initial reading")


def test_outlet_with_fifteen_documents_is_rated():
    passages = pd.DataFrame([(i, i, "A") for i in range(15)], columns=["item", "document", "outlet"])
    empty = ann([])
    report = outlet_report(passages, empty, final_labels(empty), ["opinion"])
    assert report.loc[0, "confidence"] == "rating"
    assert np.isnan(report.loc[0, "share_opinion"])
