"""Candidate claims: pairs of passages from different outlets that seem to assert one thing.

Pure: no Django. Takes long frames and returns a ranked frame of pairs.

Only passages that state a figure are considered. Each is a TF-IDF vector of its
words (scikit-learn: sublinear term frequency, English stop words removed, words in
more than MAX_DF of the passages, and more than MAX_DF_FLOOR of them, dropped as
uninformative; rows L2-normalised, so a
dot product is the cosine similarity, Salton & Buckley 1988). For every passage the
TOP_K most similar passages of *other* outlets are kept (sparse products in row
chunks, so memory stays bounded whatever the corpus size), and each pair is scored

    score = cosine + FIGURE_WEIGHT * Jaccard(figure signatures of the two passages)

where a passage's figure signatures are the kinds it states ("money", "count",
"percent"), each kind with its currency or unit ("money USD", "count weapons") and
each kind with its order of magnitude ("count ~10^5"). So two passages about an
M4's price share "money", "money USD" and "money ~10^3", and two about the number
of weapons share "count" and "count ~10^5" even when one says "small arms". Pairs are ranked by score; the caller stores the best
and drops pairs a curator has already decided.
"""

import numpy as np
import pandas as pd
from scipy import sparse

TOP_K = 10
# A word in more than MAX_DF of the passages (and in more than MAX_DF_FLOOR of them)
# says little about which claim a passage makes ("weapons" in a campaign about weapons),
# and keeping it makes every passage a neighbour of every other: the similarity
# products grow with the square of the corpus.
MAX_DF = 0.02
MAX_DF_FLOOR = 200
MIN_SIMILARITY = 0.05
FIGURE_WEIGHT = 0.4
CHUNK_ROWS = 2000
PAIR_COLUMNS = ["passage_a", "passage_b", "score", "similarity", "shared"]


def signatures(figures: pd.DataFrame) -> pd.DataFrame:
    """Long frame passage, signature from figures with passage, kind, unit, currency, value.

    Signatures: the kind ("count"), the kind with its currency or unit ("count weapons",
    "money USD") and the kind with its order of magnitude ("count ~10^5"), since reports
    of one quantity seldom differ tenfold.
    """
    if figures.empty:
        return pd.DataFrame(columns=["passage", "signature"])
    kind = figures["kind"].astype(str)
    detail = figures["currency"].where(kind == "money", figures["unit"]).fillna("").astype(str)
    values = pd.to_numeric(figures["value"], errors="coerce").astype(float).abs()
    magnitude = np.floor(np.log10(values.where(values > 0))).astype("Int64").astype(str)
    parts = [
        figures[["passage"]].assign(signature=kind),
        figures[["passage"]].assign(signature=kind + " " + detail)[detail != ""],
        figures[["passage"]].assign(signature=kind + " ~10^" + magnitude)[values > 0],
    ]
    return pd.concat(parts, ignore_index=True).drop_duplicates(ignore_index=True)


def suggest_pairs(
    passages: pd.DataFrame,
    figures: pd.DataFrame,
    *,
    top_k=TOP_K,
    limit=200,
    exclude=frozenset(),
    min_similarity=MIN_SIMILARITY,
    figure_weight=FIGURE_WEIGHT,
    max_df=MAX_DF,
) -> pd.DataFrame:
    """Ranked candidate pairs (PAIR_COLUMNS), best first, at most `limit`.

    `passages`: passage (id), outlet, text. `figures`: passage, kind, unit, currency, value.
    `exclude`: (lower id, higher id) pairs never to return (already decided or linked).
    """
    sig = signatures(figures)
    stated = passages[passages["passage"].isin(sig["passage"])].reset_index(drop=True)
    if stated.empty or stated["outlet"].nunique() < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    vectors = _tfidf(stated["text"], max_df)
    outlets = pd.factorize(stated["outlet"])[0]
    rows, cols, sims = _top_neighbours(vectors, outlets, top_k, min_similarity)
    if len(rows) == 0:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    # Each pair once, lower row first; the similarity is symmetric.
    low, high = np.minimum(rows, cols), np.maximum(rows, cols)
    key = low.astype(np.int64) * len(stated) + high
    key, first = np.unique(key, return_index=True)
    low, high, sims = low[first], high[first], sims[first]

    codes, names = pd.factorize(sig["signature"])
    position = pd.Series(np.arange(len(stated)), index=stated["passage"].to_numpy())
    member = sparse.csr_matrix(
        (np.ones(len(sig)), (position[sig["passage"].to_numpy()].to_numpy(), codes)),
        shape=(len(stated), len(names)),
    )
    shared = np.asarray(member[low].multiply(member[high]).sum(axis=1)).ravel()
    sizes = np.asarray(member.sum(axis=1)).ravel()
    jaccard = shared / (sizes[low] + sizes[high] - shared)
    score = sims + figure_weight * jaccard

    order = np.argsort(-score, kind="stable")
    ids = stated["passage"].to_numpy()
    picked = []
    for i in order:
        a, b = int(ids[low[i]]), int(ids[high[i]])
        pair = (a, b) if a < b else (b, a)
        if pair in exclude:
            continue
        both = member[low[i]].multiply(member[high[i]]).indices
        picked.append((*pair, float(score[i]), float(sims[i]), ", ".join(sorted(names[both]))))
        if len(picked) >= limit:
            break
    return pd.DataFrame(picked, columns=PAIR_COLUMNS)


def _tfidf(texts, max_df):
    n = len(texts)
    # Imported here: scikit-learn takes about a second to import, and every web worker
    # would pay it on its first request although only this function needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        dtype=np.float32,
        max_df=min(1.0, max(max_df, MAX_DF_FLOOR / max(n, 1))),
    )
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # no word left (only stop words or numbers)
        return sparse.csr_matrix((n, 1), dtype=np.float32)


def _top_neighbours(vectors, outlets, top_k, min_similarity):
    """(rows, cols, similarities) of each row's top_k most similar rows of other outlets."""
    transposed = vectors.T.tocsc()
    out_rows, out_cols, out_sims = [], [], []
    for start in range(0, vectors.shape[0], CHUNK_ROWS):
        product = (vectors[start : start + CHUNK_ROWS] @ transposed).tocoo()
        r = product.row + start
        c, v = product.col, product.data
        keep = (outlets[r] != outlets[c]) & (v >= min_similarity)
        r, c, v = r[keep], c[keep], v[keep]
        order = np.lexsort((-v, r))
        r, c, v = r[order], c[order], v[order]
        if len(r) == 0:
            continue
        index = np.arange(len(r))
        row_start = np.maximum.accumulate(np.where(np.r_[True, r[1:] != r[:-1]], index, 0))
        keep = index - row_start < top_k
        out_rows.append(r[keep])
        out_cols.append(c[keep])
        out_sims.append(v[keep])
    if not out_rows:
        return np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=np.float32)
    return (
        np.concatenate(out_rows),
        np.concatenate(out_cols),
        np.concatenate(out_sims).astype(float),
    )
