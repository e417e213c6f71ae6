"""Tables and the share chart of the reliability report pages (django-tables2).

Rows are the report DataFrames' records (annotate.reports). Undefined figures (NaN:
a share of nothing, alpha with one label) read "undefined", never "nan".
"""

import math

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

PER_PAGE = 50


def undefined(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent(value):
    return "undefined" if undefined(value) else f"{100 * value:.1f}%"


class CountColumn(tables.Column):
    def render(self, value):
        return "undefined" if undefined(value) else int(value)


class DecimalColumn(tables.Column):
    def render(self, value):
        return "undefined" if undefined(value) else f"{value:.1f}"


class ShareColumn(tables.Column):
    """A share and its Wilson interval: "48.8% (46.5–51.0%)"; "undefined" for a share of nothing."""

    def __init__(self, *args, stem=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stem = stem

    def render(self, value, record):
        if undefined(value):
            return "undefined"
        low, high = record.get(f"{self.stem}_low"), record.get(f"{self.stem}_high")
        if undefined(low) or undefined(high):
            return percent(value)
        return f"{percent(value)} ({100 * low:.1f}–{100 * high:.1f}%)"


class PlainShareColumn(tables.Column):
    def render(self, value):
        return percent(value)


class AlphaColumn(tables.Column):
    """Krippendorff's alpha with its interval, or "undefined (reason)"."""

    def render(self, value, record):
        note = record.get("alpha_note") or ""
        if undefined(value):
            return f"undefined ({note})" if note else "undefined"
        low, high = record.get("alpha_low"), record.get("alpha_high")
        shown = f"{value:.3f}"
        if not (undefined(low) or undefined(high)):
            return (
                f"{shown} ({low:.3f}–{high:.3f}; {note})"
                if note
                else f"{shown} ({low:.3f}–{high:.3f})"
            )
        return f"{shown} ({note})" if note else shown


class ReportTable(tables.Table):
    class Meta:
        attrs = {"class": "table report"}
        empty_text = "No passages to report on yet."


def _label_columns(labels, names):
    return [
        (
            f"share_{value}",
            ShareColumn(verbose_name=f"{names.get(value, value)} share", stem=f"share_{value}"),
        )
        for value in labels
    ]


COUNTS = [
    "passages",
    "reviewers",
    "annotations",
    "resolved",
    "adjudicated",
    "unanimous",
    "unresolved",
]


def _report_table(head, rows, labels, names, extra, prefix, with_interval):
    columns = [
        *head,
        *[(name, CountColumn(verbose_name=name.replace("_", " "))) for name in COUNTS],
        *_label_columns(labels, names),
        (
            "anonymous_claim_share",
            ShareColumn(verbose_name="anonymous claims", stem="anonymous_claim_share"),
        ),
        ("markers_per_100", DecimalColumn(verbose_name="markers per 100")),
        ("alpha", AlphaColumn(verbose_name="alpha (95% interval)" if with_interval else "alpha")),
        ("adjudicated_share", PlainShareColumn(verbose_name="adjudicated")),
        ("unresolved_share", PlainShareColumn(verbose_name="unresolved")),
        *[(name, CountColumn(verbose_name=name.replace("_", " "))) for name in extra],
    ]
    return ReportTable(
        rows, extra_columns=columns, sequence=[name for name, _ in columns], prefix=prefix
    )


class ConfidenceColumn(tables.Column):
    """ "rating" or "initial reading"; the reason is in the column notes under the table."""

    def render(self, value):
        return str(value).split(" (")[0]


def outlet_table(report, labels, names, extra=()):
    head = [
        ("outlet", tables.Column(verbose_name="outlet")),
        ("confidence", ConfidenceColumn(verbose_name="confidence")),
        ("documents", CountColumn(verbose_name="documents")),
        ("documents_resolved", CountColumn(verbose_name="with final labels")),
    ]
    return _report_table(head, report.to_dict("records"), labels, names, extra, "outlets-", True)


def document_table(report, labels, names):
    head = [
        ("document", tables.Column(verbose_name="#")),
        ("title", tables.Column(verbose_name="title")),
        ("outlet", tables.Column(verbose_name="outlet")),
    ]
    return _report_table(head, report.to_dict("records"), labels, names, (), "documents-", False)


class ReviewerTable(tables.Table):
    reviewer = tables.Column()
    annotations = CountColumn()
    on_resolved = CountColumn(verbose_name="on resolved passages")
    agreement_with_final = ShareColumn(
        verbose_name="agreement with final label", stem="agreement_with_final"
    )
    timed = CountColumn()
    time_spent_s = tables.Column(verbose_name="time spent")
    median_s = tables.Column(verbose_name="median per passage")

    class Meta:
        attrs = {"class": "table report"}
        empty_text = "No annotations yet."

    def render_time_spent_s(self, value):
        return duration(value)

    def render_median_s(self, value):
        return duration(value)


def duration(seconds):
    if undefined(seconds):
        return "undefined"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def reviewer_table(report):
    return ReviewerTable(report.to_dict("records"), prefix="reviewers-")


# ------------------------------------------------------------------------------ chart

CHART_LEFT = 230  # room for the outlet's name
NAME_CHARS = 30  # longer names are shortened in the chart (the bars' tooltips give them whole)
CHART_WIDTH = 460  # the 0-100% axis
BAR = 12
GAP = 4
BLOCK_GAP = 14


def _n(value):
    """An SVG coordinate as text (never localised)."""
    return f"{value:.1f}"


def share_chart(report, labels, names):
    """Geometry of the SVG chart: per outlet, one bar per passage type (its share among the
    outlet's resolved passages) with a whisker for the Wilson 95% interval. Drawn on the
    server: no script, no inline style."""
    outlets, y = [], 30
    for record in report.to_dict("records"):
        bars = []
        for index, value in enumerate(labels):
            share = record.get(f"share_{value}")
            top = y + index * (BAR + GAP)
            bar = {
                "y": _n(top),
                "mid": _n(top + BAR / 2),
                "cap_top": _n(top + 1),
                "cap_bottom": _n(top + BAR - 1),
                "text_y": _n(top + BAR - 2),
                "index": index,
                "name": names.get(value, value),
                "defined": not undefined(share),
                "empty_x": _n(CHART_LEFT + 4),
            }
            if bar["defined"]:
                low, high = record[f"share_{value}_low"], record[f"share_{value}_high"]
                bar.update(
                    width=_n(share * CHART_WIDTH),
                    low=_n(CHART_LEFT + low * CHART_WIDTH),
                    high=_n(CHART_LEFT + high * CHART_WIDTH),
                    label=f"{percent(share)} ({100 * low:.1f}–{100 * high:.1f}%), "
                    f"{int(record[f'final_{value}'])} of {int(record['resolved'])} resolved passages",
                )
            bars.append(bar)
        height = len(labels) * (BAR + GAP)
        name = str(record["outlet"])
        short = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"
        outlets.append({"name": name, "short": short, "y": _n(y + height / 2 + 4), "bars": bars})
        y += height + BLOCK_GAP
    axis = y - BLOCK_GAP + 4
    ticks = [{"x": _n(CHART_LEFT + CHART_WIDTH * t / 4), "label": f"{25 * t}%"} for t in range(5)]
    legend = [
        {
            "x": _n(CHART_LEFT + i * 150),
            "text_x": _n(CHART_LEFT + i * 150 + 14),
            "index": i,
            "name": names.get(v, v),
        }
        for i, v in enumerate(labels)
    ]
    return {
        "outlets": outlets,
        "ticks": ticks,
        "legend": legend,
        "left": _n(CHART_LEFT),
        "text_x": _n(CHART_LEFT - 8),
        "axis_y": _n(axis),
        "tick_y": _n(axis + 14),
        "height": _n(axis + 22),
        "width": _n(CHART_LEFT + CHART_WIDTH + 24),
    }


def download_links(campaign):
    """(label, url, anonymised url) for every export kind."""
    from annotate.exports import KINDS

    links = []
    for kind in KINDS:
        url = reverse("annotate:export", args=[campaign.slug, kind])
        links.append((kind, url, f"{url}?anonymise=1"))
    return links


def link(url, text):
    return format_html('<a href="{}">{}</a>', url, text)
