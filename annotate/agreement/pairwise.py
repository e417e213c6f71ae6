"""Cohen's kappa for pairs of annotators (pure pandas + NumPy, no Django).

Same input and cleaning rules as the other agreement modules (a long frame of item,
annotator, label, cleaned by ``annotate.agreement.coding.code``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from annotate.agreement.coding import AgreementResult, code, pairs_within


def pairwise_cohen_kappa(df: pd.DataFrame, min_shared: int = 2) -> pd.DataFrame:
    """Cohen's kappa ``(p_o - p_e) / (1 - p_e)`` for every pair of annotators.

    Cohen, J. (1960) "A coefficient of agreement for nominal scales", Educational and
    Psychological Measurement 20(1). Each pair is scored on the items both labelled: ``p_o`` is
    their share of identical labels, ``p_e = sum_k p_a(k) p_b(k)`` from each annotator's label
    shares on those items. Pairs sharing fewer than ``min_shared`` items are omitted; the default
    2 drops single-item pairs, whose kappa is always either undefined or exactly 0.
    Columns ``annotator_a``, ``annotator_b``, ``shared_items``, ``kappa`` (NaN when p_e = 1).
    """
    c = code(df)
    columns = ["annotator_a", "annotator_b", "shared_items", "kappa"]
    if len(c.item) == 0:
        return pd.DataFrame(columns=columns)
    k, n_ann = max(len(c.labels), 1), len(c.annotators)
    # Sorting by (item, annotator) makes items contiguous and puts the lower annotator code
    # first in every pair, so each unordered pair of annotators gets one id.
    sort = np.argsort(c.item * n_ann + c.annotator, kind="stable")
    ann, lab = c.annotator[sort], c.label[sort]
    a, b = pairs_within(c.item[sort], distinct=True)
    pair_ids, pair = np.unique(ann[a] * n_ann + ann[b], return_inverse=True)
    n_pairs = len(pair_ids)
    shared = np.bincount(pair, minlength=n_pairs)
    agree = np.bincount(pair, weights=lab[a] == lab[b], minlength=n_pairs)
    marg_a = np.bincount(pair * k + lab[a], minlength=n_pairs * k).reshape(n_pairs, k)
    marg_b = np.bincount(pair * k + lab[b], minlength=n_pairs * k).reshape(n_pairs, k)
    # Integer products keep p_e == 1 exact, so "undefined" is detected without a tolerance.
    chance = (marg_a * marg_b).sum(axis=1)
    square = shared.astype(np.int64) ** 2
    kappa = np.full(n_pairs, np.nan)
    ok = chance < square
    kappa[ok] = (agree[ok] * shared[ok] - chance[ok]) / (square[ok] - chance[ok])
    out = pd.DataFrame(
        {
            "annotator_a": c.annotators[pair_ids // n_ann],
            "annotator_b": c.annotators[pair_ids % n_ann],
            "shared_items": shared,
            "kappa": kappa,
        }
    )
    return out[out["shared_items"] >= min_shared].reset_index(drop=True)


def cohen_result(df: pd.DataFrame, a, b) -> AgreementResult:
    """``cohen_kappa`` with the reason it is undefined and the number of shared items."""
    if a == b:
        raise ValueError("cohen_kappa needs two different annotators")
    sub = df[df["annotator"].isin([a, b])] if len(df) else df
    pairs = pairwise_cohen_kappa(sub, min_shared=1)
    if pairs.empty:
        return AgreementResult.undefined("the two annotators share no labelled item")
    row = pairs.iloc[0]
    kappa, shared = float(row["kappa"]), int(row["shared_items"])
    if math.isnan(kappa):
        return AgreementResult.undefined("both annotators used one and the same label", shared)
    return AgreementResult(kappa, None, shared)


def cohen_kappa(df: pd.DataFrame, a, b) -> float:
    """Cohen's kappa between annotators ``a`` and ``b`` on the items both labelled.

    Cohen, J. (1960) "A coefficient of agreement for nominal scales", Educational and
    Psychological Measurement 20(1): ``(p_o - p_e) / (1 - p_e)``, ``p_e = sum_k p_a(k) p_b(k)``.
    NaN when they share no item or both used a single identical label.
    """
    return cohen_result(df, a, b).value
