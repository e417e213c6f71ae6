"""Candidate claims: pairs of passages from different outlets that seem to assert one thing.

Pure: no Django. Takes long frames and returns a ranked frame of pairs.

Only passages that state a figure are considered (a claim is about a figure). Three
sources propose candidate pairs, each on its own, so that none is a gate for another:

- figures (annotate.claims.suggest_figures.window_pairs): figures of one kind and change
  (and, separately, of one unit or currency too) whose magnitudes lie within an order
  of magnitude, so that "316,260 small arms" meets "600,000 weapons" whatever the words
  around them;
- wording (annotate.claims.suggest_text): each passage's TOP_K nearest passages of
  other outlets by TF-IDF cosine similarity;
- named things (annotate.claims.suggest_text.names): each passage's NAME_TOP_K nearest
  passages of other outlets by the rare names and model codes both give.

Every candidate is then scored on all three:

    score = cosine + FIGURE_WEIGHT * best figure match
            + NAME_WEIGHT * (shared names - NAME_CONFLICT * names apart)
            - ENTITY_CONFLICT * (the matched figures are about two different named things)

- the best figure match is the highest match between one figure of each passage
  (suggest_figures.figure_match: same unit, values whose intervals overlap or lie close,
  same model), so a passage that states many figures is scored by the one that
  matches, not diluted by the others. A pair with no comparable figures at all (a price
  and a count, a rise and a level, an M4's price and an M16's) is not a candidate: it
  cannot assert one claim;
- shared names (suggest_text): the rarer the names both passages give, the higher, up
  to 1; names apart: the weight of the names one gives and the other does not, taking
  the passage with fewer such names, up to 1. Two reports of one event share its place
  and day; two events ("12 soldiers near Kidal on Tuesday", "six near Gao on Monday")
  each have their own. Evidence both ways, but weak: one outlet writes "Poland" where
  another writes "Warsaw";
- an entity conflict: each matched figure is about a named thing (corpus.figures'
  entity hint: "the Elm Street bridge", "the Mill Lane library") that the other
  passage never names.

The weights were set on the seed articles and the stories of
tests/annotate/claims/test_suggest_stories.py; none of them is estimated from data.

Pairs are ranked by score; the caller drops the pairs a curator has already decided.
Each pair says why it was proposed (`shared`), starting with the figure signature the
claim would have ("money USD", "count weapons", "count arms/weapons" when the two units
differ, "percent %" when neither names one), then the two figures as worded, the model
or name both are about, the wording similarity when it counts and the names both give.
"""

import numpy as np
import pandas as pd

from annotate.claims import suggest_figures as figs
from annotate.claims import suggest_text as words

TOP_K = 10
NAME_TOP_K = 5
MIN_SIMILARITY = 0.05
MIN_NAME_SIMILARITY = 0.3
FIGURE_WEIGHT = 1.0
NAME_WEIGHT = 0.4
NAME_CONFLICT = 0.5
ENTITY_CONFLICT = 0.3
MAX_DF = words.MAX_DF
SHOWN_NAMES = 3
WORDING_SHOWN = 0.1  # below this cosine, similar wording is not named as a reason
SHARED_LENGTH = 200  # annotate.models.ClaimSuggestion.shared
UNIT_LENGTH = 50  # annotate.models.Claim.unit
UNNAMED_UNITS = {"percent": "%", "share": "%", "factor": "×"}
PAIR_COLUMNS = ["passage_a", "passage_b", "score", "similarity", "shared"]


def suggest_pairs(
    passages: pd.DataFrame,
    figures: pd.DataFrame,
    *,
    top_k=TOP_K,
    limit=200,
    exclude=frozenset(),
    min_similarity=MIN_SIMILARITY,
    figure_weight=FIGURE_WEIGHT,
    name_weight=NAME_WEIGHT,
    max_df=MAX_DF,
) -> pd.DataFrame:
    """Ranked candidate pairs (PAIR_COLUMNS), best first, at most `limit`.

    `passages`: passage (id), outlet, text. `figures`: passage, kind, unit, currency,
    value and, if known, low, high, qualifier, change, entity and text (the figure as
    worded). `exclude`: (lower id, higher id) pairs never to return (already decided or
    linked). `score` is the module docstring's; `similarity` the TF-IDF cosine.
    """
    stated = passages[passages["passage"].isin(figures["passage"])].reset_index(drop=True)
    if stated.empty or stated["outlet"].nunique() < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    ids = stated["passage"].to_numpy()
    outlets = pd.factorize(stated["outlet"])[0]
    table = figs.figure_table(figures, pd.Series(np.arange(len(ids)), index=ids), outlets)
    texts = stated["text"].fillna("").astype(str)
    vectors = words.tfidf(texts, max_df)
    named, name_list = words.names(texts, max_df)

    low, high = _candidates(table, vectors, named, outlets, top_k, min_similarity)
    fig, fig_a, fig_b = figs.best_matches(table, low, high)
    keep = np.isfinite(fig)
    low, high, fig, fig_a, fig_b = low[keep], high[keep], fig[keep], fig_a[keep], fig_b[keep]
    cosine = words.row_dots(vectors, low, high)
    shared = words.row_dots(named, low, high)
    own = words.row_dots(named, np.arange(named.shape[0]), np.arange(named.shape[0]))
    apart = np.clip(np.minimum(own[low], own[high]) - shared, 0, 1)
    names = np.minimum(shared, 1.0) - NAME_CONFLICT * apart
    conflict = _entity_conflict(table, named, name_list, low, high, fig_a, fig_b)
    score = cosine + figure_weight * fig + name_weight * names - ENTITY_CONFLICT * conflict

    first, second = np.minimum(ids[low], ids[high]), np.maximum(ids[low], ids[high])
    index = np.flatnonzero(_allowed(first, second, exclude))
    # Best first; ties in a stable, readable order (lower passage ids first).
    index = index[np.lexsort((second[index], first[index], -score[index]))][:limit]
    known = set(name_list)
    picked = [
        (
            int(first[i]),
            int(second[i]),
            float(score[i]),
            float(cosine[i]),
            _shared(table, fig_a[i], fig_b[i], named, name_list, known, low[i], high[i], cosine[i]),
        )
        for i in index
    ]
    return pd.DataFrame(picked, columns=PAIR_COLUMNS)


def _allowed(a, b, exclude):
    """False where (a, b) (lower id first) is in `exclude`."""
    if not exclude:
        return np.ones(len(a), dtype=bool)
    pairs = np.array(sorted(exclude), dtype=np.int64).reshape(-1, 2)
    big = int(max(a.max(initial=0), b.max(initial=0), pairs.max(initial=0))) + 1
    keys = a.astype(np.int64) * big + b.astype(np.int64)
    return ~np.isin(keys, pairs[:, 0] * big + pairs[:, 1])


def _candidates(table, vectors, named, outlets, top_k, min_similarity):
    """(low, high) stated-passage rows of every candidate pair, each pair once."""
    sources = [figs.window_pairs(table)]
    sources.append(words.top_neighbours(vectors, outlets, top_k, min_similarity)[:2])
    sources.append(words.top_neighbours(named, outlets, NAME_TOP_K, MIN_NAME_SIMILARITY)[:2])
    a = np.concatenate([np.asarray(s[0], dtype=np.int64) for s in sources])
    b = np.concatenate([np.asarray(s[1], dtype=np.int64) for s in sources])
    low, high = np.minimum(a, b), np.maximum(a, b)
    key = np.sort(low * len(outlets) + high)
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    return key // len(outlets), key % len(outlets)


def _entity_conflict(table, named, name_list, low, high, fig_a, fig_b):
    """1 where each matched figure's entity is a name the other passage never gives.

    Only entities that are names of the campaign's text (suggest_text.names) count:
    "Council" at the head of a sentence is a common word, not a thing. Model codes that
    differ never get here (suggest_figures: not comparable)."""
    column = {name: i for i, name in enumerate(name_list)}
    entities = table["frame"]["entity"].fillna("").astype(str).str.strip()
    entity_column = entities.map(lambda e: column.get(e, -1) if e else -1).to_numpy()
    col_a, col_b = entity_column[fig_a], entity_column[fig_b]
    coo = named.tocoo()
    given = np.unique(coo.row.astype(np.int64) * len(name_list) + coo.col)
    b_names_a = np.isin(high.astype(np.int64) * len(name_list) + col_a, given)
    a_names_b = np.isin(low.astype(np.int64) * len(name_list) + col_b, given)
    both = (col_a >= 0) & (col_b >= 0) & (col_a != col_b)
    return (both & ~b_names_a & ~a_names_b).astype(float)


def _shared(table, fig_a, fig_b, named, name_list, known, row_a, row_b, cosine):
    """Why a pair was proposed, in words a curator reads, at most SHARED_LENGTH long.

    The figure signature comes first, as accept_suggestion reads the new claim's kind and
    unit or currency from it; then the two figures as worded, the model or name both are
    about, the wording similarity and the names both give (dropped first when too long).
    """
    frame = table["frame"]
    first, second = frame.iloc[fig_a], frame.iloc[fig_b]
    reasons = [_signature(first, second)]
    worded = [_worded(f) for f in (first, second)]
    if all(worded):
        reasons.append(" vs ".join(worded))
    entity = str(first["entity"] or "")
    if entity and entity in known and entity == str(second["entity"] or ""):
        reasons.append(f"both about {entity}")  # a name or model code, not "Council"
    if cosine >= WORDING_SHOWN:
        reasons.append(f"similar wording ({cosine:.2f})")
    both = named[row_a].multiply(named[row_b]).tocsr()
    if both.nnz:
        best = both.indices[np.argsort(-both.data, kind="stable")][:SHOWN_NAMES]
        shown = [n for n in name_list[best] if n != entity]
        if shown:
            reasons.append("names " + "; ".join(shown))
    while len(reasons) > 1 and len(", ".join(reasons)) > SHARED_LENGTH:
        reasons.pop()
    return ", ".join(reasons)[:SHARED_LENGTH]


def _signature(first, second):
    """ "kind detail" of the claim two figures would state, with no comma and a detail
    that is never empty, so that services._shared_detail, which reads the first comma
    part with a space in it, reads this one: the currency ("money USD"), the unit both
    count ("count weapons"), both units when they differ ("count arms/weapons"), and
    when neither names one, what the kind is counted in ("percent %")."""
    kind = str(first["kind"])
    if kind == "money":
        return f"money {first['currency'] or '?'}"
    units = sorted({str(first["unit"] or ""), str(second["unit"] or "")} - {""})
    detail = "/".join(units)[:UNIT_LENGTH] or UNNAMED_UNITS.get(kind, "(unnamed)")
    return f"{kind} {detail}"


def _worded(figure):
    """The figure as worded, with its noun when the span leaves it out ("78 aircraft")."""
    text = " ".join(str(figure["text"] or "").split())
    unit = str(figure["unit"] or "")
    if text and unit and figure["kind"] == "count" and unit.lower() not in text.lower():
        text = f"{text} {unit}"
    return text
