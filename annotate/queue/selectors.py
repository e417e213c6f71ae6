"""Reads for the annotation page: a passage in its context, and what blinding hides."""

import re
from urllib.parse import urlsplit

from django.db.models import Count, IntegerField, OuterRef, Subquery

from annotate.models import Annotation, Assignment
from corpus.models import Document, Passage

CONTEXT_PASSAGES = 8
REDACTED = "[outlet]"


def place(campaign, pk):
    """The campaign's place ``pk`` with its passage, document and outlet, or None.

    Also carries where the passage sits in its article (see article_position): the
    annotatable passages of the document up to this one (``passage_number``) and in all
    (``passage_total``), counted in the same query.
    """
    return (
        Assignment.objects.filter(campaign=campaign, pk=pk)
        .select_related("passage__document__source")
        .annotate(
            passage_number=_count_passages(position__lte=OuterRef("passage__position")),
            passage_total=_count_passages(),
        )
        .first()
    )


def _count_passages(**where):
    """A subquery: how many annotatable passages of the place's document match ``where``."""
    passages = (
        Passage.objects.filter(document_id=OuterRef("passage__document_id"), **where)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by()
        .values("document_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(passages, output_field=IntegerField())


UNITS = {Document.Segmentation.SENTENCE: "sentence", Document.Segmentation.PARAGRAPH: "paragraph"}


def article_position(assignment):
    """ "sentence 4 of 23" (or "paragraph …"): where the place's passage sits among the
    passages of its article the queue hands out; None when that cannot be said (a passage
    since marked boilerplate). Reviewers jump between articles in an interleaved queue."""
    number = getattr(assignment, "passage_number", None)
    total = getattr(assignment, "passage_total", None)
    if not number or not total or assignment.passage.kind == Passage.Kind.BOILERPLATE:
        return None
    unit = UNITS.get(assignment.passage.document.segmentation, "passage")
    return f"{unit} {number} of {total}"


def annotation_of(assignment):
    """The annotation saved on a place, or None."""
    return Annotation.objects.filter(assignment=assignment).order_by("pk").first()


def neighbours(campaign, reviewer, assignment):
    """(previous, following): ids of the reviewer's done places before and after this one in
    reading order, for the page's back and forward links; None at either end."""
    mine = Assignment.objects.for_reviewer(reviewer).done().filter(campaign=campaign)
    previous = (
        mine.filter(sequence__lt=assignment.sequence)
        .order_by("-sequence")
        .values_list("pk", flat=True)
        .first()
    )
    following = (
        mine.filter(sequence__gt=assignment.sequence)
        .order_by("sequence")
        .values_list("pk", flat=True)
        .first()
    )
    return previous, following


def campaign_annotations(campaign):
    """Every annotation of the campaign with its passage, document and reviewer."""
    return Annotation.objects.filter(assignment__campaign=campaign).select_related(
        "assignment__passage__document", "assignment__reviewer"
    )


def context_passages(passage):
    """The passage and its neighbours in the document, for reading in context."""
    return list(
        Passage.objects.filter(
            document_id=passage.document_id,
            position__gte=passage.position - CONTEXT_PASSAGES,
            position__lte=passage.position + CONTEXT_PASSAGES,
        ).only("id", "position", "text", "kind", "document_id")
    )


def redact_outlet(text, source, document=None):
    """Hide what identifies the outlet in text shown to blinded reviewers.

    Always the outlet's name, domain and homepage host; with `document`, also
    its byline (each author: "By A and B" masks A and B) and URL.
    """
    pattern = _outlet_pattern(source, document)
    return pattern.sub(REDACTED, text) if pattern else text


def outlet_regions(text, source, document=None):
    """(start, end) of each stretch of `text` that redact_outlet would hide."""
    pattern = _outlet_pattern(source, document)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def _outlet_pattern(source, document=None):
    terms = [source.name, source.domain, _host(source.homepage)]
    if document is not None:
        terms += [document.url, _host(document.url), *_byline_names(document.byline)]
    terms = sorted({t.strip() for t in terms if t and len(t.strip()) > 2}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def _host(url):
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def _byline_names(byline):
    """The byline and each name in it, without a leading "By"."""
    parts = [byline or "", *re.split(r"\s*(?:,|;|&|\band\b)\s*", byline or "")]
    return [re.sub(r"^\s*by\s+", "", part, flags=re.IGNORECASE) for part in parts]
