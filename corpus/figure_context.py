"""What surrounds a number in news text, for corpus.figures: the qualifier and currency
before it, the scale, percent sign or measure after it, the noun it counts (next to it
or earlier in the clause), whether it is the size of a change, and the marks of a number
that is no figure (a date, clock time, age, label, name, address or phone number).

Every reader is an anchored regular expression or a short token walk from one
position, so a number costs a handful of matches whatever the length of the text.
"""

import re

from corpus.figure_phrases import trie
from corpus.figure_words import (
    ATTACHED_UNITS,
    BARE_COUNT_VERBS,
    CHANGE_NOUNS_DOWN,
    CHANGE_NOUNS_UP,
    COMPARATIVES_DOWN,
    COMPARATIVES_UP,
    CURRENCY_WORDS,
    DOWN_VERBS,
    ISO_CODES,
    LABEL_WORDS,
    LEVEL_VERBS,
    MONTHS,
    MONTHS_SHORT,
    PEOPLE_ADJECTIVES,
    PERSON_NOUNS,
    PRODUCT_PLURALS,
    QUALIFIER_WORDS,
    STARTERS,
    STOP_WORDS,
    UNMARKED_PLURALS,
    UP_VERBS,
    WEEKDAYS,
)

IGNORE = re.IGNORECASE
SPACE = " \t\n\u00a0"
MAX_UNIT_WORDS = 4
LOOK_BEHIND = 48

_QUALIFIER = trie(sorted(QUALIFIER_WORDS)).replace(r"\ ", r"\s+")
_CURRENCY = (
    r"US\$|AU\$|CA\$|NZ\$|HK\$|[ACSR]\$|\$|€|£|¥|₹|₦|₩|₽|₺|₪|₱"
    r"|\b(?:Rs\.?|RMB|" + "|".join(sorted(ISO_CODES)) + r")[ \u00a0]?"
)
LEFT = re.compile(
    r"(?:\b(?P<q>" + _QUALIFIER + r")\s+)?(?:(?P<minus>minus|−)\s*)?(?P<cur>" + _CURRENCY + r")?$",
    IGNORE,
)
RIGHT = re.compile(
    r"(?P<scale>\s?(?:thousand|million|billion|trillion)\b|\s(?:lakhs?|crores?)\b"
    r"|(?:bn|bln|mn|mln|m|k|tn|trn)\b|\s(?:bn|mn|tn)\b)?(?P<scale2>\s(?:crores?)\b)?"
    r"(?P<percent>\s?%|\s?(?:percent|per\s?cent)\b|\s?pct\b|pc\b)?",
    IGNORE,
)
POINTS = re.compile(r"\s+percentage\s+points?\b", IGNORE)
PENCE = re.compile(r"p\b")
ATTACHED = re.compile(r"(?:°|º)?[A-Za-z]{1,4}(?:/h|2)?\b")
HYPHEN_WORD = re.compile(r"-([a-z]+(?:-[a-z]+)*)\b")
POSTFIX = re.compile(
    r"-(?:odd|plus)\b|\+(?!\w)|\s+or\s+(?:so|more|fewer|less|over|under)\b", IGNORE
)
CURRENCY_AFTER = re.compile(r"\s+(" + "|".join(CURRENCY_WORDS) + r")\b(?!\s+of\b)", IGNORE)
TIMES = re.compile(r"\s+times\b")
TIMES_FACTOR = re.compile(
    r"\s+times\s+(?:as|more|less|higher|lower|greater|larger|bigger|smaller|faster|the|that"
    r"|what|over)\b",
    IGNORE,
)
AS_MANY = re.compile(r"\s+as\s+(?:many|much)\b")
OF = re.compile(
    r"\s+of\s+(?:(?:the|all|its|their|his|her|our|these|those|this|that|a|an|[A-Z][\w’']*['’]s"
    r"|[a-z]+['’]s|[\d,.]+(?:\s+(?:million|billion|thousand))?)\s+){0,3}"
)
# Marks of a number that is not a figure.
AFTER_CODE = re.compile(r"[\w%]|[-–—]\w|/\d|:\d|\.\d|,\d")
TIME_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|gmt\b|utc\b|bst\b|hrs\b)", IGNORE)
MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTHS + r")\b", IGNORE)
AGE_BEFORE = re.compile(
    r"\b(?:aged|age|ages|turned|turns|turning)\s+(?:between\s+)?"
    r"(?:(?:\d+|[a-z]+(?:-[a-z]+)?)\s*(?:to|and|or|-|–)\s*)?$",
    IGNORE,
)
AGE_BOUND_BEFORE = re.compile(
    r"\b(?:" + PERSON_NOUNS + r"|were|was|are|is|be)\s+(?:over|under|older\s+than|younger\s+than"
    r"|above|below)\s+$",
    IGNORE,
)
AGE_OF = re.compile(r"\b(?:age|ages)\s+of\s+$", IGNORE)
YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|to|of|the|this|last|next|fiscal|between|and|before|after"
    r"|during|early|late|mid|circa|summer|spring|autumn|winter|year)[\s-]+$",
    IGNORE,
)
TOKEN = re.compile(r"[ \t\u00a0]+([A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)")
NOUN_OF = re.compile(r"\b(?:a|an|the|its|their|his|her)\s+(?:[a-z]+\s+){0,2}?([a-z]+)\s+of\s+$")
GENERIC_NOUNS = frozenset(
    """total number sum maximum minimum average tally count figure rate level record peak high
    low value cost price fee budget depth height length distance speed temperature range
    estimate bill sale sales""".split()
)
LEVEL_BEFORE = re.compile(
    r"\b(?P<verb>" + LEVEL_VERBS + r")\s+(?:by\s+|at\s+|[^.;:!?]{0,40}?\bto\s+|)"
    r"(?:(?:a|an)\s+(?:new\s+|all-time\s+)?(?:record|high|low|peak)\s+(?:of\s+)?)?$",
    IGNORE,
)
CLAUSE_START = re.compile(
    r"[.;:!?]|\b(?:and|but|while|whereas|although|though|which|that|who|after|when|because)\b",
    IGNORE,
)
SUBJECT_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
AUXILIARIES = frozenset(
    """has have had will would could may might is are was were been be also now still already
    then reportedly officially""".split()
)
PREPOSITIONS = frozenset(
    "of from in among at for on with across to by over under between during within".split()
)
QUALIFIER_LAST = frozenset(phrase.split()[-1] for phrase in QUALIFIER_WORDS)
CURRENCY_CHARS = frozenset("$€£¥₹₦₩₽₺₪₱")
CURRENCY_CODES = frozenset(["rs", "rs.", "rmb", "minus", "−"] + [c.lower() for c in ISO_CODES])
LABELS = frozenset(LABEL_WORDS.replace("\\", "").split("|"))
MONTH_NAMES = frozenset(MONTHS.split("|") + WEEKDAYS.split("|"))
SHORT_MONTHS = frozenset(MONTHS_SHORT.split("|"))
PRONOUNS = frozenset("he she it they we i you this that these those there who which".split())
# Changes: a verb right before ("rose 3%"), "by" after a change verb ("cut emissions by
# 30%"), a change noun after ("a 12% fall") or before ("an increase of 4.7%"),
# or a comparative after ("40% more energy", "38 more than").
DIRECT_UP = frozenset(
    """rose risen rises rise rising grew grown grows growing jumped jumps climbed climbs surged
    surges soared soars increased increases advanced""".split()
)
DIRECT_DOWN = frozenset(
    """fell fallen falls fall falling dropped drops declined declines decreased decreases
    plunged plunges slumped tumbled slipped shrank shrunk eased dipped sank""".split()
)
UP_WORDS = frozenset(UP_VERBS.split("|"))
DOWN_WORDS = frozenset(DOWN_VERBS.split("|"))
LEVEL_BOUNDS = frozenset({"below", "above", "under", "beneath", "past", "north of", "south of"})
BE = frozenset("is are was were be been being".split())
FILLERS = frozenset("the maximum minimum a further an extra another between".split())
CHANGE_UP = frozenset(CHANGE_NOUNS_UP.split("|"))
CHANGE_DOWN = frozenset(CHANGE_NOUNS_DOWN.split("|"))
_WORD = re.compile(r"[a-z]+|[^a-z\s]")
NOUN_AFTER = re.compile(
    r"\s+(?:(?P<up>" + CHANGE_NOUNS_UP + r")|(?P<down>" + CHANGE_NOUNS_DOWN + r"))\b", IGNORE
)
COMPARATIVE_AFTER = re.compile(
    r"\s+(?:(?P<up>" + COMPARATIVES_UP + r")|(?P<down>" + COMPARATIVES_DOWN + r"))\b", IGNORE
)
THAN_SOON = re.compile(r"(?:\s+[A-Za-z'’-]+){0,3}?\s+than\b", IGNORE)


def is_plural(word):
    lower = word.lower()
    if re.fullmatch(r"[A-Z]{2,}s", word):  # "MPs", "GPs"
        return True
    return len(lower) > 2 and lower.endswith("s") and not lower.endswith(("ss", "'s", "us", "is"))


def counts_many(word):
    return is_plural(word) or word.lower() in UNMARKED_PLURALS


def read_unit(text, end):
    """The noun phrase after a count, as its words: "316,260 small arms" -> [small, arms].

    Reads at most MAX_UNIT_WORDS words and stops after a plural, at punctuation, a
    number, a word from STOP_WORDS or a verb in -ed/-ing after the first word; a first
    word in -ed/-ing is an adjective only if a plural noun follows ("armoured
    vehicles"). "and"/"or" joins two hyphenated modifiers ("fixed-wing and rotary-wing
    aircraft"). A capitalised plural followed by a plural noun is a name before its
    noun ("Windows devices").
    """
    words, position = [], end
    while len(words) < MAX_UNIT_WORDS:
        token = TOKEN.match(text, position)
        if token is None:
            break
        word = token.group(1)
        lower = word.lower()
        if lower in ("and", "or") and words and "-" in words[-1]:
            following = TOKEN.match(text, token.end())
            if following and following.group(1).lower() not in STOP_WORDS:
                position = token.end()
                continue
        if lower in STOP_WORDS:
            break
        if not words and lower in PEOPLE_ADJECTIVES:
            following = TOKEN.match(text, token.end())
            if not (
                following and following.start() == token.end() and is_plural(following.group(1))
            ):
                return [word]  # "with 120 injured"
        if lower.endswith(("ed", "ing")) and "-" not in lower and lower not in UNMARKED_PLURALS:
            if words:
                break  # "2000 troops arrived": a verb after the noun ends the phrase
            following = TOKEN.match(text, token.end())
            if following is None or following.start() != token.end():
                break
            if not counts_many(following.group(1)) or following.group(1).lower() in STOP_WORDS:
                break  # "50,000 needed to": a verb, not an adjective
        words.append(word)
        position = token.end()
        if position < len(text) and text[position] not in SPACE:
            break  # punctuation right after the word ends the phrase
        if counts_many(word):
            following = TOKEN.match(text, position)
            if (
                (word[0].isupper() or lower in UNMARKED_PLURALS)
                and following
                and following.group(1)[0].islower()
                and is_plural(following.group(1))
            ):
                continue  # "Windows devices", "police officers": a modifier before its noun
            break  # the head noun of a count is usually its first plural: "small arms"
    return words


def unit_name(word):
    return word.lower().replace("’", "'")[:50]


def of_unit(text, end):
    """The head noun of an "of" phrase right after a share: "45% of the county's voters"."""
    match = OF.match(text, end)
    if match is None:
        return ""
    words = read_unit(text, match.end() - 1)
    return unit_name(words[-1]) if words else ""


def clause_noun(text, start):
    """The noun a count left without one takes from its clause, or "".

    "a crowd of 60,260" -> crowd; "Deaths from heart disease fell to 96,000" -> deaths
    (the head of the subject of a level verb right before the number).
    """
    window = text[max(0, start - 90) : start]
    match = NOUN_OF.search(window)
    if match and match.group(1) not in GENERIC_NOUNS and match.group(1) not in STOP_WORDS:
        return match.group(1)
    match = LEVEL_BEFORE.search(window)
    if match is None:
        return ""
    segment = window[: match.start()]
    boundaries = [m.end() for m in CLAUSE_START.finditer(segment)]
    segment = segment[boundaries[-1] :] if boundaries else segment
    segment = segment.rsplit(",", 1)[-1]  # a subject rarely spans a comma
    words = SUBJECT_WORD.findall(segment)
    while words and words[-1].lower() in AUXILIARIES:
        words.pop()
    cut = next((i for i, w in enumerate(words) if w.lower() in PREPOSITIONS), len(words))
    if cut == 0:
        return ""
    head = re.sub(r"['’]s$", "", words[cut - 1])
    lower = head.lower()
    if lower in ("number", "total", "count", "tally") and cut + 1 < len(words):
        rest = [w for w in words[cut + 1 :] if w.lower() not in STOP_WORDS]
        return unit_name(rest[0]) if rest else ""
    if lower in STOP_WORDS or lower in PRONOUNS or lower in GENERIC_NOUNS:
        return ""
    if head[0].isupper() and cut - 1 > 0:
        return ""  # a name, not what is counted
    return "deaths" if lower == "toll" else unit_name(head)


def change_of(text, start, end, kind, bound=""):
    """ "up", "down" or "": whether the figure text[start:end] is the size of a change.

    `bound` is the qualifier's wording: "fell below $70" is a level crossed, not a fall.
    """
    if bound.lower() in LEVEL_BOUNDS:
        return ""
    before = text[max(0, start - 60) : start]
    if before[-1:] not in SPACE:
        words = []
    else:
        words = _WORD.findall(before.lower())
    last = words[-1] if words else ""
    if last in DIRECT_UP:
        return "up"
    if last in DIRECT_DOWN:
        return "down"
    if last in ("up", "down") and (len(words) < 2 or words[-2] in BE or not words[-2].isalpha()):
        return last  # ", up 38%", "were down 5%"; not "making up 50%", "shot down two"
    if kind in ("percent", "money") and last in ("gained", "gains", "add", "added", "adds"):
        return "up"
    if kind in ("percent", "money") and last in ("lost", "loses", "shed", "sheds"):
        return "down"  # not for counts: "lost 11 games" is a count of games
    while words and words[-1] in FILLERS:
        words.pop()
    if words and words[-1] == "by":
        for word in reversed(words[-10:-1]):
            if not word.isalpha():
                break  # punctuation or a number ends the clause
            if word in UP_WORDS:
                return "up"
            if word in DOWN_WORDS:
                return "down"
    if len(words) >= 2 and words[-1] == "of":
        if words[-2] in CHANGE_UP:
            return "up"
        if words[-2] in CHANGE_DOWN:
            return "down"
    match = NOUN_AFTER.match(text, end)
    if match:
        return "up" if match.group("up") else "down"
    match = COMPARATIVE_AFTER.match(text, end)
    if match and (kind == "percent" or THAN_SOON.match(text, match.end())):
        return "up" if match.group("up") else "down"
    return ""


def last_word(text, start, span=30):
    """The word right before `start` (after spaces), lower-cased, or ""."""
    if not start or text[start - 1] not in SPACE:
        return ""
    words = text[max(0, start - span) : start].split()
    return words[-1].lower() if words else ""


def left_worth_reading(text, start):
    """Whether a qualifier, currency or "minus" can stand right before `start`."""
    if not start:
        return False
    if text[start - 1] in CURRENCY_CHARS:
        return True
    word = last_word(text, start, LOOK_BEHIND)
    return word in QUALIFIER_LAST or word in CURRENCY_CODES or word[-1:] in CURRENCY_CHARS


def date_or_label_before(text, start):
    """ "August 30", "Friday 14", "Aug. 14", "page 4", "junction 9": a date or label."""
    word = last_word(text, start, 20).rstrip(",")
    if word.endswith("."):
        return word[:-1] in SHORT_MONTHS or word[:-1] in LABELS
    if word == "the":
        words = text[max(0, start - 20) : start].lower().split()
        word = words[-2].rstrip(",") if len(words) > 1 else ""
        return word in MONTH_NAMES
    return word in MONTH_NAMES or word in LABELS or text[start - 1 : start] == "#"


def name_before(text, start):
    """A capitalised word right before a count makes it a name: "Route 9", "iPhone 15"."""
    if not start or text[start - 1] not in " \u00a0":
        return False
    words = text[max(0, start - 30) : start].split()
    word = words[-1].rstrip(".") if words else ""
    if not re.fullmatch(r"[A-Za-z][\w'’-]*", word):
        return False  # "Overall, 2.7 million": punctuation between
    lower = word.lower()
    if lower.endswith(("'s", "’s")):
        return False  # "the Collider's 27km ring"
    if word == lower or lower in STARTERS or lower in QUALIFIER_WORDS or lower in MONTH_NAMES:
        return False
    return not is_plural(word) or lower in PRODUCT_PLURALS


def bare_verb_before(text, start):
    """A verb after which a number counts what the verb implies: "which holds 80,000"."""
    return last_word(text, start) in BARE_COUNT_VERBS


def attached_unit(text, end):
    """A measure written against the number: "40C", "10km", "8GB" (stored lower-case)."""
    match = ATTACHED.match(text, end)
    if match is None:
        return None
    raw = match.group()
    if raw in ("c", "f"):
        return None  # lower-case c and f are not degrees
    unit = ATTACHED_UNITS.get(raw.lower())
    return (unit, match.end()) if unit else None
