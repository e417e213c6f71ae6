"""Quantities written in words, for corpus.figures: numbers ("twenty-five", "a hundred",
"half a million"), fractions ("two-thirds", "a quarter of"), vague counts ("scores of",
"hundreds of thousands") and factors ("doubled", "twice", "three times as many").

Everything is read from the lower-cased text at a word the scanner (WORDS) found, with
anchored regular expressions, so a passage without such words costs one scan.
"""

import re
from decimal import Decimal

from corpus.figure_words import (
    FACTOR_VERBS,
    FACTOR_WORDS,
    FRACTION_WORDS,
    ONES,
    SMALL_NUMBERS,
    TENS_WORDS,
    UNITS_WORDS,
    VAGUE_WORDS,
)

NUMBER, SHARE, VAGUE, FACTOR = "number", "share", "vague", "factor"
HUNDRED = Decimal(100)


def trie(words):
    """A regular expression matching any of `words`, branching letter by letter.

    Python's re tries the branches of an alternation one after another; sharing
    prefixes makes the scan of every word boundary a few character tests instead.
    """
    tree = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node):
        ends = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return render(tree)


_SMALL = (
    r"(?:(?:"
    + trie(TENS_WORDS)
    + r")(?:[-\s](?:"
    + trie(ONES)
    + r"))?\b|(?:"
    + trie(UNITS_WORDS)
    + r")\b)"
)
_BIG = r"(?:thousand|million|billion|trillion)"
_FRACTION = trie(FRACTION_WORDS)
_NUMERATOR = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine)"
# The scanner: the first word of every phrase this module reads ("a" and "one" only
# where a scale, fraction or "in M" follows, or every article would be a candidate).
_LEADS = r"hundred|thousand|million|billion|trillion|dozen|" + _FRACTION
WORDS = re.compile(
    r"\b(?:an?\s+(?=(?:"
    + _LEADS
    + r")\b)|one(?=[-\s]+(?:in|out|"
    + _LEADS
    + r")\b)|(?:"
    + trie(
        list(UNITS_WORDS)
        + list(TENS_WORDS)
        + list(FRACTION_WORDS)
        + list(VAGUE_WORDS)
        + list(FACTOR_VERBS)
        + list(FACTOR_WORDS)
        + ["tens"]
    )
    + r")\b)"
)
_A_BEFORE = re.compile(
    r"an?\s+(?=hundred|thousand|million|billion|trillion|dozen|" + _FRACTION + ")"
)
_NUMBER = re.compile(
    r"(?:(?P<hundreds>a|an|one|"
    + _SMALL
    + r")\s+hundred\b(?:\s+(?:and\s+)?(?P<rest>"
    + _SMALL
    + "))?"
    r"|(?P<one>a|an|one)(?=\s+" + _BIG + r"\b)|(?P<small>" + _SMALL + r"))"
    r"(?:\s+(?P<big>" + _BIG + r")\b)?(?!-)"
)
_DOZEN = re.compile(r"(?P<n>a|one|two|three|four|five|six)\s+dozen\b(?!s)")
_HALF_A = re.compile(r"half\s+an?\s+(?P<big>million|billion|dozen)\b")
_FRACTION_PHRASE = re.compile(
    r"(?P<n>" + _NUMERATOR + r")(?P<sep>[-\s])(?P<f>" + _FRACTION + r")\b(?!-)"
)
_VAGUE = re.compile(
    r"(?:(?P<tens>tens|hundreds)\s+of\s+(?P<big>thousands|millions|billions)"
    r"|(?P<word>dozens|scores|hundreds|thousands|millions|billions))\b(?!-)"
)
_AFTER_VAGUE = re.compile(
    r"\s+(?:of|more|were|are|have|had|took|remain|remained|attended|joined|lined|turned|flocked"
    r"|queued|protested|rallied|died|fled|marched|gathered|packed|left|lost|face|lack)\b"
    r"|\s+[a-z]+ed\b"
)
_FACTOR_VERB = re.compile(r"(?:doubled|tripled|trebled|quadrupled|halved)\b")
_FACTOR_WORD = re.compile(r"(?P<w>twice|double|threefold|fourfold|fivefold|tenfold|twofold)\b")
# What a bare fraction, "twice" or "double" needs after it to be a figure.
_AFTER_SHARE = re.compile(r"\s+(?:of|the|that|this|its|their|his|her|what)\b|\s*[,.;:)]|\s*$")
_AFTER_FACTOR = re.compile(
    r"\s+(?:as|the|that|this|its|their|his|her|what|more|than|over|since|from|to|in\s+size)\b"
)
_NOT_BEFORE_PERIOD = re.compile(
    r"\b(?:first|second|third|fourth|last|final|other|latter|former|early|late|opening|closing)"
    r"[\s-]+$"
)
_WORD_AFTER = re.compile(r"\s+([a-z][a-z'’-]*)")
STOP_AFTER_FRACTION = frozenset(
    "of by to over in on at from for and or but since than as the that this its their his "
    "her what into more less full empty were was are is had has have will would".split()
)


def fraction_value(numerator, denominator):
    """A share in percent, to six places: 1/3 -> 33.333333."""
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.000001"))


def word_value(words):
    """The value of a number in words without its scale: "twenty-five" -> 25."""
    total = 0
    for part in re.split(r"[-\s]+", words):
        total += TENS_WORDS.get(part) or UNITS_WORDS.get(part) or ONES.get(part) or 0
    return total


def read_words(lower, start):
    """The phrase starting at `start` (a word WORDS found), or None.

    Returns (what, end, value, low, high, change): what is NUMBER (a number to be read
    on like digits), SHARE (value in percent), VAGUE (value is low) or FACTOR.
    """
    found = _A_BEFORE.match(lower, start)
    position = found.end() if found else start
    if found:
        fraction = _fraction(lower, start, position)
        if fraction is not None:
            return fraction
    match = _HALF_A.match(lower, start)
    if match:
        size = {"million": 10**6, "billion": 10**9, "dozen": 12}[match.group("big")]
        return NUMBER, match.end(), Decimal(size) / 2, None, None, ""
    match = _FRACTION_PHRASE.match(lower, start)
    if match:
        shared = _fraction(lower, start, match.start("f"), match)
        if shared is not None:
            return shared
    match = _DOZEN.match(lower, start)
    if match:
        count = SMALL_NUMBERS[match.group("n")] * 12
        return NUMBER, match.end(), Decimal(count), None, None, ""
    match = _NUMBER.match(lower, start)
    if match and (match.group("hundreds") or match.group("big") or match.group("small")):
        return NUMBER, match.end(), _number_value(match), None, None, ""
    if lower.startswith("half", start):
        return _fraction(lower, start, start)
    if lower.startswith("one", start) and share_after(lower, start + 3):
        return NUMBER, start + 3, Decimal(1), None, None, ""
    match = _VAGUE.match(lower, start)
    if match:
        return _vague(lower, start, match)
    match = _FACTOR_VERB.match(lower, start)
    if match:
        factor, change = FACTOR_VERBS[match.group()]
        return FACTOR, match.end(), Decimal(str(factor)), None, None, change
    match = _FACTOR_WORD.match(lower, start)
    if match and (match.group("w").endswith("fold") or _AFTER_FACTOR.match(lower, match.end())):
        return FACTOR, match.end(), Decimal(FACTOR_WORDS[match.group("w")]), None, None, ""
    return None


def _number_value(match):
    if match.group("hundreds"):
        value = SMALL_NUMBERS.get(match.group("hundreds")) or word_value(match.group("hundreds"))
        value = value * 100 + (word_value(match.group("rest")) if match.group("rest") else 0)
    elif match.group("one"):
        value = 1
    else:
        value = word_value(match.group("small"))
    if match.group("big"):
        value *= {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}[
            match.group("big")
        ]
    return Decimal(value)


def _fraction(lower, start, fraction_start, phrase=None):
    """A share from "a third", "two-thirds", "three quarters", "half" (None if it is an
    ordinal or a period: "a third man", "the second quarter", "the first half")."""
    match = re.compile(_FRACTION + r"\b(?!-)").match(lower, fraction_start)
    if match is None:
        return None
    word = match.group()
    numerator = SMALL_NUMBERS[phrase.group("n")] if phrase else 1
    if _NOT_BEFORE_PERIOD.search(lower, max(0, start - 12), start):
        return None
    multi = numerator > 1
    if word in ("half", "halves") and numerator == 1 and fraction_start == start:
        if not _AFTER_SHARE.match(lower, match.end()) and not _by_before(lower, start):
            return None
    elif not multi:
        after = _WORD_AFTER.match(lower, match.end())
        if after and after.group(1) not in STOP_AFTER_FRACTION:
            return None  # "a third man", "a quarter century"
    if word.endswith("s") and not multi:
        return None  # "quarters" alone: a place, not a share
    _, denominator = FRACTION_WORDS[word]
    return SHARE, match.end(), fraction_value(numerator, denominator), None, None, ""


def _by_before(lower, start):
    return lower[max(0, start - 4) : start].rstrip().endswith("by")


def _vague(lower, start, match):
    if match.group("word") == "scores" and not lower.startswith(" of", match.end()):
        return None  # "the scores were level"
    if not _AFTER_VAGUE.match(lower, match.end()):
        return None  # "the investment of billions is": a noun, not a count
    if lower[max(0, start - 12) : start].rstrip().endswith(("in their", "in the", "by the")):
        return None
    if match.group("tens"):
        size = VAGUE_WORDS[match.group("big")] * (10 if match.group("tens") == "tens" else 100)
    else:
        size = VAGUE_WORDS[match.group("word")]
    low, high = Decimal(2 * size), Decimal(10 * size - 1)
    return VAGUE, match.end(), low, low, high, ""


def share_after(lower, end):
    """ "in four" / "out of 10" after a numerator: (end, denominator) or None."""
    match = _IN_M.match(lower, end)
    if match is None:
        return None
    text = match.group("m")
    if text[0].isdigit():
        denominator = int(text.replace(",", ""))
        if denominator > 1000:
            return None  # "3 in 2023": a year
    else:
        small = _NUMBER.fullmatch(text)
        if small is None or small.group("big"):
            return None
        denominator = int(_number_value(small))
    return match.end(), denominator


_IN_M = re.compile(
    r"\s+(?:in|out\s+of)\s+(?P<m>\d{1,3}(?:,\d{3})*|" + _SMALL + r")(?![\w%-]|[.,]\d|\s*per\s?cent)"
)
