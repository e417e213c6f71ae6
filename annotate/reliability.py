"""Final labels and per-outlet reliability figures (pure pandas + NumPy, no Django).

Every figure is computed from the annotation export so a reader can
reproduce it: the final label of a passage is the curator's decision where
there is one, else the reviewers' unanimous label, else it is unresolved and
counted as such rather than guessed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ADJUDICATED = "adjudicated"
UNANIMOUS = "unanimous"
UNRESOLVED = "unresolved"
# Ad Fontes Media and Media Bias/Fact Check rate an outlet on samples of about
# 15 or more articles; fewer is an initial reading, not a rating.
MIN_DOCUMENTS_FOR_RATING = 15
Z95 = 1.959963984540054


def wilson_interval(successes, trials, z: float = Z95):
    """Wilson score interval for a binomial share (Wilson 1927, JASA 22(158)).

    centre = (p + z^2 / 2n) / (1 + z^2 / n); half-width =
    z sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n). Vectorised; NaN where n = 0.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def _ratio(k, n, scale=1.0):
    """k / n as floats, NaN where n is 0 (a share of nothing is undefined, not zero)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, scale * k / n, np.nan)


def final_labels(annotations: pd.DataFrame, adjudications: pd.DataFrame | None = None, min_annotations: int = 2) -> pd.DataFrame:
    """One row per annotated item: final label, cited type, markers and how it was reached.

    `annotations` has item, annotator, label, cited_type, markers (lists);
    `adjudications` has item, label, cited_type, markers. An item is unanimous
    when it has at least `min_annotations` annotations that all give the same
    label; the unanimous cited type and markers are the majority (more than half)
    of the reviewers' choices.
    """
    columns = ["item", "final_label", "final_cited_type", "final_markers", "status", "annotations"]
    if annotations.empty:
        return pd.DataFrame(columns=columns)
    ann = annotations.drop_duplicates(["item", "annotator"], keep="last")
    grouped = ann.groupby("item", sort=True)
    count = grouped.size()
    distinct = grouped["label"].nunique()
    first = grouped["label"].first().astype("object")
    unanimous = (distinct == 1) & (count >= min_annotations)
    cited = ann.groupby(["item", ann["cited_type"].astype("object")]).size().rename("n").reset_index()
    cited = cited.sort_values(["item", "n"], ascending=[True, False]).drop_duplicates("item").set_index("item")
    cited_majority = cited["cited_type"].where(cited["n"] * 2 > count.reindex(cited.index))
    exploded = ann[["item", "markers"]].explode("markers").dropna(subset=["markers"])
    ticks = exploded.groupby(["item", "markers"]).size().rename("n").reset_index()
    ticks = ticks[ticks["n"] * 2 > count.reindex(ticks["item"]).to_numpy()]
    marker_majority = ticks.groupby("item")["markers"].agg(lambda s: sorted(s))
    out = pd.DataFrame({"item": count.index, "annotations": count.to_numpy()})
    out["final_label"] = np.where(unanimous.to_numpy(), first.to_numpy(), None)
    out["final_cited_type"] = np.where(unanimous.to_numpy(), cited_majority.reindex(count.index).to_numpy(), None)
    out["final_markers"] = [
        (marker_majority.get(i, []) if u else None) for i, u in zip(count.index, unanimous.to_numpy(), strict=True)
    ]
    out["status"] = np.where(unanimous.to_numpy(), UNANIMOUS, UNRESOLVED)
    if adjudications is not None and len(adjudications):
        adj = adjudications.drop_duplicates("item", keep="last").set_index("item")
        hit = out["item"].isin(adj.index).to_numpy()
        items = out.loc[hit, "item"]
        out.loc[hit, "final_label"] = adj.loc[items, "label"].to_numpy()
        out.loc[hit, "final_cited_type"] = adj.loc[items, "cited_type"].to_numpy()
        out.loc[hit, "final_markers"] = pd.Series(list(adj.loc[items, "markers"]), index=out.index[hit])
        out.loc[hit, "status"] = ADJUDICATED
    return out[columns]


def outlet_report(
    passages: pd.DataFrame,
    annotations: pd.DataFrame,
    finals: pd.DataFrame,
    labels: list[str],
    alpha_by_outlet: pd.DataFrame | None = None,
    group: str = "outlet",
) -> pd.DataFrame:
    """One row per outlet (or per document with group="document").

    `passages` has item, document, outlet for every passage in the campaign.
    Shares of each passage type are among resolved final labels, with Wilson
    95% intervals; anonymous_claim_share is among final attributed claims;
    markers_per_100 counts final markers per 100 resolved passages.
    """
    rows = passages[["item", "document", "outlet"]].drop_duplicates("item")
    base = rows.groupby(group, observed=True).agg(documents=("document", "nunique"), passages=("item", "size"))
    ann = annotations.merge(rows[["item"]], on="item") if len(annotations) else annotations
    if len(ann):
        ann = ann.assign(**{group: ann["item"].map(rows.set_index("item")[group])})
        per = ann.groupby(group, observed=True).agg(reviewers=("annotator", "nunique"), annotations=("item", "size"))
        base = base.join(per)
    else:
        base["reviewers"] = 0
        base["annotations"] = 0
    base[["reviewers", "annotations"]] = base[["reviewers", "annotations"]].fillna(0).astype(int)
    fin = finals.merge(rows, on="item")
    resolved = fin[fin["status"] != UNRESOLVED]

    def per_group(values, frame):
        return values.groupby(frame[group], observed=True).sum().reindex(base.index, fill_value=0).astype(float)

    n_resolved = per_group(pd.Series(1, index=resolved.index), resolved)
    base["resolved"] = n_resolved.astype(int)
    for label in labels:
        k = per_group(resolved["final_label"] == label, resolved)
        base[f"share_{label}"] = _ratio(k, n_resolved)
        base[f"share_{label}_low"], base[f"share_{label}_high"] = wilson_interval(k, n_resolved)
    claims = resolved[resolved["final_label"] == "attributed_claim"]
    base["anonymous_claim_share"] = _ratio(
        per_group(claims["final_cited_type"] == "anonymous", claims),
        per_group(pd.Series(1, index=claims.index), claims),
    )
    marker_counts = resolved["final_markers"].map(lambda m: len(m) if isinstance(m, list) else 0)
    base["markers_per_100"] = _ratio(per_group(marker_counts, resolved), n_resolved, scale=100)
    annotated = per_group(pd.Series(1, index=fin.index), fin)
    adjudicated = per_group(fin["status"] == ADJUDICATED, fin)
    base["adjudicated_share"] = _ratio(adjudicated, base["passages"])
    base["unresolved_share"] = _ratio(base["passages"] - n_resolved, base["passages"])
    base["unannotated"] = (base["passages"] - annotated).astype(int)
    if alpha_by_outlet is not None and len(alpha_by_outlet):
        base = base.join(alpha_by_outlet.set_index(group)[["alpha", "alpha_low", "alpha_high"]])
    base["confidence"] = np.where(
        base["documents"] >= MIN_DOCUMENTS_FOR_RATING,
        "rating",
        f"initial reading (fewer than {MIN_DOCUMENTS_FOR_RATING} documents)",
    )
    return base.reset_index()
