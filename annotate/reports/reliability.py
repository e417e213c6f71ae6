"""Per-outlet, per-document and per-reviewer reliability figures from final labels.

Pure pandas + NumPy, no Django: `annotate.reports.selectors` feeds it frames and every
figure can be recomputed from the annotation export (`annotate.reports.exports`). Which
label is final is decided in `annotate.reports.finals`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotate.reports.finals import ADJUDICATED, CHOSEN, MAJORITY, UNANIMOUS, UNRESOLVED

CLAIM = "attributed_claim"
ANONYMOUS = "anonymous"
# Ad Fontes Media and Media Bias/Fact Check rate an outlet on samples of about
# 15 or more articles; fewer is an initial reading, not a rating.
MIN_DOCUMENTS_FOR_RATING = 15
# A document counts towards that number only when at least this share of its passages has a
# final label: an article read for one sentence says nothing about how the outlet writes,
# and "nearly all of it" keeps the rating about whole articles, as those raters' are, while
# leaving room for a passage or two still waiting for a curator.
RATED_DOCUMENT_SHARE = 0.8
RATING = "rating"
INITIAL = (
    f"initial reading (fewer than {MIN_DOCUMENTS_FOR_RATING} documents with at least "
    f"{RATED_DOCUMENT_SHARE:.0%} of their passages resolved)"
)
# Time spent on one passage is capped: a tab left open over lunch is not work.
TIME_CAP_SECONDS = 600
Z95 = 1.959963984540054


def wilson(p, n, z: float = Z95):
    """Wilson score interval for a share p over n trials (Wilson 1927, JASA 22(158)).

    centre = (p + z^2 / 2n) / (1 + z^2 / n); half-width =
    z sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n). n may be an effective, non-integer
    sample size (annotate.reports.clustered). Vectorised; NaN where n is 0.
    """
    p, n = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def wilson_interval(successes, trials, z: float = Z95):
    """The Wilson interval of ``successes`` out of ``trials`` (see ``wilson``)."""
    k, n = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return wilson(k / n, n, z)


def _ratio(k, n, scale=1.0):
    """k / n as floats, NaN where n is 0 (a share of nothing is undefined, not zero)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, scale * k / n, np.nan)


# The integer columns of a report (besides the per-label final_<type> counts), in the
# groups report_columns lays them out in.
DOCUMENT_COUNTS = ("documents", "documents_resolved", "documents_rated")
PASSAGE_COUNTS = (
    "passages",
    "reviewers",
    "annotations",
    "unannotated",
    "resolved",
    "adjudicated",
    "adjudicated_curator",
    "adjudicated_majority",
    "unanimous",
    "unresolved",
)
COUNT_COLUMNS = (*DOCUMENT_COUNTS, *PASSAGE_COUNTS, "claims", "anonymous_claims", "final_markers")
REVIEWER_COLUMNS = [
    "reviewer",
    "annotations",
    "on_resolved",
    "agrees_with_final",
    "agreement_with_final",
    "agreement_with_final_low",
    "agreement_with_final_high",
    "timed",
    "time_spent_s",
    "median_s",
]


def label_columns(labels) -> list[str]:
    """The per-label columns of a report: count of final labels, share, Wilson interval."""
    return [
        c
        for label in labels
        for c in (f"final_{label}", f"share_{label}", f"share_{label}_low", f"share_{label}_high")
    ]


def report_columns(labels, group: str = "outlet") -> list[str]:
    """Column names of group_report, in order (stable: the CSV exports use them as they are)."""
    head = [group, *DOCUMENT_COUNTS] if group == "outlet" else [group]
    tail = ["confidence"] if group == "outlet" else []
    return [
        *head,
        *PASSAGE_COUNTS,
        *label_columns(labels),
        "claims",
        "anonymous_claims",
        "anonymous_claim_share",
        "anonymous_claim_share_low",
        "anonymous_claim_share_high",
        "final_markers",
        "markers_per_100",
        "alpha",
        *(["alpha_low", "alpha_high"] if group == "outlet" else []),
        "alpha_note",
        "adjudicated_share",
        "unresolved_share",
        *tail,
    ]


def group_report(
    passages: pd.DataFrame,
    annotations: pd.DataFrame,
    finals: pd.DataFrame,
    labels,
    alpha: pd.DataFrame | None = None,
    group: str = "outlet",
) -> pd.DataFrame:
    """One row per outlet (or per document with ``group="document"``), columns report_columns.

    ``passages``: item, document, outlet for every passage of the campaign (with or without
    annotations); ``annotations``: item, annotator per annotation; ``finals``: final_labels;
    ``alpha``: the group column with alpha, alpha_low, alpha_high, alpha_note.

    Counts: passages, annotations, reviewers (distinct), unannotated (passages nobody
    labelled), resolved / adjudicated / unanimous / unresolved passages (resolved =
    adjudicated + unanimous; unresolved includes unannotated), final_<label> (resolved
    passages whose final label is <label>), claims (= final attributed claims),
    anonymous_claims (of those, cited type anonymous), final_markers (bias markers on
    resolved passages' final labels), documents_resolved (documents with a resolved passage),
    documents_rated (documents with at least RATED_DOCUMENT_SHARE of their passages resolved),
    adjudicated_curator / adjudicated_majority (decisions a curator made, or bulk majority
    acceptances; together adjudicated).
    Shares: share_<label> = final_<label> / resolved and anonymous_claim_share =
    anonymous_claims / claims, each with a Wilson 95% interval; markers_per_100 =
    100 final_markers / resolved; adjudicated_share and unresolved_share over passages.
    A share of nothing is NaN (shown as "undefined"). confidence is "rating" from
    MIN_DOCUMENTS_FOR_RATING documents_rated up, else an initial reading.
    """
    columns = report_columns(labels, group)
    rows = passages[["item", "document", "outlet"]].drop_duplicates("item")
    if rows.empty:
        return pd.DataFrame(columns=columns)
    fin = rows.merge(finals, on="item", how="left")
    fin["status"] = fin["status"].fillna(UNRESOLVED)
    resolved = (fin["status"] != UNRESOLVED).to_numpy()
    # One factorisation of the group column; every count below is a bincount over it.
    code, keys = pd.factorize(np.asarray(fin[group]), sort=True)
    n_groups = len(keys)

    def total(values):
        return pd.Series(
            np.bincount(code, weights=np.asarray(values, dtype=float), minlength=n_groups),
            index=keys,
        )

    document, _ = pd.factorize(fin["document"].to_numpy())
    n_documents = max(document.max() + 1, 1)
    doc_passages = np.bincount(document, minlength=n_documents)
    doc_resolved = np.bincount(document, weights=resolved, minlength=n_documents)
    rated_document = doc_resolved >= RATED_DOCUMENT_SHARE * doc_passages

    def distinct_documents(mask):
        pairs = np.unique(code[mask] * np.int64(n_documents) + document[mask])
        return pd.Series(np.bincount(pairs // n_documents, minlength=n_groups), index=keys)

    out = pd.DataFrame({"passages": total(np.ones(len(fin)))})
    if group == "outlet":
        out["documents"] = distinct_documents(np.ones(len(fin), dtype=bool))
        out["documents_resolved"] = distinct_documents(resolved)
        out["documents_rated"] = distinct_documents(rated_document[document])
    if len(annotations):
        where = np.asarray(annotations["item"].map(rows.set_index("item")[group]))
        per = pd.DataFrame({"g": where, "a": np.asarray(annotations["annotator"])}).groupby("g")
        out["reviewers"] = per["a"].nunique()
        out["annotations"] = per.size()
    out["unannotated"] = total(fin["annotations"].fillna(0).to_numpy() == 0)
    out["resolved"] = total(resolved)
    out["adjudicated"] = total(fin["status"] == ADJUDICATED)
    method = fin["method"].to_numpy(dtype=object) if "method" in fin else np.full(len(fin), None)
    out["adjudicated_curator"] = total(
        (fin["status"] == ADJUDICATED).to_numpy() & (method == CHOSEN)
    )
    out["adjudicated_majority"] = total(
        (fin["status"] == ADJUDICATED).to_numpy() & (method == MAJORITY)
    )
    out["unanimous"] = total(fin["status"] == UNANIMOUS)
    out["unresolved"] = out["passages"] - out["resolved"]
    final = fin["final_label"].to_numpy(dtype=object)
    for label in labels:
        k = total(resolved & (final == label))
        out[f"final_{label}"] = k
        out[f"share_{label}"] = _ratio(k, out["resolved"])
        out[f"share_{label}_low"], out[f"share_{label}_high"] = wilson_interval(k, out["resolved"])
    claims = resolved & (final == CLAIM)
    out["claims"] = total(claims)
    out["anonymous_claims"] = total(
        claims & (fin["final_cited_type"].to_numpy(dtype=object) == ANONYMOUS)
    )
    out["anonymous_claim_share"] = _ratio(out["anonymous_claims"], out["claims"])
    low, high = wilson_interval(out["anonymous_claims"], out["claims"])
    out["anonymous_claim_share_low"], out["anonymous_claim_share_high"] = low, high
    marks = fin["final_markers"].str.len().fillna(0).to_numpy(dtype=float)
    out["final_markers"] = total(np.where(resolved, marks, 0))
    out["markers_per_100"] = _ratio(out["final_markers"], out["resolved"], scale=100)
    if alpha is not None and len(alpha):
        out = out.join(
            alpha.set_index(group)[[c for c in columns if c.startswith("alpha") and c in alpha]]
        )
    out["adjudicated_share"] = _ratio(out["adjudicated"], out["passages"])
    out["unresolved_share"] = _ratio(out["unresolved"], out["passages"])
    counts = [c for c in columns if c in COUNT_COLUMNS or c.startswith("final_")]
    out = out.reindex(columns=columns[1:])
    out[counts] = out[counts].fillna(0).astype(np.int64)
    for name in ("alpha", "alpha_low", "alpha_high"):
        if name in out:
            out[name] = out[name].astype(float)
    note = out["alpha_note"].astype(object)
    out["alpha_note"] = note.where(note.notna(), "no passage with two reviewers")
    if group == "outlet":
        out["confidence"] = np.where(
            out["documents_rated"] >= MIN_DOCUMENTS_FOR_RATING, RATING, INITIAL
        )
    return out.rename_axis(group).reset_index()[columns]


def reviewer_report(
    annotations: pd.DataFrame, finals: pd.DataFrame, cap_seconds: float = TIME_CAP_SECONDS
):
    """One row per reviewer: work done, time spent and agreement with the final label.

    ``annotations``: item, annotator, label and seconds (first save minus claim time of
    the assignment; NaN when unknown, e.g. imported annotations). time_spent_s is the sum
    of seconds, each clipped to [0, cap_seconds] so an abandoned tab does not count for
    hours; timed counts the annotations with a known duration and median_s is their lower median
    (clipped). on_resolved counts the reviewer's annotations on resolved passages and
    agrees_with_final those whose label equals the final label; agreement_with_final =
    agrees_with_final / on_resolved with a Wilson 95% interval.
    """
    columns = REVIEWER_COLUMNS
    if annotations.empty:
        return pd.DataFrame(columns=columns)
    done = finals[finals["status"] != UNRESOLVED].set_index("item")["final_label"]
    final = annotations["item"].map(done).to_numpy(dtype=object)
    on_resolved = pd.notna(final)
    seconds = (
        annotations["seconds"].to_numpy(dtype=float)
        if "seconds" in annotations
        else np.full(len(final), np.nan)
    )
    clipped = np.clip(seconds, 0, cap_seconds)
    frame = pd.DataFrame(
        {
            "reviewer": np.asarray(annotations["annotator"], dtype=object),
            "on_resolved": on_resolved,
            "agrees_with_final": on_resolved
            & (np.asarray(annotations["label"], dtype=object) == final),
            "timed": ~np.isnan(seconds),
            "seconds": clipped,
        }
    )
    per = frame.groupby("reviewer", sort=True)
    out = per.agg(
        annotations=("reviewer", "size"),
        on_resolved=("on_resolved", "sum"),
        agrees_with_final=("agrees_with_final", "sum"),
        timed=("timed", "sum"),
        time_spent_s=("seconds", "sum"),
        # The lower median: a median of whole seconds stays whole (an even count would
        # otherwise land halfway between two of them).
        median_s=("seconds", lambda s: s.quantile(0.5, interpolation="lower")),
    )
    out["agreement_with_final"] = _ratio(out["agrees_with_final"], out["on_resolved"])
    low, high = wilson_interval(out["agrees_with_final"], out["on_resolved"])
    out["agreement_with_final_low"], out["agreement_with_final_high"] = low, high
    for name in ("annotations", "on_resolved", "agrees_with_final", "timed"):
        out[name] = out[name].astype(np.int64)
    return out.reset_index()[columns]
