"""Tables of the reliability report pages (django-tables2).

Rows are the report DataFrames' records (annotate.reports.selectors). Columns sit under group
headings (sample, final labels, shares, agreement, claims; ``_grouped_table.html``) so that a
table fits a laptop screen; the per-outlet report is three tables for that reason. Cells are
drawn by annotate.reports.columns: figures rounded for reading (the CSVs keep full
precision), passage types by their display names, an undefined figure as "undefined" with its
reason, never "nan". A header's tooltip names the CSV column it comes from.
"""

import django_tables2 as tables
from django.urls import reverse

from annotate.display import display_name
from annotate.reports.columns import (
    AgreementColumn,
    AlphaColumn,
    ConfidenceColumn,
    CountColumn,
    DifferenceColumn,
    DocumentColumn,
    DurationColumn,
    IntervalColumn,
    NamesColumn,
    PerThousandColumn,
    ProbabilityColumn,
    PValueColumn,
    RateColumn,
    ShareColumn,
    StatusColumn,
)
from annotate.reports.exports import KINDS
from annotate.reports.selectors import EXPLAIN

PER_PAGE = 50
GROUPED = "annotate/reports/_grouped_table.html"


def _attrs(kind, start, note):
    th = {"class": f"{kind} start" if start else kind}
    if note:
        th["title"] = note
    return {"th": th, "td": {"class": th["class"]}}


def _columns(spec):
    """spec: [(heading, [(name, column class, header, options), ...]), ...] -> (columns,
    {name: heading}). The first column under a heading gets the class "start" (a rule to its
    left); numbers get "count" or "figure" (right-aligned) and the header's tooltip says which
    CSV column the figure comes from."""
    columns, groups = [], {}
    for heading, members in spec:
        for i, (name, column_class, header, options) in enumerate(members):
            options = dict(options)
            key = options.pop("explain", name)
            csv = options.pop("csv", name)
            kind = " ".join(
                filter(None, [getattr(column_class, "kind", "text"), options.pop("css", "")])
            )
            note = f"{EXPLAIN[key]} (CSV: {csv})" if key in EXPLAIN else f"CSV: {csv}"
            attrs = _attrs(kind, bool(heading) and i == 0, note)
            columns.append((name, column_class(verbose_name=header, attrs=attrs, **options)))
            groups[name] = heading
    return columns, groups


class GroupedTable(tables.Table):
    """A table whose columns sit under headings: ``groups`` maps a column to its heading;
    neighbouring columns with one heading share one cell of the heading row."""

    class Meta:
        attrs = {"class": "table report"}
        template_name = GROUPED
        empty_text = "No passages to report on yet."

    def __init__(self, data, spec, **kwargs):
        columns, self.groups = _columns(spec)
        super().__init__(data, extra_columns=columns, sequence=[n for n, _ in columns], **kwargs)

    def heading_row(self):
        spans = []
        for column in self.columns:
            heading = self.groups.get(column.name, "")
            if spans and spans[-1]["heading"] == heading:
                spans[-1]["span"] += 1
            else:
                spans.append({"heading": heading, "span": 1})
        return spans


def _counts(*names):
    return [(name, CountColumn, header, options) for name, header, options in names]


SAMPLE = (
    "Sample",
    _counts(
        ("passages", "passages", {}),
        ("reviewers", "reviewers", {}),
        ("annotations", "annotations", {}),
    ),
)
FINAL = (
    "Final labels",
    _counts(
        ("resolved", "resolved", {"of": "passages"}),
        ("adjudicated_curator", "by curator", {}),
        ("adjudicated_majority", "by majority", {}),
        ("unanimous", "unanimous", {}),
        ("unresolved", "unresolved", {"of": "passages"}),
    ),
)
CLAIM_HEADERS = {
    "claims_covered": "covered",
    "claims_diverging": "diverging",
    "claims_unattributed": "unattributed",
}


def _shares(labels, names, clustered):
    types = [
        (
            f"share_{v}",
            ShareColumn,
            display_name(v, names),
            {
                "stem": f"share_{v}",
                "part": f"final_{v}",
                "whole": "resolved",
                "clustered": clustered,
                "explain": "share_<type>",
            },
        )
        for v in labels
    ]
    anonymous = (
        "anonymous_claim_share",
        ShareColumn,
        "anonymous source",
        {
            "stem": "anonymous_claim_share",
            "part": "anonymous_claims",
            "whole": "claims",
            "clustered": clustered,
            "empty": "no attributed claim",
        },
    )
    markers = ("markers_per_100", RateColumn, "per 100 passages", {"clustered": clustered})
    return [
        ("Shares of resolved passages", types),
        ("Attributed claims", [anonymous]),
        ("Bias markers", [markers]),
    ]


def outlet_tables(report, labels, names, extra=()):
    """The per-outlet report as three tables, outlets in the same order, so that each fits a
    laptop screen: sample and final labels (prefix outlets-), shares and agreement (shares-),
    and the ``extra`` columns, the cross-outlet claims (claims-; None without extras)."""
    rows = report.to_dict("records")
    outlet = ("outlet", tables.Column, "outlet", {})
    head = ("", [outlet, ("confidence", ConfidenceColumn, "confidence", {})])
    sample = (
        "Sample",
        [
            ("documents", CountColumn, "documents", {}),
            ("documents_rated", CountColumn, "rated documents", {"of": "documents"}),
            *SAMPLE[1],
        ],
    )
    agreement = ("Agreement", [("alpha", AlphaColumn, "Krippendorff's alpha (95% interval)", {})])
    shares = [("", [outlet]), *_shares(labels, names, True), agreement]
    claims = [
        ("", [outlet]),
        ("Cross-outlet claims", [(n, CountColumn, CLAIM_HEADERS.get(n, n), {}) for n in extra]),
    ]
    return (
        GroupedTable(rows, [head, sample, FINAL], prefix="outlets-", attrs=_id("outlet-sample")),
        GroupedTable(rows, shares, prefix="shares-", attrs=_id("outlet-shares")),
        GroupedTable(rows, claims, prefix="claims-", attrs=_id("outlet-claims", "compact"))
        if extra
        else None,
    )


def loaded_terms_table(terms):
    """The most frequent loaded terms of each outlet (span_selectors.loaded_term_frame), one
    row per outlet and term, outlets in alphabetical order, each outlet's terms by rank."""
    spec = [
        (
            "",
            [
                ("outlet", tables.Column, "outlet", {}),
                ("rank", CountColumn, "rank", {}),
                ("term", tables.Column, "term", {}),
                ("label_names", NamesColumn, "marked as", {"csv": "labels, label_names"}),
            ],
        ),
        (
            "Frequency",
            [
                ("count", CountColumn, "passages", {}),
                ("per_1000_words", PerThousandColumn, "per 1,000 words", {}),
            ],
        ),
    ]
    return GroupedTable(
        terms.to_dict("records"),
        spec,
        prefix="terms-",
        attrs=_id("loaded-terms", "compact"),
        empty_text="No loaded words are marked yet.",
    )


def _id(name, *classes):
    return {"class": " ".join(["table", "report", *classes]), "id": name}


def document_table(report, labels, names):
    head = [("title", DocumentColumn, "title, outlet", {"order_by": ("outlet", "title")})]
    agreement = ("Agreement", [("alpha", AlphaColumn, "alpha", {})])
    spec = [("", head), SAMPLE, FINAL, *_shares(labels, names, False), agreement]
    return GroupedTable(report.to_dict("records"), spec, prefix="documents-")


def reviewer_table(report):
    spec = [
        ("", [("reviewer", tables.Column, "reviewer", {})]),
        (
            "Work",
            [
                ("annotations", CountColumn, "annotations", {}),
                ("timed", CountColumn, "timed", {}),
                ("time_spent_s", DurationColumn, "time spent", {}),
                ("median_s", DurationColumn, "median per passage", {}),
            ],
        ),
        (
            "Agreement with the final label",
            [
                ("on_resolved", CountColumn, "on resolved passages", {}),
                ("agreement_with_final", AgreementColumn, "agreement (Wilson 95%)", {}),
            ],
        ),
        ("Dawid-Skene model", [("model_accuracy", ProbabilityColumn, "accuracy", {})]),
    ]
    return GroupedTable(
        report.to_dict("records"), spec, prefix="reviewers-", empty_text="No annotations yet."
    )


def confusion_table(report, labels, names):
    """Each reviewer's estimated confusion matrix (Dawid-Skene): under "when the passage is
    <true type>", the chance they answer each type; the diagonal is a right answer."""
    spec = [("", [("reviewer", tables.Column, "reviewer", {})])]
    for true in labels:
        members = [
            (
                f"p_{given}_when_{true}",
                ProbabilityColumn,
                display_name(given, names),
                {"explain": "p_<given>_when_<true>", "css": "right" if given == true else ""},
            )
            for given in labels
        ]
        spec.append((f"When it is {display_name(true, names)}, answers", members))
    return GroupedTable(
        report.to_dict("records"), spec, prefix="confusion-", empty_text="No annotations yet."
    )


def download_links(campaign):
    """(label, url, anonymised url) for every export kind."""
    links = []
    for kind in KINDS:
        url = reverse("annotate:export", args=[campaign.slug, kind])
        links.append((kind, url, f"{url}?anonymise=1"))
    return links


CORRECTIONS = {"holm": "Holm", "benjamini-hochberg": "Benjamini–Hochberg"}


def correction_name(correction):
    """How a reader names a multiple-comparison correction ("Holm", not "holm")."""
    return CORRECTIONS.get(correction, correction)


def comparison_table(rows, correction="Holm"):
    """One row per comparison of one measure; the CSV holds every measure in full precision."""
    rows = [
        {
            **row,
            "comparison": f"{row['outlet_a']} vs "
            + ("the rest" if row["outlet_b"] == "rest" else row["outlet_b"]),
        }
        for row in rows
    ]
    fixed = {"orderable": False, "empty_values": ()}
    spec = [
        ("", [("comparison", tables.Column, "comparison", fixed | {"csv": "outlet_a, outlet_b"})]),
        (
            "Difference",
            [
                ("difference", DifferenceColumn, "first minus second", {}),
                ("interval", IntervalColumn, "95% interval", fixed | {"csv": "low, high"}),
            ],
        ),
        (
            "p-value",
            [
                ("p_value", PValueColumn, "p", {}),
                ("p_adjusted", PValueColumn, f"adjusted ({correction})", {}),
            ],
        ),
        (
            "Documents with final labels",
            [
                ("n_documents_a", CountColumn, "first", {}),
                ("n_documents_b", CountColumn, "second", {}),
            ],
        ),
        ("", [("status", StatusColumn, "status", {})]),
    ]
    return GroupedTable(
        rows,
        spec,
        prefix="comparisons-",
        attrs=_id("comparisons"),
        empty_text="No outlets to compare yet.",
    )
