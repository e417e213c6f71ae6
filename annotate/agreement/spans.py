"""Agreement between reviewers on spans (pure pandas + NumPy + SciPy, no Django).

Input: a long frame of spans with columns ``item`` (the passage, or whatever unit reviewers
were shown), ``annotator``, ``start``, ``end`` (character offsets, end exclusive) and
``label``; one span layer at a time (filter the frame first: cited sources, loaded words).
Rows with a missing value or ``end <= start`` are dropped and exact duplicates counted once.

Who saw what: ``coders``, a frame ``item``, ``annotator`` listing every reviewer who was shown
each item. A reviewer who saw a passage and marked nothing agrees that it has no span, so
leaving them out inflates or deflates agreement; without ``coders`` only reviewers with a span
on an item count as having seen it. Reviewers with spans are always added to ``coders``.

Measures
- ``token_alpha``: Krippendorff's alpha, nominal, over tokens. Each token of an item is coded
  by every reviewer who saw the item with the label of that reviewer's span covering it, or
  "none" (a token is covered when it shares a character with the span; a token under two of
  one reviewer's spans with different labels gets the joined label, e.g. "a+b"). With the
  coincidence matrix o_ck = sum over tokens u of n_uc * (n_uk - [c = k]) / (m_u - 1), where
  n_uc counts reviewers giving code c to u and m_u the reviewers of u (tokens with m_u < 2
  are unpairable and dropped), n_c = sum_k o_ck and n = sum_c n_c:
      alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k
  (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", eqs. for nominal data;
  Krippendorff 2004, Content Analysis, 2nd ed., ch. 11). The coincidence matrix is built here
  from spans (tokens nobody marked are never materialised); alpha comes from it through the
  agreement engine's ``alpha_from_coincidences``.
- ``span_f1`` / ``pairwise_span_f1``: for two reviewers a and b over the items both saw,
  F1 = 2 * matched / (spans_a + spans_b), which is symmetric, so neither reviewer needs to be
  the reference (Hripcsak & Rothschild 2005, "Agreement, the F-measure, and reliability in
  information retrieval", JAMIA 12(3)). precision = matched / spans_a, recall = matched /
  spans_b. ``match="exact"``: same start, end and label. ``match="overlap"``: same label and
  at least one shared character, each span matched at most once, with a maximum one-to-one
  matching (Hopcroft-Karp, ``scipy.sparse.csgraph.maximum_bipartite_matching``), so the count
  does not depend on span order as a greedy matching would. ``span_f1`` micro-averages over
  all pairs of reviewers: 2 * sum matched / sum (spans_a + spans_b).

Results are ``AgreementResult``s like every other coefficient: an undefined one has the
reason it is undefined; per-pair precision/recall/F1 use pandas' missing value (<NA>) in a
nullable Float64 column.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import maximum_bipartite_matching

from annotate.agreement.coding import AgreementResult
from annotate.agreement.coefficients import alpha_from_coincidences

__all__ = [
    "NONE_LABEL",
    "pairwise_span_f1",
    "span_f1",
    "token_alpha",
    "token_frame",
    "tokenize",
]

NONE_LABEL = "none"
SPAN_COLUMNS = ["item", "annotator", "start", "end", "label"]
PAIR_COLUMNS = [
    "annotator_a",
    "annotator_b",
    "items",
    "spans_a",
    "spans_b",
    "matched",
    "precision",
    "recall",
    "f1",
]
NO_DATA = "no reviewer saw any item"
ONE_ANNOTATOR = "only one reviewer"
NO_TOKEN_PAIRS = "no token was seen by two or more reviewers"
ONE_CODE = "every paired token has the same code, so chance agreement is total"
NO_SHARED_ITEM = "no item was seen by two reviewers"
NO_SPANS = "no spans in the items seen by two reviewers"

# Words (with inner apostrophes or hyphens: "don't", "co-operation") and single marks.
TOKEN = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")


def tokenize(text: str, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets (plus ``offset``) of the tokens of ``text`` (regex ``TOKEN``)."""
    bounds = np.array([m.span() for m in TOKEN.finditer(text)], dtype=np.int64).reshape(-1, 2)
    return bounds[:, 0] + offset, bounds[:, 1] + offset


def token_frame(passages: pd.DataFrame) -> pd.DataFrame:
    """Long frame ``item, start, end`` of the tokens of ``passages`` (``item, text`` and an
    optional ``offset``, the passage's start in its document, so tokens share the spans'
    document offsets)."""
    offsets = passages["offset"] if "offset" in passages else pd.Series(0, index=passages.index)
    parts, items = [], []
    for item, text, offset in zip(passages["item"], passages["text"], offsets, strict=True):
        starts, ends = tokenize(text, int(offset))
        parts.append(np.stack([starts, ends], axis=1))
        items.append(np.full(len(starts), item, dtype=object))
    if not parts:
        return pd.DataFrame({"item": [], "start": [], "end": []})
    bounds = np.concatenate(parts)
    item_values = pd.Series(np.concatenate(items)).infer_objects()
    return pd.DataFrame({"item": item_values, "start": bounds[:, 0], "end": bounds[:, 1]})


def _clean(spans: pd.DataFrame) -> pd.DataFrame:
    missing = set(SPAN_COLUMNS) - set(spans.columns)
    if missing:
        raise ValueError(f"spans lack columns {sorted(missing)}")
    s = spans[SPAN_COLUMNS].dropna()
    s = s.astype({"start": np.int64, "end": np.int64})
    return s[s["end"] > s["start"]].drop_duplicates(ignore_index=True)


def _coders(spans: pd.DataFrame, coders: pd.DataFrame | None) -> pd.DataFrame:
    seen = [spans[["item", "annotator"]]]
    if coders is not None:
        seen.append(coders[["item", "annotator"]].dropna())
    return pd.concat(seen, ignore_index=True).drop_duplicates(ignore_index=True)


def _codes(*columns: pd.Series) -> tuple[list[np.ndarray], np.ndarray]:
    """Joint integer codes for several columns of the same kind of value."""
    codes, uniques = pd.factorize(pd.concat(columns, ignore_index=True))
    bounds = np.cumsum([0] + [len(c) for c in columns])
    return [codes[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)], np.asarray(uniques)


def _expand_to_tokens(s, s_item, key_start, key_end, big):
    """(token index, span row) for every token a span covers (keys: item * big + offset)."""
    first = np.searchsorted(key_end, s_item * big + s["start"].to_numpy(), side="right")
    stop = np.searchsorted(key_start, s_item * big + s["end"].to_numpy(), side="left")
    count = np.clip(stop - first, 0, None)
    rows = np.repeat(np.arange(len(s)), count)
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(first, count) + within, rows


def _token_codes(tok, ann, labels: np.ndarray, label_values: np.ndarray):
    """One code per (token, reviewer); several labels on one token become "a+b"."""
    df = pd.DataFrame({"tok": tok, "ann": ann, "lab": labels}).drop_duplicates()
    multi = df.duplicated(["tok", "ann"], keep=False).to_numpy()
    if not multi.any():
        return df["tok"].to_numpy(), df["lab"].to_numpy(), len(label_values)
    joined = (
        df[multi]
        .assign(name=lambda d: [str(label_values[c]) for c in d["lab"]])
        .groupby(["tok", "ann"], sort=False)["name"]
        .agg(lambda names: "+".join(sorted(names)))
    )
    extra, _ = pd.factorize(joined.to_numpy())
    tok_all = np.concatenate([df["tok"].to_numpy()[~multi], joined.index.get_level_values(0)])
    lab_all = np.concatenate([df["lab"].to_numpy()[~multi], extra + len(label_values)])
    return tok_all, lab_all, len(label_values) + extra.max(initial=-1) + 1


def token_alpha(
    spans: pd.DataFrame, tokens: pd.DataFrame, coders: pd.DataFrame | None = None
) -> AgreementResult:
    """Krippendorff's nominal alpha over tokens coded with their span label or "none".

    ``tokens``: ``item, start, end`` (``token_frame``) for every item in ``spans``/``coders``.
    """
    s = _clean(spans)
    seen = _coders(s, coders)
    if seen.empty:
        return AgreementResult.undefined(NO_DATA)
    if seen["annotator"].nunique() < 2:
        return AgreementResult.undefined(ONE_ANNOTATOR)
    # Tokens come in runs of one item: code the runs, not the millions of tokens.
    t_values = tokens["item"].to_numpy()
    run_starts = np.flatnonzero(np.r_[True, t_values[1:] != t_values[:-1]]) if len(t_values) else []
    run_lengths = np.diff(np.r_[run_starts, len(t_values)])
    runs = pd.Series(t_values[run_starts], dtype=tokens["item"].dtype)
    (t_runs, s_item, c_item), items = _codes(runs, s["item"], seen["item"])
    t_item = np.repeat(t_runs, run_lengths)
    if len(s) and not (np.bincount(t_runs, minlength=len(items)) > 0)[s_item].all():
        raise ValueError("tokens are missing for some items that have spans")
    t_item = t_item.astype(np.int64)
    t_start, t_end = tokens["start"].to_numpy(np.int64), tokens["end"].to_numpy(np.int64)
    # One sort key per token, item first; token_frame's output is already in this order.
    big = int(max(t_end.max(initial=0), s["end"].max() if len(s) else 0)) + 1
    key_start = t_item * big + t_start
    if np.any(np.diff(key_start) < 0):
        order = np.argsort(key_start, kind="stable")
        t_item, t_start, t_end, key_start = (
            t_item[order],
            t_start[order],
            t_end[order],
            key_start[order],
        )
    key_end = t_item * big + t_end
    if np.any(np.diff(key_end) < 0) or np.any(key_end[:-1] > key_start[1:]):
        raise ValueError("tokens of one item overlap")
    m = np.bincount(c_item, minlength=len(items))[t_item]  # reviewers of each token

    (s_ann,), _ = _codes(s["annotator"])
    s_lab, label_values = pd.factorize(s["label"])
    tok, rows = _expand_to_tokens(s, s_item.astype(np.int64), key_start, key_end, big)
    tok, lab, n_labels = _token_codes(tok, s_ann[rows], s_lab[rows], np.asarray(label_values))

    is_covered = np.zeros(len(t_item), dtype=bool)
    is_covered[tok] = True
    covered = np.flatnonzero(is_covered)
    local = (np.cumsum(is_covered) - 1)[tok]
    k = n_labels + 1  # code 0 is "none"
    counts = np.bincount(local * k + lab + 1, minlength=len(covered) * k).reshape(-1, k)
    counts = counts.astype(float)
    counts[:, 0] = m[covered] - counts[:, 1:].sum(axis=1)
    paired = m[covered] >= 2
    counts, weight = counts[paired], 1.0 / (m[covered][paired] - 1)
    o = (counts * weight[:, None]).T @ counts
    o -= np.diag((counts * weight[:, None]).sum(axis=0))
    o[0, 0] += m[~is_covered & (m >= 2)].sum()  # all reviewers said "none": m_u pairs each

    n_units = int((m >= 2).sum())
    n = o.sum()
    if n_units == 0 or n == 0:
        return AgreementResult.undefined(NO_TOKEN_PAIRS)
    value = float(alpha_from_coincidences(o[None], "nominal", np.arange(len(o)))[0])
    if np.isnan(value):
        return AgreementResult.undefined(ONE_CODE, n_units)
    return AgreementResult(value, None, n_units)


def _pairs(seen: pd.DataFrame) -> pd.DataFrame:
    """item, a, b (annotator codes, a < b) for every two reviewers who saw an item."""
    both = seen.merge(seen, on="item", suffixes=("_a", "_b"))
    return both[both["ann_a"] < both["ann_b"]].rename(columns={"ann_a": "a", "ann_b": "b"})


def _matched(s: pd.DataFrame, match: str) -> pd.DataFrame:
    """a, b, matched: one-to-one matches between the spans of every two reviewers."""
    key = ["item", "start", "end", "label"] if match == "exact" else ["item", "label"]
    both = s.merge(s, on=key, suffixes=("_a", "_b"))
    both = both[both["ann_a"] < both["ann_b"]]
    if match == "exact":  # duplicates are gone, so an exact match is already one-to-one
        return both.groupby(["ann_a", "ann_b"]).size().rename("matched").reset_index()
    both = both[(both["start_a"] < both["end_b"]) & (both["start_b"] < both["end_a"])]
    if both.empty:
        return pd.DataFrame({"ann_a": [], "ann_b": [], "matched": []})
    # A span is one node per other reviewer it is compared with, so pairs stay separate.
    left, _ = pd.factorize(pd.MultiIndex.from_arrays([both["row_a"], both["ann_b"]]))
    right, _ = pd.factorize(pd.MultiIndex.from_arrays([both["row_b"], both["ann_a"]]))
    graph = sparse.csr_matrix(
        (np.ones(len(both)), (left, right)), shape=(left.max() + 1, right.max() + 1)
    )
    partner = maximum_bipartite_matching(graph, perm_type="column")
    first = pd.DataFrame(
        {"left": left, "a": both["ann_a"].to_numpy(), "b": both["ann_b"].to_numpy()}
    )
    first = first.drop_duplicates("left").set_index("left").sort_index()
    hit = first[partner[first.index.to_numpy()] >= 0]
    return (
        hit.groupby(["a", "b"])
        .size()
        .rename("matched")
        .reset_index()
        .rename(columns={"a": "ann_a", "b": "ann_b"})
    )


def pairwise_span_f1(
    spans: pd.DataFrame, coders: pd.DataFrame | None = None, match: str = "exact"
) -> pd.DataFrame:
    """One row per two reviewers who saw a common item (``PAIR_COLUMNS``)."""
    if match not in ("exact", "overlap"):
        raise ValueError('match must be "exact" or "overlap"')
    s = _clean(spans)
    seen = _coders(s, coders)
    (seen_ann, s_ann), names = _codes(seen["annotator"], s["annotator"])
    seen = pd.DataFrame({"item": seen["item"].to_numpy(), "ann": seen_ann})
    s = s.assign(ann=s_ann, row=np.arange(len(s)))
    pairs = _pairs(seen)
    if pairs.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    per_item = s.groupby(["item", "ann"]).size()
    n_a = per_item.reindex(pd.MultiIndex.from_arrays([pairs["item"], pairs["a"]]), fill_value=0)
    n_b = per_item.reindex(pd.MultiIndex.from_arrays([pairs["item"], pairs["b"]]), fill_value=0)
    totals = (
        pairs.assign(spans_a=n_a.to_numpy(), spans_b=n_b.to_numpy())
        .groupby(["a", "b"])
        .agg(items=("item", "size"), spans_a=("spans_a", "sum"), spans_b=("spans_b", "sum"))
        .reset_index()
    )
    matched = _matched(s, match).rename(columns={"ann_a": "a", "ann_b": "b"})
    out = totals.merge(matched, on=["a", "b"], how="left").fillna({"matched": 0})
    out["matched"] = out["matched"].astype(np.int64)
    out["precision"] = _ratio(out["matched"], out["spans_a"])
    out["recall"] = _ratio(out["matched"], out["spans_b"])
    out["f1"] = _ratio(2 * out["matched"], out["spans_a"] + out["spans_b"])
    out["annotator_a"], out["annotator_b"] = names[out["a"]], names[out["b"]]
    return out[PAIR_COLUMNS]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype("Float64")
    return (num.astype("Float64") / den.where(den > 0)).astype("Float64")


def span_f1(
    spans: pd.DataFrame, coders: pd.DataFrame | None = None, match: str = "exact"
) -> AgreementResult:
    """Micro-averaged pairwise span F1: 2 * sum matched / sum (spans_a + spans_b)."""
    pairs = pairwise_span_f1(spans, coders, match)
    if pairs.empty:
        return AgreementResult.undefined(NO_SHARED_ITEM)
    compared = int((pairs["spans_a"] + pairs["spans_b"]).sum())
    if compared == 0:
        return AgreementResult.undefined(NO_SPANS)
    return AgreementResult(2 * int(pairs["matched"].sum()) / compared, None, compared)
