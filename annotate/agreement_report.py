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

from annotate.agreement import (
    agreement_summary,
    alpha_summary,
    coincidence_matrix,
    pairwise_cohen_kappa,
    per_label_alpha,
)
from annotate.agreement_bootstrap import bootstrap_alpha

RELIABLE = 0.800
TENTATIVE = 0.667
# Published expert annotation of fact versus opinion and media bias reaches
# about this much: the BABE corpus (Spinde et al. 2021) reports alpha ~0.40-0.60.
BABE_RANGE = (0.40, 0.60)


def reading(alpha: float) -> str:
    """Krippendorff's (2004) guidance: >= 0.800 reliable, >= 0.667 tentative conclusions only."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    if alpha >= BABE_RANGE[0]:
        return "low (expert range for fact vs opinion)"
    return "unreliable"


def _counts(df: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Items x labels count table of paired items (two or more values), and their m_u."""
    df = df.dropna(subset=["item", "annotator", "label"]).drop_duplicates(["item", "annotator"], keep="last")
    counts = pd.crosstab(df["item"], df["label"].astype("object"))
    m = counts.sum(axis=1).to_numpy()
    keep = m >= 2
    return counts[keep], m[keep]


def grouped_agreement(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Nominal alpha, observed agreement, items and annotations for every value of column `by`.

    Observed agreement is Fleiss' P-bar: the mean over paired items of the share
    of agreeing annotator pairs, sum_c n_uc (n_uc - 1) / (m_u (m_u - 1)).
    """
    columns = ["group", "items", "annotations", "alpha", "percent_agreement", "alpha_note"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    group_of_item = df.drop_duplicates("item").set_index("item")[by]
    all_items = df.groupby(by, observed=True).agg(all_items=("item", "nunique"), annotations=("item", "size"))
    counts, m = _counts(df)
    values = counts.to_numpy(dtype=float)
    diag = (values * (values - 1)).sum(axis=1)
    per_item = pd.DataFrame(values, index=counts.index)
    per_item["_diag"] = diag / (m - 1)
    per_item["_agree"] = diag / (m * (m - 1))
    per_item["_group"] = group_of_item.reindex(counts.index).to_numpy()
    sums = per_item.groupby("_group", observed=True).sum()
    n_c = sums[per_item.columns[: values.shape[1]]].to_numpy()
    n = n_c.sum(axis=1)
    expected = n**2 - (n_c**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(expected > 0, 1 - (n - 1) * (n - sums["_diag"].to_numpy()) / expected, np.nan)
    paired = per_item.groupby("_group", observed=True).size()
    out = pd.DataFrame(
        {
            "group": sums.index,
            "items": paired.reindex(sums.index).to_numpy(),
            "alpha": alpha,
            "percent_agreement": sums["_agree"].to_numpy() / paired.reindex(sums.index).to_numpy(),
        }
    )
    out = all_items.reset_index().rename(columns={by: "group"}).merge(out, on="group", how="left")
    out["items"] = out["items"].fillna(0).astype(int)
    out["alpha_note"] = np.where(
        out["items"] == 0,
        "no passage with two reviewers",
        np.where(out["alpha"].isna(), "everyone used one label", ""),
    )
    return out[columns].sort_values("group").reset_index(drop=True)


def per_annotator(df: pd.DataFrame, kappas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each reviewer against the others on the items they share.

    agreement_with_others = sum over the reviewer's paired items of (n_u,own label - 1)
    divided by sum of (m_u - 1): the share of (reviewer, other) pairs that agree.
    mean_kappa is the mean of the reviewer's pairwise Cohen's kappas, weighted by shared items.
    """
    columns = ["annotator", "annotations", "paired_items", "agreement_with_others", "mean_kappa"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df = df.dropna(subset=["item", "annotator", "label"]).drop_duplicates(["item", "annotator"], keep="last")
    label = df["label"].astype("object")
    same = df.groupby(["item", label], observed=True)["annotator"].transform("size")
    m = df.groupby("item")["annotator"].transform("size")
    paired = m >= 2
    stats = pd.DataFrame(
        {"annotator": df["annotator"].astype("object"), "agree": (same - 1).where(paired, 0), "pairs": (m - 1).where(paired, 0), "paired": paired}
    ).groupby("annotator").agg(
        annotations=("agree", "size"), paired_items=("paired", "sum"), agree=("agree", "sum"), pairs=("pairs", "sum")
    )
    stats["agreement_with_others"] = stats["agree"] / stats["pairs"].replace(0, np.nan)
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


def dimension_row(name: str, df: pd.DataFrame, labels=None, n_boot=1000, seed=0) -> dict:
    """Overall agreement on one dimension: alpha with a document-clustered 95% interval,
    observed agreement, Gwet's AC1 and Fleiss' kappa, so a skewed label mix is visible.

    ``labels`` is the dimension's category set for AC1 (labels used but not listed are
    added); None counts only the labels present."""
    alpha = alpha_summary(df)
    row = {
        "dimension": name,
        "items": alpha.n_items,
        "annotations": int(len(df)),
        "reviewers": int(df["annotator"].nunique()),
        "alpha": alpha.value,
        "alpha_low": math.nan,
        "alpha_high": math.nan,
        "percent_agreement": agreement_summary(df, "percent_agreement").value,
        "ac1": agreement_summary(df, "gwet_ac1", _categories(df, labels)).value,
        "fleiss_kappa": agreement_summary(df, "fleiss_kappa").value,
        "reading": reading(alpha.value),
        "note": alpha.reason or "",
    }
    if alpha.defined and n_boot:
        interval = bootstrap_alpha(df, n=n_boot, seed=seed, cluster="document")
        row["alpha_low"], row["alpha_high"] = interval.low, interval.high
    return row


def campaign_agreement(dims: dict[str, pd.DataFrame], labels=None, n_boot=1000, seed=0) -> dict[str, pd.DataFrame]:
    """Every table of the agreement dashboard, keyed by a stable name (also the CSV file name).

    ``labels`` gives each dimension's category set for AC1: a dict {dimension name: labels},
    or a plain list, which is the passage type's (the other dimensions then count the labels
    present).
    """
    if not isinstance(labels, dict):
        labels = {"passage type": labels}
    main = dims["passage type"]
    kappas = pairwise_cohen_kappa(main[["item", "annotator", "label"]], min_shared=1)
    per_label = per_label_alpha(main[["item", "annotator", "label"]])
    coincidences = coincidence_matrix(main[["item", "annotator", "label"]])
    return {
        "overall": pd.DataFrame(
            [dimension_row(name, df, labels.get(name), n_boot, seed) for name, df in dims.items()]
        ),
        "outlets": grouped_agreement(main, "outlet").rename(columns={"group": "outlet"}),
        "documents": grouped_agreement(main, "document").rename(columns={"group": "document"}),
        "labels": per_label,
        "reviewers": per_annotator(main, kappas),
        "pairs": kappas,
        "coincidences": coincidences.rename_axis("label").reset_index(),
    }
