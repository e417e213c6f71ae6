"""Final labels and per-outlet, per-document and per-reviewer reliability figures.

Pure pandas + NumPy, no Django: `annotate.reports` feeds it frames and every figure can
be recomputed from the annotation export (`annotate.exports`).

Final-label rules (issue #5, decided). A passage's final label, with its cited-source
type, cited source and bias markers, is
  1. the curator's current decision (an Adjudication row): status ``adjudicated``;
  2. else, when the campaign accepts unanimous labels and the passage has at least
     ``overlap`` annotations that all give the same passage type, that type: status
     ``unanimous``; its cited type, cited source and markers are what more than half of
     the reviewers chose (no majority: undefined);
  3. else ``unresolved``: no final label. Reports count unresolved passages, they never
     guess one. With auto-accept off, unanimous passages wait for a curator too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ADJUDICATED = "adjudicated"
UNANIMOUS = "unanimous"
UNRESOLVED = "unresolved"
CLAIM = "attributed_claim"
ANONYMOUS = "anonymous"
# Ad Fontes Media and Media Bias/Fact Check rate an outlet on samples of about
# 15 or more articles; fewer is an initial reading, not a rating.
MIN_DOCUMENTS_FOR_RATING = 15
RATING = "rating"
INITIAL = f"initial reading (fewer than {MIN_DOCUMENTS_FOR_RATING} documents with final labels)"
# Time spent on one passage is capped: a tab left open over lunch is not work.
TIME_CAP_SECONDS = 600
Z95 = 1.959963984540054
FINAL_COLUMNS = [
    "item",
    "final_label",
    "final_cited_type",
    "final_cited_source",
    "final_markers",
    "status",
    "annotations",
]


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


# ------------------------------------------------------------------------------ final labels


def _majority_value(values):
    """The value chosen by more than half of ``values``, else None (a short list: counted
    directly, cheaper than a Counter for the three or four reviewers of a passage)."""
    n = len(values)
    for value in dict.fromkeys(values):
        if 2 * values.count(value) > n:
            return value
    return None


_NO_FINAL = (UNRESOLVED, None, None, None, None)


def passage_final(
    annotations, adjudication=None, min_annotations: int = 2, accept_unanimous: bool = True
):
    """The final label of one passage, by the rules in the module docstring.

    ``annotations``: one (label, cited_type, cited_source, markers) per reviewer;
    ``adjudication``: (label, cited_type, cited_source, markers) or None. Returns
    (status, label, cited_type, cited_source, markers); everything but the status is None
    when unresolved. The exports call this once per passage while streaming; final_labels
    is the same rule for whole frames (tests hold them equal).
    """
    if adjudication is not None:
        label, cited_type, cited_source, markers = adjudication
        return ADJUDICATED, label, cited_type, cited_source, sorted(set(markers or ()))
    n = len(annotations)
    if not accept_unanimous or not n or n < min_annotations:
        return _NO_FINAL
    label = annotations[0][0]
    for other in annotations:
        if other[0] != label:
            return _NO_FINAL
    ticks = [m for a in annotations if a[3] for m in set(a[3])]  # a reviewer's marker counts once
    return (
        UNANIMOUS,
        label,
        _majority_value([a[1] for a in annotations]),
        _majority_value([a[2] for a in annotations]),
        sorted(m for m in set(ticks) if 2 * ticks.count(m) > n) if ticks else [],
    )


def _per_item_majority(item, values, count):
    """Per item code: the value more than half of the item's rows hold, else None."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    k = max(len(uniques), 1)
    cell, n = np.unique(item.astype(np.int64) * k + codes, return_counts=True)
    top = np.lexsort((-n, cell // k))  # by item, most frequent first
    first = top[np.r_[True, (cell // k)[top][1:] != (cell // k)[top][:-1]]]
    out = np.full(len(count), None, dtype=object)
    win = 2 * n[first] > count[cell[first] // k]
    out[(cell[first] // k)[win]] = np.asarray(uniques, dtype=object)[(cell[first] % k)[win]]
    return out


def _per_item_markers(item, markers, count):
    """Per item code: the sorted markers ticked on more than half of the item's rows."""
    try:  # frames share one tuple per distinct marker set: factorise, then normalise the few sets
        codes, raw = pd.factorize(pd.Series(markers, dtype=object), use_na_sentinel=False)
        normal, codes_of = pd.factorize(
            pd.Series([_as_tuple(s) for s in raw], dtype=object), use_na_sentinel=False
        )
        codes, sets = normal[codes], codes_of
    except TypeError:  # lists are unhashable
        codes, sets = pd.factorize(
            pd.Series(markers, dtype=object).map(_as_tuple), use_na_sentinel=False
        )
    values = sorted({m for s in sets for m in s})
    mask = np.zeros(len(count), dtype=np.int64)
    for bit, value in enumerate(values):
        ticked = np.fromiter((value in s for s in sets), dtype=bool, count=len(sets))[codes]
        votes = np.bincount(item[ticked], minlength=len(count))
        mask |= (2 * votes > count).astype(np.int64) << bit
    lists = {m: [v for bit, v in enumerate(values) if m >> bit & 1] for m in np.unique(mask)}
    return [lists[m] for m in mask]


def _as_tuple(value):
    return tuple(sorted(set(value))) if isinstance(value, list | tuple | set | frozenset) else ()


def final_labels(
    annotations: pd.DataFrame,
    adjudications: pd.DataFrame | None = None,
    min_annotations: int = 2,
    accept_unanimous: bool = True,
) -> pd.DataFrame:
    """One row per annotated or adjudicated item: final label, cited type, cited source, markers.

    ``annotations`` has item, annotator, label, cited_type, markers (list-likes) and
    optionally cited_source; ``adjudications`` has item, label, cited_type, markers and
    optionally cited_source. ``min_annotations`` is the campaign's overlap and
    ``accept_unanimous`` its auto-accept setting (rules in the module docstring). A
    reviewer's repeated rows count once (the last). Vectorised: per-item counts and
    majorities come from bincounts and one sort, not a Python loop over passages.
    """
    out = pd.DataFrame(columns=FINAL_COLUMNS)
    if len(annotations):
        ann = annotations.drop_duplicates(["item", "annotator"], keep="last")
        item, items = pd.factorize(ann["item"], sort=True)
        count = np.bincount(item, minlength=len(items))
        label = pd.Series(np.asarray(ann["label"], dtype=object))
        codes, _ = pd.factorize(label)
        low = np.full(len(items), np.iinfo(np.int64).max)
        high = np.full(len(items), -1)
        np.minimum.at(low, item, codes)
        np.maximum.at(high, item, codes)
        unanimous = (low == high) & (low >= 0) & (count >= min_annotations) & bool(accept_unanimous)
        first = np.empty(len(items), dtype=object)
        first[item[::-1]] = label.to_numpy()[::-1]
        cited_type = _per_item_majority(item, ann["cited_type"].to_numpy(dtype=object), count)
        if "cited_source" in ann:
            cited_source = _per_item_majority(
                item, ann["cited_source"].to_numpy(dtype=object), count
            )
        else:
            cited_source = np.full(len(items), None, dtype=object)
        markers = _per_item_markers(item, ann["markers"].to_numpy(dtype=object), count)
        keep = unanimous
        out = pd.DataFrame(
            {
                "item": np.asarray(items),
                "final_label": np.where(keep, first, None),
                "final_cited_type": np.where(keep, cited_type, None),
                "final_cited_source": np.where(keep, cited_source, None),
                "final_markers": [m if u else None for m, u in zip(markers, keep, strict=True)],
                "status": np.where(keep, UNANIMOUS, UNRESOLVED),
                "annotations": count,
            },
            columns=FINAL_COLUMNS,
        )
    if adjudications is not None and len(adjudications):
        adj = adjudications.drop_duplicates("item", keep="last")
        source = (
            adj["cited_source"]
            if "cited_source" in adj
            else pd.Series(None, index=adj.index, dtype=object)
        )
        decided = pd.DataFrame(
            {
                "item": adj["item"].to_numpy(),
                "final_label": adj["label"].to_numpy(dtype=object),
                "final_cited_type": adj["cited_type"].to_numpy(dtype=object),
                "final_cited_source": source.to_numpy(dtype=object),
                "final_markers": [sorted(m or []) for m in adj["markers"]],
                "status": ADJUDICATED,
            }
        )
        counts = out.set_index("item")["annotations"] if len(out) else pd.Series(dtype=np.int64)
        decided["annotations"] = decided["item"].map(counts).fillna(0).astype(np.int64).to_numpy()
        rest = out[~out["item"].isin(decided["item"])]
        out = (
            pd.concat([rest, decided[FINAL_COLUMNS]], ignore_index=True)
            if len(rest)
            else decided[FINAL_COLUMNS]
        )
        out = out.sort_values("item", kind="stable").reset_index(drop=True)
    out["annotations"] = out["annotations"].astype(np.int64)
    return out


# ------------------------------------------------------------------------------ reports


def label_columns(labels) -> list[str]:
    """The per-label columns of a report: count of final labels, share, Wilson interval."""
    return [
        c
        for label in labels
        for c in (f"final_{label}", f"share_{label}", f"share_{label}_low", f"share_{label}_high")
    ]


def report_columns(labels, group: str = "outlet") -> list[str]:
    """Column names of group_report, in order (stable: the CSV exports use them as they are)."""
    head = [group, "documents", "documents_resolved"] if group == "outlet" else [group]
    tail = ["confidence"] if group == "outlet" else []
    return [
        *head,
        "passages",
        "reviewers",
        "annotations",
        "unannotated",
        "resolved",
        "adjudicated",
        "unanimous",
        "unresolved",
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
    resolved passages' final labels), documents_resolved (documents with a resolved passage).
    Shares: share_<label> = final_<label> / resolved and anonymous_claim_share =
    anonymous_claims / claims, each with a Wilson 95% interval; markers_per_100 =
    100 final_markers / resolved; adjudicated_share and unresolved_share over passages.
    A share of nothing is NaN (shown as "undefined"). confidence is "rating" from
    MIN_DOCUMENTS_FOR_RATING documents_resolved up, else an initial reading.
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

    def distinct_documents(mask):
        document, _ = pd.factorize(fin["document"].to_numpy())
        pairs = np.unique(code[mask] * np.int64(max(document.max() + 1, 1)) + document[mask])
        return pd.Series(
            np.bincount(pairs // max(document.max() + 1, 1), minlength=n_groups), index=keys
        )

    out = pd.DataFrame({"passages": total(np.ones(len(fin)))})
    if group == "outlet":
        out["documents"] = distinct_documents(np.ones(len(fin), dtype=bool))
        out["documents_resolved"] = distinct_documents(resolved)
    if len(annotations):
        where = np.asarray(annotations["item"].map(rows.set_index("item")[group]))
        per = pd.DataFrame({"g": where, "a": np.asarray(annotations["annotator"])}).groupby("g")
        out["reviewers"] = per["a"].nunique()
        out["annotations"] = per.size()
    out["unannotated"] = total(fin["annotations"].fillna(0).to_numpy() == 0)
    out["resolved"] = total(resolved)
    out["adjudicated"] = total(fin["status"] == ADJUDICATED)
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
    counts = [
        c
        for c in columns
        if c
        in (
            "documents",
            "documents_resolved",
            "passages",
            "reviewers",
            "annotations",
            "unannotated",
            "resolved",
            "adjudicated",
            "unanimous",
            "unresolved",
            "claims",
            "anonymous_claims",
            "final_markers",
        )
        or c.startswith("final_")
    ]
    out = out.reindex(columns=columns[1:])
    out[counts] = out[counts].fillna(0).astype(np.int64)
    for name in ("alpha", "alpha_low", "alpha_high"):
        if name in out:
            out[name] = out[name].astype(float)
    note = out["alpha_note"].astype(object)
    out["alpha_note"] = note.where(note.notna(), "no passage with two reviewers")
    if group == "outlet":
        out["confidence"] = np.where(
            out["documents_resolved"] >= MIN_DOCUMENTS_FOR_RATING, RATING, INITIAL
        )
    return out.rename_axis(group).reset_index()[columns]


def reviewer_report(
    annotations: pd.DataFrame, finals: pd.DataFrame, cap_seconds: float = TIME_CAP_SECONDS
):
    """One row per reviewer: work done, time spent and agreement with the final label.

    ``annotations``: item, annotator, label and seconds (first save minus claim time of
    the assignment; NaN when unknown, e.g. imported annotations). time_spent_s is the sum
    of seconds, each clipped to [0, cap_seconds] so an abandoned tab does not count for
    hours; timed counts the annotations with a known duration and median_s is their median
    (clipped). on_resolved counts the reviewer's annotations on resolved passages and
    agrees_with_final those whose label equals the final label; agreement_with_final =
    agrees_with_final / on_resolved with a Wilson 95% interval.
    """
    columns = [
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
        median_s=("seconds", "median"),
    )
    out["agreement_with_final"] = _ratio(out["agrees_with_final"], out["on_resolved"])
    low, high = wilson_interval(out["agrees_with_final"], out["on_resolved"])
    out["agreement_with_final_low"], out["agreement_with_final_high"] = low, high
    for name in ("annotations", "on_resolved", "agrees_with_final", "timed"):
        out[name] = out[name].astype(np.int64)
    return out.reset_index()[columns]
