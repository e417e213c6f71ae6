"""Tables of the reliability report pages (django-tables2).

Rows are the report DataFrames' records (annotate.reports.selectors). Undefined figures
(NaN: a share of nothing, alpha with one label) read "undefined", never "nan".
"""

import django_tables2 as tables
from django.urls import reverse

from annotate.display import UNDEFINED, count, display_name, duration, percent, undefined
from annotate.reports.exports import KINDS

PER_PAGE = 50


class CountColumn(tables.Column):
    def render(self, value):
        return count(value)


class DecimalColumn(tables.Column):
    def render(self, value):
        return UNDEFINED if undefined(value) else f"{value:.1f}"


class ShareColumn(tables.Column):
    """A share and its Wilson interval: "48.8% (46.5–51.0%)"; "undefined" for a share of nothing."""

    def __init__(self, *args, stem=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stem = stem

    def render(self, value, record):
        if undefined(value):
            return UNDEFINED
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
            return f"{UNDEFINED} ({note})" if note else UNDEFINED
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
            ShareColumn(verbose_name=f"{display_name(value, names)} share", stem=f"share_{value}"),
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
    model_accuracy = PlainShareColumn(verbose_name="estimated accuracy (model)")
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


def reviewer_table(report):
    return ReviewerTable(report.to_dict("records"), prefix="reviewers-")


def download_links(campaign):
    """(label, url, anonymised url) for every export kind."""
    links = []
    for kind in KINDS:
        url = reverse("annotate:export", args=[campaign.slug, kind])
        links.append((kind, url, f"{url}?anonymise=1"))
    return links


class SignedColumn(tables.Column):
    """A difference in percentage points (shares) or per 100 passages, with its sign."""

    def render(self, value, record):
        if undefined(value):
            return UNDEFINED
        scale = 1 if record["measure"] == "markers_per_100" else 100
        return f"{scale * value:+.1f}"


class IntervalColumn(tables.Column):
    def render(self, value, record):
        low, high = record["low"], record["high"]
        if undefined(low) or undefined(high):
            return record.get("reason") or UNDEFINED
        scale = 1 if record["measure"] == "markers_per_100" else 100
        return f"{scale * low:+.1f} to {scale * high:+.1f}"


class PValueColumn(tables.Column):
    def render(self, value):
        if undefined(value):
            return "—"
        return "< 0.001" if value < 0.001 else f"{value:.3f}"


class ComparisonTable(tables.Table):
    """One row per comparison of one measure; the CSV holds every measure in full precision."""

    comparison = tables.Column(empty_values=(), verbose_name="comparison", orderable=False)
    difference = SignedColumn(verbose_name="difference")
    interval = IntervalColumn(empty_values=(), verbose_name="95% interval", orderable=False)
    p_value = PValueColumn(verbose_name="p")
    p_adjusted = PValueColumn(verbose_name="p adjusted")
    n_documents_a = CountColumn(verbose_name="documents (first)")
    n_documents_b = CountColumn(verbose_name="documents (second)")
    status = tables.Column(verbose_name="status")

    class Meta:
        attrs = {"class": "table report", "id": "comparisons"}
        empty_text = "No outlets to compare yet."

    def render_comparison(self, record):
        other = "the rest" if record["outlet_b"] == "rest" else record["outlet_b"]
        return f"{record['outlet_a']} vs {other}"


def comparison_table(rows):
    return ComparisonTable(rows, prefix="comparisons-")
