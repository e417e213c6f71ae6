"""Reads for a member's own work and for the record of changes: the annotations a user
made in a campaign, an annotation's revisions, and the campaign's guidelines versions.

Each read is a fixed number of queries, whatever the number of annotations or revisions.
"""

from django.db.models import Case, IntegerField, Value, When

from annotate.history import readable
from annotate.models import Annotation, AnnotationRevision, Campaign, CitedSourceType, Confidence
from annotate.spans import layers

CONFIDENCE_ORDER = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def my_annotations(campaign, user):
    """The user's annotations in the campaign, with passage, document and outlet (for
    blinding), and ``confidence_rank`` (low 0, medium 1, high 2) for sorting."""
    return (
        Annotation.objects.filter(assignment__campaign=campaign, assignment__reviewer=user)
        .select_related("assignment__passage__document__source")
        .annotate(
            confidence_rank=Case(
                *(
                    When(confidence=value, then=Value(rank))
                    for value, rank in CONFIDENCE_ORDER.items()
                ),
                default=Value(len(CONFIDENCE_ORDER)),
                output_field=IntegerField(),
            )
        )
    )


def my_annotation(campaign, user, annotation_id):
    """The user's annotation ``annotation_id`` in the campaign, or None (someone else's,
    another campaign's, or none at all)."""
    return (
        Annotation.objects.filter(
            pk=annotation_id, assignment__campaign=campaign, assignment__reviewer=user
        )
        .select_related("assignment__passage__document__source")
        .first()
    )


def revisions(annotation):
    """The annotation's revisions, oldest first, with who made each. One query."""
    return list(
        AnnotationRevision.objects.filter(annotation=annotation)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    )


def names(scheme):
    """Display names by code for annotate.history.readable: the scheme's passage types and
    bias markers (two queries), cited-source types, confidence levels and span layers."""
    return {
        readable.LABELS: dict(scheme.labels.values_list("value", "name")),
        readable.MARKERS: dict(scheme.markers.values_list("value", "name")),
        readable.SOURCE_TYPES: dict(CitedSourceType.choices),
        readable.CONFIDENCE: dict(Confidence.choices),
        readable.LAYERS: dict(layers.LAYERS),
    }


def guidelines_versions(campaign):
    """One dict per guidelines version the campaign's history holds, newest first:
    ``version``, ``changed_at`` (when it was first saved), ``changed_by`` (username, or
    None) and ``records`` (how many history rows it spans). One query, without the texts.

    django-simple-history keeps a row per save of the campaign; every row with a
    version carries that version's text. A campaign whose history is empty (made before
    history was kept) still has its current version, dated from its creation.
    """
    rows = (
        Campaign.history.filter(id=campaign.pk)
        .order_by("history_date", "history_id")
        .values_list("guidelines_version", "history_date", "history_user__username")
    )
    versions = {}
    for version, date, username in rows:
        if version not in versions:
            versions[version] = {
                "version": version,
                "changed_at": date,
                "changed_by": username,
                "records": 0,
            }
        versions[version]["records"] += 1
    if campaign.guidelines_version not in versions:
        versions[campaign.guidelines_version] = {
            "version": campaign.guidelines_version,
            "changed_at": campaign.created_at,
            "changed_by": None,
            "records": 0,
        }
    return sorted(versions.values(), key=lambda v: v["version"], reverse=True)


def guidelines_text(campaign, version):
    """The guidelines text of ``version`` (its last saved wording), or None when the
    campaign never had that version. The current version is the campaign's own text."""
    if version == campaign.guidelines_version:
        return campaign.guidelines
    return (
        Campaign.history.filter(id=campaign.pk, guidelines_version=version)
        .order_by("-history_date", "-history_id")
        .values_list("guidelines", flat=True)
        .first()
    )
