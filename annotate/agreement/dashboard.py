"""The agreement dashboard's numbers, from long frames (pure pandas + NumPy, no Django).

`annotate.frames` builds the frames (see annotate.agreement.selectors); this module turns them into the tables a
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

from annotate.agreement.bootstrap import bootstrap_alpha
from annotate.agreement.coding import (
    code,
    item_groups,
    label_cells,
    same_label_counts,
)
from annotate.agreement.coefficients import (
    alpha_result,
    coincidence_matrix,
    per_label_alpha,
    share_results,
)
from annotate.agreement.pairwise import pairwise_cohen_kappa

RELIABLE = 0.800
TENTATIVE = 0.667
# Published expert annotation of fact versus opinion and media bias reaches
# about this much: the BABE corpus (Spinde et al. 2021) reports alpha ~0.40-0.60.
BABE_RANGE = (0.40, 0.60)


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


def grouped_agreement(df: pd.DataFrame, by: str, prepared=None) -> pd.DataFrame:
    """Nominal alpha, observed agreement, items and annotations for every value of column `by`.

    Observed agreement is Fleiss' P-bar: the mean over paired items of the share
    of agreeing annotator pairs, sum_c n_uc (n_uc - 1) / (m_u (m_u - 1)). `items`
    counts the group's paired items, `annotations` its rows. Each item belongs to the
    group of its first row. Computed for all groups at once with bincounts over
    (group, label) cells; ``prepared`` is ``coding.code(df)`` if the caller already has it.
    """
    columns = ["group", "items", "annotations", "alpha", "percent_agreement", "alpha_note"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    c = prepared if prepared is not None else code(df)
    item_group, groups, row_group = item_groups(df, c, by)
    n_groups = len(groups)
    annotations = np.bincount(row_group[row_group >= 0], minlength=n_groups)
    cell_item, cell_label, count, m = label_cells(c)
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
    c = prepared if prepared is not None else code(df)
    same = same_label_counts(c)
    m_row = np.bincount(c.item, minlength=c.n_items)[c.item]
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


def _categories(df: pd.DataFrame, labels):
    """The category set AC1 counts: the given labels, then any label used but not among them.

    A label can leave the scheme after reviewers used it; the report must still load.
    """
    if labels is None:
        return None
    known = list(labels)
    listed = set(known)
    return known + [value for value in df["label"].dropna().unique() if value not in listed]


def dimension_row(
    name: str, df: pd.DataFrame, labels=None, n_boot=1000, seed=0, cache=None
) -> dict:
    """Overall agreement on one dimension: alpha with a document-clustered 95% interval,
    observed agreement, Gwet's AC1 and Fleiss' kappa, so a skewed label mix is visible.

    ``labels`` is the dimension's category set for AC1 (labels used but not listed are
    added); None counts only the labels present. ``cache`` is bootstrap_alpha's."""
    c = code(df, _categories(df, labels))
    alpha, shares = alpha_result(c), share_results(c)
    row = {
        "dimension": name,
        "items": alpha.n_items,
        "annotations": int(len(df)),
        "reviewers": int(df["annotator"].nunique()),
        "alpha": alpha.value,
        "alpha_low": math.nan,
        "alpha_high": math.nan,
        "interval_note": (
            "alpha is undefined" if not alpha.defined else "" if n_boot else "no replicates drawn"
        ),
        "percent_agreement": shares["percent_agreement"].value,
        "ac1": shares["gwet_ac1"].value,
        "fleiss_kappa": shares["fleiss_kappa"].value,
        "reading": reading(alpha.value),
        "note": alpha.reason or "",
    }
    if alpha.defined and n_boot:
        interval = bootstrap_alpha(
            df, n_boot, seed, cluster="document", coded=c, cache=cache, point=alpha
        )
        row["alpha_low"], row["alpha_high"] = interval.low, interval.high
        row["interval_note"] = interval.interval_reason or ""
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
    prepared = code(main) if len(main) else None
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

    alpha is grouped_agreement's; the interval is bootstrap_alpha by document on the group's rows
    (``df`` needs a ``document`` column), the same seed for every group so a page reload
    gives the same figures. A group with fewer than two documents holding a paired passage
    cannot be resampled by document (one document always gives itself back): its interval
    resamples passages instead, and ``alpha_note`` says so.
    """
    columns = [by, "alpha", "alpha_low", "alpha_high", "alpha_note"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    c = code(df)
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
    item_group, groups, row_group = item_groups(df, c, by)
    row_document, documents = pd.factorize(df["document"])
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
            result = bootstrap_alpha(rows, n_boot, seed)
            out.at[g, "alpha_low"], out.at[g, "alpha_high"] = result.low, result.high
            out.at[g, "alpha_note"] = (
                "interval resamples passages, not documents: only one document "
                "with a paired passage, so it understates the uncertainty"
            )
        elif n_boot:
            rows = df.iloc[order[bounds[g] : bounds[g + 1]]]
            result = bootstrap_alpha(rows, n_boot, seed, cluster="document")
            out.at[g, "alpha_low"], out.at[g, "alpha_high"] = result.low, result.high
        if n_boot and result.interval_reason:
            out.at[g, "alpha_note"] = f"95% interval undefined: {result.interval_reason}"
    return out
