"""Reliability reports of a campaign as DataFrames: per outlet, per document, per reviewer.

The database is read through annotate.frames (a fixed number of queries, whatever the
campaign's size); the figures come from the pure annotate.reports.reliability (final
labels, shares, Wilson intervals) and annotate.agreement (Krippendorff's alpha). The
pages (annotate.reports.views), the CSV downloads and the export_report command all
take their numbers from here, and the annotation export (annotate.reports.exports)
carries every input, so each figure can be recomputed from it.

Other features add per-outlet columns through OUTLET_EXTENSIONS (see ReportColumns).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

from annotate import frames
from annotate.agreement import grouped_agreement, grouped_alpha_interval
from annotate.claims.selectors import outlet_claim_columns
from annotate.display import display_name
from annotate.models import Assignment
from annotate.reports.anonymise import scrubber
from annotate.reports.clustered import document_counts
from annotate.reports.comparisons import MIN_DOCUMENTS, compare_outlets
from annotate.reports.dawid_skene import DawidSkeneResult
from annotate.reports.finals import final_labels
from annotate.reports.outlet_figures import (
    confusion_names,
    model_fit,
    reviewer_model_columns,
    sensitivity_columns,
    sensitivity_names,
)
from annotate.reports.reliability import (
    MIN_DOCUMENTS_FOR_RATING,
    RATED_DOCUMENT_SHARE,
    REVIEWER_COLUMNS,
    TIME_CAP_SECONDS,
    group_report,
    report_columns,
    reviewer_report,
)

N_BOOT = 1000
PSEUDONYM_SALT = "credence.reports.pseudonym"


@dataclass(frozen=True)
class ReportColumns:
    """Extra per-outlet columns contributed by another feature.

    ``columns``: {column name: one-line explanation}, in the order they are appended;
    ``compute(campaign, data)``: a DataFrame with an ``outlet`` column (outlet name) and
    those columns, one row per outlet (outlets it leaves out get empty cells).
    """

    columns: dict[str, str]
    compute: Callable[[object, ReportData], pd.DataFrame]


def _claim_columns(campaign, data):
    return outlet_claim_columns(
        campaign, sorted(set(data.passages["outlet"].dropna()))
    ).reset_index()


CLAIM_COLUMNS = ReportColumns(
    {
        "claims_covered": "Cross-outlet claims (Claims page) this outlet reports.",
        "claims_diverging": "Of those, claims where its figure diverges from the other outlets' or the primary source.",
        "claims_unattributed": "Claims where it gives a figure without saying who it comes from.",
    },
    _claim_columns,
)

# The features that add per-outlet columns, in column order.
OUTLET_EXTENSIONS: list[ReportColumns] = [CLAIM_COLUMNS]


@dataclass
class ReportData:
    """Everything the three reports are computed from, loaded once per request."""

    labels: list[str]
    label_names: dict[str, str]  # passage-type value: display name
    passages: pd.DataFrame  # item, document, outlet, sequence: every passage with reviewer places
    annotations: pd.DataFrame  # frames.annotation_frame
    adjudications: pd.DataFrame  # frames.adjudication_frame
    finals: pd.DataFrame  # finals.final_labels
    _model: DawidSkeneResult | None = None

    @property
    def model(self) -> DawidSkeneResult:
        """The Dawid-Skene fit of the passage types (outlet_figures.model_fit), made once."""
        if self._model is None:
            self._model = model_fit(self.annotations, self.finals, self.labels)
        return self._model


def load(campaign, seconds: bool = False) -> ReportData:
    """Read the campaign (seven queries) and work out every passage's final label.

    Annotators are user ids here (names are looked up where a report shows them);
    ``seconds`` adds how long each place was held before its first save."""
    passages = frames.passage_frame(campaign)
    annotations, passages = frames.annotation_rows(campaign, passages, seconds)
    adjudications = frames.adjudication_frame(campaign)
    labels, _, names = frames.scheme_parts(campaign.scheme, names=True)
    finals = final_labels(
        annotations, adjudications, campaign.overlap, campaign.auto_accept_unanimous
    )
    return ReportData(labels, names, passages, annotations, adjudications, finals)


def _alpha_frame(annotations):
    return annotations[["item", "annotator", "label", "document", "outlet"]]


def outlet_columns(labels) -> list[str]:
    """The per-outlet report's columns: group_report's, the sensitivity readings
    (outlet_figures), then extension columns."""
    return (
        report_columns(labels, "outlet")
        + sensitivity_names(labels)
        + [c for ext in OUTLET_EXTENSIONS for c in ext.columns]
    )


def outlet_report_frame(
    campaign, data: ReportData | None = None, n_boot: int = N_BOOT, seed: int = 0
):
    """One row per outlet (columns: outlet_columns); see reliability.group_report.

    alpha is Krippendorff's nominal alpha on passage type over the outlet's passages, with
    a 95% interval from n_boot document-resampled replicates (annotate.agreement).
    """
    data = data or load(campaign)
    alpha = grouped_alpha_interval(_alpha_frame(data.annotations), "outlet", n_boot, seed)
    report = group_report(
        data.passages, data.annotations, data.finals, data.labels, alpha, "outlet"
    )
    if len(report):
        extra = sensitivity_columns(
            data.passages, data.annotations, data.finals, data.labels, data.model
        )
        report = report.merge(extra, on="outlet", how="left")
    report = report.reindex(
        columns=report_columns(data.labels, "outlet") + sensitivity_names(data.labels)
    )
    for extension in OUTLET_EXTENSIONS:
        extra = extension.compute(campaign, data)
        report = report.merge(extra[["outlet", *extension.columns]], on="outlet", how="left")
    return report


MIN_COMPARISON_DOCUMENTS = MIN_DOCUMENTS


def comparison_measures(labels, names) -> dict[str, str]:
    """{measure: what a reader calls it} for the compared figures, in page order."""
    shares = {f"share_{v}": f"{display_name(v, names)} share" for v in labels}
    return shares | {"markers_per_100": "Bias markers per 100 passages"}


def comparison_frame(campaign, data: ReportData | None = None, seed: int = 0):
    """Every pair of outlets and each outlet against the rest, per passage-type share and
    markers per 100 (comparisons.compare_outlets; columns comparisons.COLUMNS)."""
    data = data or load(campaign)
    documents = document_counts(data.passages, data.finals, data.labels)
    return compare_outlets(documents, data.labels, seed=seed)


DOCUMENT_HEAD = ["document", "title", "outlet"]


def document_columns(labels) -> list[str]:
    return DOCUMENT_HEAD + report_columns(labels, "document")[1:]


def document_report_frame(campaign, data: ReportData | None = None):
    """One row per document in the campaign's reading order: the per-outlet columns that make
    sense for one article. alpha has no interval: one document cannot be resampled by document.
    """
    data = data or load(campaign)
    alphas = grouped_agreement(_alpha_frame(data.annotations), "document").rename(
        columns={"group": "document"}
    )
    report = group_report(
        data.passages,
        data.annotations,
        data.finals,
        data.labels,
        alphas[["document", "alpha", "alpha_note"]],
        "document",
    )
    if report.empty:
        return pd.DataFrame(columns=document_columns(data.labels))
    first = data.passages.groupby("document")["sequence"].min()
    outlet = data.passages.drop_duplicates("document").set_index("document")["outlet"]
    report.insert(1, "title", report["document"].map(frames.document_titles(campaign)))
    report.insert(2, "outlet", report["document"].map(outlet).astype(object))
    order = np.lexsort((report["document"].to_numpy(), report["document"].map(first).to_numpy()))
    return report.iloc[order].reset_index(drop=True)[document_columns(data.labels)]


def pseudonym(user_id) -> str:
    """A stable stand-in for a user in anonymised exports: an HMAC of the user id keyed with
    SECRET_KEY, the same in every export and campaign, not reversible without the key."""
    return "anon-" + salted_hmac(PSEUDONYM_SALT, str(user_id)).hexdigest()[:12]


def name_scrubber():
    """anonymise.scrubber for every user: user name, full name and e-mail address, each
    replaced by the user's pseudonym. One query."""
    users = get_user_model().objects.values_list(
        "pk", "username", "first_name", "last_name", "email"
    )
    return scrubber(
        (pseudonym(pk), (username, f"{first} {last}", email))
        for pk, username, first, last, email in users
    )


def reviewer_report_frame(campaign, data: ReportData | None = None, anonymise: bool = False):
    """One row per reviewer (reliability.reviewer_report), by user name or pseudonym."""
    if data is None or "seconds" not in data.annotations:
        data = load(campaign, seconds=True)
    ids = np.unique(data.annotations["annotator"].to_numpy())
    if anonymise:
        names = {i: pseudonym(i) for i in ids}
    else:
        names = dict(
            get_user_model()
            .objects.filter(
                pk__in=Assignment.objects.filter(campaign=campaign).values("reviewer_id")
            )
            .values_list("pk", "username")
        )
    ann = data.annotations[["item", "annotator", "label", "seconds"]].assign(
        annotator=data.annotations["annotator"].map(names).astype(object)
    )
    report = reviewer_report(ann, data.finals)[REVIEWER_COLUMNS]
    model = reviewer_model_columns(data.model, data.labels)
    model["annotator"] = model["annotator"].map(names).astype(object)
    report = report.merge(
        model.rename(columns={"annotator": "reviewer"}), on="reviewer", how="left"
    )
    return report[reviewer_columns(data.labels)]


def reviewer_columns(labels) -> list[str]:
    """The reviewer report's columns: work and agreement with the final label, then the
    Dawid-Skene estimates (model_accuracy and the confusion matrix)."""
    return [*REVIEWER_COLUMNS, "model_accuracy", *confusion_names(labels)]


# One line per column, shown under each table and in the README.
EXPLAIN = {
    "outlet": "The outlet (news source).",
    "document": "Document id.",
    "title": "The document's title.",
    "documents": "Documents of the outlet in the campaign.",
    "documents_resolved": "Documents with at least one passage that has a final label.",
    "documents_rated": f"Documents with at least {RATED_DOCUMENT_SHARE:.0%} of their passages "
    "resolved: only these count towards a rating.",
    "passages": "Passages with reviewer places (boilerplate is never labelled).",
    "reviewers": "Distinct reviewers who labelled them.",
    "annotations": "Annotations saved (one per reviewer and passage).",
    "unannotated": "Passages nobody has labelled yet.",
    "resolved": "Passages with a final label: adjudicated + unanimous.",
    "adjudicated": "Passages a curator decided: adjudicated_curator (a reasoned decision) + "
    "adjudicated_majority (the reviewers' majority accepted in bulk).",
    "adjudicated_curator": "Passages a curator decided with a rationale of their own.",
    "adjudicated_majority": "Passages settled by accepting the reviewers' majority in bulk "
    "(two or more reviewers agreeing, more than half of those who labelled it).",
    "unanimous": "Passages where all overlap reviewers gave one type and the campaign accepts unanimous labels.",
    "unresolved": "Passages without a final label (reviewers disagree, too few have labelled it, or "
    "auto-accept is off and no curator has decided): counted, never guessed.",
    "final_<type>": "Resolved passages whose final label is that passage type.",
    "share_<type>": "final_<type> / resolved, with its Wilson 95% interval (share_<type>_low, _high).",
    "claims": "Resolved passages whose final label is an attributed claim.",
    "anonymous_claims": "Of those, claims whose final cited source type is anonymous.",
    "anonymous_claim_share": "anonymous_claims / claims, with its Wilson 95% interval (_low, _high).",
    "final_markers": "Bias markers on final labels (chosen by the curator, or ticked by more than half "
    "of the reviewers of a unanimous passage).",
    "markers_per_100": "100 × final_markers / resolved.",
    "alpha": "Krippendorff's alpha (nominal) on passage type over these passages' annotations: 1 is "
    "perfect agreement, 0 chance.",
    "alpha_low": "95% interval of alpha (alpha_low, alpha_high): percentiles of 1,000 bootstrap "
    "replicates resampling whole documents (passages, for an outlet with one document), seed 0.",
    "alpha_note": "Why alpha or its interval is undefined, or that the interval resamples passages.",
    "adjudicated_share": "adjudicated / passages.",
    "unresolved_share": "unresolved / passages.",
    "confidence": f"“rating” from {MIN_DOCUMENTS_FOR_RATING} rated documents up (documents_rated); "
    "below that an initial reading, not a rating of the outlet (Ad Fontes Media and Media "
    "Bias/Fact Check rate outlets on samples of about that many articles).",
    "share_<type>_doc_low": "95% interval of the share with documents as clusters (_doc_low, "
    "_doc_high; _doc_note says why it is undefined): Wilson on Kish's design-effect sample "
    "size, because passages of one article are not independent.",
    "anonymous_claim_share_doc_low": "The same interval for anonymous_claim_share.",
    "markers_per_100_doc_low": "95% interval of markers_per_100 with documents as clusters "
    "(cluster-robust t interval).",
    "share_<type>_if_unresolved_low": "Where the share would land if every unresolved "
    "passage went to another type (_low) or to this one (_high): worst-case bounds.",
    "anonymous_claim_share_if_unresolved_low": "The same bounds for anonymous_claim_share.",
    "share_<type>_model": "The type's share among annotated passages under the Dawid-Skene "
    "model, which weighs reviewers by their estimated accuracy: a sensitivity check.",
    "model_accuracy": "The reviewer's accuracy estimated by the Dawid-Skene model "
    "(sum over types of the type's share times the chance of answering it right).",
    "p_<given>_when_<true>": "The reviewer's estimated confusion matrix: the chance they answer "
    "<given> on a passage whose type is <true> (Dawid-Skene).",
    "reviewer": "User name, or a stable pseudonym (anon-…) in anonymised exports.",
    "on_resolved": "The reviewer's annotations on passages that have a final label.",
    "agrees_with_final": "Of those, annotations whose passage type equals the final label.",
    "agreement_with_final": "agrees_with_final / on_resolved, with its Wilson 95% interval (_low, _high).",
    "timed": "Annotations with a known claim time (imported ones have none).",
    "time_spent_s": f"Whole seconds from claiming each passage to first saving it, each capped at "
    f"{TIME_CAP_SECONDS // 60} minutes so an abandoned tab does not count, summed.",
    "median_s": "Median of those capped seconds (the lower one of the middle two for an even "
    "count, so it is a whole second).",
}


def explain(columns, labels, extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(column as named in the CSV, one-line explanation) for a report's columns; the
    per-type columns share a line and interval bounds are explained with their figure."""
    extra = extra or {}
    per_type = {}
    for v in labels:
        per_type |= {
            f"final_{v}": "final_<type>",
            f"share_{v}": "share_<type>",
            f"share_{v}_doc_low": "share_<type>_doc_low",
            f"share_{v}_if_unresolved_low": "share_<type>_if_unresolved_low",
            f"share_{v}_model": "share_<type>_model",
        }
        per_type |= {f"p_{g}_when_{v}": "p_<given>_when_<true>" for g in labels}
    lines, seen = [], set()
    for column in columns:
        if column.endswith(("_high", "_note")) or (
            column.endswith("_low")
            and column != "alpha_low"
            and not column.endswith(("_doc_low", "_if_unresolved_low"))
        ):
            continue
        key = per_type.get(column, column)
        if key not in seen:
            seen.add(key)
            lines.append((key, extra.get(key) or EXPLAIN.get(key, "")))
    return lines


def outlet_explain(labels):
    extra = {c: text for ext in OUTLET_EXTENSIONS for c, text in ext.columns.items()}
    return explain(outlet_columns(labels), labels, extra)


def summary(report: pd.DataFrame) -> dict:
    """Campaign totals over an outlet or document report (for the page's header line)."""
    keys = [
        "passages",
        "annotations",
        "resolved",
        "adjudicated",
        "unanimous",
        "unresolved",
        "unannotated",
    ]
    return {k: int(report[k].sum()) if len(report) else 0 for k in keys}
