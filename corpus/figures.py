"""Quantities stated in news text: money, counts and percentages, with their qualifiers.

Pure Python (no Django), so the importer, a data migration and the benchmark share it.

    >>> [(f.kind, f.value, f.currency, f.unit, f.qualifier) for f in extract("up to 400,000 weapons")]
    [('count', Decimal('400000'), '', 'weapons', 'up_to')]

A figure is a number (digits such as "316,260" or "7.12", or words such as
"Ninety-nine") with what bounds and qualifies it:

- a qualifier before it ("more than", "up to", "nearly", "roughly", "over", ...),
  normalised to one of QUALIFIERS;
- a currency before or after it ("$", "US$", "€", "£", "USD", "dollars", ...): money;
- a scale word after it ("thousand", "million", "billion", "trillion", "bn", "m"),
  multiplied into the value ("$7.12 billion" is 7120000000);
- "%", "percent" or "per cent" after it: a percentage;
- otherwise a count, which must name what it counts ("78 aircraft": unit "aircraft",
  the head noun of the words that follow) or carry a qualifier or scale word; a bare
  number ("page 4", "Comments (0)") is not taken.

Not quantities, and never taken: years (a bare 1800-2100, unless a plural noun
follows, as in "2000 troops"), days of a date ("August 30", "24 August"), ordinals
("21st"), clock times ("9 a.m.", "10:30"), and numbers inside names and compounds
("M4", "F-16", "AK-47", "M16A4", "15-year", "1990s", "9/11").

Offsets are relative to the text given: ``text[f.start:f.end] == f.text``. The span
runs from the qualifier (or currency) to the scale word or percent sign; the unit
noun is recorded but not part of the span.

Why not a library: quantulum3 finds quantities with units but has no notion of
bounding qualifiers, takes years and model numbers ("M4", "F-16") for quantities and
needs a classifier model; price-parser reads one price per string, without counts,
percentages or qualifiers; number-parser turns number words into digits but finds no
units. The requirements here are narrow, so one tested regular expression pass is
simpler and fast (about 1 MB of text per second per core).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MONEY, COUNT, PERCENT = "money", "count", "percent"
KINDS = (MONEY, COUNT, PERCENT)

# Normalised qualifiers. The bound each one sets is read by annotate.claim_divergence.
EXACTLY, ABOUT, NEARLY, OVER, MORE_THAN, AT_LEAST, UP_TO, LESS_THAN = (
    "exactly",
    "about",
    "nearly",
    "over",
    "more_than",
    "at_least",
    "up_to",
    "less_than",
)
QUALIFIERS = (EXACTLY, ABOUT, NEARLY, OVER, MORE_THAN, AT_LEAST, UP_TO, LESS_THAN)
QUALIFIER_WORDS = {
    "exactly": EXACTLY,
    "precisely": EXACTLY,
    "about": ABOUT,
    "around": ABOUT,
    "roughly": ABOUT,
    "approximately": ABOUT,
    "some": ABOUT,
    "an estimated": ABOUT,
    "estimated": ABOUT,
    "circa": ABOUT,
    "approx.": ABOUT,
    "nearly": NEARLY,
    "almost": NEARLY,
    "close to": NEARLY,
    "just under": NEARLY,
    "over": OVER,
    "just over": OVER,
    "more than": MORE_THAN,
    "in excess of": MORE_THAN,
    "upwards of": MORE_THAN,
    "above": MORE_THAN,
    "at least": AT_LEAST,
    "no fewer than": AT_LEAST,
    "no less than": AT_LEAST,
    "as little as": AT_LEAST,
    "as few as": AT_LEAST,
    "a minimum of": AT_LEAST,
    "up to": UP_TO,
    "as many as": UP_TO,
    "as much as": UP_TO,
    "at most": UP_TO,
    "no more than": UP_TO,
    "a maximum of": UP_TO,
    "less than": LESS_THAN,
    "fewer than": LESS_THAN,
    "under": LESS_THAN,
    "below": LESS_THAN,
}

CURRENCY_SYMBOLS = {
    "us$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR"}
SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "bn": 10**9,
    "mn": 10**6,
    "m": 10**6,
    "k": 10**3,
}
# Short scales are money-only: "5m" of road is five metres.
MONEY_ONLY_SCALES = {"bn", "mn", "m", "k"}

UNITS_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ONES = {"one": 1, **{k: v for k, v in UNITS_WORDS.items() if v < 10}}

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Words after a number that end its noun phrase: what counts stops before them.
STOP_WORDS = frozenset(
    """
    a about above across after against all alone along also am among an and any are as at be
    because been before being below between both but by can could did do does during each
    either for from had has have he her here his how if in including into is it its just like
    may might more most much must nor not now of off on once only or other our out over own
    per same she should since so some such than that the their them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with worth would yet you your remained remain remains left according
    respectively alone ago earlier later each apiece regarding concerning despite toward towards
    via within without versus
""".split()
)
_WORD_NUMBER = (
    r"(?:(?:" + "|".join(TENS_WORDS) + r")(?:[-\s](?:" + "|".join(ONES) + r"))?"
    r"|" + "|".join(sorted(UNITS_WORDS, key=len, reverse=True)) + r")"
)
_QUALIFIER = "|".join(
    re.escape(q).replace(r"\ ", r"\s+") for q in sorted(QUALIFIER_WORDS, key=len, reverse=True)
)

# Candidates are found by their number alone, then read outwards: a pattern that
# began with the optional qualifier tried its alternatives at every character and
# was five times slower. Digits are found loosely and checked after (one simple
# pattern scans fastest); number words are searched in lower-cased text. are found loosely and checked after (one simple pattern scans fastest).
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_DIGITS_STRICT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_WORDS = r"\b(?=[tfsen])" + _WORD_NUMBER + r"\b(?!-)"
WORDS = re.compile(_WORDS)
WORDS_ANY_CASE = re.compile(_WORDS, re.IGNORECASE)
_NOT_BEFORE_DIGITS = frozenset(".,/-_")
_BEFORE = re.compile(
    r"(?:\b(?P<qualifier>" + _QUALIFIER + r")\s+)?(?P<currency>US\$|\$|€|£|\b(?:USD|EUR|GBP)\s?)?$",
    re.IGNORECASE,
)
_SCALE_PERCENT = re.compile(
    r"(?P<scale>\s?(?:thousand|million|billion|trillion)\b|(?:bn|mn|m|k)\b)?"
    r"(?P<percent>\s?%|\s(?:percent|per\s?cent)\b)?",
    re.IGNORECASE,
)
LOOK_BEHIND = 30
_BEFORE_CHARS = frozenset(" \t\n\u00a0$€£")
_AFTER = re.compile(r"[\w%]|-\w|/\d|:\d|\.\d|,\d")
_TIME = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|gmt\b|utc\b)", re.IGNORECASE)
_MONTH_BEFORE = re.compile(r"\b(?:" + MONTHS + r")\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"\s+(?:of\s+)?(?:" + MONTHS + r")\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(
    r"\b(?:no|nos|page|pages|p|pp|section|chapter|article|vol|volume|number|#)\.?\s*$",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\s+([A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)")
_CURRENCY_AFTER = re.compile(r"\s+(dollars?|euros?)\b", re.IGNORECASE)
_SCALE_WORDS_AFTER = re.compile(r"\s(thousand|million|billion|trillion)\b", re.IGNORECASE)
MAX_DIGITS = 18
LIMIT = Decimal(10) ** MAX_DIGITS  # larger values are not news figures; never stored
PLACES = 6  # decimal places kept (corpus.models.Figure.value)
MAX_UNIT_WORDS = 4


@dataclass(frozen=True)
class Figure:
    kind: str
    value: Decimal
    currency: str
    unit: str
    qualifier: str
    text: str
    start: int
    end: int


def extract(text: str) -> list[Figure]:
    """Every figure stated in `text`, in order of position (see the module docstring)."""
    spans = []
    for match in DIGITS.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in _NOT_BEFORE_DIGITS):
            continue  # inside a code or compound: "M4", "F-16", "v2.5"
        if _DIGITS_STRICT.fullmatch(match.group()):
            spans.append((start, match.end(), True))
    lowered = text.lower()
    words = WORDS.finditer(lowered) if len(lowered) == len(text) else WORDS_ANY_CASE.finditer(text)
    # (a few characters change length when lower-cased, "İ": then keep the offsets right)
    spans.extend((m.start(), m.end(), False) for m in words)
    spans.sort()
    found = []
    for start, end, is_digits in spans:
        figure = _figure(text, start, end, is_digits)
        if figure is not None:
            found.append(figure)
    return found


def extract_many(texts) -> list[list[Figure]]:
    return [extract(t) if t else [] for t in texts]


def _figure(text, number_start, number_end, is_digits):
    digits = text[number_start:number_end] if is_digits else None
    words = None if is_digits else text[number_start:number_end]
    tail = _SCALE_PERCENT.match(text, number_end)
    end = tail.end()
    scale_text = (tail.group("scale") or "").strip().lower()
    percent = tail.group("percent") is not None
    head = None
    if number_start and (
        text[number_start - 1] in _BEFORE_CHARS or text[number_start - 1].isalpha()
    ):
        head = _BEFORE.search(text, max(0, number_start - LOOK_BEHIND), number_start)
    currency_text = head.group("currency") if head else None
    currency = CURRENCY_SYMBOLS.get((currency_text or "").strip().lower(), "")
    qualifier_text = head.group("qualifier") if head else None
    if not (scale_text or percent) and _AFTER.match(text, end):
        return None  # part of a word, code or compound: "M4", "15-year", "21st", "9/11", "1990s"
    if _TIME.match(text, end):
        return None
    before = text[max(0, number_start - 12) : number_start]
    if not currency and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, end)):
        return None  # the day of a date
    if not currency and _LABEL_BEFORE.search(before):
        return None
    if words:
        value = _word_value(words)
        if value is None:
            return None
    else:
        plain = digits.replace(",", "")
        if len(plain) > MAX_DIGITS + PLACES + 1:
            return None
        try:
            value = Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            return None
    if scale_text in MONEY_ONLY_SCALES and not currency:
        # "5m" without a currency is a length, not five million: drop the scale.
        scale_text, end = "", number_end
        if _AFTER.match(text, end):
            return None
        percent = False
    if not scale_text and words and not percent:
        # "two million": the scale word may follow a number word after a space.
        extra = _SCALE_WORDS_AFTER.match(text, end)
        if extra:
            scale_text, end = extra.group(1).lower(), extra.end()
    if scale_text:
        value *= SCALES[scale_text]
    if value >= LIMIT:
        return None
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))  # 7200000000, not 7200000000.0
    elif value.as_tuple().exponent < -PLACES:
        value = value.quantize(Decimal(1).scaleb(-PLACES))
    if not currency and not percent:
        after = _CURRENCY_AFTER.match(text, end)
        if after:
            currency = CURRENCY_WORDS[after.group(1).lower()]
            end = after.end()
    qualifier = QUALIFIER_WORDS.get(_squash(qualifier_text), "") if qualifier_text else ""
    kind = PERCENT if percent else MONEY if currency else COUNT
    unit = _unit(text, end) if kind == COUNT else ""
    if kind == COUNT:
        bare_year = (
            digits
            and "," not in digits
            and "." not in digits
            and 1800 <= value <= 2100
            and not scale_text
        )
        if bare_year and not _plural_noun_follows(text, end):
            return None
        if not (unit or qualifier or scale_text):
            return None  # a bare number names nothing it counts
    start = head.start() if head and (qualifier or currency_text) else number_start
    raw = text[start:end].rstrip()
    end = start + len(raw)
    return Figure(
        kind=kind,
        value=value,
        currency=currency,
        unit=unit,
        qualifier=qualifier,
        text=raw,
        start=start,
        end=end,
    )


def _plural_noun_follows(text, end):
    """A year-like number is a count only when a plural noun follows it directly: "2000 troops"."""
    token = _TOKEN.match(text, end)
    if token is None:
        return False
    word = token.group(1).lower()
    return word.endswith("s") and word not in STOP_WORDS and not word.endswith("'s")


def _squash(qualifier):
    return " ".join(qualifier.lower().split())


def _word_value(words):
    parts = re.split(r"[-\s]+", words.lower())
    total = 0
    for part in parts:
        if part in TENS_WORDS:
            total += TENS_WORDS[part]
        elif part in UNITS_WORDS:
            total += UNITS_WORDS[part]
        elif part in ONES:
            total += ONES[part]
        else:  # pragma: no cover - the pattern admits only these words
            return None
    return Decimal(total)


def _unit(text, end):
    """The head noun of the words after a count: "316,260 small arms" -> "arms".

    Reads at most MAX_UNIT_WORDS words and stops after a plural or at punctuation,
    a number, a word from STOP_WORDS or a verb in -ed. "and"/"or" joins two hyphenated modifiers ("fixed-wing and
    rotary-wing aircraft" -> "aircraft") but ends the phrase otherwise.
    """
    words, position = [], end
    while len(words) < MAX_UNIT_WORDS:
        token = _TOKEN.match(text, position)
        if token is None:
            break
        word = token.group(1)
        lower = word.lower()
        if lower in ("and", "or") and words and "-" in words[-1]:
            following = _TOKEN.match(text, token.end())
            if following and following.group(1).lower() not in STOP_WORDS:
                position = token.end()
                continue
        if lower in STOP_WORDS or (words and lower.endswith("ed")):
            break  # "2000 troops arrived": a verb after the noun ends the phrase
        words.append(lower.replace("’", "'"))
        position = token.end()
        if position < len(text) and text[position] not in " \t\n\u00a0":
            break  # punctuation right after the word ends the phrase
        if _is_plural(lower):
            break  # the head noun of a count is usually its first plural: "small arms"
    return words[-1][:50] if words else ""


def _is_plural(word):
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "'s", "us", "is"))


def precision(value: Decimal) -> Decimal:
    """Half a unit of the last significant digit: how exact a stated number claims to be.

    7200000000 ("7.2 billion") is +/- 0.05 billion, 7120000000 is +/- 0.005 billion,
    316260 is +/- 5, 300000 is +/- 50000 (trailing zeros of a whole number are taken
    as rounding, the usual reading of "300,000"). Used by annotate.claim_divergence.
    """
    value = Decimal(value)
    if value == 0:
        return Decimal("0.5")
    exponent = value.normalize().as_tuple().exponent
    return Decimal(5) * Decimal(10) ** (exponent - 1)
