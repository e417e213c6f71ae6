"""Reads for the curator's adjudication pages; a fixed number of queries per page."""

from django.db.models import Count, Min, Q

from annotate.adjudication.consensus import CITED_TYPE, MARKERS, PASSAGE_TYPE
from annotate.models import Adjudication, Annotation
from corpus.models import Passage

PASSAGE = "assignment__passage_id"


def disputed(campaign):
    """Passages that wait for a curator, one row per passage in reading order.

    A passage waits when at least two reviewers labelled it and they differ on
    the passage type, the cited-source type or the bias markers (compared as
    the sorted lists the services store), and no curator has decided it yet.
    With the campaign's auto-accept off, passages every one of its `overlap`
    reviewers agree on wait too: then nothing is final without a curator.
    Rows are dicts: passage id, its place, document, outlet, text, how many
    annotations and how many distinct answers per dimension.
    """
    waiting = Q(labels__gt=1) | Q(types__gt=1) | Q(marks__gt=1)
    if not campaign.auto_accept_unanimous:
        waiting |= Q(n__gte=campaign.overlap)
    return (
        Annotation.objects.filter(assignment__campaign=campaign)
        .exclude(assignment__passage__adjudications__campaign=campaign)
        .values(
            PASSAGE,
            "assignment__passage__position",
            "assignment__passage__text",
            "assignment__passage__document_id",
            "assignment__passage__document__title",
            "assignment__passage__document__source__name",
        )
        .annotate(
            n=Count("id"),
            labels=Count("label", distinct=True),
            types=Count("cited_type", distinct=True),
            marks=Count("markers", distinct=True),
            first=Min("assignment__sequence"),
        )
        .filter(n__gte=2)
        .filter(waiting)
        .order_by("first")
    )


def disagreements(row):
    """The dimensions a `disputed` row disagrees on, for display."""
    names = [(PASSAGE_TYPE, "labels"), (CITED_TYPE, "types"), (MARKERS, "marks")]
    return [name for name, key in names if row[key] > 1]


def decided(campaign):
    """The campaign's decisions, newest first, with what the pages show of each."""
    return (
        Adjudication.objects.filter(campaign=campaign)
        .select_related("passage__document__source", "decided_by")
        .order_by("-decided_at", "-id")
    )


def next_disputed(campaign, after_sequence):
    """The first waiting passage after a place in reading order, else the first one; or None."""
    rows = disputed(campaign)
    row = rows.filter(first__gt=after_sequence).first() or rows.first()
    return row[PASSAGE] if row else None


def passage_in_campaign(campaign, passage_id):
    """The passage with its document and outlet if the campaign has it, else None."""
    return (
        Passage.objects.filter(pk=passage_id, assignments__campaign=campaign)
        .select_related("document__source")
        .annotate(sequence=Min("assignments__sequence"))
        .first()
    )


def reviewer_answers(campaign, passage):
    """Every annotation of the passage in this campaign, with its reviewer, in slot order."""
    return list(
        Annotation.objects.filter(assignment__campaign=campaign, assignment__passage=passage)
        .select_related("assignment__reviewer")
        .order_by("assignment__slot")
    )


def decision_for(campaign, passage):
    """The current decision with its history (oldest change first), or None."""
    return (
        Adjudication.objects.filter(campaign=campaign, passage=passage)
        .select_related("decided_by")
        .prefetch_related("revisions__changed_by")
        .first()
    )
