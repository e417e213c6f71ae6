"""Figures read together, for corpus.figures: ranges ("$500 to $1,000", "between 10 and 15
people"), a noun one count lends another ("312 votes to 287", "19 of the 22 races",
"1,067 homicides, of which 244"), and the entity a figure is about.

Works on the drafts of one text in order, after each was read on its own.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from corpus.figure_context import LEVEL_BEFORE, bare_verb_before

COUNT, MONEY, PERCENT = "count", "money", "percent"


@dataclass
class Draft:
    """A figure being read: span start/end, where its number is, and what it states."""

    start: int
    end: int
    number_start: int
    kind: str
    value: Decimal
    currency: str = ""
    unit: str = ""
    qualifier: str = ""
    change: str = ""
    low: Decimal | None = None
    high: Decimal | None = None
    scale: int = 1  # the scale word multiplied in ("million": 10**6)
    needs_unit: bool = False  # a count that names nothing it counts (yet)
    entity: str = ""


RANGE_GAP = re.compile(r"\s*(?:to|-|–|—)\s*|\s+and\s+")
BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
FROM_AFTER_CHANGE = re.compile(
    r"\b(?:rose|risen|rise|rises|rising|fell|fallen|fall|falls|falling|increased|increase"
    r"|decreased|decrease|grew|grow|grown|dropped|drop|climbed|jumped|went|gone|up|down"
    r"|changed|moved|cut|raised|reduced|lowered)\s+(?:[a-z]+\s+){0,3}?from\s+$",
    re.IGNORECASE,
)
# "19 of the 22 races", "45 of its 300 stores", "11 of their last 16 games", "10 and 15 people"
FORWARD_GAP = re.compile(
    r"\s+(?:of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|our\s+|these\s+|those\s+)?"
    r"(?:last\s+|first\s+|next\s+|remaining\s+|original\s+)?|to\s+|and\s+|or\s+)"
)
TIGHT_GAP = re.compile(r"\s*,?\s*(?:to|and|or|versus|vs\.?|against)\s+")
GAP_WORD = re.compile(r"[A-Za-z]+")
MAX_GAP_WORDS = 8
MAX_SCALED_GAP_WORDS = 16
SENTENCE_BREAK = re.compile(r"[.;:!?]\s|\n")


def finish(text, drafts):
    """Ranges, borrowed nouns, dropped unnamed counts and entities: the drafts to keep."""
    _ranges(text, drafts)
    kept = []
    for i, d in enumerate(drafts):
        if d.kind == COUNT and not d.unit:
            _borrow_noun(text, drafts, i, kept)
        if d.needs_unit and not d.unit and not _bare_allowed(text, d, kept):
            continue
        kept.append(d)
    if kept:
        _entities(text, kept)
    return kept


# A model or product code ("M4", "AK-47", "F-16", "A320") or a run of capitalised words.
NAME = re.compile(
    r"\b(?P<code>[A-Z][A-Za-z]{0,3}-?\d{1,4}(?:[A-Z]{1,2}\d{0,2})?)\b(?!%)"
    r"|\b(?!(?:The|In|A|An|At|On|For|And|But|It|He|She|They|We|This|That|These|Those|Its"
    r"|Their|His|Her|According|While|When|After|Before|Some|More|Nearly|About|Around|Over"
    r"|Under|Up|Of|As|By|With|From|To|If|Then|There|Here|What|Which|Who|Only|Just|All)\b)"
    r"(?P<name>[A-Z][a-z’']+(?:[ -](?:of\s+|de\s+)?[A-Z][a-z’']+)*)"
)
NOT_ENTITIES = frozenset(
    """the a an in on at of for and but or as by to from with while when after before according
    some more most nearly about around over under up down this that these those its their his
    her our it they we he she there here what which who only just all many much another other
    each every both such no not yet so if than then also however meanwhile overall last next
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)


SENTENCE_STARTERS = frozenset(
    """police officials government ministers researchers scientists doctors experts analysts
    critics residents voters prices sales inflation unemployment turnout overall figures data
    despite although because since during following among including""".split()
)


def _entities(text, drafts):
    """Name each figure's entity, a hint for pairing figures about the same thing:

    - a capitalised word inside its noun phrase ("80 Pakistani soldiers" -> Pakistani,
      "12 Patriot batteries" -> Patriot);
    - else a model or product code in its clause, the nearest ("An M4 rifle now sells
      for over $4,200" -> M4; "an F-16 costs $30m" -> F-16);
    - else a name at most MAX_NAME_GAP words before it in its clause ("Tesla delivered
      1.81 million vehicles" -> Tesla);
    - else "".
    """
    clauses = {}
    for d in drafts:
        bounds = _clause_start(text, d.start), _clause_end(text, d.end)
        if bounds not in clauses:
            clauses[bounds] = list(_names(text, *bounds))
        inside = [n for n in clauses[bounds] if n[1] <= d.start or n[0] >= d.end]
        if d.unit:
            for word in text[d.end : d.end + 60].split()[:MAX_UNIT_WORDS]:
                bare = word.strip(".,;:!?\"“”'‘’()")
                if bare.lower() == d.unit or bare != word:
                    break  # the noun itself, or punctuation: the phrase ends
                if word[:1].isupper() and word.lower() not in NOT_ENTITIES:
                    d.entity = word
            if d.entity:
                continue
        codes = [n for n in inside if n[3]]
        if codes:
            d.entity = min(codes, key=lambda n: (n[1] > d.start, abs(n[0] - d.start)))[2]
            continue
        before = [n for n in inside if n[1] <= d.start and not n[3]]
        if before:
            name = max(before, key=lambda n: n[1])
            if len(GAP_WORD.findall(text[name[1] : d.start])) <= MAX_NAME_GAP:
                d.entity = name[2][:100]


MAX_UNIT_WORDS, MAX_NAME_GAP = 4, 6


def _names(text, start, end):
    """(start, end, name, is_code) of the codes and capitalised names in text[start:end]."""
    for m in NAME.finditer(text, start, end):
        if m.group("code"):
            yield m.start(), m.end(), m.group("code"), True
            continue
        name = m.group("name")
        words = name.split()
        if words[0].lower().rstrip("’'s") in NOT_ENTITIES or words[0].lower() in NOT_ENTITIES:
            words = words[1:]
        if not words:
            continue
        if len(words) == 1 and _sentence_start(text, m.end() - len(words[0])):
            if words[0].endswith("s") or words[0].lower() in SENTENCE_STARTERS:
                continue  # "Officials said", "Police arrested": not names
        name = " ".join(words)
        yield m.end() - len(name), m.end(), name, False


def _clause_start(text, position):
    low = max(0, position - 300)
    found = max(text.rfind(mark, low, position) for mark in CLAUSE_MARKS)
    return low if found < 0 and low else max(found + 1, 0)


CLAUSE_MARKS = (". ", "; ", "! ", "? ", "\n", "• ")


def _clause_end(text, position):
    high = min(len(text), position + 300)
    found = [i for i in (text.find(mark, position, high) for mark in CLAUSE_MARKS) if i >= 0]
    return min(found) if found else high


def _sentence_start(text, position):
    before = text[max(0, position - 3) : position]
    return (
        position == 0
        or not before.strip()
        and (position < 3 or "\n" in before)
        or bool(re.search(r"[.!?:•“\"]\s*$", before))
    )


def _ranges(text, drafts):
    for a, b in zip(drafts, drafts[1:], strict=False):
        if a.kind != b.kind or a.kind not in (COUNT, MONEY, PERCENT) or b.change:
            continue
        gap = text[a.end : b.start]
        if not RANGE_GAP.fullmatch(gap) or a.low is not None or b.low is not None:
            continue
        between = BETWEEN_BEFORE.search(text, max(0, a.start - 20), a.start)
        if a.change and not between:
            continue  # "rose by 50,000 to 1.4 million": a change, then the level reached
        if "and" in gap and not between:
            continue  # "312 votes and 287": a list, not a range
        if FROM_AFTER_CHANGE.search(text, max(0, a.start - 60), a.start):
            continue  # "rose from £1.05 to £1.40": two levels
        if a.kind == MONEY and a.currency != b.currency:
            continue
        low = a.value
        if a.scale == 1 and b.scale > 1 and a.value * b.scale < b.value * 10:
            low = a.value * b.scale  # "20 to 25 million": the scale is shared
        if not low < b.value:
            continue  # "voted 31 to 17": a result, not a range
        a.value, b.change = low, a.change  # "rise by between 3% and 5%"
        a.low = b.low = low
        a.high = b.high = b.value
        if a.kind == COUNT and not a.unit:
            a.unit, a.needs_unit = b.unit, False


def _borrow_noun(text, drafts, i, kept):
    d = drafts[i]
    if i + 1 < len(drafts):
        b = drafts[i + 1]
        if b.kind == COUNT and b.unit and FORWARD_GAP.fullmatch(text, d.end, b.number_start):
            if b.start == b.number_start:
                d.unit = b.unit  # "19 of the 22 races"
                return
    # The nearest count before it in the sentence lends its noun ("312 votes to 287"),
    # or, further back, one stated with the same scale word ("345 million people ... in
    # 79 countries, up from 200 million").
    lenders = []  # (words between, count) for the counts before it in its sentence
    for p in reversed(kept):
        if p.end > d.start or SENTENCE_BREAK.search(text, p.end, d.start):
            break
        if p.kind == COUNT:
            lenders.append((len(GAP_WORD.findall(text, p.end, d.start)), p))
    for words, p in lenders:
        if d.scale > 1 and p.scale == d.scale and p.unit and words <= MAX_SCALED_GAP_WORDS:
            d.unit = p.unit
            return
    if lenders and lenders[0][1].unit and lenders[0][0] <= MAX_GAP_WORDS + 1:
        d.unit = lenders[0][1].unit


def _bare_allowed(text, d, kept):
    """An unnamed count is kept after a verb that implies its noun ("which holds 80,000")
    or when it answers a kept count ("voted 31 to 17")."""
    if bare_verb_before(text, d.number_start):
        return True
    if LEVEL_BEFORE.search(text, max(0, d.start - 90), d.start) and d.qualifier:
        return True
    if kept and kept[-1].kind == COUNT:
        return bool(TIGHT_GAP.fullmatch(text, kept[-1].end, d.start))
    return False
