"""Wording and named things for claim suggestions. Pure: no Django.

Wording: each passage is a TF-IDF vector of its words (scikit-learn: sublinear term
frequency; English stop words and REPORTING_WORDS removed; words in more than MAX_DF of
the passages, and more than MAX_DF_FLOOR of them, dropped as uninformative; rows
L2-normalised, so a dot product is the cosine similarity, Salton & Buckley 1988).

Named things: the names a passage gives are its model codes (a word with both letters
and digits: "M4", "F-35A", "AK-47") and its runs of capitalised words that the
campaign's text never writes in lower case ("North Waziristan", "Elm Street"), leaving
out a sentence's first word unless the text also capitalises it elsewhere ("Officials
said", "Nine soldiers") and number words. Two passages are as close as the names they
share are rare:

    shared names = sum over the names both give of log((1 + n) / (1 + df)) / log(1 + n)

(inverse document frequency, Sparck Jones 1972, scaled so that the rarest names weigh
most, up to nearly 1 in a large campaign, and a name every passage gives weighs 0; n passages, df of them give the
name; names in more than MAX_DF of them are dropped as words are). A cosine would not
do: two passages whose only name is the country's would share "all" their names. The
same weights summed over the names one passage gives and the other does not say how
far apart two passages are (annotate.claims.suggest: "Kidal on Tuesday" against "Gao
on Monday").

Neighbours: for every passage, the TOP_K most similar passages of *other* outlets (sparse
products in row chunks, so memory stays bounded whatever the corpus size).
"""

import re

import numpy as np
from scipy import sparse

from corpus.figure_words import SCALES, SMALL_NUMBERS

# A word in more than MAX_DF of the passages (and in more than MAX_DF_FLOOR of them)
# says little about which claim a passage makes ("weapons" in a campaign about weapons),
# and keeping it makes every passage a neighbour of every other: the similarity
# products grow with the square of the corpus.
MAX_DF = 0.02
MAX_DF_FLOOR = 200
# Words that say a passage reports something, not what it reports: in news nearly every
# passage has one, and two passages sharing "said" are no likelier to state one claim.
REPORTING_WORDS = frozenset(
    "said says say told according confirmed reported reports added stated statement".split()
)
CHUNK_ROWS = 2000
CHUNK_PAIRS = 500_000
_TOKEN = r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
CAPITALISED_RUN = re.compile(rf"(?<![\w-]){_TOKEN}(?:[ \t]+{_TOKEN})*")
LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z]+")
SENTENCE_END = frozenset('.!?:;"“”‘’(•-–—*')
# scikit-learn's stop words (Glasgow list) hold some content words that are also names
# or parts of names: "Mill Lane", "Bill", "Fire Service", "Interest Rate Committee".
CONTENT_STOP_WORDS = frozenset(
    "bill mill fire system interest call computer con de detail front full mine part side "
    "top bottom back co inc ltd amount found name show move fill find give put cry describe "
    "empty serious sincere thick thin eg ie etc un".split()
)
NUMBER_WORDS = frozenset(SMALL_NUMBERS) | frozenset(SCALES) | {"hundred", "dozen", "half"}


def _max_df(n, max_df):
    return min(1.0, max(max_df, MAX_DF_FLOOR / max(n, 1)))


def tfidf(texts, max_df=MAX_DF):
    """Rows: the passages' wording vectors (module docstring)."""
    n = len(texts)
    # Imported here: scikit-learn takes about a second to import, and every web worker
    # would pay it on its first request although only suggestions need it.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | REPORTING_WORDS),
        sublinear_tf=True,
        dtype=np.float32,
        max_df=_max_df(n, max_df),
    )
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # no word left (only stop words or numbers)
        return sparse.csr_matrix((n, 1), dtype=np.float32)


def names(texts, max_df=MAX_DF):
    """(rows: the passages' name sets, weighted; the name of each column) (module docstring).

    A row's dot product with another is the sum of the weights of the names both give."""
    from sklearn.feature_extraction.text import CountVectorizer

    n = len(texts)
    found = _names_of(list(texts))
    counter = CountVectorizer(analyzer=lambda i: found[i], binary=True, dtype=np.float32)
    try:
        counts = counter.fit_transform(range(n)).tocsc()
    except ValueError:  # no name at all
        return sparse.csr_matrix((n, 1), dtype=np.float32), np.array([""])
    vocabulary = counter.get_feature_names_out()
    frequency = np.diff(counts.indptr)
    picked = np.flatnonzero(frequency <= _max_df(n, max_df) * n)
    if len(picked) == 0:
        return sparse.csr_matrix((n, 1), dtype=np.float32), np.array([""])
    weight = np.log((1 + n) / (1 + frequency[picked])) / np.log(1 + n)
    # Columns scaled by the square root of the weight: a dot product sums the weights.
    matrix = counts[:, picked].tocsr() @ sparse.diags(np.sqrt(weight).astype(np.float32))
    return matrix.astype(np.float32).tocsr(), vocabulary[picked]


def _names_of(texts):
    """The names each text gives (module docstring): two passes over the capitalised runs,
    the first to learn which words the texts write in lower case or capitalise where no
    capital is needed (after the first word of a sentence)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    function_words = ENGLISH_STOP_WORDS - CONTENT_STOP_WORDS
    lower = set(LOWER_WORD.findall("\n".join(texts))) | function_words | NUMBER_WORDS
    read = {}  # token: (the token as part of a name or "", whether it is a model code)
    runs, capitalised_inside = [], set()
    for text in texts:
        found = []
        for match in CAPITALISED_RUN.finditer(text):
            words = []
            for token in match.group().split():
                if token not in read:
                    word = _name_word(token, lower)
                    read[token] = (word, bool(word) and _is_code(word))
                words.append(read[token])
            initial = _sentence_start(text, match.start())
            capitalised_inside.update(w for w, _ in (words[1:] if initial else words) if w)
            found.append((words, initial))
        runs.append(found)
    result = []
    for found in runs:
        names = []
        for words, initial in found:
            current = []
            for k, (word, code) in enumerate(words):
                if word and k == 0 and initial and word not in capitalised_inside:
                    word = ""  # "Officials said": capitalised only as a sentence's first word
                if code:
                    names.append(word)  # a model code stands alone: "Bayraktar TB2"
                    word = ""
                if word:
                    current.append(word)
                elif current:
                    names.append(" ".join(current))
                    current = []
            if current:
                names.append(" ".join(current))
        result.append(names)
    return result


def _name_word(token, lower):
    """The token as part of a name, or "" when it is a common word ("The", "Nine")."""
    if _is_code(token):
        return token
    head, _, rest = token.partition("-")
    if rest and rest.islower():
        token = head  # "NATO-supplied", "Pakistan-made": the name is the first part
    if token.lower() in lower or head.lower() in NUMBER_WORDS:
        return ""
    return token


def _is_code(word):
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


def _sentence_start(text, start):
    before = text[max(0, start - 4) : start].rstrip()
    return not before or before[-1] in SENTENCE_END


def row_dots(matrix, a, b):
    """matrix[a[i]] . matrix[b[i]] for each i (the cosine, for L2-normalised rows)."""
    out = np.empty(len(a), dtype=float)
    for start in range(0, len(a), CHUNK_PAIRS):
        part = slice(start, start + CHUNK_PAIRS)
        product = matrix[a[part]].multiply(matrix[b[part]])
        out[part] = np.asarray(product.sum(axis=1)).ravel()
    return out


def top_neighbours(vectors, outlets, top_k, min_similarity):
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
