"""Column classes of the report tables (django-tables2): how one figure reads in a cell.

A cell shows the figure rounded for reading (annotate.display), the intervals under it on
lines of their own, then a note that may wrap (why an interval is undefined), and a tooltip
with the rest (counts, the Wilson interval, the Dawid-Skene estimate). ``kind`` is the class
the table gives the column's cells ("count" and "figure" are right-aligned). Undefined
figures read "undefined" with their reason, never "nan".
"""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from annotate.display import (
    UNDEFINED,
    count,
    duration,
    number,
    number_range,
    p_value,
    percent,
    percent_range,
    signed,
    undefined,
)

CLUSTERED = "95% interval, documents as clusters"
WILSON = "Wilson 95% interval over passages"


class Note(str):
    """A line under a figure that may wrap (a reason); other lines are intervals, kept whole."""


def _cell(main, lines=(), title=""):
    """A figure, the lines under it (smaller) and a tooltip with the rest."""
    shown = format_html_join(
        "",
        '<span class="{}">{}</span>',
        (("detail" if isinstance(line, Note) else "detail range", line) for line in lines if line),
    )
    if title:
        return format_html('<span title="{}">{}</span>{}', title, main, shown)
    return format_html("{}{}", main, shown)


def _both(record, stem):
    low, high = record.get(f"{stem}_low"), record.get(f"{stem}_high")
    return None if undefined(low) or undefined(high) else (low, high)


def _no_interval(record, stem):
    return Note(f"no interval: {record.get(f'{stem}_note') or UNDEFINED}")


class CountColumn(tables.Column):
    """A count as an integer; ``of``: the column whose count it is a share of (tooltip)."""

    kind = "count"

    def __init__(self, *args, of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.of = of

    def render(self, value, record):
        if self.of and record.get(self.of):
            return format_html(
                '<span title="{} of {} {}">{}</span>',
                percent(value / record[self.of]),
                count(record[self.of]),
                self.of,
                count(value),
            )
        return count(value)


class ShareColumn(tables.Column):
    """A share (one-decimal percentage) over its main 95% interval: the document-clustered one
    (``_doc_low``/``_doc_high``, or why it is undefined, ``_doc_note``) on the outlet report,
    the Wilson one elsewhere; then, when passages are unresolved, where the share would land if
    they all went to another type or to this one. The tooltip adds the counts, the Wilson
    interval and the Dawid-Skene estimate."""

    kind = "figure"

    def __init__(self, *args, stem, part, whole, clustered=True, empty="", **kwargs):
        super().__init__(*args, **kwargs)
        self.stem, self.part, self.whole, self.clustered = stem, part, whole, clustered
        self.empty = empty or "no resolved passage"

    def render(self, value, record):
        stem = self.stem
        if undefined(value):
            return _cell(UNDEFINED, [Note(record.get(f"{stem}_doc_note") or self.empty)])
        counted = f"{count(record[self.part])} of {count(record[self.whole])}"
        wilson = _both(record, stem)
        wilson_line = f"{WILSON}: {percent_range(*wilson, places=1)}" if wilson else ""
        if not self.clustered:
            shown = percent_range(*wilson) if wilson else ""
            return _cell(percent(value), [shown], f"{counted}\n{wilson_line}")
        doc = _both(record, f"{stem}_doc")
        main = percent_range(*doc) if doc else _no_interval(record, f"{stem}_doc")
        title = [counted, f"{CLUSTERED}: {percent_range(*doc, places=1)}" if doc else main]
        title.append(wilson_line)
        bounds = _both(record, f"{stem}_if_unresolved")
        unresolved = bool(record.get("unresolved")) and bounds is not None
        if unresolved:
            title.append(
                "If every unresolved passage went to another type / to this one: "
                f"{percent_range(*bounds, places=1)}"
            )
        if not undefined(record.get(f"{stem}_model")):
            title.append(f"Dawid-Skene model estimate: {percent(record[f'{stem}_model'])}")
        lines = [main, f"if unresolved {percent_range(*bounds)}" if unresolved else ""]
        return _cell(percent(value), lines, "\n".join(filter(None, title)))


class RateColumn(tables.Column):
    """Markers per 100 passages (one decimal) over its document-clustered interval."""

    kind = "figure"

    def __init__(self, *args, clustered=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.clustered = clustered

    def render(self, value, record):
        if undefined(value):
            return _cell(UNDEFINED, [Note("no resolved passage")])
        title = f"{count(record['final_markers'])} markers on {count(record['resolved'])} passages"
        if not self.clustered:
            return _cell(number(value, 1), (), title)
        doc = _both(record, "markers_per_100_doc")
        if doc is None:
            note = _no_interval(record, "markers_per_100_doc")
            return _cell(number(value, 1), [note], f"{title}\n{note}")
        shown = number_range(*doc, places=1)
        return _cell(number(value, 1), [shown], f"{title}\n{CLUSTERED}: {shown}")


class AlphaColumn(tables.Column):
    """Krippendorff's alpha to three decimals over its interval and note, or "undefined" and
    the reason."""

    kind = "figure"

    def render(self, value, record):
        note = record.get("alpha_note") or ""
        if undefined(value):
            return _cell(UNDEFINED, [Note(note)])
        interval = _both(record, "alpha")
        return _cell(number(value), [number_range(*interval) if interval else "", Note(note)])


class ConfidenceColumn(tables.Column):
    """ "rating" or "initial reading"; the reason is in the tooltip and the column notes."""

    def render(self, value):
        return format_html('<span title="{}">{}</span>', value, str(value).split(" (")[0])


class DocumentColumn(tables.Column):
    """A document's title over its outlet and id (the CSV's ``document``); sorts by outlet,
    then title."""

    kind = "name"

    def render(self, value, record):
        line = format_html("{} · #{}", record["outlet"], record["document"])
        return format_html('{}<span class="detail">{}</span>', value or UNDEFINED, line)


class DurationColumn(tables.Column):
    kind = "figure"

    def render(self, value):
        return duration(value)


class AgreementColumn(tables.Column):
    """Agreement with the final label (percentage) over its Wilson interval."""

    kind = "figure"

    def render(self, value, record):
        if undefined(value):
            return _cell(UNDEFINED, [Note("no passage with a final label")])
        interval = _both(record, "agreement_with_final")
        return _cell(percent(value), [percent_range(*interval) if interval else ""])


class ProbabilityColumn(tables.Column):
    kind = "figure"

    def render(self, value):
        return percent(value, 0)


def _scale(record):
    return 1 if record["measure"] == "markers_per_100" else 100


class DifferenceColumn(tables.Column):
    """A difference in percentage points (shares) or per 100 passages, with its sign; the
    tooltip gives both sides' figures."""

    kind = "figure"

    def render(self, value, record):
        if undefined(value):
            return UNDEFINED
        scale = _scale(record)
        sides = (
            f"{record['outlet_a']}: {number(scale * record['value_a'], 1)}, "
            f"{'the rest' if record['outlet_b'] == 'rest' else record['outlet_b']}: "
            f"{number(scale * record['value_b'], 1)}"
        )
        return format_html('<span title="{}">{}</span>', sides, signed(scale * value))


class IntervalColumn(tables.Column):
    kind = "figure"

    def render(self, value, record):
        low, high = record["low"], record["high"]
        if undefined(low) or undefined(high):
            return record.get("reason") or UNDEFINED
        scale = _scale(record)
        return f"{signed(scale * low)} to {signed(scale * high)}"


class PValueColumn(tables.Column):
    kind = "figure"

    def render(self, value):
        return p_value(value)


class StatusColumn(tables.Column):
    def render(self, value, record):
        return value if value == "compared" or not record.get("reason") else record["reason"]


class PerThousandColumn(tables.Column):
    """A rate per 1,000 words (two decimals); the tooltip gives the count and the words."""

    kind = "figure"

    def render(self, value, record):
        if undefined(value):
            return _cell(UNDEFINED, [Note("no annotated text")])
        passages = count(record["count"])
        title = (
            f"{passages} passage{'' if passages == 1 else 's'} in {count(record['words'])} words"
        )
        return _cell(number(float(value), 2), (), title)


class NamesColumn(tables.Column):
    """A ``;``-separated list (the CSV's form) shown as a comma-separated one."""

    def render(self, value):
        return ", ".join(part for part in str(value).split(";") if part)
