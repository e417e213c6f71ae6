"""Bootstrap confidence intervals for Krippendorff's alpha (pure pandas + NumPy, no Django).

One bootstrap serves every caller: the agreement functions, the dashboard's overall rows and
the per-outlet intervals. Krippendorff's coincidence matrix is linear in the units, so the
per-unit contributions are summed once per resampling group (an item, or a whole document),
and each replicate's matrix is a weighted sum over groups (a matrix product), not a
recomputation from the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotate.agreement.coding import AgreementResult, Coded, code
from annotate.agreement.coefficients import (
    alpha_from_coincidences,
    alpha_result,
    unit_coincidences,
)

# Replicate-by-group weights drawn at once (~32 MB of float64).
_CHUNK_CELLS = 4_000_000
# Largest set of weights kept in a cache for the next call (~128 MB).
_CACHE_CELLS = 16_000_000
ONE_GROUP = "only one {unit} holds a paired passage, so resampling {unit}s gives it back every time"
NO_SPREAD = "every resample gives the same alpha, so there is no spread to read an interval from"
ALL_UNDEFINED = "alpha is undefined in every resample"


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
    interval_reason: str | None = None  # why low/high are undefined while alpha is defined

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
    coded: Coded | None = None,
    cache: dict | None = None,
    point: AgreementResult | None = None,
) -> BootstrapResult:
    """Percentile bootstrap interval for Krippendorff's alpha, resampling items or clusters.

    Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    Communication, UPenn: alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck. Units (items
    with two or more annotations; others carry no pairable values) are drawn with replacement;
    with ``cluster`` naming a column of ``df`` (e.g. ``"document"``), whole clusters are drawn
    instead, which respects the dependence between passages of one document (Field, C. A. and
    Welsh, A. H. (2007) "Bootstrapping clustered data", JRSS B 69(3)). Each item must belong
    to one cluster, and only clusters holding a unit are drawn. ``seed`` feeds
    ``numpy.random.default_rng``; the fixed default makes intervals reproducible between page
    loads. The interval is never a zero-width range: with a single group to draw from, when
    every replicate gives one value, or when every replicate is undefined, ``low`` and
    ``high`` are NaN and ``interval_reason`` says why. ``coded`` is ``code(df, order, level)``
    if the caller has it; ``cache`` (a dict)
    lets calls that resample the same number of groups with the same seed share the drawn
    weights (the draws depend on nothing else). ``point`` is ``alpha_result(coded, level)`` if
    the caller has it.
    """
    c = coded if coded is not None else code(df, order, level)
    point = point if point is not None else alpha_result(c, level)
    unit, flat, value, n_units = unit_coincidences(c)
    if not point.defined:
        return BootstrapResult(math.nan, math.nan, math.nan, n, n, n_units, point.reason)
    k = len(c.labels)
    groups, n_groups = unit_groups(df, c, cluster, n_units)
    # Columns only for the (c, k) cells that actually occur keep the matrix small even when
    # the label set is large.
    used, col = np.unique(flat, return_inverse=True)
    per_group = np.bincount(
        groups[unit] * len(used) + col, weights=value, minlength=n_groups * len(used)
    ).reshape(n_groups, len(used))
    if n_groups < 2:
        reason = ONE_GROUP.format(unit=cluster or "passage")
        return BootstrapResult(point.value, math.nan, math.nan, n, 0, n_groups, None, reason)
    alphas = np.empty(n)
    for lo, weights in replicate_weights(n, n_groups, seed, cache):
        o = np.zeros((len(weights), k * k))
        o[:, used] = weights @ per_group
        alphas[lo : lo + len(weights)] = alpha_from_coincidences(
            o.reshape(-1, k, k), level, c.labels
        )
    defined = alphas[~np.isnan(alphas)]
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(defined, [tail, 100 - tail]) if len(defined) else (math.nan,) * 2
    reason = None
    if not len(defined):
        reason = ALL_UNDEFINED if n else None
    elif low == high:
        low, high, reason = math.nan, math.nan, NO_SPREAD
    undefined = n - len(defined)
    return BootstrapResult(
        point.value, float(low), float(high), n, undefined, n_groups, None, reason
    )


def unit_groups(df: pd.DataFrame, c: Coded, cluster: str | None, n_units: int):
    """Map each unit to its resampling group (itself, or its cluster's index); the group count."""
    if cluster is None:
        return np.arange(n_units), n_units
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


def replicate_weights(n: int, n_groups: int, seed, cache: dict | None = None):
    """(first replicate, replicates x groups draw counts) chunks: n draws of n_groups groups.

    No more than _CHUNK_CELLS weights are drawn at once, and without a cache the chunks are
    made as they are used, so memory stays bounded whatever the number of groups.
    Generator.integers gives the same stream however the draws are split between calls, so
    the chunk size never changes the result.
    """
    key = (n, n_groups, seed)
    if cache is not None and key in cache:
        return cache[key]
    chunks = _draw(n, n_groups, seed)
    if cache is not None and n * n_groups <= _CACHE_CELLS:
        cache[key] = list(chunks)
        return cache[key]
    return chunks


def _draw(n: int, n_groups: int, seed):
    rng = np.random.default_rng(seed)
    step = max(1, _CHUNK_CELLS // max(n_groups, 1))
    for lo in range(0, n, step):
        b = min(step, n - lo)
        draws = rng.integers(0, n_groups, size=(b, n_groups))
        offsets = (np.arange(b) * n_groups)[:, None]
        counts = np.bincount((draws + offsets).ravel(), minlength=b * n_groups)
        yield lo, counts.reshape(b, n_groups).astype(np.float64)
