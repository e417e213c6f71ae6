"""The outlet report's columns beyond counts and Wilson shares (pure pandas + NumPy, no Django).

Three readings of each share, side by side with the report's passage-level Wilson interval
(annotate.reports.reliability.group_report), so a reader sees how much each assumption
matters:

* ``<measure>_doc_low`` / ``_doc_high`` / ``_doc_note``: the interval with documents as
  clusters (annotate.reports.clustered; passages of one article are not independent);
  undefined with the reason when it cannot be estimated (one document, no passage);
* ``<share>_if_unresolved_low`` / ``_high``: where the share would land if every unresolved
  passage went to another type or to this one (worst-case bounds, annotate.reports.unresolved);
* ``<share>_model``: the share of the type among the outlet's annotated passages by the
  Dawid-Skene (1979) model, which weighs each reviewer by their estimated accuracy
  (annotate.reports.dawid_skene): a sensitivity analysis, not the report's figure.

Every function takes the frames the report is computed from and returns one row per outlet.
"""

from __future__ import annotations

import pandas as pd

from annotate.reports.clustered import (
    DESIGN_EFFECT,
    clustered_intervals,
    document_counts,
    report_measures,
    wide_intervals,
)
from annotate.reports.dawid_skene import DawidSkeneResult, dawid_skene
from annotate.reports.finals import ADJUDICATED
from annotate.reports.unresolved import model_shares, unresolved_bounds

INTERVAL_METHOD = DESIGN_EFFECT
# EM stops when the log-likelihood changes by less than this share of itself. On the
# benchmark campaign (1,000,000 annotations) the model shares at 1e-5 are within 0.06
# percentage points of those at 1e-8, in 29 iterations instead of 100: ample for a
# sensitivity check, and it keeps the report within its 10 s.
MODEL_TOL = 1e-5


def interval_columns(documents: pd.DataFrame, labels) -> pd.DataFrame:
    """outlet, <measure>_doc_low, _doc_high, _doc_note for every share and markers_per_100."""
    long = clustered_intervals(documents, report_measures(labels), method=INTERVAL_METHOD)
    return wide_intervals(long, "doc")


def bound_columns(documents: pd.DataFrame, labels) -> pd.DataFrame:
    """outlet, <share>_if_unresolved_low and _high for each passage-type share and the
    anonymous-claim share."""
    long = unresolved_bounds(documents, labels)
    if long.empty:
        return pd.DataFrame(columns=["outlet"])
    low = long.pivot(index="outlet", columns="measure", values="lower")
    high = long.pivot(index="outlet", columns="measure", values="upper")
    names = list(dict.fromkeys(long["measure"]))
    out = pd.concat(
        [low.add_suffix("_if_unresolved_low"), high.add_suffix("_if_unresolved_high")], axis=1
    )
    ordered = [f"{m}_if_unresolved_{side}" for m in names for side in ("low", "high")]
    return out[ordered].astype(float).rename_axis("outlet").reset_index()


def model_fit(annotations: pd.DataFrame, finals: pd.DataFrame, labels) -> DawidSkeneResult:
    """Dawid-Skene on the passage types, a curator's decision fixing its passage's class.

    ``annotations``: item, annotator, label (a reviewer's re-annotation has already
    superseded the earlier one in the database, so every row counts once).
    """
    decided = finals[finals["status"] == ADJUDICATED]
    known = pd.Series(decided["final_label"].to_numpy(), index=decided["item"].to_numpy())
    known = known[known.isin(list(labels))]
    return dawid_skene(
        annotations[["item", "annotator", "label"]], labels=list(labels), known=known, tol=MODEL_TOL
    )


def model_columns(passages: pd.DataFrame, fit: DawidSkeneResult) -> pd.DataFrame:
    """outlet, <share>_model: the expected share of each type under the fitted model."""
    long = model_shares(passages, fit.posteriors)
    if long.empty:
        return pd.DataFrame(columns=["outlet"])
    wide = long.pivot(index="outlet", columns="measure", values="expected")
    names = list(dict.fromkeys(long["measure"]))
    return wide[names].add_suffix("_model").astype(float).rename_axis("outlet").reset_index()


def sensitivity_columns(passages, annotations, finals, labels, fit=None) -> pd.DataFrame:
    """All three readings, one row per outlet of ``passages`` (see the module docstring)."""
    documents = document_counts(passages, finals, labels)
    fit = fit if fit is not None else model_fit(annotations, finals, labels)
    out = pd.DataFrame({"outlet": sorted(set(passages["outlet"].dropna()))})
    for part in (
        interval_columns(documents, labels),
        bound_columns(documents, labels),
        model_columns(passages, fit),
    ):
        out = out.merge(part, on="outlet", how="left")
    return out


def sensitivity_names(labels) -> list[str]:
    """The columns of sensitivity_columns after ``outlet``, in order."""
    shares = [f"share_{label}" for label in labels] + ["anonymous_claim_share"]
    doc = [f"{m}_doc_{n}" for m in [*shares, "markers_per_100"] for n in ("low", "high", "note")]
    bounds = [f"{m}_if_unresolved_{side}" for m in shares for side in ("low", "high")]
    model = [f"share_{label}_model" for label in labels]
    return doc + bounds + model


def confusion_names(labels) -> list[str]:
    """Confusion-matrix columns of the reviewer report: p_<given>_when_<true>."""
    return [f"p_{given}_when_{true}" for true in labels for given in labels]


def reviewer_model_columns(fit: DawidSkeneResult, labels) -> pd.DataFrame:
    """annotator, model_accuracy and each reviewer's estimated confusion matrix: the
    probability p_<given>_when_<true> that they answer <given> on a passage of type <true>
    (Dawid & Skene 1979, theta_jkl); model_accuracy = sum_k pi_k theta_jkk."""
    columns = ["annotator", "model_accuracy", *confusion_names(labels)]
    if fit.accuracy.empty:
        return pd.DataFrame(columns=columns)
    confusion = fit.confusion.assign(
        column="p_"
        + fit.confusion["label"].astype(str)
        + "_when_"
        + fit.confusion["true_label"].astype(str)
    ).pivot(index="annotator", columns="column", values="probability")
    out = fit.accuracy.set_index("annotator")[["accuracy"]].rename(
        columns={"accuracy": "model_accuracy"}
    )
    out = out.join(confusion).reindex(columns=columns[1:]).astype(float)
    return out.rename_axis("annotator").reset_index()
