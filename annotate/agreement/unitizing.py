"""Krippendorff's unitizing alpha (alpha_u) for spans on one continuum. Pure NumPy/pandas.

Krippendorff, K. (1995), "On the reliability of unitizing continuous data", Sociological
Methodology 25: 47-76; Krippendorff, K. (2004), Content Analysis, 2nd ed., Sage, section 11.6
(the example on p. 254 is a test case here, as is the 1995 example on p. 57).

Every observer (reviewer) divides the continuum [begin, begin + length) into units of
category c (its spans labelled c, overlapping ones merged) and gaps (the rest). For two
segments g of observer i and h of observer j, with begin b, end e and length l:

    d2(ig, jh) = (b_ig - b_jh)^2 + (e_ig - e_jh)^2   both units of c that overlap
               = l_ig^2                           a unit of i inside a gap of j
               = l_jh^2                           a gap of i holding a unit of j
               = 0                                otherwise

    D_o(c) = sum over ordered observer pairs i != j and segments g, h of d2 / (m (m - 1) L^2)

    D_e(c) = (2 / L) * sum over all units u of c, of length l, of
               [ (N_c - 1) (2 l^3 - 3 l^2 + l) / 3 + l^2 * sum over gaps k with l_k >= l of
                 (l_k - l + 1) ]
             / ( m L (m L - 1) - sum over units u of l (l - 1) )

with m observers, L the continuum length, N_c the number of units of c over all observers,
and the gaps those of category c over all observers. alpha_u(c) = 1 - D_o(c) / D_e(c) and
alpha_u = 1 - sum_c D_o(c) / sum_c D_e(c).

Several passages: place them end to end on one continuum (offset each passage's spans) and
name every reviewer who unitized all of them; alpha_u assumes every observer unitized the
whole continuum, so reviewers who saw only some passages do not fit this measure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotate.agreement.coding import AgreementResult
from annotate.agreement.spans import ONE_ANNOTATOR

__all__ = ["unitizing_alpha", "unitizing_disagreements"]

NO_UNITS = "no reviewer marked a unit, so expected disagreement is zero"


def _segments(starts, ends, begin: int, stop: int):
    """Units (merged where they overlap) and the gaps between them, both sorted."""
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    if len(starts):
        # A unit starts a new run unless it begins before every earlier unit has ended.
        reach = np.maximum.accumulate(ends)
        new = np.r_[True, starts[1:] >= reach[:-1]]
        starts = starts[new]
        ends = np.maximum.reduceat(ends, np.flatnonzero(new))
    gap_starts = np.r_[begin, ends]
    gap_ends = np.r_[starts, stop]
    keep = gap_ends > gap_starts
    return (starts, ends), (gap_starts[keep], gap_ends[keep])


def _overlapping(a_starts, a_ends, b_starts, b_ends):
    """Index pairs (i, j) of segments of two sorted, non-overlapping lists that overlap."""
    first = np.searchsorted(b_ends, a_starts, side="right")
    stop = np.searchsorted(b_starts, a_ends, side="left")
    count = np.clip(stop - first, 0, None)
    i = np.repeat(np.arange(len(a_starts)), count)
    j = (
        np.repeat(first, count)
        + np.arange(count.sum())
        - np.repeat(np.cumsum(count) - count, count)
    )
    return i, j


def _pair_d2(units_i, gaps_i, units_j, gaps_j) -> float:
    """Sum of d2 over the overlapping segments of observers i and j."""
    total = 0.0
    ui, uj = _overlapping(*units_i, *units_j)
    total += ((units_i[0][ui] - units_j[0][uj]) ** 2 + (units_i[1][ui] - units_j[1][uj]) ** 2).sum()
    for (us, ue), (gs, ge) in ((units_i, gaps_j), (units_j, gaps_i)):
        u, g = _overlapping(us, ue, gs, ge)
        inside = (gs[g] <= us[u]) & (ue[u] <= ge[g])
        total += ((ue[u] - us[u])[inside] ** 2).sum()
    return float(total)


def unitizing_disagreements(
    spans: pd.DataFrame, annotators, begin: int, length: int
) -> pd.DataFrame:
    """Per label: observed and expected disagreement and alpha_u (None when undefined).

    ``spans``: ``annotator, start, end, label`` on [begin, begin + length); ``annotators``:
    every observer, including those who marked nothing.
    """
    annotators = list(dict.fromkeys(annotators))
    s = spans[["annotator", "start", "end", "label"]].dropna()
    s = s[s["annotator"].isin(annotators)]
    s = s.assign(
        start=s["start"].clip(begin, begin + length), end=s["end"].clip(begin, begin + length)
    )
    s = s[s["end"] > s["start"]]
    m, size, stop = len(annotators), float(length), begin + length
    rows = []
    for label, group in s.groupby("label", sort=True):
        parts = []
        for a in annotators:
            mine = group[group["annotator"] == a]
            units, gaps = _segments(
                mine["start"].to_numpy(np.float64), mine["end"].to_numpy(np.float64), begin, stop
            )
            parts.append((units, gaps))
        observed = sum(_pair_d2(*parts[i], *parts[j]) for i in range(m) for j in range(i + 1, m))
        observed = 2 * observed / (m * (m - 1) * size**2)
        lengths = np.concatenate([u[1] - u[0] for u, _ in parts])
        gap_lengths = np.sort(np.concatenate([g[1] - g[0] for _, g in parts]))
        n_c = len(lengths)
        # For each unit length l: the gaps at least as long, their count and total length.
        at_least = len(gap_lengths) - np.searchsorted(gap_lengths, lengths, side="left")
        tail = np.r_[np.cumsum(gap_lengths[::-1])[::-1], 0.0]
        long_total = tail[len(gap_lengths) - at_least]
        within = (n_c - 1) * (2 * lengths**3 - 3 * lengths**2 + lengths) / 3
        across = lengths**2 * (long_total - at_least * (lengths - 1))
        denominator = m * size * (m * size - 1) - (lengths * (lengths - 1)).sum()
        expected = (2 / size) * (within + across).sum() / denominator
        alpha = 1 - observed / expected if expected > 0 else None
        rows.append((label, observed, expected, alpha))
    return pd.DataFrame(rows, columns=["label", "observed", "expected", "alpha"])


def unitizing_alpha(spans: pd.DataFrame, annotators, begin: int, length: int) -> AgreementResult:
    """alpha_u over all labels: 1 - sum_c D_o(c) / sum_c D_e(c)."""
    if len(set(annotators)) < 2:
        return AgreementResult.undefined(ONE_ANNOTATOR)
    per_label = unitizing_disagreements(spans, annotators, begin, length)
    expected = per_label["expected"].sum()
    if per_label.empty or expected <= 0:
        return AgreementResult.undefined(NO_UNITS)
    value = 1 - per_label["observed"].sum() / expected
    return AgreementResult(float(value), None, int(len(spans)))
