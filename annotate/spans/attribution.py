"""Attribution suggestions: who a passage cites, as a span the reviewer may accept. No Django.

``suggest_attributions(text, offset=0)`` finds attribution cues in a passage and proposes,
for each, the SOURCE span (the noun phrase naming who or what is cited), its source type
(one of the project's ``CitedSourceType`` values, mirrored in ``attribution_lexicon``) and
the CUE span. Offsets are ``offset + position in text``, so with ``offset`` the passage's
start in its document, ``document.text[s.start:s.end] == s.text`` as for passages.

The approach is the rule-based one of early attribution extraction (Krestel, Bergler & Witte
2008, "Minding the Source: Automatic Tagging of Reported Speech in Newspaper Articles",
LREC; Pareti 2016, PARC 3.0): a reporting cue, then its source found by position.

- "according to X": X is the noun phrase to the right, unless its head is a word of
  accordance ("according to plan", "according to the rules").
- "X said", "X has warned", "X told reporters", "X says", "X stated/added/noted/claimed/
  announced/...": X is the subject to the left, back to the start of its clause (a stop,
  quote, comma or clause word such as "but", "while"), cut before a relative clause. When a
  comma comes right before the verb ("Lena Hoffmann, chief economist at Baltic Bank, said")
  the phrase before the parenthesis is the subject, or the parenthesis itself when it is a
  bare name after a role ("The opposition leader, Tomasz Wierzbicki, said").
- "..., said X" and quote-then-"said X": X is the noun phrase to the right.
- "In a statement, X ...": X is the noun phrase after the comma.
- "the study found/showed/suggests": a source only when the subject is a document.

Negatives it rejects: a cue verb after a determiner, possessive, form of "be", "to" or a
modal ("the said company", "the firm's stated aim", "is said to be", "refused to say"),
"said to", idioms ("that said", "all told", "truth be told"), "added"/"noted" not followed
by "that", a quote or the end of the clause, "claimed"/"warned" with a plain object
("claimed three lives"). Pronoun subjects ("she said") give no suggestion: they do not say
who is cited. Measured precision and recall are in tests/annotate/spans/test_attribution.py.

Speed: one regex tokenisation and a pass over the tokens, about 0.04 ms per sentence
(measured on the gold sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotate.spans import attribution_lexicon as lex
from annotate.spans.attribution_types import classify

__all__ = ["Attribution", "suggest_attributions", "tokenize_words"]

# Abbreviations keep their full stop ("Dr.", "Sen.") so it does not end the sentence;
# "U.S." is one token; a plural possessive keeps its apostrophe ("inspectors'"); a line break
# is a token, so a heading without a full stop does not run into the next sentence.
_TOKEN = re.compile(
    r"\n|(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Inc|Ltd|Co|Corp|Mt|No)\."
    r"|(?:[A-Za-z]\.){2,}"
    r"|\d+(?:[.,:]\d+)*%?"
    r"|\w+(?:[-'’]\w+)*(?:(?<=s)['’](?![\w]))?"
    r"|[^\w\s]"
)
_CUE_WORDS = lex.SPEECH_VERBS | lex.DOCUMENT_VERBS | lex.NEEDS_THAT | {"according", "in"}


@dataclass(frozen=True)
class Attribution:
    """A proposed cited source: its span, type, and the cue that introduced it."""

    start: int
    end: int
    text: str
    source_type: str
    cue_start: int
    cue_end: int
    cue_text: str
    rule: str  # "according_to", "subject", "inverted" or "statement"


def tokenize_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for each word or punctuation mark of ``text``."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


class _Sentence:
    """Tokens of one passage with the lower-cased forms the rules compare."""

    def __init__(self, text: str):
        self.text = text
        self.toks = tokenize_words(text)
        self.low = [t[2].lower() for t in self.toks]

    def is_stop(self, i: int) -> bool:
        return self.low[i] in lex.HARD_STOPS

    def capitalised(self, i: int) -> bool:
        return self.toks[i][2][:1].isupper()


def suggest_attributions(text: str, offset: int = 0) -> list[Attribution]:
    """Attribution suggestions for ``text``, in order of their source span, no two overlapping."""
    if not text or not _has_cue(text):
        return []
    s = _Sentence(text)
    found: list[Attribution] = []
    for i, word in enumerate(s.low):
        if word not in _CUE_WORDS:
            continue
        hit = _match_cue(s, i)
        if hit is None:
            continue
        (a, b), (ca, cb), rule = hit
        kind = classify(s, a, b)
        if kind is None or (s.low[i] in lex.DOCUMENT_VERBS and kind != lex.DOCUMENT):
            continue
        start, end = s.toks[a][0], s.toks[b - 1][1]
        if any(start < f.end - offset and f.start - offset < end for f in found):
            continue
        cue_start, cue_end = s.toks[ca][0], s.toks[cb - 1][1]
        found.append(
            Attribution(
                start + offset,
                end + offset,
                text[start:end],
                kind,
                cue_start + offset,
                cue_end + offset,
                text[cue_start:cue_end],
                rule,
            )
        )
    return sorted(found, key=lambda f: f.start)


# Cheap pre-check built from the cue words, so most cue-free passages are never tokenised.
_QUICK = re.compile(
    r"\b(?:" + "|".join(sorted(_CUE_WORDS - {"in"})) + r"|statement)\b", re.IGNORECASE
)


def _has_cue(text: str) -> bool:
    """Whether ``text`` holds any cue word at all."""
    return _QUICK.search(text) is not None


def _match_cue(s: _Sentence, i: int):
    """((source first, past-last token), (cue first, past-last token), rule) or None."""
    low, n = s.low, len(s.low)
    word = low[i]
    if word == "according":
        if i + 1 < n and low[i + 1] == "to":
            np = _right_phrase(s, i + 2)
            if np and _head(s, *np) not in lex.ACCORDANCE:
                return np, (i, i + 2), "according_to"
        return None
    if word == "in":
        return _statement(s, i)
    if not _verb_ok(s, i):
        return None
    prev = low[i - 1] if i else ""
    # After a quote, "said X"; after a comma, either "X, who ..., said" or "..., said X".
    np = None if prev in lex.QUOTES else _left_subject(s, i)
    if np:
        return np, (i, i + 1), "subject"
    if word in lex.INVERTIBLE and (prev == "," or prev in lex.QUOTES):
        np = _right_phrase(s, i + 1)
        return (np, (i, i + 1), "inverted") if np else None
    return None


def _verb_ok(s: _Sentence, i: int) -> bool:
    """Whether the verb at i reports speech here rather than being an adjective or passive."""
    low, n = s.low, len(s.low)
    word, prev = low[i], low[i - 1] if i else ""
    nxt = low[i + 1] if i + 1 < n else "."
    if prev in lex.NOT_BEFORE_VERB or prev.endswith(("'s", "’s")) or nxt == "to" and word != "told":
        return False
    if word in ("say", "tell") and prev in lex.MODALS:
        return False
    if word in lex.NEEDS_THAT:
        return nxt == "that"
    if word in lex.CLAUSE_ONLY:
        return nxt in ("that", ",", ".", ";") or nxt in lex.QUOTES
    if word in lex.NEEDS_CLAUSE and nxt not in lex.CLAIM_OBJECTS:
        # "..., the bank warned, could be revised": a parenthesis or the end of the clause.
        return nxt in (",", ".", ";") or nxt in lex.QUOTES or _finite_clause_follows(s, i + 1)
    if word == "described":
        return "as" in low[i + 1 : i + 9]
    return True


def _finite_clause_follows(s: _Sentence, i: int) -> bool:
    """A finite verb within five words, before any punctuation ("claimed the landlord had")."""
    for j in range(i, min(i + 5, len(s.low))):
        if s.low[j] in lex.FINITE:
            return True
        if not s.toks[j][2][0].isalnum():
            return False
    return False


def _skip_back(s: _Sentence, j: int) -> int:
    """Step back over auxiliaries, adverbs and "on Monday" between a subject and its verb."""
    low = s.low
    while j >= 0:
        if low[j] in lex.SKIP_BEFORE_VERB:
            j -= 1
        elif low[j] in lex.WEEKDAYS and j > 0 and low[j - 1] == "on":
            j = _skip_participle(s, j - 2)
        elif low[j] in lex.TIME_NOUNS and j > 0 and low[j - 1] in ("last", "this"):
            j = _skip_participle(s, j - 2)
        else:
            return j
    return j


def _skip_participle(s: _Sentence, j: int) -> int:
    """ "A UN report released on Monday says": the participle goes with the time phrase."""
    if j > 0 and s.low[j] in lex.POSTMODIFIERS and s.low[j].endswith(("ed", "en")):
        return j - 1
    return j


def _clause_start(s: _Sentence, j: int) -> int:
    """First token of the clause that ends at token j (walking back to a stop, comma or conjunction)."""
    low = s.low
    k = j
    while k >= 0:
        w = low[k]
        if w in lex.HARD_STOPS or w == ",":
            break
        if w in lex.CLAUSE_WORDS:
            # "Co-operation and Development": a conjunction inside a proper name is kept.
            inside_name = w == "and" and 0 < k < j and s.capitalised(k - 1) and s.capitalised(k + 1)
            if not inside_name:
                break
        k -= 1
    return k + 1


def _trim_subject(s: _Sentence, a: int, b: int):
    """The noun phrase in tokens [a, b): cut before a relative clause; None if not a subject."""
    low = s.low
    for k in range(a, b):
        if low[k] in lex.RELATIVE:
            b = k
            break
    if a < b and low[a] == "in" and "statement" in low[a:b]:
        a = low.index("statement", a, b) + 1
    while a < b and low[a] in ("on", "last", "this", "earlier") and b - a > 2:
        if low[a + 1] in lex.WEEKDAYS or low[a + 1] in lex.TIME_NOUNS:
            a += 2
        else:
            break
    if a >= b or b - a > 12:
        return None
    if b - a == 1 and low[a] in lex.PRONOUNS or low[a] in lex.PRONOUNS and low[a] != "one":
        return None
    if any(low[k] in lex.FINITE or low[k] in lex.SPEECH_VERBS for k in range(a, b)):
        return None
    return _contact_clause(s, a, b), b


def _contact_clause(s: _Sentence, a: int, b: int) -> int:
    """ "a claim the army denied": the subject of a relative clause without "that" starts at
    its article. Not when a preposition comes first ("a source close to the inquiry") nor in
    an apposition to a role or outlet ("local newspaper the Valley Echo")."""
    low = s.low
    for k in range(a + 1, b - 1):
        w = low[k - 1]
        if w in lex.POSTMODIFIERS or w == "to" or w in lex.TITLES or w in lex.OUTLET_NOUNS:
            return a
        if low[k] in ("the", "a", "an") and w not in lex.DETERMINERS and w not in ("and", "or"):
            return k
    return a


def _left_subject(s: _Sentence, i: int):
    """The subject noun phrase of the verb at token i, as (first, past-last) tokens, or None."""
    j = _skip_back(s, i - 1)
    if j < 0 or s.is_stop(j):
        return None
    if s.low[j] != ",":
        return _trim_subject(s, _clause_start(s, j), j + 1)
    # "X, apposition or relative clause, said": the comma closes a parenthesis.
    open_comma = j - 1
    while open_comma >= 0 and s.low[open_comma] != "," and not s.is_stop(open_comma):
        open_comma -= 1
    if open_comma < 0 or s.low[open_comma] != ",":
        return None  # "The novel, told from ...": one comma, a participle, not a report
    # "Farzana Shah, a Peshawar, Pakistan-based analyst, told": a parenthesis with its own
    # comma; a phrase starting "a"/"an" before it belongs to the parenthesis too.
    while open_comma > 0:
        before = _clause_start(s, open_comma - 1)
        if before == 0 or s.low[before - 1] != "," or s.low[before] not in ("a", "an"):
            break
        open_comma = before - 1
    inner = (open_comma + 1, j)
    outer = _trim_subject(s, _clause_start(s, open_comma - 1), open_comma)
    if inner[0] >= inner[1] or outer is None:
        return None
    if _is_bare_name(s, *inner) and not _is_bare_name(s, *outer):
        return inner
    first = s.low[inner[0]]
    if first in lex.RELATIVE or first in lex.DETERMINERS or not s.capitalised(inner[0]):
        return outer
    return outer if s.capitalised(outer[1] - 1) else None


def _is_bare_name(s: _Sentence, a: int, b: int) -> bool:
    """Only capitalised words that are not organisation or role words ("Omar Haddad")."""
    return all(s.capitalised(k) and s.low[k] not in lex.ORG_WORDS for k in range(a, b))


def _right_phrase(s: _Sentence, a: int, verb_stops: bool = False):
    """The noun phrase starting at token a, up to punctuation, a clause word or a time phrase."""
    low, n = s.low, len(s.low)
    b = a
    while b < n and b - a < 14:
        w = low[b]
        if w in lex.HARD_STOPS or w == ",":
            break
        if b > a and w in lex.RIGHT_STOPS:
            # "Centers for Disease Control and Prevention": "and" inside a proper name.
            if not (w == "and" and b + 1 < n and s.capitalised(b - 1) and s.capitalised(b + 1)):
                break
        if b > a and w in ("on", "in", "at") and b + 1 < n and _time_or_occasion(s, b + 1):
            break
        if b > a and w in ("last", "this", "earlier", "yesterday", "today"):
            break
        if b > a and (w in lex.SPEECH_VERBS or w in lex.DOCUMENT_VERBS):
            break
        if verb_stops and b > a and (w in lex.FINITE or w.endswith("ed") and not s.capitalised(b)):
            break
        b += 1
    if b == a or b - a > 12:
        return None
    if low[a] in lex.PRONOUNS and not (low[a] == "one" and b - a > 1):
        return None
    return a, b


def _time_or_occasion(s: _Sentence, k: int) -> bool:
    """ "on Monday", "in 2021", "in a statement", "at a briefing": not part of a source."""
    w = s.low[k]
    if w in lex.WEEKDAYS or w.isdigit():
        return True
    return (
        w in ("a", "an", "its", "their")
        and k + 1 < len(s.low)
        and s.low[k + 1]
        in (
            "statement",
            "interview",
            "briefing",
            "news",
            "press",
            "speech",
            "letter",
            "post",
            "report",
        )
    )


def _statement(s: _Sentence, i: int):
    """ "In a (joint) statement[ on Friday], X ...": X, the noun phrase after the comma."""
    low, n = s.low, len(s.low)
    k = i + 1
    if k < n and low[k] in ("a", "an", "its", "their"):
        k += 1
    while k < n and low[k] != "statement" and k - i < 4 and s.toks[k][2].isalpha():
        k += 1
    if k >= n or low[k] != "statement":
        return None
    comma = k + 1
    while comma < n and low[comma] != "," and not s.is_stop(comma) and comma - k < 8:
        comma += 1
    if comma >= n or low[comma] != ",":
        return None
    np = _right_phrase(s, comma + 1, verb_stops=True)
    return (np, (i, k + 1), "statement") if np else None


def _head(s: _Sentence, a: int, b: int) -> str:
    """Lower-cased head word of tokens [a, b): the last word before a post-modifier."""
    for k in range(a + 1, b):
        if s.low[k] in lex.POSTMODIFIERS:
            return s.low[k - 1]
    return s.low[b - 1]
