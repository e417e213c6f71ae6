"""What a restored campaign must hold beyond its references: checked before the restore commits.

A backup file is JSON lines that anyone can edit. The restore already refuses rows that break
a reference or a database rule; these checks refuse content the app itself would never write,
so an edited file cannot put it in behind the pages' back:

- every annotation's and every curator decision's label is a passage type of the campaign's
  scheme, its markers are bias markers of the scheme and its cited-source type is a known one;
- every annotation sits on a place that is done and held by a reviewer (the queue marks a
  place done when its first annotation is saved).

Each problem is named with the row's id; the restore then writes nothing.
"""

from annotate.models import Adjudication, Annotation, Assignment, CitedSourceType

MAX_LISTED = 20


class ContentError(Exception):
    """The restored rows hold what the app would never write; the message lists them."""


def check_campaign(campaign):
    """Raise ContentError listing what is wrong with the restored campaign's content."""
    scheme = campaign.scheme
    labels = set(scheme.labels.values_list("value", flat=True))
    markers = set(scheme.markers.values_list("value", flat=True))
    cited_types = set(CitedSourceType.values)
    problems = []
    answers = (
        (
            "annotation",
            Annotation.objects.filter(assignment__campaign=campaign).values_list(
                "pk", "label", "markers", "cited_type"
            ),
        ),
        (
            "decision",
            Adjudication.objects.filter(campaign=campaign).values_list(
                "pk", "label", "markers", "cited_type"
            ),
        ),
    )
    for name, rows in answers:
        for pk, label, ticked, cited_type in rows.iterator(chunk_size=5000):
            if label not in labels:
                problems.append(f"{name} {pk}: “{label}” is not a passage type of the scheme")
            stray = set(ticked or []) - markers
            if stray:
                problems.append(
                    f"{name} {pk}: not bias markers of the scheme: {', '.join(sorted(stray))}"
                )
            if cited_type not in cited_types:
                problems.append(f"{name} {pk}: “{cited_type}” is not a type of cited source")
    open_places = (
        Annotation.objects.filter(assignment__campaign=campaign)
        .exclude(assignment__status=Assignment.Status.DONE)
        .values_list("pk", "assignment_id", "assignment__status")
    )
    for pk, place, status in open_places.iterator(chunk_size=5000):
        problems.append(f"annotation {pk}: its place {place} is {status}, not done")
    if problems:
        listed = "; ".join(problems[:MAX_LISTED])
        more = len(problems) - MAX_LISTED
        raise ContentError(listed + (f"; and {more} more" if more > 0 else ""))
