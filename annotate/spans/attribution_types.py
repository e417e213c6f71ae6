"""Source type of a proposed attribution span (``annotate.spans.attribution``). No Django.

``classify(sentence, a, b)`` returns one of the ``CitedSourceType`` values for the noun
phrase in tokens [a, b), by these rules in order (the convention is written at the top of
tests/annotate/spans/gold/attribution_gold.txt):

1. the sentence says the source is anonymous ("on condition of anonymity") -> anonymous,
   unless the phrase names a person;
2. a news organisation (a known name, "newspaper", "state television", "the Nordic Herald")
   -> other_outlet;
3. a personal name, alone or after a title or role word ("Finance Minister Jane Okafor",
   "coach Marta Ribeiro") -> named_person;
4. the head noun is a document ("report", "data", "study") -> document;
5. an institution or official role (head noun "ministry", "police", "officials"; a
   capitalised name containing an organisation word, an acronym, "The Pentagon") ->
   official_body;
6. unnamed people ("analysts", "residents", "a source") -> anonymous, or official_body when
   a named institution follows ("analysts at Norland Bank").

The head noun is the last word before the first post-modifier ("of", "for", "at", ...).
"""

from __future__ import annotations

from annotate.spans import attribution_lexicon as lex

_SENTENCE_END = frozenset({".", "!", "?"})


def classify(s, a: int, b: int) -> str | None:
    """Source type of tokens [a, b) of sentence ``s`` (an ``attribution._Sentence``)."""
    low = s.low
    h = next((k for k in range(a + 1, b) if low[k] in lex.POSTMODIFIERS), b)
    head = low[h - 1]
    person = _is_person(s, a, h) or _is_titled_name(s, a, b)
    if not person and _says_anonymous(s, a, b):
        return lex.ANONYMOUS
    if _is_outlet(s, a, h):
        return lex.OTHER_OUTLET
    if person:
        return lex.NAMED_PERSON
    if head in lex.DOCUMENT_NOUNS:
        return lex.DOCUMENT
    if head in lex.ORG_WORDS or _is_organisation(s, a, h):
        return lex.OFFICIAL_BODY
    if head in lex.ANONYMOUS_NOUNS:
        return lex.OFFICIAL_BODY if _named_institution_follows(s, h, b) else lex.ANONYMOUS
    if head.endswith(_GROUP_ENDINGS):
        return lex.ANONYMOUS  # an unnamed group ("fishermen", "campaigners")
    if any(s.capitalised(k) and not (k == a and _opens_sentence(s, a)) for k in range(a, h)):
        return lex.OFFICIAL_BODY
    return lex.ANONYMOUS if head.endswith("s") else None


def _words(s, a: int, h: int) -> list[int]:
    """Token indices of [a, h) without leading determiners and numbers ("the", "two")."""
    k = a
    while k < h and (s.low[k] in lex.DETERMINERS or s.low[k] in ("two", "three", "one", "some")):
        k += 1
    return list(range(k, h))


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.replace(".", "").isupper()


def _is_person(s, a: int, h: int) -> bool:
    """Capitalised name words at the end, preceded by nothing or by a title or role word."""
    low = s.low
    k = h
    while k > a and _name_word(s, k - 1) and low[k - 1] not in lex.ANONYMOUS_NOUNS:
        k -= 1
    if k == h:
        return False
    if k == a:
        # A lone capitalised word opening the sentence may be a group noun ("Fishermen").
        return not (h - a == 1 and _opens_sentence(s, a) and low[a].endswith(_GROUP_ENDINGS))
    return low[k - 1] in lex.TITLES


# Plural endings of agent nouns; a surname rarely opens a sentence alone with one of them.
_GROUP_ENDINGS = ("men", "ers", "ists", "ians", "ants", "ents", "ors", "ees")


def _opens_sentence(s, a: int) -> bool:
    return a == 0 or s.low[a - 1] in _SENTENCE_END or s.low[a - 1] in lex.QUOTES


def _is_titled_name(s, a: int, b: int) -> bool:
    """ "Inspector General of Police Moazzam Jah Ansari": a title first, a full name last."""
    if not (s.capitalised(a) and s.low[a] in lex.TITLES):
        return False
    name = 0
    while b - name - 1 > a and _name_word(s, b - name - 1):
        name += 1
    return name >= 2


def _name_word(s, k: int) -> bool:
    w = s.low[k]
    return (
        s.capitalised(k)
        and not _is_acronym(s.toks[k][2])
        and all(w not in words for words in (lex.ORG_WORDS, lex.TITLES, lex.DOCUMENT_NOUNS))
        and w not in lex.OUTLET_WORDS
        and w not in lex.KNOWN_ORGS
        and w not in lex.DETERMINERS
    )


def _is_outlet(s, a: int, h: int) -> bool:
    words = _words(s, a, h)
    if not words:
        return False
    low = s.low
    name = " ".join(low[k] for k in words)
    if name in lex.OUTLET_NAMES and all(s.capitalised(k) for k in words):
        return True
    if any(low[k] in lex.OUTLET_NOUNS for k in words):
        return True
    last = words[-1]
    if low[last] == "paper" and len(words) > 1 and low[last - 1] in lex.OUTLET_ADJECTIVES:
        return True
    return (
        low[last] in lex.OUTLET_WORDS
        and s.capitalised(last)
        and last > a
        and s.capitalised(last - 1)
    )


def _is_organisation(s, a: int, h: int) -> bool:
    """An acronym, a known organisation, "The Pentagon", or a capitalised name with an org word."""
    words = _words(s, a, h)
    if not words:
        return False
    low = s.low
    if any(_is_acronym(s.toks[k][2]) or low[k] in lex.KNOWN_ORGS for k in words):
        return True
    capitalised = [k for k in words if s.capitalised(k)]
    if words[0] > a and capitalised and capitalised[0] == words[0]:
        return True  # "The White House": people's names take no article
    if len(capitalised) >= 2 and any(
        low[k] in lex.ORG_WORDS or low[k] in lex.DOCUMENT_NOUNS for k in capitalised
    ):
        return True
    return False


def _named_institution_follows(s, h: int, b: int) -> bool:
    """ "analysts at Norland Bank", "researchers at the University of Otago"."""
    k = h + 1
    while k < b and s.low[k] in lex.DETERMINERS:
        k += 1
    return h < b and s.low[h] in ("at", "of", "for", "from", "with") and k < b and s.capitalised(k)


def _says_anonymous(s, a: int, b: int) -> bool:
    """Whether the sentence holding tokens [a, b) says its source is not named."""
    low = s.low
    start = a
    while start > 0 and low[start - 1] not in _SENTENCE_END:
        start -= 1
    end = b
    while end < len(low) and low[end] not in _SENTENCE_END:
        end += 1
    text = s.text[s.toks[start][0] : s.toks[end - 1][1]].lower()
    return any(marker in text for marker in lex.ANONYMITY_MARKERS)
