"""Outlet comparisons, checked against statsmodels and scipy on worked examples."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import proportion
from statsmodels.stats.multitest import multipletests

from annotate.reports.clustered import NO_SPREAD, Measure
from annotate.reports.comparisons import (
    BENJAMINI_HOCHBERG,
    COLUMNS,
    COMPARED,
    HOLM,
    PAIR,
    REST,
    TOO_FEW,
    UNDEFINED,
    VS_REST,
    adjust_p,
    compare_outlets,
)

SHARE = [Measure("share", "k", "resolved")]


def docs_frame(outlet_docs):
    """{outlet: [(k, resolved), ...]} -> a document_counts-like frame (one row per document)."""
    rows = [
        (f"{outlet}{i}", outlet, k, m)
        for outlet, pairs in outlet_docs.items()
        for i, (k, m) in enumerate(pairs)
    ]
    return pd.DataFrame(rows, columns=["document", "outlet", "k", "resolved"])


def clustered_sample(seed, n_docs, p, icc=0.2):
    rng = np.random.default_rng(seed)
    m = rng.poisson(10, n_docs) + 1
    a, b = p * (1 - icc) / icc, (1 - p) * (1 - icc) / icc
    k = rng.binomial(m, rng.beta(a, b, n_docs))
    return [(int(x), int(n)) for x, n in zip(k, m, strict=True)]


def passage_rows(pairs):
    doc = np.repeat(np.arange(len(pairs)), [m for _, m in pairs])
    y = np.concatenate([np.r_[np.ones(k), np.zeros(m - k)] for k, m in pairs])
    return doc, y


def cluster_variance(pairs):
    """statsmodels' cluster-robust variance of one outlet's share (n/(n-1) factor included)."""
    doc, y = passage_rows(pairs)
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": doc})
    return fit.params[0], fit.bse[0] ** 2


@pytest.mark.parametrize("method,reference", [(HOLM, "holm"), (BENJAMINI_HOCHBERG, "fdr_bh")])
def test_corrections_match_statsmodels_multipletests(method, reference):
    rng = np.random.default_rng(0)
    p = np.r_[rng.uniform(0, 0.05, 8), rng.uniform(0, 1, 30), [0.01, 0.01, 1.0]]
    expected = multipletests(p, method=reference)[1]
    assert adjust_p(p, method) == pytest.approx(expected, abs=1e-12)
    with_gaps = np.r_[p[:5], np.nan, p[5:]]  # undefined p-values stay out of the family
    adjusted = adjust_p(with_gaps, method)
    assert math.isnan(adjusted[5])
    assert np.r_[adjusted[:5], adjusted[6:]] == pytest.approx(expected, abs=1e-12)


def test_pair_p_value_is_the_cluster_robust_t_test_of_statsmodels():
    a, b = clustered_sample(1, 25, 0.3), clustered_sample(2, 18, 0.45)
    row = compare_outlets(docs_frame({"A": a, "B": b}), measures=SHARE).iloc[0]
    (ra, va), (rb, vb) = cluster_variance(a), cluster_variance(b)
    t = (ra - rb) / math.sqrt(va + vb)
    assert row["difference"] == pytest.approx(ra - rb, rel=1e-12)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), 25 + 18 - 2), rel=1e-9)
    # The same variance is statsmodels' cluster-robust variance of the outlet coefficient in a
    # regression of the passage indicator on the outlet, once each outlet has its n/(n-1).
    doc_a, y_a = passage_rows(a)
    doc_b, y_b = passage_rows(b)
    y = np.r_[y_a, y_b]
    x = sm.add_constant(np.r_[np.ones(len(y_a)), np.zeros(len(y_b))])
    groups = np.r_[doc_a, doc_b + len(a)]
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False})
    assert fit.params[1] == pytest.approx(ra - rb, rel=1e-12)
    assert fit.bse[1] ** 2 == pytest.approx(va * 24 / 25 + vb * 17 / 18, rel=1e-9)


def test_with_one_passage_per_document_the_test_is_the_two_proportion_z_test():
    a = [(1, 1)] * 700 + [(0, 1)] * 1300
    b = [(1, 1)] * 800 + [(0, 1)] * 1200
    row = compare_outlets(docs_frame({"A": a, "B": b}), measures=SHARE, seed=1).iloc[0]
    z = proportion.test_proportions_2indep(700, 2000, 800, 2000, method="wald", compare="diff")
    assert row["difference"] == pytest.approx(-0.05)
    assert row["p_value"] == pytest.approx(z.pvalue, rel=0.02)  # t_3998 and n/(n-1) only
    for method in ("wald", "newcomb"):
        low, high = proportion.confint_proportions_2indep(700, 2000, 800, 2000, method=method)
        assert row["low"] == pytest.approx(low, abs=0.004)
        assert row["high"] == pytest.approx(high, abs=0.004)


def test_bootstrap_interval_matches_scipy_resampling_each_outlets_documents():
    a, b = clustered_sample(3, 30, 0.2), clustered_sample(4, 40, 0.35)
    row = compare_outlets(
        docs_frame({"A": a, "B": b}), measures=SHARE, replicates=4000, seed=5
    ).iloc[0]
    ka, ma = np.array(a, float).T
    kb, mb = np.array(b, float).T

    def difference(i, j, axis=-1):  # resampled document indices of each outlet
        return ka[i].sum(axis=axis) / ma[i].sum(axis=axis) - kb[j].sum(axis=axis) / mb[j].sum(
            axis=axis
        )

    ref = stats.bootstrap(
        (np.arange(len(a)), np.arange(len(b))),
        difference,
        method="percentile",
        n_resamples=4000,
        random_state=np.random.default_rng(6),
    ).confidence_interval
    assert row["low"] == pytest.approx(ref.low, abs=0.012)
    assert row["high"] == pytest.approx(ref.high, abs=0.012)


def test_rest_variance_treats_the_other_outlets_as_strata():
    outlets = {
        "A": clustered_sample(7, 15, 0.3),
        "B": clustered_sample(8, 12, 0.5),
        "C": clustered_sample(9, 20, 0.2),
        "D": [(2, 4)],  # a single document: a certainty unit, no variance
    }
    out = compare_outlets(docs_frame(outlets), measures=SHARE, min_documents=1)
    row = out[(out["comparison"] == VS_REST) & (out["outlet_a"] == "A")].iloc[0]
    rest = [p for name in "BCD" for p in outlets[name]]
    r_rest = sum(k for k, _ in rest) / sum(m for _, m in rest)
    total = sum(m for _, m in rest)
    var_rest = 0.0
    for name in "BCD":  # Cochran's stratified linearisation, written out
        z = np.array([(k - r_rest * m) / total for k, m in outlets[name]])
        if len(z) > 1:
            var_rest += len(z) / (len(z) - 1) * ((z - z.mean()) ** 2).sum()
    ra, va = cluster_variance(outlets["A"])
    t = (ra - r_rest) / math.sqrt(va + var_rest)
    df = (15 + 12 + 20 + 1) - 4
    assert row["outlet_b"] == REST and row["value_b"] == pytest.approx(r_rest)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-9)
    assert row["n_documents_b"] == 33 and row["denominator_b"] == total


def test_with_two_outlets_an_outlet_against_the_rest_is_the_pair():
    frame = docs_frame({"A": clustered_sample(10, 12, 0.3), "B": clustered_sample(11, 14, 0.4)})
    out = compare_outlets(frame, measures=SHARE).set_index(["comparison", "outlet_a"])
    pair, rest = out.loc[(PAIR, "A")], out.loc[(VS_REST, "A")]
    for column in ("difference", "low", "high", "p_value"):
        assert rest[column] == pytest.approx(pair[column], rel=1e-12), column


@pytest.mark.parametrize("n_b,status", [(9, TOO_FEW), (10, COMPARED)])
def test_comparisons_below_the_minimum_have_a_status_and_no_numbers(n_b, status):
    frame = docs_frame({"A": clustered_sample(12, 10, 0.3), "B": clustered_sample(13, n_b, 0.3)})
    row = compare_outlets(frame, measures=SHARE, min_documents=10).iloc[0]
    assert row["status"] == status
    assert (row["n_documents_a"], row["n_documents_b"]) == (10, n_b)
    numbers = ["value_a", "value_b", "difference", "low", "high", "p_value", "p_adjusted"]
    if status == TOO_FEW:
        assert all(math.isnan(row[c]) for c in numbers)
        assert "10 needed on each side" in row["reason"]
    else:
        assert not any(math.isnan(row[c]) for c in numbers) and row["reason"] is None


def test_documents_without_a_resolved_passage_do_not_count_towards_the_minimum():
    frame = docs_frame(
        {"A": clustered_sample(14, 10, 0.3), "B": clustered_sample(15, 9, 0.3) + [(0, 0)] * 5}
    )
    row = compare_outlets(frame, measures=SHARE, min_documents=10).iloc[0]
    assert row["status"] == TOO_FEW and row["n_documents_b"] == 9


def test_outlets_without_spread_are_undefined_never_zero_width():
    frame = docs_frame({"A": [(0, 3)] * 10, "B": [(0, 5)] * 10, "C": clustered_sample(16, 10, 0.3)})
    out = compare_outlets(frame, measures=SHARE).set_index(["outlet_a", "outlet_b"])
    flat = out.loc[("A", "B")]
    assert flat["status"] == UNDEFINED and flat["reason"] == NO_SPREAD
    assert flat["difference"] == 0 and math.isnan(flat["low"]) and math.isnan(flat["p_value"])
    assert out.loc[("A", "C"), "status"] == COMPARED  # C's documents vary
    assert out.loc[("A", "C"), "high"] > out.loc[("A", "C"), "low"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=2, max_size=5),
        min_size=2,
        max_size=3,
    )
)
def test_every_compared_row_has_a_proper_interval_and_a_p_value(outlets):
    frame = docs_frame({f"O{i}": [(k, k + m) for k, m in d] for i, d in enumerate(outlets)})
    out = compare_outlets(frame, measures=SHARE, min_documents=2, replicates=200)
    done = out["status"] == COMPARED
    assert (out.loc[done, "high"] > out.loc[done, "low"]).all()
    assert out.loc[done, "p_value"].between(0, 1).all()
    assert (out.loc[done, "p_adjusted"] >= out.loc[done, "p_value"]).all()
    assert out.loc[~done, "reason"].notna().all() and out.loc[~done, "low"].isna().all()


def test_output_has_every_pair_and_every_outlet_against_the_rest_per_measure():
    frame = docs_frame({name: clustered_sample(i, 12, 0.3) for i, name in enumerate("ABCD")})
    frame["m"] = frame["k"] // 2  # a second measure: half the counts, per 100 passages
    measures = SHARE + [Measure("rate", "m", "resolved", scale=100.0, bounded=False)]
    out = compare_outlets(frame, measures=measures, correction=BENJAMINI_HOCHBERG)
    assert list(out.columns) == COLUMNS
    assert len(out) == (6 + 4) * 2
    assert (out["comparison"] == PAIR).sum() == 12 and (out["outlet_b"] == REST).sum() == 8
    assert set(out["correction"]) == {BENJAMINI_HOCHBERG} and set(out["family_size"]) == {10}
    for measure, rows in out.groupby("measure"):
        expected = multipletests(rows["p_value"], method="fdr_bh")[1]
        assert rows["p_adjusted"].to_numpy() == pytest.approx(expected, abs=1e-12), measure
    rate = out[out["measure"] == "rate"].iloc[0]
    assert rate["value_a"] == pytest.approx(
        100 * frame[frame.outlet == "A"]["m"].sum() / frame[frame.outlet == "A"]["resolved"].sum()
    )
    everything = compare_outlets(frame, measures=measures, family="all")
    assert everything["p_adjusted"].to_numpy() == pytest.approx(
        multipletests(everything["p_value"], method="holm")[1], abs=1e-12
    )
    assert set(everything["family_size"]) == {20}
