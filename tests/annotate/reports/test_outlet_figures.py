"""annotate.reports.outlet_figures: the outlet report's clustered, bounded and model readings."""

import math

import numpy as np
import pandas as pd
import pytest

from annotate.reports.clustered import ONE_DOCUMENT, document_counts
from annotate.reports.finals import final_labels
from annotate.reports.outlet_figures import (
    confusion_names,
    model_fit,
    reviewer_model_columns,
    sensitivity_columns,
    sensitivity_names,
)
from annotate.reports.reliability import group_report

LABELS = ["sourced_fact", "attributed_claim", "opinion"]


def campaign(seed=3, outlets=("A", "B"), documents=6, passages=5):
    """Outlets of several documents each; three reviewers who mostly agree; a few passages
    nobody labelled. Outlet "Solo" has one document."""
    rng = np.random.default_rng(seed)
    rows, answers, item = [], [], 0
    layout = [(o, d) for o in outlets for d in range(documents)] + [("Solo", 0)]
    for outlet, d in layout:
        for _ in range(passages):
            rows.append((item, f"{outlet}-{d}", outlet))
            if rng.random() < 0.85:
                truth = LABELS[rng.integers(0, 3)]
                for reviewer in "xyz":
                    label = truth if rng.random() < 0.85 else LABELS[rng.integers(0, 3)]
                    answers.append((item, reviewer, label, "none", ()))
            item += 1
    passages = pd.DataFrame(rows, columns=["item", "document", "outlet"])
    annotations = pd.DataFrame(
        answers, columns=["item", "annotator", "label", "cited_type", "markers"]
    )
    return passages, annotations, final_labels(annotations, min_annotations=3)


def test_every_outlet_gets_every_sensitivity_column():
    passages, annotations, finals = campaign()
    out = sensitivity_columns(passages, annotations, finals, LABELS)
    assert list(out["outlet"]) == ["A", "B", "Solo"]
    assert set(sensitivity_names(LABELS)) <= set(out.columns)


def test_clustered_intervals_hold_the_share_and_are_undefined_for_one_document():
    passages, annotations, finals = campaign()
    out = sensitivity_columns(passages, annotations, finals, LABELS).set_index("outlet")
    report = group_report(passages, annotations, finals, LABELS).set_index("outlet")
    for outlet in ("A", "B"):
        for label in LABELS:
            share = report.loc[outlet, f"share_{label}"]
            low, high = (
                out.loc[outlet, f"share_{label}_doc_low"],
                out.loc[outlet, f"share_{label}_doc_high"],
            )
            assert low <= share <= high and low < high
    solo = out.loc["Solo"]
    assert math.isnan(solo["share_opinion_doc_low"]) and math.isnan(solo["share_opinion_doc_high"])
    assert solo["share_opinion_doc_note"] == ONE_DOCUMENT


def test_bounds_enclose_the_share_and_widen_with_unresolved_passages():
    passages, annotations, finals = campaign()
    out = sensitivity_columns(passages, annotations, finals, LABELS).set_index("outlet")
    report = group_report(passages, annotations, finals, LABELS).set_index("outlet")
    for outlet in ("A", "B"):
        unresolved = report.loc[outlet, "unresolved"]
        resolved = report.loc[outlet, "resolved"]
        for label in LABELS:
            k = report.loc[outlet, f"final_{label}"]
            low = out.loc[outlet, f"share_{label}_if_unresolved_low"]
            high = out.loc[outlet, f"share_{label}_if_unresolved_high"]
            # All unresolved passages another type, or all this type (Manski bounds).
            assert low == pytest.approx(k / (resolved + unresolved))
            assert high == pytest.approx((k + unresolved) / (resolved + unresolved))


def test_model_shares_are_shares_of_the_annotated_passages():
    passages, annotations, finals = campaign()
    out = sensitivity_columns(passages, annotations, finals, LABELS).set_index("outlet")
    for outlet in ("A", "B", "Solo"):
        total = sum(out.loc[outlet, f"share_{label}_model"] for label in LABELS)
        assert total == pytest.approx(1.0)


def test_each_reviewer_gets_a_model_accuracy_and_a_confusion_matrix_whose_rows_sum_to_one():
    _, annotations, finals = campaign()
    fit = model_fit(annotations, finals, LABELS)
    table = reviewer_model_columns(fit, LABELS).set_index("annotator")
    assert sorted(table.index) == ["x", "y", "z"]
    assert list(table.columns) == ["model_accuracy", *confusion_names(LABELS)]
    for reviewer in "xyz":
        assert 0.5 < table.loc[reviewer, "model_accuracy"] <= 1.0  # they agree 85% of the time
        for true in LABELS:
            row = [table.loc[reviewer, f"p_{given}_when_{true}"] for given in LABELS]
            assert sum(row) == pytest.approx(1.0)


def test_document_counts_feed_the_figures_from_the_same_passages():
    passages, annotations, finals = campaign()
    documents = document_counts(passages, finals, LABELS)
    assert documents["passages"].sum() == len(passages)
    assert set(documents["outlet"]) == {"A", "B", "Solo"}
