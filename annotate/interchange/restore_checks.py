"""What a restored campaign must hold beyond its references: checked before the restore commits.

A backup file is JSON lines that anyone can edit. The restore already refuses rows that break
a reference or a database rule; these checks refuse content the app itself would never write,
so an edited file cannot put it in behind the pages' back:

- every annotation's and every curator decision's label is a passage type of the campaign's
  scheme, its markers are bias markers of the scheme and its cited-source type is a known one;
- every annotation sits on a place that is done and held by a reviewer (the queue marks a
  place done when its first annotation is saved).
- every evidence span of an annotation or decision is one the app would store
  (annotate.spans.layers.clean_spans): inside its passage, its text the passage's text at
  its offsets, a label of its layer (a cited-source type, or a bias marker of the scheme),
  not marked twice, trimmed, with exactly the keys layer, label, start, end and text. The
  restored passages have new ids but the same text and document offsets, so spans are
  checked against the passage's text and start.

Each problem is named with the row's id; the restore then writes nothing.
"""

from annotate.models import Adjudication, Annotation, Assignment, CitedSourceType
from annotate.spans.layers import LOADED, SOURCE, SpanError, clean_spans
from annotate.spans.selectors import span_labels

MAX_LISTED = 20
SPAN_KEYS = frozenset({"layer", "label", "start", "end", "text"})


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
    problems.extend(span_problems(campaign))
    if problems:
        listed = "; ".join(problems[:MAX_LISTED])
        more = len(problems) - MAX_LISTED
        raise ContentError(listed + (f"; and {more} more" if more > 0 else ""))


def _labels(scheme):
    """span_labels, also for a scheme whose spans were switched off after some were marked
    (the spans are still the app's own)."""
    labels = span_labels(scheme)
    if labels:
        return labels
    return {
        SOURCE: {value: name for value, name in CitedSourceType.choices if value},
        LOADED: dict(scheme.markers.values_list("value", "name")),
    }


def _span_problem(raw, text, start, labels):
    """Why the stored spans ``raw`` of a passage (text, start) are not what the app would
    store, or None."""
    if not isinstance(raw, list):
        return "spans must be a list"
    for span in raw:
        if not isinstance(span, dict) or set(span) != SPAN_KEYS:
            return "each span needs exactly a layer, a label, a start, an end and its text"
        if not all(isinstance(span[k], str) for k in ("layer", "label", "text")):
            return "a span's layer, label and text must be text"
    try:
        cleaned = clean_spans(raw, passage_text=text, passage_start=start, labels=labels)
    except SpanError as exc:
        return str(exc)

    def key(span):
        return (span["layer"], span["label"], span["start"], span["end"], span["text"])

    if sorted(map(key, cleaned)) != sorted(map(key, raw)):
        return "a span has white space at its ends; the app stores spans trimmed"
    return None


def span_problems(campaign) -> list[str]:
    """The annotations and decisions of the campaign whose spans break the rules, one line
    each (two queries plus the scheme's labels; only rows with spans are read)."""
    labels = _labels(campaign.scheme)
    problems = []
    rows = (
        (
            "annotation",
            Annotation.objects.filter(assignment__campaign=campaign)
            .exclude(spans=[])
            .order_by("pk")
            .values_list("pk", "spans", "assignment__passage__text", "assignment__passage__start"),
        ),
        (
            "decision",
            Adjudication.objects.filter(campaign=campaign)
            .exclude(spans=[])
            .order_by("pk")
            .values_list("pk", "spans", "passage__text", "passage__start"),
        ),
    )
    for name, found in rows:
        for pk, raw, text, start in found.iterator(chunk_size=2000):
            problem = _span_problem(raw, text, start, labels)
            if problem:
                problems.append(f"{name} {pk}: {problem}")
    return problems
