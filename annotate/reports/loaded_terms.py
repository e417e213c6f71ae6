"""Loaded terms per outlet: the words and phrases reviewers mark as loaded language, counted
(pure pandas, no Django).

**Term.** A loaded-language span's text, lower-cased, with runs of white space made one
space (``normalise_term``): "Slammed", "slammed" and "slammed\\n" are one term.

**Which marks count.** A passage is counted once per term, whatever the number of spans or
reviewers that mark it, and by the same rule as its final label (annotate.reports.finals):

1. a passage a curator decided: the terms of the decision's loaded-language spans (the
   curator's spans replace the reviewers');
2. any other passage: the terms that more than half of the reviewers who answered the
   passage marked (each reviewer counted once per term), as a unanimous passage's markers
   are those more than half of its reviewers ticked. A term one reviewer of two marked is
   left out; a passage only one reviewer has answered counts that reviewer's terms.

**Figures**, per outlet o and term t, with P(o) the outlet's annotated passages (those with
at least one annotation):

    count(o, t)          = #{p in P(o) : t is counted on p (rule above)}
    words(o)             = word tokens in the text of the passages P(o)
    per_1000_words(o, t) = 1000 × count(o, t) / words(o)

A word token is a token of annotate.agreement.spans.TOKEN (the tokens span agreement is
measured on) that starts with a word character ``\\w``; punctuation tokens are not words.
``WORD``, TOKEN's first alternative, finds exactly those tokens in one pass (tests hold the
two counts equal). Normalising by words
rather than passages keeps an outlet with long passages from looking more loaded, as in
corpus linguistics' "frequency per thousand words" (Biber, Conrad and Reppen 1998, *Corpus
Linguistics*, ch. 2). ``labels`` lists the bias markers the counted marks carry, most used
first.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from annotate.agreement.spans import TOKEN

# TOKEN's tokens that start with \w: its first alternative, read from it, not copied.
WORD = re.compile(TOKEN.pattern.split("|")[0])
PER_WORDS = 1000  # rates are per this many words
TERM_COLUMNS = ["outlet", "rank", "term", "count", "per_1000_words", "words", "labels"]


def normalise_term(text: str) -> str:
    """The span's text lower-cased, white space runs made one space, ends trimmed."""
    return " ".join(str(text).lower().split())


def word_count(text: str) -> int:
    """Word tokens of ``text``: TOKEN's tokens that start with a word character."""
    return len(WORD.findall(text))


def words_per_outlet(passages: pd.DataFrame) -> pd.DataFrame:
    """outlet, words from a frame of (outlet, text), one row per annotated passage."""
    if passages.empty:
        return pd.DataFrame({"outlet": pd.Series(dtype=object), "words": pd.Series(dtype="int64")})
    # One regex pass per outlet over its passages joined by a line break (a word never spans
    # the break: TOKEN's words hold no white space).
    joined = passages.groupby("outlet", observed=True, sort=True)["text"].agg("\n".join)
    return pd.DataFrame(
        {
            "outlet": joined.index.astype(object),
            "words": [word_count(text) for text in joined],
        }
    )


def counted_marks(spans: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """outlet, item, term, label: one row per loaded-language mark that counts (the module
    docstring's rule), one per distinct (item, term, label) among those marks.

    ``spans``: outlet, item, annotator, text, label, final (True: a curator's span; its
    annotator is ignored). ``passages``: item, coders (reviewers who answered the passage),
    decided (a curator decided it).
    """
    columns = ["outlet", "item", "term", "label"]
    if spans.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    s = spans.assign(term=spans["text"].map(normalise_term), final=spans["final"].astype(bool))
    s = s[s["term"] != ""]
    info = passages.drop_duplicates("item").set_index("item")
    decided = s["item"].map(info["decided"]).fillna(False).astype(bool).to_numpy()
    by_curator = s[s["final"].to_numpy() & decided]
    review = s[~s["final"].to_numpy() & ~decided]
    votes = (
        review.drop_duplicates(["item", "annotator", "term"])
        .groupby(["item", "term"], sort=False)
        .size()
        .rename("votes")
        .reset_index()
    )
    coders = votes["item"].map(info["coders"]).fillna(0).to_numpy()
    # Never fewer coders than reviewers who marked the term (a frame missing a passage).
    coders = np.maximum(coders, votes["votes"].to_numpy())
    majority = votes[2 * votes["votes"].to_numpy() > coders][["item", "term"]]
    by_reviewers = review.merge(majority, on=["item", "term"])
    marks = pd.concat([by_curator[columns], by_reviewers[columns]], ignore_index=True)
    return marks.drop_duplicates(columns, ignore_index=True)


def loaded_terms(
    spans: pd.DataFrame,
    passages: pd.DataFrame,
    words: pd.DataFrame,
    top: int | None = None,
) -> pd.DataFrame:
    """The loaded terms of each outlet, most frequent first (columns TERM_COLUMNS).

    ``spans`` and ``passages`` as counted_marks takes them; ``words``: outlet, words (the
    word tokens of the outlet's annotated passages, words_per_outlet). One row per outlet
    and term with count >= 1: ``rank`` (1 = most frequent; ties by term, alphabetically),
    ``count``, ``per_1000_words`` (NaN when the outlet has no words), ``words`` and
    ``labels`` (the bias-marker codes the term is counted with, ``;``-separated, the one
    on most passages first, ties by code). ``top``: keep the first ``top`` terms of each outlet.
    """
    marks = counted_marks(spans, passages)
    if marks.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TERM_COLUMNS})
    counts = (
        marks.drop_duplicates(["outlet", "item", "term"])
        .groupby(["outlet", "term"], sort=False, observed=True)
        .size()
        .rename("count")
        .reset_index()
    )
    used = (
        marks.groupby(["outlet", "term", "label"], sort=False, observed=True)
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["n", "label"], ascending=[False, True], kind="stable")
        .groupby(["outlet", "term"], sort=False, observed=True)["label"]
        .agg(";".join)
        .rename("labels")
        .reset_index()
    )
    table = counts.merge(used, on=["outlet", "term"], how="left")
    table["outlet"] = table["outlet"].astype(object)
    per_outlet = words.drop_duplicates("outlet").set_index("outlet")["words"]
    table["words"] = table["outlet"].map(per_outlet).fillna(0).astype("int64")
    table["per_1000_words"] = PER_WORDS * table["count"] / table["words"].where(table["words"] > 0)
    table = table.sort_values(
        ["outlet", "count", "term"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)
    table["rank"] = table.groupby("outlet", sort=False).cumcount() + 1
    if top is not None:
        table = table[table["rank"] <= top].reset_index(drop=True)
    table["count"] = table["count"].astype("int64")
    return table[TERM_COLUMNS]
