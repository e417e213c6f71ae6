"""Which label of a passage is final (pure pandas + NumPy, no Django).

Every report counts final labels, and the annotation export writes each passage's final
label beside its annotations, so every figure can be recomputed from the export.

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
# How a curator's decision was reached (Adjudication.Method): a reasoned choice, or a bulk
# acceptance of the reviewers' majority. Reports count them apart.
CHOSEN = "chosen"
MAJORITY = "majority"
FINAL_COLUMNS = [
    "item",
    "final_label",
    "final_cited_type",
    "final_cited_source",
    "final_markers",
    "status",
    "method",
    "annotations",
]


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
    optionally cited_source and method (CHOSEN, a curator's reasoned decision, or MAJORITY,
    a bulk acceptance of the reviewers' majority; CHOSEN when absent); the output's method
    is that, or None when no curator decided. ``min_annotations`` is the campaign's overlap and
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
                "method": None,
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
                # Frames without the column (older callers) count every decision as chosen.
                "method": adj["method"].to_numpy(dtype=object) if "method" in adj else CHOSEN,
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
