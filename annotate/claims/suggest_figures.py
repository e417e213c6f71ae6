"""Figures for claim suggestions: which figures of two passages may state one quantity.

Pure: no Django (annotate.claims.suggest uses it). Takes the long frame of figures
(one row per figure: passage, kind, unit, currency, value, low, high, qualifier,
change, entity, text) and works on NumPy arrays.

Two figures are **comparable** when they are of one kind (percentages and shares are
one kind, as in annotate.claims.divergence), both levels or both changes in the same
direction, in the same currency when money, and not about two different models (both
name a model code, "M4" and "M16", and the codes differ). Comparable figures match by

    match = detail * closeness + entity

- detail: 1 when the two count the same noun ("weapons"); UNNAMED when they name no
  noun, or are money in the same currency (a currency says only that it is money: in a
  story told in dollars every price and budget shares it, so the wording, names and
  entities must say what is priced); DETAIL_MISMATCH when the nouns differ ("316,260
  small arms" and "600,000 weapons" may count one thing in other words, "12 soldiers"
  and "a dozen troops" too, but "80 soldiers" and "24 terrorists" do not);
- closeness: how near the two values are, from 1 down to 0 at an order of magnitude
  apart (reports of one quantity differ, but seldom tenfold): the mean of what the two
  statements allow (1 when the intervals annotate.claims.divergence.interval reads from
  their qualifiers and ranges overlap, as "more than 300,000" and "316,260" do, else
  1 - log10 of the ratio of the intervals' nearer ends) and of what they say (1 - log10
  of the ratio of the two values), halved when either is vague ("billions", "hundreds
  of"), since a vague figure matches nearly anything of its size;
- entity: ENTITY_MODEL when both are about the same model code (corpus.figures' entity
  hint; a capitalised word there is noisier, and counts only through the names the two
  passages share, annotate.claims.suggest_text).

Candidate figure pairs come from sorting the figures by (kind, change, unit or
currency) and magnitude and pairing each with the next WINDOW figures less than an
order of magnitude above it (of other outlets); again among the figures that name the
same entity (so that in a large corpus, where one bucket holds thousands of counts,
figures about the same model or name still meet); and again by kind and change alone,
GROUP_WINDOW each, for figures that count one thing in other words.
"""

import math
import re

import numpy as np
import pandas as pd

from annotate.claims.divergence import KIND_GROUPS, interval

DETAIL_MISMATCH = 0.3
UNNAMED = 0.5
VAGUE = 0.5
VAGUE_RATIO = 3  # a range whose top is this many times its bottom is vague, not a bound
ENTITY_MODEL = 0.5
WINDOW = 10
ENTITY_WINDOW = 10
GROUP_WINDOW = 5  # figures of one kind whose units differ: weak evidence, fewer looked at
CHUNK_PAIRS = 500_000
MODEL_CODE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9\-]*")
OPTIONAL = {
    "low": None,
    "high": None,
    "qualifier": "",
    "change": "",
    "entity": "",
    "text": "",
}


def figure_table(figures: pd.DataFrame, position: pd.Series, outlets: np.ndarray) -> dict:
    """Arrays describing each figure, sorted by passage position.

    `position` maps a passage id to its row among the stated passages; `outlets` holds
    each stated passage's outlet code. Figures of passages not in `position` are dropped.
    """
    figures = figures[figures["passage"].isin(position.index)].copy()
    for column, default in OPTIONAL.items():
        if column not in figures:
            figures[column] = default
    figures["pos"] = position[figures["passage"].to_numpy()].to_numpy()
    figures = figures.sort_values(["pos"], kind="stable").reset_index(drop=True)
    kind = figures["kind"].fillna("").astype(str)
    change = figures["change"].fillna("").astype(str)
    money = kind == "money"
    detail = figures["currency"].where(money, figures["unit"]).fillna("").astype(str).str.lower()
    group = kind.map(lambda k: KIND_GROUPS.get(k, k)) + " " + change
    entity = figures["entity"].fillna("").astype(str).str.strip()
    is_model = entity.map(lambda e: bool(MODEL_CODE.fullmatch(e)))
    lows, highs = _intervals(figures)
    values = pd.to_numeric(figures["value"], errors="coerce").astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.where(values > 0, np.log10(np.abs(values)), np.nan)
    entity_key = entity.str.casefold().where(entity != "", None)
    range_low = pd.to_numeric(figures["low"], errors="coerce").astype(float).to_numpy()
    range_high = pd.to_numeric(figures["high"], errors="coerce").astype(float).to_numpy()
    with np.errstate(invalid="ignore"):
        vague = (range_low > 0) & (range_high >= VAGUE_RATIO * range_low)
    pos = figures["pos"].to_numpy()
    return {
        "frame": figures,
        "pos": pos,
        "outlet": outlets[pos],
        "group": pd.factorize(group)[0],
        "money": money.to_numpy(),
        "detail": pd.factorize(detail)[0],
        "has_detail": (detail != "").to_numpy(),
        "bucket": pd.factorize(group + "|" + detail)[0],
        "value": values,
        "vague": vague,
        "low": lows,
        "high": highs,
        "magnitude": magnitude,
        "entity": pd.factorize(entity_key, use_na_sentinel=True)[0],
        "model": is_model.to_numpy() & (entity != "").to_numpy(),
        "start": np.searchsorted(pos, np.arange(len(outlets))),
        "count": np.bincount(pos, minlength=len(outlets)),
    }


def _intervals(figures):
    """Each figure's interval (divergence.interval), read once per distinct statement."""
    seen = {}
    lows, highs = np.empty(len(figures)), np.empty(len(figures))
    columns = ["value", "qualifier", "low", "high", "kind"]
    for i, row in enumerate(figures[columns].itertuples(index=False, name=None)):
        key = tuple(None if _missing(v) else v for v in row)
        if key not in seen:
            seen[key] = interval(key[0], key[1] or "", key[2], key[3], key[4] or "")
        lows[i], highs[i] = seen[key]
    return lows, highs


def _missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def window_pairs(
    table: dict, window=WINDOW, entity_window=ENTITY_WINDOW, group_window=GROUP_WINDOW
):
    """(a, b) passage positions of candidate figure pairs (see the module docstring)."""
    known = ~np.isnan(table["magnitude"])
    pairs = [_sorted_window(table, table["bucket"], known, window)]
    named = known & (table["entity"] >= 0)
    key = table["bucket"].astype(np.int64) * (table["entity"].max() + 2) + table["entity"]
    pairs.append(_sorted_window(table, key, named, entity_window))
    pairs.append(_sorted_window(table, table["group"], known, group_window))
    a = np.concatenate([p[0] for p in pairs])
    b = np.concatenate([p[1] for p in pairs])
    return a, b


def _sorted_window(table, key, usable, window):
    index = np.flatnonzero(usable)
    order = index[np.lexsort((table["magnitude"][index], key[index]))]
    k, m = key[order], table["magnitude"][order]
    outlet, pos = table["outlet"][order], table["pos"][order]
    found_a, found_b = [], []
    for d in range(1, window + 1):
        near = (k[:-d] == k[d:]) & (m[d:] - m[:-d] < 1)
        if not near.any():
            break  # sorted: nothing further away is nearer
        keep = near & (outlet[:-d] != outlet[d:])
        found_a.append(pos[:-d][keep])
        found_b.append(pos[d:][keep])
    if not found_a:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    return np.concatenate(found_a), np.concatenate(found_b)


def best_matches(table: dict, a: np.ndarray, b: np.ndarray):
    """For each passage pair (a[i], b[i]): (best match, its figure in a, its figure in b).

    The best match is the highest `match` over every pair of one figure of each passage;
    -inf (and figures -1) when no figure of one is comparable with a figure of the other.
    """
    best = np.full(len(a), -np.inf)
    fig_a, fig_b = np.full(len(a), -1), np.full(len(a), -1)
    for start in range(0, len(a), CHUNK_PAIRS):
        part = slice(start, start + CHUNK_PAIRS)
        best[part], fig_a[part], fig_b[part] = _best_chunk(table, a[part], b[part])
    return best, fig_a, fig_b


def _best_chunk(table, a, b):
    count_a, count_b = table["count"][a], table["count"][b]
    sizes = count_a * count_b
    pair = np.repeat(np.arange(len(a)), sizes)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    ia = table["start"][a][pair] + offset // count_b[pair]
    ib = table["start"][b][pair] + offset % count_b[pair]
    match = figure_match(table, ia, ib)
    best = np.full(len(a), -np.inf)
    np.maximum.at(best, pair, match)
    fig_a, fig_b = np.full(len(a), -1), np.full(len(a), -1)
    hit = np.flatnonzero((match == best[pair]) & np.isfinite(match))
    # `pair` is sorted: the first hit of each pair is where the pair number changes.
    first = hit[np.r_[True, pair[hit][1:] != pair[hit][:-1]]] if len(hit) else hit
    fig_a[pair[first]], fig_b[pair[first]] = ia[first], ib[first]
    return best, fig_a, fig_b


def figure_match(table: dict, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """`match` of figures ia[i] and ib[i] (module docstring); -inf when not comparable."""
    same_detail = (table["detail"][ia] == table["detail"][ib]) & table["has_detail"][ia]
    model_a, model_b = table["model"][ia], table["model"][ib]
    same_entity = (table["entity"][ia] == table["entity"][ib]) & (table["entity"][ia] >= 0)
    comparable = (
        (table["group"][ia] == table["group"][ib])
        & ~(table["money"][ia] & ~same_detail)
        & ~(model_a & model_b & ~same_entity)
    )
    named_unit = same_detail & ~table["money"][ia]
    detail = np.where(named_unit, 1.0, np.where(same_detail, UNNAMED, DETAIL_MISMATCH))
    detail = np.where(~table["has_detail"][ia] & ~table["has_detail"][ib], UNNAMED, detail)
    entity = np.where(same_entity & model_a, ENTITY_MODEL, 0.0)
    match = np.full(len(ia), -np.inf)
    some = np.flatnonzero(comparable)  # closeness only where it counts
    match[some] = detail[some] * closeness(table, ia[some], ib[some]) + entity[some]
    return match


def closeness(table: dict, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """How near two figures' values are, from 1 down to 0 at an order of magnitude apart.

    The mean of two readings: what the statements allow (1 when their intervals overlap,
    else 1 - log10 of the ratio of their nearer ends) and what they say (1 - log10 of
    the ratio of the stated values). The first alone would put "at least 80" level with
    "at least 24" (both intervals run up to infinity), the second alone "more than
    300,000" apart from "316,260". Vague figures ("billions", "hundreds of") count half.
    """
    low_a, high_a = table["low"][ia], table["high"][ia]
    low_b, high_b = table["low"][ib], table["high"][ib]
    a_below = high_a < low_b
    b_below = high_b < low_a
    lower_end = np.where(a_below, high_a, high_b)  # the top of the lower interval
    upper_end = np.where(a_below, low_b, low_a)  # the bottom of the upper one
    allowed = np.where(a_below | b_below, _near(lower_end, upper_end), 1.0)
    said = _near(table["value"][ia], table["value"][ib])
    vague = table["vague"][ia] | table["vague"][ib]
    return (allowed + said) / 2 * np.where(vague, VAGUE, 1.0)


def _near(x, y):
    """1 - log10(|x| / |y|) (the larger over the smaller), clipped to [0, 1]; 0 when the
    two differ in sign or one is zero or infinite, unless they are equal."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(x) / np.abs(y)
        ratio = np.maximum(ratio, 1 / ratio)
        near = np.clip(1 - np.log10(ratio), 0, 1)
    usable = (np.sign(x) == np.sign(y)) & np.isfinite(near)
    return np.where(x == y, 1.0, np.where(usable, near, 0.0))
