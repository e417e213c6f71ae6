"""The agreement dashboard's numbers, from long frames (pure pandas + NumPy, no Django).

`annotate.frames` builds the frames; this module turns them into the tables a
curator reads: one row per measured dimension (passage type, cited-source type,
each bias marker), then per outlet, per document, per label, per reviewer, the
pairwise kappa matrix and the coincidence matrix.

Grouped alpha (per outlet, per document) is computed for all groups at once
from per-item label counts, not by calling krippendorff_alpha once per group:
a campaign can hold thousands of documents. For nominal data, with n_uc the
number of values c on item u, m_u the values on u (items with m_u >= 2 only),
Krippendorff (2011) gives o_cc = sum_u n_uc (n_uc - 1) / (m_u - 1) and
alpha = 1 - (n - 1) (n - sum_c o_cc) / (n^2 - sum_c n_c^2), n_c = sum_u n_uc.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from annotate import agreement as core
from annotate import agreement_bootstrap as bootstrap
from annotate.agreement import (
    AgreementResult,
    coincidence_matrix,
    pairwise_cohen_kappa,
    per_label_alpha,
)

RELIABLE = 0.800
TENTATIVE = 0.667
# Published expert annotation of fact versus opinion and media bias reaches
# about this much: the BABE corpus (Spinde et al. 2021) reports alpha ~0.40-0.60.
BABE_RANGE = (0.40, 0.60)
_CHUNK_CELLS = 4_000_000  # replicate x document weights drawn at once (32 MB of float64)
_CACHE_CELLS = 16_000_000  # largest set of weights kept for the next dimension (128 MB)


def reading(alpha: float) -> str:
    """Krippendorff's (2004) guidance: >= 0.800 reliable, >= 0.667 tentative conclusions only."""
    if alpha is None or alpha != alpha:  # NaN of any float type
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    if alpha >= BABE_RANGE[0]:
        return "low (expert range for fact vs opinion)"
    return "unreliable"


def _cells(c):
    """Per kept annotation: how many annotations of its item share its label, and m_u.

    ``c`` is annotate.agreement's cleaned coding of a frame (missing values dropped, the
    last of a reviewer's repeated labels kept). Returns (same, m) per annotation and the
    per-item label counts as cells (item, label, count).
    """
    k = max(len(c.labels), 1)
    key = c.item * k + c.label
    if c.n_items * k <= 4 * len(key) + 4096:  # dense grid, as annotate.agreement does
        flat = np.bincount(key, minlength=c.n_items * k)
        same = flat[key]
        cell = np.flatnonzero(flat)
        count = flat[cell]
    else:
        cell, inverse, count = np.unique(key, return_inverse=True, return_counts=True)
        same = count[inverse]
    m = np.bincount(c.item, minlength=c.n_items)
    return same, m, (cell // k, cell % k, count.astype(np.float64))


def grouped_agreement(df: pd.DataFrame, by: str, prepared=None) -> pd.DataFrame:
    """Nominal alpha, observed agreement, items and annotations for every value of column `by`.

    Observed agreement is Fleiss' P-bar: the mean over paired items of the share
    of agreeing annotator pairs, sum_c n_uc (n_uc - 1) / (m_u (m_u - 1)). `items`
    counts the group's paired items, `annotations` its rows. Each item belongs to the
    group of its first row. Computed for all groups at once with bincounts over
    (group, label) cells; ``prepared`` is ``annotate.agreement._prepare(df)`` if the
    caller already has it.
    """
    columns = ["group", "items", "annotations", "alpha", "percent_agreement", "alpha_note"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    c = prepared if prepared is not None else core._prepare(df)
    row_group, groups = pd.factorize(df[by], sort=True)
    n_groups = len(groups)
    annotations = np.bincount(row_group[row_group >= 0], minlength=n_groups)
    item_group = np.full(c.n_items, -1)
    item_group[c.item[::-1]] = row_group[c.rows][::-1]  # the first row of each item wins
    _, m, (cell_item, cell_label, count) = _cells(c)
    k = max(len(c.labels), 1)
    paired = (m >= 2) & (item_group >= 0)
    same = np.bincount(cell_item, weights=count * (count - 1), minlength=c.n_items)
    g, m_p, same_p = item_group[paired], m[paired], same[paired]
    items = np.bincount(g, minlength=n_groups)
    diag = np.bincount(g, weights=same_p / (m_p - 1), minlength=n_groups)
    agree = np.bincount(g, weights=same_p / (m_p * (m_p - 1)), minlength=n_groups)
    in_pair = paired[cell_item]
    n_c = np.bincount(
        item_group[cell_item[in_pair]] * k + cell_label[in_pair],
        weights=count[in_pair],
        minlength=n_groups * k,
    ).reshape(n_groups, k)
    n = n_c.sum(axis=1)
    expected = n**2 - (n_c**2).sum(axis=1)
    alpha = np.full(n_groups, np.nan)
    ok = expected > 0
    alpha[ok] = 1 - (n[ok] - 1) * (n[ok] - diag[ok]) / expected[ok]
    percent = np.full(n_groups, np.nan)
    percent[items > 0] = agree[items > 0] / items[items > 0]
    note = np.where(
        items == 0,
        "no passage with two reviewers",
        np.where(np.isnan(alpha), "everyone used one label", ""),
    )
    return pd.DataFrame(
        {
            "group": np.asarray(groups),
            "items": items,
            "annotations": annotations,
            "alpha": alpha,
            "percent_agreement": percent,
            "alpha_note": note,
        },
        columns=columns,
    )


def per_annotator(
    df: pd.DataFrame, kappas: pd.DataFrame | None = None, prepared=None
) -> pd.DataFrame:
    """Each reviewer against the others on the items they share.

    agreement_with_others = sum over the reviewer's paired items of (n_u,own label - 1)
    divided by sum of (m_u - 1): the share of (reviewer, other) pairs that agree.
    mean_kappa is the mean of the reviewer's pairwise Cohen's kappas, weighted by shared items.
    """
    columns = ["annotator", "annotations", "paired_items", "agreement_with_others", "mean_kappa"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    c = prepared if prepared is not None else core._prepare(df)
    same, m, _ = _cells(c)
    m_row = m[c.item]
    paired = m_row >= 2
    n_ann = len(c.annotators)
    agree = np.bincount(c.annotator, weights=np.where(paired, same - 1, 0), minlength=n_ann)
    pairs = np.bincount(c.annotator, weights=np.where(paired, m_row - 1, 0), minlength=n_ann)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(pairs > 0, agree / pairs, np.nan)
    stats = pd.DataFrame(
        {
            "annotator": c.annotators,
            "annotations": np.bincount(c.annotator, minlength=n_ann),
            "paired_items": np.bincount(c.annotator, weights=paired, minlength=n_ann).astype(
                np.int64
            ),
            "agreement_with_others": share,
        }
    ).set_index("annotator")
    if kappas is not None and len(kappas):
        both = pd.concat(
            [
                kappas.rename(columns={"annotator_a": "annotator", "annotator_b": "other"}),
                kappas.rename(columns={"annotator_b": "annotator", "annotator_a": "other"}),
            ]
        ).dropna(subset=["kappa"])
        both["weighted"] = both["kappa"] * both["shared_items"]
        sums = both.groupby("annotator")[["weighted", "shared_items"]].sum()
        stats["mean_kappa"] = sums["weighted"] / sums["shared_items"]
    else:
        stats["mean_kappa"] = np.nan
    return stats.reset_index()[columns].sort_values("annotator").reset_index(drop=True)


def document_bootstrap(
    df: pd.DataFrame,
    n: int = 1000,
    seed: int | None = 0,
    confidence: float = 0.95,
    prepared=None,
    cache: dict | None = None,
) -> tuple[float, float]:
    """The nominal alpha interval of ``bootstrap_alpha(df, n, seed, cluster="document")``.

    The same replicates, drawn from the same random stream, but each replicate's
    coincidence matrix is built from per-document sums of the per-passage contributions
    (computed once), so a replicate costs a product over documents instead of over
    passages: Krippendorff's coincidences are linear in the units. Equal to bootstrap_alpha
    up to floating-point summation order (tests hold them to 1e-12). Returns (low, high),
    NaN when alpha or every replicate is undefined. ``cache`` (a dict) lets the dimensions
    of one campaign, which resample the same documents, share the drawn weights.
    """
    c = prepared if prepared is not None else core._prepare(df)
    unit, flat, value, n_units = core._unit_coincidences(c)
    if n_units == 0 or not n:
        return math.nan, math.nan
    k = len(c.labels)
    used, col = np.unique(flat, return_inverse=True)
    groups, n_groups = bootstrap._unit_groups(df, c, "document", n_units)
    per_group = np.bincount(
        groups[unit] * len(used) + col, weights=value, minlength=n_groups * len(used)
    ).reshape(n_groups, len(used))
    alphas = np.empty(n)
    for lo, weights in _replicate_weights(n, n_groups, seed, cache):
        o = np.zeros((len(weights), k * k))
        o[:, used] = weights @ per_group
        alphas[lo : lo + len(weights)] = core._alpha_from_coincidences(
            o.reshape(-1, k, k), "nominal", c.labels
        )
    defined = alphas[~np.isnan(alphas)]
    if not len(defined):
        return math.nan, math.nan
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(defined, [tail, 100 - tail])
    return float(low), float(high)


def _replicate_weights(n, n_groups, seed, cache):
    """(first replicate, replicates x groups draw counts) chunks, as bootstrap_alpha draws them.

    Generator.integers gives the same stream however the draws are split between calls, so
    chunks are sized by groups alone (bootstrap_alpha sizes them by passages).
    """
    key = (n, n_groups, seed)
    if cache is not None and key in cache:
        return cache[key]
    rng = np.random.default_rng(seed)
    step = max(1, _CHUNK_CELLS // n_groups)
    chunks = []
    for lo in range(0, n, step):
        b = min(step, n - lo)
        draws = rng.integers(0, n_groups, size=(b, n_groups))
        offsets = (np.arange(b) * n_groups)[:, None]
        counts = np.bincount((draws + offsets).ravel(), minlength=b * n_groups)
        chunks.append((lo, counts.reshape(b, n_groups).astype(np.float64)))
    if cache is not None and n * n_groups <= _CACHE_CELLS:
        cache[key] = chunks
    return chunks


def _categories(df: pd.DataFrame, labels):
    """The category set AC1 counts: the given labels, then any label used but not among them.

    A label can leave the scheme after reviewers used it; the report must still load.
    """
    if labels is None:
        return None
    known = list(labels)
    listed = set(known)
    return known + [value for value in df["label"].dropna().unique() if value not in listed]


def _summaries(c) -> tuple[AgreementResult, float, float, float]:
    """Alpha (with its reason), percent agreement, Fleiss' kappa and AC1 from one coding.

    The same formulas and undefined cases as annotate.agreement's alpha_summary and
    agreement_summary (tests compare them), computed from one cleaned coding of the frame
    instead of four: with a million annotations the cleaning costs more than the maths.
    AC1 counts ``len(c.labels)`` categories, so code the frame with the category set.
    """
    nan = math.nan
    if reason := c.undefined_reason():
        return AgreementResult(nan, reason), nan, nan, nan
    o, n_units = core._coincidences(c)
    value = (
        float(core._alpha_from_coincidences(o[None], "nominal", c.labels)[0]) if n_units else nan
    )
    if n_units == 0:
        alpha = AgreementResult(nan, core.NO_PAIRS)
    elif math.isnan(value):
        alpha = AgreementResult(nan, core.ONE_LABEL, n_units)
    else:
        alpha = AgreementResult(value, None, n_units)
    pa, pi, n_items = core._pairing_stats(c)
    if not n_items:
        return alpha, nan, nan, nan
    fleiss = nan
    if (pi > 0).sum() >= 2:
        pe = float((pi**2).sum())
        fleiss = (pa - pe) / (1 - pe)
    q = len(c.labels)
    ac1 = nan
    if q >= 2:
        pe = float((pi * (1 - pi)).sum()) / (q - 1)
        ac1 = (pa - pe) / (1 - pe)
    return alpha, pa, fleiss, ac1


def dimension_row(
    name: str, df: pd.DataFrame, labels=None, n_boot=1000, seed=0, cache=None
) -> dict:
    """Overall agreement on one dimension: alpha with a document-clustered 95% interval,
    observed agreement, Gwet's AC1 and Fleiss' kappa, so a skewed label mix is visible.

    ``labels`` is the dimension's category set for AC1 (labels used but not listed are
    added); None counts only the labels present. ``cache`` is document_bootstrap's."""
    c = core._prepare(df, _categories(df, labels))
    alpha, percent, fleiss, ac1 = _summaries(c)
    row = {
        "dimension": name,
        "items": alpha.n_items,
        "annotations": int(len(df)),
        "reviewers": int(df["annotator"].nunique()),
        "alpha": alpha.value,
        "alpha_low": math.nan,
        "alpha_high": math.nan,
        "percent_agreement": percent,
        "ac1": ac1,
        "fleiss_kappa": fleiss,
        "reading": reading(alpha.value),
        "note": alpha.reason or "",
    }
    if alpha.defined and n_boot:
        row["alpha_low"], row["alpha_high"] = document_bootstrap(
            df, n_boot, seed, prepared=c, cache=cache
        )
    return row


def campaign_agreement(
    dims: dict[str, pd.DataFrame], labels=None, n_boot=1000, seed=0
) -> dict[str, pd.DataFrame]:
    """Every table of the agreement dashboard, keyed by a stable name (also the CSV file name).

    ``labels`` gives each dimension's category set for AC1: a dict {dimension name: labels},
    or a plain list, which is the passage type's (the other dimensions then count the labels
    present).
    """
    if not isinstance(labels, dict):
        labels = {"passage type": labels}
    main = dims["passage type"]
    prepared = core._prepare(main) if len(main) else None
    cache = {}  # every dimension resamples the same documents: draw their weights once
    kappas = pairwise_cohen_kappa(main[["item", "annotator", "label"]], min_shared=1)
    per_label = per_label_alpha(main[["item", "annotator", "label"]])
    coincidences = coincidence_matrix(main[["item", "annotator", "label"]])
    return {
        "overall": pd.DataFrame(
            [
                dimension_row(name, df, labels.get(name), n_boot, seed, cache)
                for name, df in dims.items()
            ]
        ),
        "outlets": grouped_agreement(main, "outlet", prepared).rename(columns={"group": "outlet"}),
        "documents": grouped_agreement(main, "document", prepared).rename(
            columns={"group": "document"}
        ),
        "labels": per_label,
        "reviewers": per_annotator(main, kappas, prepared),
        "pairs": kappas,
        "coincidences": coincidences.rename_axis("label").reset_index(),
    }


def grouped_alpha_interval(
    df: pd.DataFrame, by: str, n_boot: int = 1000, seed: int | None = 0
) -> pd.DataFrame:
    """Nominal alpha per value of ``by`` (e.g. outlet) with a document-resampled 95% interval.

    alpha is grouped_agreement's; the interval is document_bootstrap on the group's rows
    (``df`` needs a ``document`` column), the same seed for every group so a page reload
    gives the same figures. A group with fewer than two documents holding a paired passage
    cannot be resampled by document (one document always gives itself back): its interval
    resamples passages instead, and ``alpha_note`` says so.
    """
    columns = [by, "alpha", "alpha_low", "alpha_high", "alpha_note"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    c = core._prepare(df)
    alphas = grouped_agreement(df, by, c)
    out = pd.DataFrame(
        {
            by: alphas["group"],
            "alpha": alphas["alpha"],
            "alpha_low": math.nan,
            "alpha_high": math.nan,
            "alpha_note": alphas["alpha_note"],
        }
    )
    # Documents holding a paired passage, per group, from the one cleaned coding.
    row_group, groups = pd.factorize(df[by], sort=True)
    row_document, documents = pd.factorize(df["document"])
    item_group = np.full(c.n_items, -1)
    item_group[c.item[::-1]] = row_group[c.rows][::-1]  # the first row of each item wins
    item_document = np.zeros(c.n_items, dtype=np.int64)
    item_document[c.item] = row_document[c.rows]
    paired = (np.bincount(c.item, minlength=c.n_items) >= 2) & (item_group >= 0)
    cells = np.unique(item_group[paired] * max(len(documents), 1) + item_document[paired])
    spread = np.bincount(cells // max(len(documents), 1), minlength=len(groups))
    order = np.argsort(row_group, kind="stable")
    bounds = np.searchsorted(row_group[order], np.arange(len(groups) + 1))
    for g in range(len(groups)):
        if math.isnan(out.at[g, "alpha"]):
            continue
        if spread[g] < 2 and n_boot:
            # One article: resampling documents would always give it back, so the interval
            # resamples its passages instead, and says so (passages of one article are not
            # independent, so this interval is narrower than a document-level one would be).
            rows = df.iloc[order[bounds[g] : bounds[g + 1]]]
            result = bootstrap.bootstrap_alpha(rows, n_boot, seed)
            out.at[g, "alpha_low"], out.at[g, "alpha_high"] = result.low, result.high
            out.at[g, "alpha_note"] = (
                "interval resamples passages, not documents: only one document "
                "with a paired passage, so it understates the uncertainty"
            )
        elif n_boot:
            rows = df.iloc[order[bounds[g] : bounds[g + 1]]]
            out.at[g, "alpha_low"], out.at[g, "alpha_high"] = document_bootstrap(rows, n_boot, seed)
    return out
