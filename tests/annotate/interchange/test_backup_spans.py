"""Backup and restore carry evidence spans: a campaign with spans round-trips, and a file whose
spans break the rules (annotate.spans.layers.clean_spans) is refused with the reason, writing
nothing."""

import re

import pytest
from django.utils import timezone

from annotate.interchange.backup import BackupError, backup_campaign
from annotate.interchange.restore import restore_campaign
from annotate.models import Adjudication, AdjudicationRevision, Annotation, AnnotationRevision
from annotate.queue import services
from tests.annotate.interchange.test_backup import (
    answer,
    first_row,
    lines_of,
    row_counts,
    snapshot,
    wipe,
    write_lines,
)

pytestmark = pytest.mark.django_db


def word_span(passage, n=0, layer="loaded", label="loaded_language"):
    """A span over the passage's n-th word, in document offsets."""
    match = list(re.finditer(r"\w+", passage.text))[n]
    return {
        "layer": layer,
        "label": label,
        "start": passage.start + match.start(),
        "end": passage.start + match.end(),
        "text": match.group(),
    }


@pytest.fixture
def spanned(campaign, users):
    """The seed campaign: alice and bob each mark spans on two passages through the queue,
    carol decides the first passage with spans of her own."""
    firsts = []
    for reviewer in (users["alice"], users["bob"]):
        for _ in range(2):
            place = services.claim_next(campaign, reviewer)
            spans = [
                word_span(place.passage, 0),
                word_span(place.passage, 1, "source", "named_person"),
            ]
            services.save_annotation(
                campaign,
                reviewer,
                place.pk,
                answer("attributed_claim", cited_type="named_person", spans=spans),
            )
            firsts.append(place.passage)
    decided = Adjudication.objects.create(
        campaign=campaign,
        passage=firsts[0],
        label="attributed_claim",
        cited_type="named_person",
        markers=["loaded_language"],
        spans=[word_span(firsts[0], 2, "loaded", "emotional_appeal")],
        rationale="The third word is the loaded one.",
        decided_by=users["carol"],
        decided_at=timezone.now(),
    )
    AdjudicationRevision.objects.create(
        adjudication=decided,
        changed_by=users["carol"],
        changed_at=decided.decided_at,
        before=None,
        after=decided.snapshot(),
    )
    return campaign


def test_a_campaign_with_spans_round_trips_and_its_spans_match_the_restored_passages(
    spanned, users, tmp_path
):
    for outsider in ("olga", "staff"):  # in no role here, so in no backup
        users[outsider].delete()
    before = snapshot()
    assert sum(len(r["spans"]) for r in before["Annotation"]) == 8
    assert all(r["after"]["spans"] for r in before["AnnotationRevision"])
    path = tmp_path / "campaign.jsonl.gz"
    backup_campaign(spanned, path)
    wipe()

    report = restore_campaign(path)

    assert snapshot() == before  # spans, and the revisions' before/after with them
    restored = list(
        Annotation.objects.filter(assignment__campaign=report.campaign).select_related(
            "assignment__passage__document"
        )
    )
    decision = Adjudication.objects.select_related("passage__document").get(
        campaign=report.campaign
    )
    answers = [(a.spans, a.assignment.passage) for a in restored] + [
        (decision.spans, decision.passage)
    ]
    for spans, passage in answers:
        for span in spans:
            assert passage.document.text[span["start"] : span["end"]] == span["text"]
            assert passage.start <= span["start"] < span["end"] <= passage.end
    assert decision.spans[0]["label"] == "emotional_appeal"
    assert AnnotationRevision.objects.filter(annotation__in=restored).count() == 4


def test_a_backup_made_before_spans_restores_with_no_spans(spanned, tmp_path):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(spanned, path)
    items = lines_of(path)
    for item in items:
        if item.get("section") in ("annotations", "adjudications"):
            item["row"].pop("spans")
            item["row"].pop("guidelines_version", None)
    write_lines(path, items)
    wipe()

    report = restore_campaign(path)

    annotations = Annotation.objects.filter(assignment__campaign=report.campaign)
    assert annotations.count() == 4
    assert {tuple(a.spans) for a in annotations} == {()}
    assert {a.guidelines_version for a in annotations} == {None}


def annotation_spans(items):
    return first_row(items, "annotations")["spans"]


def outside_the_passage(items):
    span = annotation_spans(items)[0]
    span["start"], span["end"] = 10**6, 10**6 + len(span["text"])


def text_mismatch(items):
    annotation_spans(items)[0]["text"] = "Elsewhere"


def unknown_label(items):
    annotation_spans(items)[0]["label"] = "sarcasm"


def duplicate(items):
    spans = annotation_spans(items)
    spans.append(dict(spans[0]))


def unknown_layer(items):
    annotation_spans(items)[0]["layer"] = "tone"


def missing_text(items):
    del annotation_spans(items)[0]["text"]


def untrimmed(items):
    span = annotation_spans(items)[0]
    span["end"] += 1
    span["text"] += " "  # the passage reads a space after the first word


def decision_with_a_bad_span(items):
    first_row(items, "adjudications")["spans"][0]["label"] = "named_person"


@pytest.mark.parametrize(
    "edit, message",
    [
        (outside_the_passage, r"annotation \d+: Span “\w+” \(1000000–\d+\) lies outside"),
        (text_mismatch, r"annotation \d+: Span “Elsewhere” does not match the passage"),
        (unknown_label, r"annotation \d+: “sarcasm” is not a loaded language type"),
        (duplicate, r"annotation \d+: “\w+” is marked twice as loaded language"),
        (unknown_layer, r"annotation \d+: “tone” is not a span layer"),
        (missing_text, r"annotation \d+: each span needs exactly a layer, a label"),
        (untrimmed, r"annotation \d+: a span has white space at its ends"),
        (decision_with_a_bad_span, r"decision \d+: “named_person” is not a loaded language type"),
    ],
)
def test_a_backup_whose_spans_break_the_rules_is_refused_and_writes_nothing(
    spanned, tmp_path, edit, message
):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(spanned, path)
    items = lines_of(path)
    edit(items)
    write_lines(path, items)
    wipe()
    with pytest.raises(BackupError, match="the backup holds what the app would never write: .*"):
        try:
            restore_campaign(path)
        except BackupError as exc:
            assert re.search(message, str(exc)), str(exc)
            raise
    assert sum(row_counts().values()) == 0
