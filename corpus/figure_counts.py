"""Whether a number read as a count is one, for corpus.figures: the noun it counts, and
the marks of a number that counts nothing (a year, an age, a label, a name, an address,
a phone number, a duration).

A count keeps the head noun after it (corpus.figure_context.read_unit) or, failing
that, the noun its clause gives (clause_noun); one left without any is marked
needs_unit and decided by corpus.figure_links once its neighbours are known.
"""

from corpus import figure_context as ctx
from corpus.figure_words import LABEL_NOUNS_AFTER, PEOPLE_ADJECTIVES, TIME_UNITS


def is_count(text, d, digits, number_end, hyphen_unit):
    """Fill in the unit of the count draft `d` and say whether it is one.

    `digits` is the number as written (None for words), `number_end` where it ends,
    `hyphen_unit` whether its unit came from a compound ("a 12-storey block").
    """
    start, end = d.number_start, d.end
    before = text[max(0, d.start - 40) : d.start]
    if before.rstrip().lower().endswith("per"):
        return False  # "per 100,000 people"
    if ("age" in before or "turn" in before) and (
        ctx.AGE_BEFORE.search(before) or ctx.AGE_OF.search(before)
    ):
        return False  # "aged 18 to 65", "at the age of 80"
    plain = digits is not None and d.scale == 1 and not d.qualifier
    if (
        digits
        and not d.currency
        and (
            text.startswith(" ", number_end)
            and text[number_end + 1 : number_end + 2].isdigit()
            or start >= 2
            and text[start - 1] == " "
            and text[start - 2].isdigit()
        )
    ):
        return False  # "020 7946 0321": digit groups of a phone number
    words = [] if d.unit else ctx.read_unit(text, end)
    if words:
        d.unit = ctx.unit_name(words[-1])
        head = words[-1]
        if d.unit in TIME_UNITS:
            return False  # "three years ago", "for 12 years"
        if plain and words[0].lower() in LABEL_NOUNS_AFTER:
            return False  # "the 44 bus", "12 noon"
        if head[0].isupper() and not ctx.is_plural(head) and d.unit not in ctx.ATTACHED_UNITS:
            return False  # "10 Downing Street", "70 Whitehall"
        if (
            plain
            and len(words) == 1
            and d.value != 1
            and not ctx.counts_many(head)
            and d.unit not in ctx.ATTACHED_UNITS
            and d.unit not in PEOPLE_ADJECTIVES
        ):
            return False  # "the 12 train": a label
    elif hyphen_unit and d.unit in TIME_UNITS:
        return False
    if digits and "," not in digits and "." not in digits and 1800 <= d.value <= 2100 and plain:
        plural = words and words[0][0].islower() and ctx.counts_many(words[0])
        if not plural or ctx.YEAR_BEFORE.search(before):
            return False  # a year
    if d.start == start and ctx.name_before(text, start):
        return False  # "iPhone 15", "Route 9", "Fortune 500"
    if not d.unit:
        integer = d.value == d.value.to_integral_value() and 0 < d.value <= 120
        if integer and ctx.AGE_BOUND_BEFORE.search(text, max(0, start - 40), start):
            return False  # "victims were over 65", "children under five"
        if integer and text[start - 2 : start] == ", " and text.startswith(",", end):
            return False  # "Smith, 34, said"
        d.unit = ctx.clause_noun(text, d.start)
        d.needs_unit = not (d.unit or d.qualifier or d.scale > 1)
    return True
