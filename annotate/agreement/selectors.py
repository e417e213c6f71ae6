"""Reads for the agreement dashboard, its CSVs and the ``agreement`` command.

Span agreement and agreement per guidelines version have their own reads: span_selectors.
"""

from annotate import frames
from annotate.agreement import campaign_agreement
from annotate.reports.finals import final_labels
from annotate.reports.reliability import reviewer_report

# The dashboard's tables, in page order: {name (also the CSV's name): title}.
TABLES = {
    "overall": "Agreement by dimension",
    "outlets": "Per outlet (passage type)",
    "documents": "Per document (passage type)",
    "labels": "Per label (each label against the rest)",
    "reviewers": "Per reviewer, against the others",
    "pairs": "Pairwise Cohen's kappa",
    "coincidences": "Coincidence matrix (passage type)",
}


class AgreementTables(dict):
    """The dashboard's tables by name, with the scheme's passage-type display names."""

    label_names: dict[str, str] = {}


def agreement_tables(campaign, n_boot=1000, seed=0):
    """The agreement dashboard's tables for a campaign (see annotate.agreement.dashboard).

    The reviewers table also gets agreement_with_final: the share of a reviewer's
    annotations on resolved passages that equal the final label (annotate.reports.reliability).
    """
    frame = frames.annotation_frame(campaign)
    scheme_labels, markers, names = frames.scheme_parts(campaign.scheme, names=True)
    dims = frames.dimension_frames(frame, markers)
    labels = frames.dimension_labels(scheme_labels, dims)
    tables = AgreementTables(campaign_agreement(dims, labels, n_boot, seed))
    tables.label_names = names
    tables["documents"].insert(
        1, "title", tables["documents"]["document"].map(frames.document_titles(campaign))
    )
    finals = final_labels(
        frame,
        frames.adjudication_frame(campaign),
        campaign.overlap,
        campaign.auto_accept_unanimous,
    )
    reviewers = tables["reviewers"]
    reviewers["agreement_with_final"] = (
        reviewers["annotator"].map(agreement_with_final(frame, finals)).astype(float)
    )
    return tables


def agreement_with_final(frame, finals):
    """{reviewer: share of their annotations on resolved passages equal to the final label}."""
    report = reviewer_report(frame[["item", "annotator", "label"]], finals)
    return dict(zip(report["reviewer"], report["agreement_with_final"], strict=True))
