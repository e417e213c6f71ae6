"""Bootstrap confidence intervals for Krippendorff's alpha (pure pandas + NumPy, no Django).

Split out of ``annotate.agreement`` (which re-exports ``bootstrap_alpha`` and
``BootstrapResult``) to keep each module short; the cleaning rules documented there apply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotate import agreement as core

# Cap on replicate-by-unit weight cells held at once (~32 MB of float64).
_CHUNK_CELLS = 4_000_000


@dataclass(frozen=True)
class BootstrapResult:
    """Point estimate and percentile interval; ``low``/``high`` ignore undefined replicates."""

    alpha: float
    low: float
    high: float
    n: int  # replicates drawn
    n_undefined: int  # replicates whose alpha was undefined (e.g. one label in the resample)
    n_units: int  # items (or clusters) resampled
    reason: str | None = None  # why ``alpha`` is undefined, as in AgreementResult

    @property
    def defined(self) -> bool:
        return self.reason is None


def bootstrap_alpha(
    df: pd.DataFrame,
    n: int = 1000,
    seed: int | None = 0,
    cluster: str | None = None,
    level: str = "nominal",
    order=None,
    confidence: float = 0.95,
) -> BootstrapResult:
    """Percentile bootstrap interval for Krippendorff's alpha, resampling items or clusters.

    Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    Communication, UPenn: alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck. Units (items
    with two or more annotations; others carry no pairable values) are drawn with replacement;
    with ``cluster`` naming a column of ``df`` (e.g. ``"document"``), whole clusters are drawn
    instead, which respects the dependence between passages of one document. Each item must
    belong to one cluster. The coincidence matrix is linear in the units, so per-unit
    contributions are computed once and every replicate is a weighted sum (a matrix product),
    not a recomputation from the frame. ``seed`` feeds ``numpy.random.default_rng``; the fixed
    default makes intervals reproducible between page loads.
    """
    c = core._prepare(df, order, level)
    point = core._alpha_result(df, level, order)
    unit, flat, value, n_units = core._unit_coincidences(c)
    if not point.defined:
        return BootstrapResult(math.nan, math.nan, math.nan, n, n, n_units, point.reason)
    k = len(c.labels)
    # Columns only for the (c, k) cells that actually occur keep the unit matrix small even
    # when the label set is large.
    used, col = np.unique(flat, return_inverse=True)
    per_unit = np.bincount(unit * len(used) + col, weights=value, minlength=n_units * len(used))
    per_unit = per_unit.reshape(n_units, len(used))
    groups, n_groups = _unit_groups(df, c, cluster, n_units)
    rng = np.random.default_rng(seed)
    alphas = np.empty(n)
    step = max(1, _CHUNK_CELLS // max(n_groups, n_units))
    for lo in range(0, n, step):
        b = min(step, n - lo)
        draws = rng.integers(0, n_groups, size=(b, n_groups))
        offsets = (np.arange(b) * n_groups)[:, None]
        counts = np.bincount((draws + offsets).ravel(), minlength=b * n_groups)
        weights = counts.reshape(b, n_groups).astype(np.float64)
        if groups is not None:
            weights = weights[:, groups]
        o = np.zeros((b, k * k))
        o[:, used] = weights @ per_unit
        alphas[lo : lo + b] = core._alpha_from_coincidences(o.reshape(b, k, k), level, c.labels)
    defined = alphas[~np.isnan(alphas)]
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(defined, [tail, 100 - tail]) if len(defined) else (math.nan,) * 2
    return BootstrapResult(point.value, float(low), float(high), n, n - len(defined), n_groups)


def _unit_groups(df: pd.DataFrame, c, cluster: str | None, n_units: int):
    """Map each unit to its resampling group: itself, or its cluster's index."""
    if cluster is None:
        return None, n_units
    if cluster not in df.columns:
        raise ValueError(f"cluster column {cluster!r} not in frame")
    # Sorted codes: the interval must not depend on the order rows arrive in.
    codes, _ = pd.factorize(df[cluster].iloc[c.rows], sort=True)
    if (codes < 0).any():
        raise ValueError(f"cluster column {cluster!r} has missing values")
    per_item = np.full(c.n_items, -1)
    per_item[c.item] = codes
    if (per_item[c.item] != codes).any():
        raise ValueError(f"an item belongs to more than one {cluster!r}")
    m = np.bincount(c.item, minlength=c.n_items)
    unit_cluster = per_item[m >= 2]  # units are the items with m >= 2, in item-code order
    # Only clusters holding a unit are drawn: clusters without pairable values would dilute
    # each replicate with empty draws.
    present, groups = np.unique(unit_cluster, return_inverse=True)
    return groups, len(present)
