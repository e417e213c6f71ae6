"""Quantities stated in news text: money, counts, percentages, shares and factors, with
their qualifiers, ranges and changes.

Pure Python (no Django), so the importer, a data migration and the benchmark share it.

    >>> [(f.kind, f.value, f.currency, f.unit, f.qualifier) for f in extract("up to 400,000 weapons")]
    [('count', Decimal('400000'), '', 'weapons', 'up_to')]

A figure is a number (digits such as "316,260" or "7.12", or words such as
"Ninety-nine", "a hundred", "half a million") with what bounds and qualifies it:

- kind: money (a currency before or after it: "$", "US$", "€", "£", "¥", "₹", "Rs",
  ISO codes, "dollars", "yuan", ...; "15p" is 0.15 GBP), percent ("%", "per cent",
  "percentage points", the last with unit "points"), share (a fraction or proportion
  in words or "N in M"/"N out of M", stored as a percentage: "one in four" is 25),
  factor ("doubled" 2, "halved" 0.5, "twice", "three times as many") or count;
- value: the number with its scale word multiplied in ("thousand", "million", "bn",
  "m", "mn", "tn", "lakh" 10^5, "crore" 10^7; the short ones only with a currency:
  "5m" of road is five metres); "minus" makes it negative;
- low and high: the range a statement gives, on both of its ends ("$500 to $1,000",
  "between 10 and 15", "20 to 25 million" sharing its scale) and on vague counts,
  whose value is then their low end ("Ns of" = 2 N to 10 N - 1: "scores of" 40..199,
  "hundreds of thousands" 200,000..999,999);
- qualifier: normalised to one of QUALIFIERS from a phrase before it ("more than",
  "north of", "just shy of", "the best part of", ... see corpus.figure_words) or after
  it ("or more", "-odd", "-plus");
- unit: for a count, the head noun of what it counts ("316,260 small arms" -> arms; a
  measure written against it: "40C" -> c, "10km" -> km); when none is next to it, the
  noun its clause gives ("a crowd of 60,260" -> crowd, "Deaths fell to 96,000" ->
  deaths, "312 votes to 287" and "19 of the 22 races" lend theirs); for a percent or a
  share, the head noun of an "of" phrase right after it ("45% of voters" -> voters);
- change: "up" or "down" when the figure is the size of a change ("rose 3%", "cut by
  10,000", "a 12 per cent fall", "40% more", "doubled"), "" for a level ("rose to 5%");
- entity: a hint at what the figure is about: a capitalised word in its noun phrase
  ("80 Pakistani soldiers"), else a model code in its clause ("An M4 rifle sells for
  over $4,200" -> M4), else a name just before it ("Tesla delivered ..."), else "".

A count that names nothing it counts is kept only with a qualifier or scale, after a
verb that implies it ("which holds 80,000") or answering another count ("voted 31 to
17"). Never taken: years (a bare 1800-2100, unless a plural noun follows, as in "2000
troops"), dates ("August 30", "Friday 14 June"), ordinals, clock times ("9 a.m.",
"11.45pm", "10:30"), ages ("aged 34", "34-year-old", "over 65" after people),
durations and relative time (any count of seconds to centuries: "three years ago",
"for 12 years"), numbers inside names and compounds ("M4", "F-16", "AK-47", "CO2",
"9/11", "1990s"), after a capitalised name or label ("iPhone 15", "Route 9", "page 4",
"Fortune 500"), before a street ("10 Downing Street"), sports scores ("3-1"),
denominators ("per 100,000"), and phone-like groups ("020 7946 0321").

Offsets are relative to the text given: ``text[f.start:f.end] == f.text``. The span
runs from the qualifier (or currency) to the scale word, percent sign or attached
measure; the unit noun is recorded but not part of the span.

Libraries tried (issue 16): quantulum3 finds quantities with units but has no notion
of bounding qualifiers, takes years and model numbers ("M4", "F-16") for quantities
and needs a classifier model; price-parser reads one price per string, without
counts, percentages or qualifiers; number-parser turns number words into digits but
finds no units. recognizers-text-suite 1.0.2a2 (Microsoft Recognizers, Python port,
last released 2019) was tried on news sentences: it reads "one in four" and
"three-quarters", "₹2" and "£4.5", but not "bn" or "crore", reads "a million two years"
as 1000002, has no vague counts or qualifiers, needs emoji<1.0 to import, and took
about 30 ms a sentence (200,000 passages would take well over an hour against a 60 s
budget). text2num's alpha2digit is fast but turns "hundreds of thousands" into "100
of 1000". None covers enough to build on, so this stays one pass of precompiled
regular expressions, scored against tests/corpus/gold/figures_gold.txt.

Speed: 200,000 seed-like sentences (29 MB) in about 4.5 s of CPU (22 µs a sentence),
against 2.5 s for the money/count/percent extractor this one replaced.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from corpus import figure_context as ctx
from corpus.figure_counts import is_count
from corpus.figure_links import Draft, finish
from corpus.figure_phrases import (
    NUMBER,
    SHARE,
    VAGUE,
    WORDS,
    fraction_value,
    read_words,
    share_after,
)
from corpus.figure_words import (  # noqa: F401 - the public vocabulary of this module
    ABOUT,
    AT_LEAST,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    EXACTLY,
    LESS_THAN,
    MONEY_ONLY_SCALES,
    MONTHS,
    MORE_THAN,
    NEARLY,
    ONES,
    OVER,
    POSTFIX_QUALIFIERS,
    QUALIFIER_WORDS,
    QUALIFIERS,
    SCALES,
    STOP_WORDS,
    TENS_WORDS,
    TIME_UNITS,
    UNITS_WORDS,
    UP_TO,
)

MONEY, COUNT, PERCENT = "money", "count", "percent"
SHARE_KIND, FACTOR_KIND = "share", "factor"
KINDS = (MONEY, COUNT, PERCENT, SHARE_KIND, FACTOR_KIND)
UP, DOWN = "up", "down"
CHANGES = (UP, DOWN)

DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_DIGITS_STRICT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_NOT_BEFORE_DIGITS = frozenset(".,/-–—_:+'’")
MAX_DIGITS = 18
LIMIT = Decimal(10) ** MAX_DIGITS  # larger values are not news figures; never stored
PLACES = 6  # decimal places kept (corpus.models.Figure.value)
_QUANTUM = Decimal(1).scaleb(-PLACES)
POSTFIX_START = frozenset("-+ ")


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
    low: Decimal | None = None
    high: Decimal | None = None
    change: str = ""
    entity: str = ""


def extract(text: str) -> list[Figure]:
    """Every figure stated in `text`, in order of position (see the module docstring)."""
    if not text:
        return []
    lower = text.lower()
    if len(lower) != len(text):  # "İ" lower-cases to two characters: keep offsets right
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    spans = [(m.start(), m.end(), True) for m in DIGITS.finditer(text)]
    spans.extend((m.start(), m.end(), False) for m in WORDS.finditer(lower))
    spans.sort()
    drafts, covered = [], 0
    for start, end, is_digits in spans:
        if start < covered:
            continue
        draft = _digits(text, lower, start, end) if is_digits else _words(text, lower, start)
        if draft is not None:
            drafts.append(draft)
            covered = draft.end
    return [
        Figure(
            kind=d.kind,
            value=_tidy(d.value),
            currency=d.currency,
            unit=d.unit,
            qualifier=d.qualifier,
            text=text[d.start : d.end],
            start=d.start,
            end=d.end,
            low=None if d.low is None else _tidy(d.low),
            high=None if d.high is None else _tidy(d.high),
            change=d.change,
            entity=d.entity[:100],
        )
        for d in finish(text, drafts)
    ]


def extract_many(texts) -> list[list[Figure]]:
    return [extract(t) if t else [] for t in texts]


def _tidy(value):
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))  # 7200000000, not 7200000000.0
    if value.as_tuple().exponent < -PLACES:
        return value.quantize(_QUANTUM)
    return value


def _digits(text, lower, start, end):
    if start and (text[start - 1].isalnum() or text[start - 1] in _NOT_BEFORE_DIGITS):
        return None  # inside a code or compound: "M4", "F-16", "v2.5", "10:30"
    raw = text[start:end]
    if not _DIGITS_STRICT.fullmatch(raw) or len(raw) > MAX_DIGITS + PLACES + 1:
        return None
    if raw[0] == "0" and len(raw) > 1 and raw[1] != ".":
        return None  # "020", "0800": a phone number or code
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    return _number(text, lower, start, end, value, raw)


def _words(text, lower, start):
    if start and text[start - 1] in "-‐":
        return None  # the end of a compound: "ninety-nine", "F-Two"
    found = read_words(lower, start)
    if found is None:
        return None
    what, end, value, low, high, change = found
    if what == NUMBER:
        return _number(text, lower, start, end, value, None)
    head = _left(text, start)
    qualifier, span_start = _qualifier(head), _span_start(head, start)
    if what == VAGUE:
        money = ctx.OF.match(text, end)
        after = ctx.CURRENCY_AFTER.match(text, money.end() - 1) if money else None
        kind = MONEY if after else COUNT
        currency = CURRENCY_WORDS[after.group(1).lower()] if after else ""
        unit = "" if after else ctx.of_unit(text, end)
        return Draft(span_start, end, start, kind, value, currency, unit, qualifier, "", low, high)
    if what == SHARE:
        unit = ctx.of_unit(text, end)
        change = ctx.change_of(text, span_start, end, SHARE_KIND)
        return Draft(span_start, end, start, SHARE_KIND, value, "", unit, qualifier, change)
    unit = ""
    many = ctx.AS_MANY.match(text, end)
    if many:
        words = ctx.read_unit(text, many.end())
        unit = ctx.unit_name(words[-1]) if words else ""
    return Draft(span_start, end, start, FACTOR_KIND, value, "", unit, qualifier, change)


def _left(text, start):
    if ctx.left_worth_reading(text, start):
        return ctx.LEFT.search(text, max(0, start - ctx.LOOK_BEHIND), start)
    return None


def _qualifier(head):
    text = head.group("q") if head else None
    return QUALIFIER_WORDS.get(" ".join(text.lower().split()), "") if text else ""


def _span_start(head, start):
    if head and (head.group("q") or head.group("cur") or head.group("minus")):
        return head.start()
    return start


def _number(text, lower, start, end, value, digits):
    """A figure from a number in digits (`digits` its text) or words (None)."""
    after = text[end : end + 1]
    if after == " " and (lower.startswith(" in ", end) or lower.startswith(" out of ", end)):
        share = share_after(lower, end)
        if share and value == value.to_integral_value() and 0 < value < share[1]:
            return _in_m(text, start, share[0], fraction_value(value, share[1]))
    if after == " " and lower.startswith(" times", end) and ctx.TIMES_FACTOR.match(text, end):
        return _times(text, start, ctx.TIMES.match(text, end).end(), value)
    tail = ctx.RIGHT.match(text, end)
    scale = (tail.group("scale") or "").strip().lower()
    scale2 = (tail.group("scale2") or "").strip().lower()
    percent = tail.group("percent") is not None
    number_end, end = end, tail.end()
    head = _left(text, start)
    currency_text = head.group("cur") if head else None
    currency = CURRENCY_SYMBOLS.get((currency_text or "").strip().lower(), "")
    unit, hyphen_unit, pence = "", False, False
    if not (scale or percent) and end < len(text) and not text[end].isspace():
        suffix = _suffix(text, start, end, value, digits, currency)
        if suffix is None or isinstance(suffix, Draft):
            return suffix
        end, unit, hyphen_unit, pence = suffix
        currency = "GBP" if pence else currency
    if ctx.TIME_AFTER.match(text, end):
        return None  # "9 a.m.", "11.45pm"
    if not currency and not percent and ctx.date_or_label_before(text, start):
        return None  # "August 30", "page 4", "junction 9"
    if not currency and ctx.MONTH_AFTER.match(text, end):
        return None  # "24 August"
    if scale in MONEY_ONLY_SCALES and not currency and not percent:
        following = ctx.TOKEN.match(text, end)
        if not (
            following and following.group(1)[0].islower() and ctx.counts_many(following.group(1))
        ):
            scale, end = "", number_end  # "5m wide" is five metres; "1.2m units" a count
            if ctx.AFTER_CODE.match(text, end):
                return None
    multiplier = SCALES.get(scale, 1) * SCALES.get(scale2, 1)
    value = value * multiplier / (100 if pence else 1)
    if abs(value) >= LIMIT:
        return None
    if not currency and not percent:
        named = ctx.CURRENCY_AFTER.match(text, end)
        if named:
            currency, end = CURRENCY_WORDS[named.group(1).lower()], named.end()
    qualifier, span_start = _qualifier(head), _span_start(head, start)
    postfix = ctx.POSTFIX.match(text, end) if text[end : end + 1] in POSTFIX_START else None
    if postfix:
        words = " ".join(postfix.group().lower().split()).lstrip("-")
        qualifier, end = qualifier or POSTFIX_QUALIFIERS[words], postfix.end()
    points = not percent and ctx.POINTS.match(text, end)
    if points:
        percent, unit, end = True, "points", points.end()
    if head and head.group("minus"):
        value = -value
    kind = PERCENT if percent else MONEY if currency else COUNT
    draft = Draft(span_start, end, start, kind, value, currency, unit, qualifier, scale=multiplier)
    if kind == PERCENT and not points:
        draft.unit = ctx.of_unit(text, end)
    if kind == COUNT and not is_count(text, draft, digits, number_end, hyphen_unit):
        return None
    bound = " ".join(head.group("q").split()) if head and head.group("q") else ""
    draft.change = ctx.change_of(text, span_start, end, kind, bound)
    return draft


def _suffix(text, start, end, value, digits, currency):
    """What is written against a number: pence ("15p"), a measure ("40C", "10km"), a
    hyphenated unit ("a 12-storey block"), "-fold"; None for a code ("M4", "21st").

    Returns (end, unit, hyphen_unit, pence), a factor Draft, or None."""
    if digits and not currency and ctx.PENCE.match(text, end):
        return end + 1, "", False, True
    attached = ctx.attached_unit(text, end)
    if attached:
        return attached[1], attached[0], False, False
    hyphen = ctx.HYPHEN_WORD.match(text, end)
    if hyphen and hyphen.group(1) not in ("odd", "plus"):
        word = hyphen.group(1)
        if word == "fold":
            return Draft(start, hyphen.end(), start, FACTOR_KIND, value)
        if word.split("-")[0] in STOP_WORDS:
            return None  # "1-in-100-year"
        if digits is None or word.split("-")[0] in TIME_UNITS or word.startswith("year"):
            return None  # "five-year", "34-year-old", "15-year"
        unit = word.rsplit("-", 1)[-1]
        if unit == "strong":  # "a 3,000-strong workforce"
            words = ctx.read_unit(text, hyphen.end())
            unit = ctx.unit_name(words[-1]) if words else ""
        return end, unit, True, False
    if ctx.AFTER_CODE.match(text, end) and not ctx.POSTFIX.match(text, end):
        return None  # part of a word, code or compound: "M4", "21st", "9/11", "1990s"
    return end, "", False, False


def _times(text, start, end, value):
    """ "three times as many tanks": a factor, with the noun after "as many"."""
    head = _left(text, start)
    many = ctx.AS_MANY.match(text, end)
    words = ctx.read_unit(text, many.end()) if many else []
    unit = ctx.unit_name(words[-1]) if words else ""
    return Draft(
        _span_start(head, start), end, start, FACTOR_KIND, value, "", unit, _qualifier(head)
    )


def _in_m(text, start, end, value):
    head = _left(text, start)
    words = ctx.read_unit(text, end)
    unit = ctx.unit_name(words[-1]) if words else ctx.of_unit(text, end)
    return Draft(
        _span_start(head, start), end, start, SHARE_KIND, value, "", unit, _qualifier(head)
    )


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
