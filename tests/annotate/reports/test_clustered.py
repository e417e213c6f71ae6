"""Clustered share intervals, checked against statsmodels, scipy and the outlet report."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from annotate.reports.clustered import (
    BOOTSTRAP,
    DESIGN_EFFECT,
    NO_CLAIM,
    NO_PASSAGE,
    NO_SPREAD,
    ONE_DOCUMENT,
    Measure,
    clustered_intervals,
    document_counts,
    ratio_variance,
    report_measures,
    wide_intervals,
)
from annotate.reports.finals import final_labels
from annotate.reports.reliability import group_report

LABELS = ["sourced_fact", "attributed_claim", "opinion"]
SHARE = [Measure("share", "k", "resolved")]
RATE = [Measure("rate", "k", "resolved", scale=100.0, bounded=False)]


def docs_frame(outlet_docs):
    """{outlet: [(k, resolved), ...]} -> a document_counts-like frame (one row per document)."""
    rows = [
        (f"{outlet}{i}", outlet, k, m)
        for outlet, pairs in outlet_docs.items()
        for i, (k, m) in enumerate(pairs)
    ]
    return pd.DataFrame(rows, columns=["document", "outlet", "k", "resolved"])


def clustered_sample(seed, n_docs=40, p=0.3, icc=0.2):
    rng = np.random.default_rng(seed)
    m = rng.poisson(12, n_docs) + 1
    a, b = p * (1 - icc) / icc, (1 - p) * (1 - icc) / icc
    return [
        (int(k), int(n)) for k, n in zip(rng.binomial(m, rng.beta(a, b, n_docs)), m, strict=True)
    ]


def passages_of(pairs):
    """Passage-level (document, y) rows of [(k, m), ...] per document."""
    doc = np.repeat(np.arange(len(pairs)), [m for _, m in pairs])
    y = np.concatenate([np.r_[np.ones(k), np.zeros(m - k)] for k, m in pairs])
    return doc, y


def test_document_counts_add_up_to_the_outlet_report():
    rng = np.random.default_rng(4)
    passages = pd.DataFrame(
        [(i, i // 5, "A" if i < 40 else "B") for i in range(70)],
        columns=["item", "document", "outlet"],
    )
    rows = []
    for i in range(60):  # the last 10 passages are never annotated
        label = LABELS[rng.integers(3)]
        other = label if rng.random() < 0.7 else LABELS[rng.integers(3)]
        cited = "anonymous" if rng.random() < 0.5 else "named"
        marks = ["loaded_language"] if rng.random() < 0.4 else []
        rows += [(i, "a", label, cited, marks), (i, "b", other, cited, marks)]
    annotations = pd.DataFrame(
        rows, columns=["item", "annotator", "label", "cited_type", "markers"]
    )
    finals = final_labels(annotations)
    report = group_report(passages, annotations, finals, LABELS).set_index("outlet")
    per_outlet = document_counts(passages, finals, LABELS).groupby("outlet").sum()
    for column in ["passages", "resolved", "unresolved", "final_markers", "claims"]:
        assert (per_outlet[column] == report[column]).all(), column
    assert (per_outlet["anonymous_claims"] == report["anonymous_claims"]).all()
    for label in LABELS:
        assert (per_outlet[f"final_{label}"] == report[f"final_{label}"]).all()


def test_ratio_variance_is_the_cluster_robust_variance_of_statsmodels():
    pairs = clustered_sample(1)
    frame = docs_frame({"A": pairs})
    r, v, n, *_ = ratio_variance(frame["k"], frame["resolved"], np.zeros(len(frame), int), 1)
    doc, y = passages_of(pairs)
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": doc})
    # With one regressor statsmodels' small-sample factor G/(G-1)(N-1)/(N-K) is n/(n-1).
    assert r[0] == pytest.approx(fit.params[0], rel=1e-12)
    assert v[0] == pytest.approx(fit.bse[0] ** 2, rel=1e-9)


def test_design_effect_interval_is_wilson_on_the_effective_sample_size():
    pairs = clustered_sample(2)
    result = clustered_intervals(docs_frame({"A": pairs}), SHARE).iloc[0]
    k, m = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    doc, y = passages_of(pairs)
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": doc})
    p = k / m
    deff = fit.bse[0] ** 2 / (p * (1 - p) / m)  # Kish: clustered over simple random variance
    assert deff > 1 and result["deff"] == pytest.approx(deff, rel=1e-9)
    n_star = m / deff * (stats.norm.ppf(0.975) / stats.t.ppf(0.975, len(pairs) - 1)) ** 2
    low, high = proportion_confint(p * n_star, n_star, method="wilson")
    assert (result["low"], result["high"]) == (pytest.approx(low), pytest.approx(high))
    assert result["value"] == pytest.approx(p) and result["reason"] is None


def test_with_one_passage_per_document_the_interval_approaches_wilson():
    pairs = [(1, 1)] * 120 + [(0, 1)] * 280
    result = clustered_intervals(docs_frame({"A": pairs}), SHARE).iloc[0]
    low, high = proportion_confint(120, 400, method="wilson")
    # deff is 1 up to the n/(n-1) factor; only t_{399} against z separates the two.
    assert result["deff"] == pytest.approx(1.0, abs=0.01)
    assert result["low"] == pytest.approx(low, abs=1e-3)
    assert result["high"] == pytest.approx(high, abs=1e-3)


def test_rate_interval_is_t_times_the_cluster_robust_standard_error():
    pairs = clustered_sample(3)
    result = clustered_intervals(docs_frame({"A": pairs}), RATE).iloc[0]
    doc, y = passages_of(pairs)
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": doc})
    half = stats.t.ppf(0.975, len(pairs) - 1) * fit.bse[0]
    assert result["low"] == pytest.approx(100 * (fit.params[0] - half))
    assert result["high"] == pytest.approx(100 * (fit.params[0] + half))


def test_bootstrap_interval_matches_scipy_resampling_documents():
    pairs = clustered_sample(5, n_docs=60)
    k = np.array([p[0] for p in pairs], float)
    m = np.array([p[1] for p in pairs], float)
    ours = clustered_intervals(
        docs_frame({"A": pairs}), SHARE, method=BOOTSTRAP, replicates=4000, seed=1
    ).iloc[0]
    ref = stats.bootstrap(
        (k, m),
        lambda k, m, axis=-1: k.sum(axis=axis) / m.sum(axis=axis),
        paired=True,
        method="percentile",
        n_resamples=4000,
        random_state=np.random.default_rng(2),
    ).confidence_interval
    # Two independent Monte Carlo runs of the same bootstrap: equal up to simulation error.
    assert ours["low"] == pytest.approx(ref.low, abs=0.01)
    assert ours["high"] == pytest.approx(ref.high, abs=0.01)


def test_bootstrap_is_seeded_and_an_outlet_does_not_depend_on_the_others():
    a = clustered_sample(6, n_docs=8)
    alone = clustered_intervals(docs_frame({"A": a}), SHARE, method=BOOTSTRAP, seed=3)
    again = clustered_intervals(docs_frame({"A": a}), SHARE, method=BOOTSTRAP, seed=3)
    other = clustered_intervals(
        docs_frame({"A": a, "B": clustered_sample(7, n_docs=5)}), SHARE, method=BOOTSTRAP, seed=3
    )
    reseeded = clustered_intervals(docs_frame({"A": a}), SHARE, method=BOOTSTRAP, seed=4)
    assert alone.equals(again)
    assert other.iloc[0][["low", "high"]].tolist() == alone.iloc[0][["low", "high"]].tolist()
    assert reseeded.iloc[0]["low"] != alone.iloc[0]["low"] or (
        reseeded.iloc[0]["high"] != alone.iloc[0]["high"]
    )


@pytest.mark.parametrize("method", [DESIGN_EFFECT, BOOTSTRAP])
def test_one_document_gives_an_undefined_interval_with_its_reason(method):
    frame = docs_frame({"A": [(3, 10)], "B": [(2, 5), (1, 6)]})
    out = clustered_intervals(frame, SHARE + RATE, method=method).set_index(["outlet", "measure"])
    for measure in ("share", "rate"):
        row = out.loc[("A", measure)]
        assert math.isnan(row["low"]) and math.isnan(row["high"])
        assert row["reason"] == ONE_DOCUMENT
        assert out.loc[("B", measure), "reason"] is None
    assert out.loc[("A", "share"), "value"] == pytest.approx(0.3)


def test_a_share_of_zero_still_has_a_design_effect_interval_but_no_bootstrap_spread():
    frame = docs_frame({"A": [(0, 4), (0, 7), (0, 5)]})
    design = clustered_intervals(frame, SHARE).iloc[0]
    assert design["low"] == 0 and design["high"] > 0 and design["deff"] == 1
    boot = clustered_intervals(frame, SHARE, method=BOOTSTRAP).iloc[0]
    assert math.isnan(boot["low"]) and boot["reason"] == NO_SPREAD
    rate = clustered_intervals(frame, RATE).iloc[0]  # no marker anywhere: nothing to estimate
    assert math.isnan(rate["low"]) and rate["reason"] == NO_SPREAD


def test_no_resolved_passage_and_no_claim_are_named_reasons():
    passages = pd.DataFrame(
        [(1, 10, "A"), (2, 11, "A"), (3, 12, "B"), (4, 13, "B")],
        columns=["item", "document", "outlet"],
    )
    finals = pd.DataFrame(
        {
            "item": [1, 2],
            "final_label": ["opinion", "sourced_fact"],
            "final_cited_type": ["none", "document"],
            "final_markers": [[], ["loaded_language"]],
            "status": ["unanimous", "adjudicated"],
        }
    )
    docs = document_counts(passages, finals, LABELS)
    out = clustered_intervals(docs, report_measures(LABELS)).set_index(["outlet", "measure"])
    assert out.loc[("B", "share_opinion"), "reason"] == NO_PASSAGE
    assert math.isnan(out.loc[("B", "share_opinion"), "value"])
    assert out.loc[("A", "anonymous_claim_share"), "reason"] == NO_CLAIM
    assert out.loc[("A", "share_opinion"), "documents"] == 2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=6),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from([DESIGN_EFFECT, BOOTSTRAP]),
)
def test_an_interval_is_never_zero_width_it_is_undefined_with_a_reason(outlets, method):
    frame = docs_frame(
        {f"O{i}": [(min(k, k + m), k + m) for k, m in docs] for i, docs in enumerate(outlets)}
    )
    out = clustered_intervals(frame, SHARE + RATE, method=method, replicates=200)
    defined = out["low"].notna()
    assert (out.loc[defined, "high"] > out.loc[defined, "low"]).all()
    assert out.loc[defined, "reason"].isna().all()
    assert out.loc[~defined, "reason"].notna().all()
    assert out.loc[~defined, "high"].isna().all()


def test_wide_intervals_give_one_row_per_outlet_beside_the_report():
    frame = docs_frame({"A": [(1, 3), (2, 4)], "B": [(0, 2)]})
    wide = wide_intervals(clustered_intervals(frame, SHARE + RATE)).set_index("outlet")
    assert list(wide.columns) == [
        "share_doc_low",
        "share_doc_high",
        "share_doc_note",
        "rate_doc_low",
        "rate_doc_high",
        "rate_doc_note",
    ]
    assert wide.loc["B", "share_doc_note"] == ONE_DOCUMENT
    assert wide.loc["A", "share_doc_high"] > wide.loc["A", "share_doc_low"]
