"""What the unresolved passages could do to each share (pure pandas + NumPy, no Django).

A share counts resolved passages only: share = k / R, k passages of the type among R resolved.
U passages are unresolved (no final label yet, unannotated ones included). Two answers to "how
far could they move it":

* ``unresolved_bounds``: worst-case (Manski) bounds. Were every passage resolved, the share
  would be (k + j) / (R + U) for the unknown number j of unresolved passages of the type,
  0 <= j <= U, so it lies in [k / (R + U), (k + U) / (R + U)] (Manski 1989, "Anatomy of the
  selection problem", J. Human Resources 24(3):343-360; Horowitz & Manski 2000, JASA
  95(449):77-84). No assumption about why passages are unresolved; the width is exactly the
  unresolved share U / (R + U). The same formula bounds a share of a subset (anonymous claims
  among claims, k of n): an unresolved passage can join the denominator only, both, or neither,
  so the extremes are k / (n + U) and (k + U) / (n + U). These are identification bounds on the
  share of the passages the campaign holds, with no sampling error (the clustered intervals
  carry that). With nothing unresolved the bounds meet at the share: the share is then known,
  and ``note`` says so; with nothing resolved they are 0 and 1.
* ``model_shares``: a model-based sensitivity estimate from Dawid & Skene (1979) posteriors
  (``annotate.reports.dawid_skene``): the expected share of each type over the annotated
  passages, sum_i P(type | answers of i) / n, and the share of passages whose most probable
  type it is. Unlike the bounds it assumes the latent-class model (reviewers err independently
  given the true type, with their own confusion matrix).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotate.reports.clustered import report_measures

ALL_RESOLVED = "every passage resolved: the share is known"
ANY_SHARE = "any share from 0 to 1"
BOUND_COLUMNS = [
    "outlet",
    "measure",
    "share",
    "lower",
    "upper",
    "numerator",
    "denominator",
    "unresolved",
    "note",
]


def unresolved_bounds(documents: pd.DataFrame, labels, anonymous: bool = True) -> pd.DataFrame:
    """One row per (outlet, share): the resolved share and its worst-case bounds.

    ``documents``: clustered.document_counts. Shares: share_<label> (k = final_<label>,
    n = resolved) and, with ``anonymous``, anonymous_claim_share (k = anonymous_claims,
    n = claims). Columns: outlet, measure, share (k / n, NaN when n = 0), lower = k / (n + U),
    upper = (k + U) / (n + U), numerator k, denominator n, unresolved U, note.
    """
    if documents.empty:
        return pd.DataFrame(columns=BOUND_COLUMNS)
    measures = [m for m in report_measures(labels, anonymous=anonymous) if m.bounded]
    columns = list(dict.fromkeys(c for m in measures for c in (m.numerator, m.denominator)))
    totals = documents.groupby("outlet", sort=True)[[*columns, "unresolved"]].sum()
    u = totals["unresolved"].to_numpy(dtype=float)
    frames = []
    for k, measure in enumerate(measures):
        y = totals[measure.numerator].to_numpy(dtype=float)
        n = totals[measure.denominator].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(n > 0, y / n, np.nan)
            lower = np.where(n + u > 0, y / (n + u), np.nan)
            upper = np.where(n + u > 0, (y + u) / (n + u), np.nan)
        note = np.where(
            n + u == 0,
            measure.empty,
            np.where(u == 0, ALL_RESOLVED, np.where(n == 0, f"{measure.empty}: {ANY_SHARE}", None)),
        )
        frames.append(
            pd.DataFrame(
                {
                    "order": np.arange(len(totals)) * len(measures) + k,
                    "outlet": totals.index.to_numpy(),
                    "measure": measure.name,
                    "share": share,
                    "lower": lower,
                    "upper": upper,
                    "numerator": y.astype(np.int64),
                    "denominator": n.astype(np.int64),
                    "unresolved": u.astype(np.int64),
                    "note": pd.Series(note, dtype=object).where(pd.notna(note), None),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).sort_values("order", kind="stable")
    return out.reset_index(drop=True)[BOUND_COLUMNS]


def model_shares(passages: pd.DataFrame, posteriors: pd.DataFrame) -> pd.DataFrame:
    """Per (outlet, type): Dawid-Skene expected share and most-probable-label share.

    ``passages``: item, outlet; ``posteriors``: DawidSkeneResult.posteriors (index item, one
    column per type). Only annotated passages have a posterior: ``passages`` counts them.
    Columns: outlet, measure (share_<type>), expected (mean posterior probability of the type),
    most_probable (share of passages whose highest-posterior type it is; ties: first type),
    passages.
    """
    columns = ["outlet", "measure", "expected", "most_probable", "passages"]
    rows = passages[["item", "outlet"]].drop_duplicates("item")
    where = pd.Index(posteriors.index).get_indexer(rows["item"])
    rows, where = rows[where >= 0], where[where >= 0]
    if not len(rows) or posteriors.shape[1] == 0:
        return pd.DataFrame(columns=columns)
    group, outlets = pd.factorize(rows["outlet"], sort=True)
    prob = posteriors.to_numpy(dtype=float)[where]
    best = prob.argmax(axis=1)
    n = np.bincount(group, minlength=len(outlets)).astype(float)
    frames = []
    for k, label in enumerate(posteriors.columns):
        frames.append(
            pd.DataFrame(
                {
                    "order": np.arange(len(outlets)) * posteriors.shape[1] + k,
                    "outlet": np.asarray(outlets),
                    "measure": f"share_{label}",
                    "expected": np.bincount(group, weights=prob[:, k], minlength=len(outlets)) / n,
                    "most_probable": np.bincount(group, weights=best == k, minlength=len(outlets))
                    / n,
                    "passages": n.astype(np.int64),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).sort_values("order", kind="stable")
    return out.reset_index(drop=True)[columns]
