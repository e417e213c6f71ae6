"""Outlet comparisons: differences in shares and marker rates, resampling documents (no Django).

For every pair of outlets, and for each outlet against the rest of the campaign, and for each
measure (share_<label>, markers_per_100; the ratio estimators of ``clustered``), the difference
d = r_a - r_b of the two ratio estimates, with:

* a percentile cluster-bootstrap interval: documents are resampled with replacement within
  each outlet (Davison & Hinkley 1997, section 3.8; Field & Welsh 2007, JRSS B 69(3)), the
  outlets independently, so the rest of the campaign keeps its make-up of outlets (a stratified
  bootstrap). The replicates of each outlet are drawn once (``clustered.replicate_sums``) and
  every comparison reuses them: 210 comparisons cost no more draws than 20 outlets;
* a two-sided p-value from the Wald t test with the cluster-robust (linearisation) variance:
  t = d / sqrt(v_a + v_b), where v is the variance of a ratio estimator over documents with the
  outlets as strata, v = sum_h n_h / (n_h - 1) sum_{d in h} (z_d - mean_h z)^2 with
  z_d = (y_d - r m_d) / M (Cochran 1977, *Sampling Techniques*, chs. 5 and 6; Wolter 2007,
  *Introduction to Variance Estimation*, ch. 6, Taylor series), referred to Student's t with
  documents - outlets degrees of freedom, the survey convention for stratified cluster samples
  (Korn & Graubard 1999, *Analysis of Health Surveys*, Wiley). For a pair of outlets it is
  the cluster-robust t test of the outlet coefficient in a regression of the passage indicator
  on the outlet (Cameron & Miller 2015, J. Human Resources 50(2):317-372); with one passage per
  document it is the unpooled two-proportion z test but for t and the n/(n-1) factors. Why not a permutation or bootstrap p-value:
  a Monte Carlo p-value cannot fall below 1 / (R + 1), so with R = 1,000 and a Holm correction
  over m tests nothing could be significant once m > 50 (20 outlets give 210 comparisons per
  measure), and raising R to reach 0.05 / 210 costs more than the 10 s budget. The closed form
  has no floor and no seed. In the rest of the campaign an outlet with a single document is a
  stratum of one: it contributes no variance (a certainty unit) and no degree of freedom;
* a multiple-comparison correction, named in the ``correction`` column: Holm (1979, Scand. J.
  Statistics 6:65-70; valid under any dependence, and the comparisons share outlets) by
  default, or Benjamini & Hochberg (1995, JRSS B 57:289-300). The family is each measure's
  comparisons (``family="measure"``: one question per measure) or all rows (``"all"``).

Minimum sample: a comparison needs ``min_documents`` documents with a resolved passage on each
side, else its status is "too few documents to compare" and it has no numbers. The default 10:
the percentile bootstrap of a mean over n documents has variance (n - 1) / n of the usual
estimate, so below 10 documents its 95% interval covers less than 94% even for normal data;
with 10 the t test has at least 18 degrees of freedom. In a simulation of beta-binomial
documents (10 or 30 a side, shares 0.05 to 0.4, intra-document correlation 0.05 and 0.3, 300
pairs each) the interval covered the true difference 89-95% of the time and the test rejected a
true null at 5% in 2-6% of pairs.

The interval is unadjusted (a 95% interval for each comparison, not simultaneous); the
p_adjusted column carries the correction. Interval and p-value agree asymptotically; near the
5% boundary they can disagree (the t test is the more conservative with few documents).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from annotate.reports.clustered import (
    NO_SPREAD,
    percentile_interval,
    replicate_sums,
    report_measures,
    sampled,
)

PAIR = "pair"
VS_REST = "vs rest"
REST = "rest"
COMPARED = "compared"
TOO_FEW = "too few documents to compare"
UNDEFINED = "undefined"
HOLM = "holm"
BENJAMINI_HOCHBERG = "benjamini-hochberg"
MIN_DOCUMENTS = 10
METHOD = (
    "interval: percentile bootstrap resampling documents within each outlet; "
    "p: Wald t, cluster-robust variance, df = documents - outlets"
)
COLUMNS = [
    "comparison",
    "outlet_a",
    "outlet_b",
    "measure",
    "value_a",
    "value_b",
    "difference",
    "low",
    "high",
    "p_value",
    "p_adjusted",
    "correction",
    "family",
    "family_size",
    "method",
    "confidence",
    "replicates",
    "seed",
    "n_documents_a",
    "n_documents_b",
    "denominator_a",
    "denominator_b",
    "status",
    "reason",
]


def comparison_measures(labels):
    """The compared figures: each passage-type share and markers per 100 resolved passages."""
    return report_measures(labels, anonymous=False)


def adjust_p(p_values, method: str = HOLM) -> np.ndarray:
    """Adjusted p-values; NaN entries stay NaN and are not counted in the family.

    Holm (1979) step-down: p_(i) -> max_{j <= i} min(1, (m - j + 1) p_(j)).
    Benjamini-Hochberg (1995) step-up: p_(i) -> min_{j >= i} min(1, m p_(j) / j).
    The same values as statsmodels.stats.multitest.multipletests "holm" / "fdr_bh".
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    keep = np.flatnonzero(~np.isnan(p))
    m = len(keep)
    if not m:
        return out
    order = keep[np.argsort(p[keep], kind="stable")]
    ranked = p[order]
    rank = np.arange(1, m + 1)
    if method == HOLM:
        adjusted = np.maximum.accumulate(np.minimum(1.0, (m - rank + 1) * ranked))
    elif method == BENJAMINI_HOCHBERG:
        adjusted = np.minimum.accumulate(np.minimum(1.0, m * ranked / rank)[::-1])[::-1]
    else:
        raise ValueError(f"correction must be {HOLM!r} or {BENJAMINI_HOCHBERG!r}, not {method!r}")
    out[order] = adjusted
    return out


def _moments(docs, group, n_groups, y_col, m_col):
    """Per outlet: sums of y, m, y^2, y m, m^2 and the number of documents with m > 0."""
    y = docs[y_col].to_numpy(dtype=float)
    m = docs[m_col].to_numpy(dtype=float)

    def total(w):
        return np.bincount(group, weights=w, minlength=n_groups)

    return total(y), total(m), total(y * y), total(y * m), total(m * m), total(m > 0)


def _stratum_ss(r, y, m, yy, ym, mm, n):
    """sum_{d in h} (e_d - mean_h e)^2 with e_d = y_d - r m_d, for each ratio r (rows) and
    stratum h (columns), from the stratum's sums; 0 for strata of fewer than two documents
    (certainty units); rounding noise below 1e-12 of the scale is set to 0."""
    r = np.asarray(r, dtype=float)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ss = yy - 2 * r * ym + r * r * mm - np.where(n > 0, (y - r * m) ** 2 / n, 0.0)
        ss = np.where(ss <= 1e-12 * (yy + r * r * mm), 0.0, ss)
        return np.where(n > 1, n / (n - 1) * ss, 0.0)


def compare_outlets(
    documents: pd.DataFrame,
    labels=None,
    measures=None,
    replicates: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    min_documents: int = MIN_DOCUMENTS,
    correction: str = HOLM,
    family: str = "measure",
) -> pd.DataFrame:
    """Every pair of outlets and every outlet against the rest: one row per (comparison, measure).

    ``documents``: clustered.document_counts; ``labels``: the passage types (or ``measures``,
    clustered.Measure objects). Columns (COLUMNS, for comparisons.csv): comparison ("pair" or
    "vs rest"), outlet_a, outlet_b ("rest" for the rest), measure, value_a, value_b,
    difference (value_a - value_b, in the measure's unit), low, high (the bootstrap interval),
    p_value, p_adjusted, correction, family, family_size, method, confidence, replicates,
    seed, n_documents_a/b (documents with a resolved passage), denominator_a/b (resolved
    passages), status ("compared", "too few documents to compare" with every number NaN, or
    "undefined") and reason. Methods in the module docstring.
    """
    if measures is None:
        measures = comparison_measures(labels or [])
    if family not in ("measure", "all"):
        raise ValueError(f"family must be 'measure' or 'all', not {family!r}")
    adjust_p([], correction)  # reject an unknown correction before any work
    outlets = np.sort(documents["outlet"].unique()) if len(documents) else np.array([])
    n_outlets = len(outlets)
    if n_outlets < 2 or not measures:
        return pd.DataFrame(columns=COLUMNS)
    docs = sampled(documents)
    group = np.searchsorted(outlets, docs["outlet"].to_numpy())
    needed = list(dict.fromkeys(c for m in measures for c in (m.numerator, m.denominator)))
    boot = replicate_sums(docs, needed, replicates, seed)
    sums = np.zeros((n_outlets, replicates, len(needed)))
    for g, outlet in enumerate(outlets):
        if outlet in boot:
            sums[g] = boot[outlet]
    total = sums.sum(axis=0)
    pairs = np.array(list(combinations(range(n_outlets), 2)), dtype=np.int64).reshape(-1, 2)
    a = np.concatenate([pairs[:, 0], np.arange(n_outlets)])
    b = np.concatenate([pairs[:, 1], np.full(n_outlets, -1)])
    is_rest = b < 0
    docs_per_outlet = np.bincount(group, minlength=n_outlets)
    frames = []
    for k, measure in enumerate(measures):
        y, m, yy, ym, mm, positive = _moments(
            docs, group, n_outlets, measure.numerator, measure.denominator
        )
        num, den = needed.index(measure.numerator), needed.index(measure.denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(m > 0, y / m, np.nan)
            y_rest, m_rest = y.sum() - y, m.sum() - m
            r_rest = np.where(m_rest > 0, y_rest / m_rest, np.nan)
            # Variance of each outlet's own ratio, and of the rest's ratio (other outlets as
            # strata): rows are comparisons' ratios, columns strata.
            n = docs_per_outlet.astype(float)
            own = np.diag(_stratum_ss(r, y, m, yy, ym, mm, n)) / m**2
            rest_ss = _stratum_ss(r_rest, y, m, yy, ym, mm, n)
            np.fill_diagonal(rest_ss, 0.0)
            rest_var = rest_ss.sum(axis=1) / m_rest**2
            value_b = np.where(is_rest, r_rest[a], r[np.maximum(b, 0)])
            var = own[a] + np.where(is_rest, rest_var[a], own[np.maximum(b, 0)])
            strata_b = np.where(is_rest, (docs_per_outlet > 0).sum() - (n[a] > 0), 1)
            docs_b = np.where(is_rest, n.sum() - n[a], n[np.maximum(b, 0)])
            df = n[a] - 1 + docs_b - strata_b
            difference = r[a] - value_b
            t = difference / np.sqrt(var)
            p = np.where((var > 0) & (df > 0), 2 * stats.t.sf(np.abs(t), df), np.nan)
            ratio = sums[:, :, num] / sums[:, :, den]
            rest_ratio = (total[None, :, num] - sums[:, :, num]) / (
                total[None, :, den] - sums[:, :, den]
            )
            other = np.where(is_rest[:, None], rest_ratio[a], ratio[np.maximum(b, 0)])
        low, high, _, flat = percentile_interval((ratio[a] - other).T, confidence)
        n_a = positive[a]
        n_b = np.where(is_rest, positive.sum() - positive[a], positive[np.maximum(b, 0)])
        den_b = np.where(is_rest, m_rest[a], m[np.maximum(b, 0)])
        too_few = (n_a < min_documents) | (n_b < min_documents)
        empty = np.isnan(r[a]) | np.isnan(value_b)
        no_spread = ~too_few & ~empty & (flat | ~(var > 0))
        status = np.where(too_few, TOO_FEW, np.where(empty | no_spread, UNDEFINED, COMPARED))
        reason = np.where(
            too_few,
            [
                f"{int(x)} and {int(z)} documents with resolved passages; "
                f"{min_documents} needed on each side"
                for x, z in zip(n_a, n_b, strict=True)
            ],
            np.where(empty, measure.empty, np.where(no_spread, NO_SPREAD, None)),
        )
        shown = ~too_few
        interval = status == COMPARED
        scale = measure.scale
        frames.append(
            pd.DataFrame(
                {
                    "order": np.arange(len(a)) * len(measures) + k,
                    "comparison": np.where(is_rest, VS_REST, PAIR),
                    "outlet_a": outlets[a],
                    "outlet_b": np.where(is_rest, REST, outlets[np.maximum(b, 0)]),
                    "measure": measure.name,
                    "value_a": np.where(shown, scale * r[a], np.nan),
                    "value_b": np.where(shown, scale * value_b, np.nan),
                    "difference": np.where(shown, scale * difference, np.nan),
                    "low": np.where(interval, scale * low, np.nan),
                    "high": np.where(interval, scale * high, np.nan),
                    "p_value": np.where(interval, p, np.nan),
                    "n_documents_a": n_a.astype(np.int64),
                    "n_documents_b": n_b.astype(np.int64),
                    "denominator_a": m[a].astype(np.int64),
                    "denominator_b": den_b.astype(np.int64),
                    "status": status,
                    "reason": pd.Series(reason, dtype=object).where(pd.notna(reason), None),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).sort_values("order", kind="stable")
    out = out.drop(columns="order").reset_index(drop=True)
    keys = out["measure"] if family == "measure" else pd.Series("all", index=out.index)
    out["p_adjusted"] = np.nan
    out["family_size"] = 0
    for _, rows in out.groupby(keys, sort=False).groups.items():
        out.loc[rows, "p_adjusted"] = adjust_p(out.loc[rows, "p_value"], correction)
        out.loc[rows, "family_size"] = int(out.loc[rows, "p_value"].notna().sum())
    out["correction"] = correction
    out["family"] = family
    out["method"] = METHOD
    out["confidence"] = confidence
    out["replicates"] = replicates
    out["seed"] = seed
    return out[COLUMNS]
