"""Agreement coefficients: Krippendorff's alpha, Fleiss' kappa, Gwet's AC1, observed agreement.

Pure pandas + NumPy, no Django. Every function takes a long frame of ``item``, ``annotator``,
``label`` and cleans it with ``annotate.agreement.coding.code`` (missing values dropped, the last
of a reviewer's repeated labels kept). Items with fewer than two annotations add nothing to
observed agreement (Fleiss' kappa and AC1 still count them in the label shares, as irrCAC does).

Undefined values: the scalar functions return a plain ``float``, ``math.nan`` when undefined
(empty frame, one annotator, no item with two annotations, a single label so chance agreement
is total); they never raise or warn for such data, so they compare directly with reference
libraries. ``alpha_result`` and ``share_results`` give the same values as ``AgreementResult``s
with the reason; they take an already coded frame, so one coding serves every coefficient.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from annotate.agreement.coding import (
    NO_PAIRS,
    ONE_LABEL,
    AgreementResult,
    Coded,
    code,
    label_cells,
    pairs_within,
)

SHARE_MEASURES = ("percent_agreement", "fleiss_kappa", "gwet_ac1")


def unit_coincidences(c: Coded):
    """Per-unit contributions to Krippendorff's coincidence matrix, as sparse triplets.

    o_ck = sum_u n_uc (n_uk - [c == k]) / (m_u - 1) over units u with m_u >= 2 values
    (Krippendorff 2011, section C). Returns (unit, flat index c*K+k, value, n_units); units
    are the items with m_u >= 2, numbered in item-code order.
    """
    cell_item, cell_label, count, m = label_cells(c, 2)
    if len(cell_item) == 0:
        return (np.zeros(0, np.int64),) * 2 + (np.zeros(0),) + (0,)
    unit = np.cumsum(np.r_[True, cell_item[1:] != cell_item[:-1]]) - 1
    a, b = pairs_within(unit, distinct=False)
    value = count[a] * (count[b] - (a == b)) / (m[cell_item[a]] - 1)
    k = len(c.labels)
    return unit[a], cell_label[a] * k + cell_label[b], value, int(unit[-1]) + 1


def coincidences(c: Coded) -> tuple[np.ndarray, int]:
    """Coincidence matrix o (K x K) and the number of units with two or more values."""
    k = len(c.labels)
    if not c.dense:
        _, flat, value, n_units = unit_coincidences(c)
        return np.bincount(flat, weights=value, minlength=k * k).reshape(k, k), n_units
    counts = np.bincount(c.item * k + c.label, minlength=c.n_items * k).reshape(c.n_items, k)
    m = counts.sum(axis=1)
    w = np.zeros(c.n_items)
    np.divide(1.0, m - 1, out=w, where=m >= 2)
    # Same formula as unit_coincidences, as one matrix product: C^T diag(w) C - diag(C^T w).
    weighted = counts.T * w
    o = weighted @ counts - np.diag(weighted.sum(axis=1))
    return o, int((m >= 2).sum())


def _delta(n_c: np.ndarray, level: str, labels: np.ndarray) -> np.ndarray:
    """Squared difference function delta^2_ck (Krippendorff 2011, section E); batched on axis 0."""
    k = n_c.shape[-1]
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "interval":
        v = labels.astype(float)
        return np.subtract.outer(v, v) ** 2
    idx = np.arange(k)
    lo, hi = np.minimum.outer(idx, idx), np.maximum.outer(idx, idx)
    cum = np.cumsum(n_c, axis=-1)
    between = cum[..., hi] - cum[..., lo] + n_c[..., lo]  # sum of n_g for g from c to k
    return (between - (n_c[..., :, None] + n_c[..., None, :]) / 2) ** 2


def alpha_from_coincidences(o: np.ndarray, level: str, labels: np.ndarray) -> np.ndarray:
    """alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck for a stack of matrices (B, K, K)."""
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    d = _delta(n_c, level, labels)
    observed = (o * d).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * d).sum(axis=(1, 2))
    ok = expected > 0
    out = np.full(len(o), np.nan)
    out[ok] = 1.0 - (n[ok] - 1) * observed[ok] / expected[ok]
    return out


def alpha_result(c: Coded, level: str = "nominal") -> AgreementResult:
    """Krippendorff's alpha of a coded frame, with the reason it is undefined (see below)."""
    if reason := c.undefined_reason():
        return AgreementResult.undefined(reason)
    o, n_units = coincidences(c)
    if n_units == 0:
        return AgreementResult.undefined(NO_PAIRS)
    value = float(alpha_from_coincidences(o[None], level, c.labels)[0])
    if math.isnan(value):
        return AgreementResult.undefined(ONE_LABEL, n_units)
    return AgreementResult(value, None, n_units)


def krippendorff_alpha(df: pd.DataFrame, level: str = "nominal", order=None) -> float:
    """Krippendorff's alpha, ``1 - D_o / D_e = 1 - (n - 1) sum_ck o_ck d_ck / sum_ck n_c n_k d_ck``.

    Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    Communication, University of Pennsylvania. ``o`` is the coincidence matrix over units with
    two or more values, ``n_c`` its margins; ``d`` is the nominal (``c != k``), ordinal
    (``(sum_{g=c..k} n_g - (n_c + n_k)/2)^2``) or interval (``(c - k)^2``) difference.
    For ``level="ordinal"`` the label order is ``order`` if given, else the sorted labels.
    Computed from factorised codes with bincounts (no loop over items). NaN when undefined.
    """
    return alpha_result(code(df, order, level), level).value


def alpha_summary(df: pd.DataFrame, level: str = "nominal", order=None) -> AgreementResult:
    """``krippendorff_alpha`` with the reason it is undefined and the number of paired items."""
    return alpha_result(code(df, order, level), level)


def coincidence_matrix(df: pd.DataFrame, order=None) -> pd.DataFrame:
    """Krippendorff's coincidence matrix ``o_ck = sum_u n_uc (n_uk - [c=k]) / (m_u - 1)``.

    Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C. Square frame
    indexed by label (rows c, columns k); symmetric; its total is the number of pairable values.
    """
    c = code(df, order)
    o, _ = coincidences(c)
    index = pd.Index(c.labels, name="label")
    return pd.DataFrame(o, index=index, columns=index.rename(None))


def per_label_alpha(df: pd.DataFrame, order=None) -> pd.DataFrame:
    """Nominal alpha of each label against all the others merged (binary recoding).

    Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": merging categories adds
    their coincidences, so each binary alpha comes straight from the full matrix:
    ``alpha_c = 1 - (n - 1) o_c,notc / (n_c (n - n_c))``. Columns: ``label``, ``alpha`` (NaN when
    the label is never or always used in paired items), ``n_values`` (paired values with that
    label, n_c) and ``n_items`` (items with >= 2 annotations where someone used the label).
    """
    c = code(df, order)
    o, _ = coincidences(c)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    off = n_c - np.diag(o)
    den = n_c * (n - n_c)
    alpha = np.full(len(n_c), np.nan)
    alpha[den > 0] = 1.0 - (n - 1) * off[den > 0] / den[den > 0]
    _, cell_label, _, _ = label_cells(c, 2)
    items = np.bincount(cell_label, minlength=len(c.labels))
    return pd.DataFrame({"label": c.labels, "alpha": alpha, "n_values": n_c, "n_items": items})


def pairing_stats(c: Coded):
    """Per-item observed agreement and label shares shared by Fleiss, Gwet and Pa (irrCAC)."""
    cell_item, cell_label, count, m = label_cells(c, 1)
    rated = m > 0
    paired = m >= 2
    same = np.bincount(cell_item, weights=count * (count - 1), minlength=c.n_items)
    pa = float((same[paired] / (m[paired] * (m[paired] - 1))).mean()) if paired.any() else math.nan
    share = count / m[cell_item]
    pi = np.bincount(cell_label, weights=share, minlength=len(c.labels)) / rated.sum()
    return pa, pi, int(paired.sum())


def share_results(c: Coded) -> dict[str, AgreementResult]:
    """Percent agreement, Fleiss' kappa and Gwet's AC1 of a coded frame, with their reasons.

    The three differ only in chance agreement P_e (see their functions below), so observed
    agreement and the label shares are computed once. AC1 counts ``len(c.labels)`` categories:
    code the frame with the category set (``code(df, order=labels)``) to count unused ones.
    """
    if reason := c.undefined_reason():
        return dict.fromkeys(SHARE_MEASURES, AgreementResult.undefined(reason))
    pa, pi, n_items = pairing_stats(c)
    if not n_items:
        return dict.fromkeys(SHARE_MEASURES, AgreementResult.undefined(NO_PAIRS))
    results = {"percent_agreement": AgreementResult(pa, None, n_items)}
    if (pi > 0).sum() < 2:
        results["fleiss_kappa"] = AgreementResult.undefined(ONE_LABEL, n_items)
    else:
        pe = float((pi**2).sum())
        results["fleiss_kappa"] = AgreementResult((pa - pe) / (1 - pe), None, n_items)
    q = len(c.labels)
    if q < 2:
        reason = "fewer than two categories; pass labels="
        results["gwet_ac1"] = AgreementResult.undefined(reason, n_items)
    else:
        pe = float((pi * (1 - pi)).sum()) / (q - 1)
        results["gwet_ac1"] = AgreementResult((pa - pe) / (1 - pe), None, n_items)
    return results


def percent_agreement(df: pd.DataFrame) -> float:
    """Fleiss' P-bar: mean over items with r_i >= 2 of ``sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))``.

    The share of agreeing annotator pairs per item, averaged over items. Fleiss, J. L. (1971)
    "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5);
    irrCAC ``pa_coeff_raw``. Not chance-corrected. NaN when no item has two annotations.
    """
    return share_results(code(df))["percent_agreement"].value


def fleiss_kappa(df: pd.DataFrame) -> float:
    """Fleiss' kappa ``(P_a - P_e) / (1 - P_e)``, generalised to varying raters per item.

    Fleiss, J. L. (1971) "Measuring nominal scale agreement among many raters", Psychological
    Bulletin 76(5), in Gwet's generalisation as irrCAC's ``fleiss_kappa_raw`` computes it:
    ``P_a`` = mean over items with r_i >= 2 of ``sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))``;
    ``P_e = sum_k pi_k^2`` with ``pi_k`` = mean over all rated items of ``r_ik / r_i``. With the
    same number of raters on every item this is exactly Fleiss' 1971 statistic. NaN when undefined
    (including one label used by everyone, where irrCAC substitutes P_e = 1e-15).
    """
    return share_results(code(df))["fleiss_kappa"].value


def gwet_ac1(df: pd.DataFrame, labels=None) -> float:
    """Gwet's AC1 ``(P_a - P_e) / (1 - P_e)`` with ``P_e = sum_k pi_k (1 - pi_k) / (Q - 1)``.

    Gwet, K. L. (2008) "Computing inter-rater reliability and its variance in the presence of
    high agreement", British Journal of Mathematical and Statistical Psychology 61(1); P_a and
    pi_k as in ``fleiss_kappa`` (irrCAC ``gwet_ac1_raw``). ``Q = len(labels)`` when the category
    set is given (labels outside it raise ValueError), else the number of labels present.
    Unlike irrCAC, which substitutes P_e = 1e-15 when Q = 1, this returns NaN for Q < 2.
    """
    return share_results(code(df, labels))["gwet_ac1"].value
