"""How figures and text are shown to people: the one place for display formatting.

Pages round for reading; CSVs keep full precision and never pass through here. An
undefined figure (None, NaN of any float type) reads "undefined", never "nan".
"""

import math
import numbers

UNDEFINED = "undefined"
EXCERPT = 160


def undefined(value) -> bool:
    """None or NaN (Python, NumPy or pandas float)."""
    if value is None:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, int) and math.isnan(value)


def number(value, places: int = 3):
    """A float rounded to ``places`` decimals; anything else as it is; "undefined" for NaN."""
    if undefined(value):
        return UNDEFINED
    if isinstance(value, float):
        return f"{value:.{places}f}"
    return value


def percent(value, places: int = 1) -> str:
    """A share (0..1) as a percentage: 0.4875 reads "48.8%"."""
    return UNDEFINED if undefined(value) else f"{100 * value:.{places}f}%"


def count(value):
    """A count as an integer (pandas hands counts back as floats: 15.0 reads 15)."""
    return UNDEFINED if undefined(value) else int(value)


def weight(value, places: int = 1):
    """A count that can be fractional (Krippendorff's coincidences, pairable values): an
    integer when it is whole (12.0 reads 12), else rounded (12.5 reads "12.5")."""
    if undefined(value):
        return UNDEFINED
    return int(value) if float(value).is_integer() else f"{value:.{places}f}"


def signed(value, places: int = 1) -> str:
    """A difference with its sign: 3.21 reads "+3.2", -0.5 "-0.5"; one that rounds to zero
    reads "0.0" (never "-0.0")."""
    if undefined(value):
        return UNDEFINED
    if round(value, places) == 0:
        return f"{0:.{places}f}"
    return f"{value:+.{places}f}"


def number_range(low, high, places: int = 3) -> str:
    """An interval of plain numbers: "0.122–0.631"; "-0.100 to 0.300" when an end is negative
    (a dash after a minus sign misreads); "undefined" when an end is."""
    if undefined(low) or undefined(high):
        return UNDEFINED
    between = " to " if low < 0 or high < 0 else "–"
    return f"{low:.{places}f}{between}{high:.{places}f}"


def percent_range(low, high, places: int = 0) -> str:
    """An interval of shares (0..1) as percentages: (0.312, 0.65) reads "31–65%"."""
    if undefined(low) or undefined(high):
        return UNDEFINED
    return f"{100 * low:.{places}f}–{100 * high:.{places}f}%"


def p_value(value) -> str:
    """A p-value to three decimals, "< 0.001" below that, "—" when there is none (not tested)."""
    if undefined(value):
        return "—"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """At most ``limit`` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def duration(seconds) -> str:
    """Seconds as "2 h 05 min" or "3 min 07 s"."""
    if undefined(seconds):
        return UNDEFINED
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def display_name(value, names: dict) -> str:
    """A code's display name (a label's, a source type's), the code itself if it has none."""
    return names.get(value, value)


def code_words(value) -> str:
    """A code written as words, for a code whose display name is not at hand:
    "attributed_claim" reads "Attributed claim"."""
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def plain_number(value) -> str:
    """A Decimal as people write it: 7,120,000,000 rather than 7.12E+9 or 7120000000.000000
    (thousands separated from five digits up); "" for no value."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return f"{int(text):,}" if "." not in text and len(text) > 4 else text
