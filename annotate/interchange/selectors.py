"""Reads for annotation interchange: a campaign's vocabulary, its passages' texts, and every
passage with its final and reviewers' answers for the exports (a fixed number of queries,
whatever the campaign's size)."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model

from annotate.interchange.formats import Answer, PassageRecord, Passages, Vocabulary
from annotate.models import Adjudication, Annotation, CitedSourceType
from annotate.reports.finals import UNRESOLVED, passage_final
from corpus.models import Passage


def vocabulary(campaign) -> Vocabulary:
    """The campaign's passage types and bias markers, and the cited-source types (two
    queries)."""
    scheme = campaign.scheme
    return Vocabulary(
        labels=dict(scheme.labels.order_by("position", "id").values_list("value", "name")),
        markers=dict(scheme.markers.order_by("position", "id").values_list("value", "name")),
        cited_types={value: str(name) for value, name in CitedSourceType.choices if value},
    )


def campaign_passages(campaign):
    """The campaign's passages, boilerplate included (the importer refuses it by name)."""
    return Passage.objects.filter(document__campaigndocument__campaign=campaign)


def passage_texts(campaign) -> Passages:
    """Every passage of the campaign with its start and text, by id and by document and
    position (one query)."""
    return Passages.of(
        campaign_passages(campaign).values_list("pk", "document_id", "position", "start", "text")
    )


def _decoded(value):
    return json.loads(value) if isinstance(value, str) else (value or [])


def export_records(campaign) -> list[PassageRecord]:
    """Every annotatable passage of the campaign in reading order, with its final answer
    (annotate.reports.finals.passage_final, as the annotation export works it out; spans
    only from a curator's decision) and every reviewer's answer, reviewers by name. Four
    queries."""
    rows = (
        campaign_passages(campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document__campaigndocument__position", "document_id", "position")
        .values_list(
            "pk",
            "document_id",
            "position",
            "start",
            "text",
            "document__source__name",
            "document__title",
        )
    )
    answers = {}
    names = {}
    for (
        passage_id,
        reviewer_id,
        label,
        cited_type,
        cited_source,
        markers,
        spans,
        confidence,
        note,
    ) in (
        Annotation.objects.filter(assignment__campaign=campaign)
        .order_by("assignment__passage_id", "pk")
        .values_list(
            "assignment__passage_id",
            "assignment__reviewer_id",
            "label",
            "cited_type",
            "cited_source",
            "markers",
            "spans",
            "confidence",
            "note",
        )
    ):
        names[reviewer_id] = None
        answers.setdefault(passage_id, []).append(
            Answer(
                label=label,
                cited_type=cited_type,
                cited_source=cited_source,
                markers=list(_decoded(markers)),
                spans=list(_decoded(spans)),
                confidence=confidence,
                note=note,
                annotator_id=reviewer_id,
            )
        )
    users = {
        pk: (username, email)
        for pk, username, email in get_user_model()
        .objects.filter(pk__in=list(names))
        .values_list("pk", "username", "email")
    }
    decisions = {
        passage_id: (label, cited_type, cited_source, _decoded(markers), _decoded(spans))
        for passage_id, label, cited_type, cited_source, markers, spans in Adjudication.objects.filter(
            campaign=campaign
        ).values_list("passage_id", "label", "cited_type", "cited_source", "markers", "spans")
    }
    records = []
    for pk, document, position, start, text, outlet, title in rows:
        given = answers.get(pk, [])
        for answer in given:
            answer.annotator, answer.email = users.get(answer.annotator_id, ("", ""))
        given.sort(key=lambda a: a.annotator)
        decision = decisions.get(pk)
        status, label, cited_type, cited_source, markers = passage_final(
            [(a.label, a.cited_type, a.cited_source, a.markers) for a in given],
            decision[:4] if decision else None,
            campaign.overlap,
            campaign.auto_accept_unanimous,
        )
        final = None
        if status != UNRESOLVED:
            final = Answer(
                label=label,
                cited_type=cited_type or "",
                cited_source=cited_source or "",
                markers=list(markers or []),
                spans=list(decision[4]) if decision else [],
            )
        records.append(
            PassageRecord(
                passage=pk,
                document=document,
                position=position,
                start=start,
                text=text,
                outlet=outlet,
                title=title,
                final_status=status,
                final=final,
                answers=given,
            )
        )
    return records
