"""The bulk import's guarantees: a fixed number of queries whatever the file's size; batches
that keep every annotation with its own revision and place; a place a reviewer claims
between the read and the batch's UPDATE is never taken over; at most a hundred problems
listed; the campaign's data version moves with a successful import only."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate.interchange import annotation_import, import_writes
from annotate.interchange.annotation_import import import_annotations
from annotate.jobs import versions
from annotate.models import Annotation, AnnotationRevision, Assignment
from annotate.queue import services
from corpus.models import Passage
from tests.annotate.interchange.roundtrip_support import word_span
from tests.annotate.interchange.test_annotation_import import state
from tests.conftest import make_campaign


def annotatable(campaign):
    return list(
        Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document_id", "position")
    )


def rows_file(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["passage", "annotator", "label", "markers", "spans"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def two_coders(passages, spans=False, prefix="ext"):
    """Two rows per passage (annotators ext-1 and ext-2), a span on every other row."""
    rows = []
    for i, p in enumerate(passages):
        for j, coder in enumerate((f"{prefix}-1", f"{prefix}-2")):
            cell = json.dumps([word_span(p, 0)]) if spans and (i + j) % 2 else ""
            rows.append([p.pk, coder, ("opinion", "sourced_fact")[i % 2], "loaded_language", cell])
    return rows


def queries(campaign, data):
    with CaptureQueriesContext(connection) as captured:
        result = import_annotations(campaign, "f.csv", data)
    assert result.ok, result.errors
    return len(captured)


@pytest.mark.parametrize("spans", [False, True])
def test_the_import_runs_the_same_queries_for_four_rows_as_for_four_hundred(
    seed_corpus, users, spans
):
    small = make_campaign("Small", seed_corpus, users, overlap=2)
    large = make_campaign("Large", seed_corpus, users, overlap=2)
    few = queries(small, rows_file(two_coders(annotatable(small)[:2], spans)))
    many = queries(large, rows_file(two_coders(annotatable(large)[:200], spans, "new")))
    assert Annotation.objects.filter(assignment__campaign=large).count() == 400
    assert many == few


def test_rows_written_in_small_batches_keep_their_own_place_revision_and_snapshot(
    campaign, users, monkeypatch
):
    monkeypatch.setattr(import_writes, "BATCH", 3)
    passages = annotatable(campaign)[:5]
    result = import_annotations(
        campaign, "f.csv", rows_file(two_coders(passages, spans=True)), imported_by=users["carol"]
    )
    assert result.ok, result.errors
    assert result.created == 10
    for annotation in Annotation.objects.select_related("assignment__reviewer"):
        place = annotation.assignment
        assert place.status == Assignment.Status.DONE and place.done_at is not None
        assert place.reviewer.username in ("ext-1", "ext-2") and not place.reviewer.is_active
        (revision,) = annotation.revisions.all()
        assert revision.after == annotation.snapshot() and revision.before is None
        assert revision.changed_by == users["carol"]
        assert annotation.created_at is not None and annotation.guidelines_version is None
    pairs = set(
        Annotation.objects.values_list("assignment__passage_id", "assignment__reviewer__username")
    )
    assert pairs == {(p.pk, c) for p in passages for c in ("ext-1", "ext-2")}
    assert AnnotationRevision.objects.count() == 10


def test_without_a_curator_each_revision_is_the_annotators_own(campaign):
    passages = annotatable(campaign)[:1]
    assert import_annotations(campaign, "f.csv", rows_file(two_coders(passages))).ok
    assert sorted(AnnotationRevision.objects.values_list("changed_by__username", flat=True)) == [
        "ext-1",
        "ext-2",
    ]


def claim_after_the_read(monkeypatch, campaign, reviewer):
    """Make ``reviewer`` claim their next passage just after the importer reads the places;
    returns a list that will hold the claimed place."""
    claimed = []
    real = annotation_import._places

    def read_then_claim(c):
        slots = real(c)
        claimed.append(services.claim_next(c, reviewer))
        return slots

    monkeypatch.setattr(annotation_import, "_places", read_then_claim)
    return claimed


def test_a_place_claimed_before_the_batch_update_is_left_and_the_row_takes_another(
    seed_corpus, users, monkeypatch
):
    campaign = make_campaign("Wide", seed_corpus, users, overlap=3)
    target = Assignment.objects.filter(campaign=campaign).order_by("sequence", "slot")[0].passage
    claimed = claim_after_the_read(monkeypatch, campaign, users["bob"])
    data = rows_file(
        [[target.pk, "ext-1", "opinion", "", ""], [target.pk, "ext-2", "opinion", "", ""]]
    )

    result = import_annotations(campaign, "race.csv", data)

    assert result.ok, result.errors
    (bobs,) = claimed
    assert bobs.passage_id == target.pk and bobs.slot == 1  # the place ext-1 was planned for
    places = dict(
        Assignment.objects.filter(campaign=campaign, passage=target).values_list(
            "slot", "reviewer__username"
        )
    )
    assert places == {1: "bob", 2: "ext-2", 3: "ext-1"}
    assert Assignment.objects.get(pk=bobs.pk).status == Assignment.Status.CLAIMED


def test_an_annotator_who_claims_the_passage_meanwhile_gets_no_second_place_and_nothing_is_saved(
    campaign, users, monkeypatch
):
    target = Assignment.objects.filter(campaign=campaign).order_by("sequence", "slot")[0].passage
    claim_after_the_read(monkeypatch, campaign, users["bob"])  # bob takes place 1 meanwhile
    # Planned: ext-1 to place 1 (now bob's), bob to place 2, which he may not hold as well.
    data = rows_file(
        [[target.pk, "ext-1", "opinion", "", ""], [target.pk, "bob", "opinion", "", ""]]
    )
    before = state()

    result = import_annotations(campaign, "race.csv", data)

    assert result.errors == [
        "race.csv, line 3: bob already has an annotation or a claim on this passage"
    ]
    assert state() == before  # bob's claim, made inside the import's transaction, is gone too


def test_at_most_a_hundred_problems_are_listed_then_how_many_more(campaign, tmp_path):
    passages = annotatable(campaign)[:75]
    rows = [[p.pk, coder, "rumour", "", ""] for p in passages for coder in ("ext-1", "ext-2")]
    result = import_annotations(campaign, "bad.csv", rows_file(rows))
    assert result.problems == 150 and len(result.errors) == 101
    assert result.errors[99].startswith("bad.csv, line 101: unknown label 'rumour'")
    assert result.errors[100] == "bad.csv: … and 50 more problem(s)"
    path = tmp_path / "bad.csv"
    path.write_bytes(rows_file(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="150 problem"):
        call_command("import_annotations", str(path), "--campaign", campaign.slug, stderr=err)
    assert err.getvalue().count("unknown label 'rumour'") == 100


def test_an_import_moves_the_campaigns_data_version_and_a_refused_one_does_not(campaign):
    passages = annotatable(campaign)[:2]
    start = versions.current(campaign.pk)
    refused = import_annotations(
        campaign, "f.csv", rows_file([[passages[0].pk, "x", "rumour", "", ""]])
    )
    assert not refused.ok and versions.current(campaign.pk) == start
    assert import_annotations(campaign, "f.csv", rows_file(two_coders(passages))).ok
    assert versions.current(campaign.pk) == start + 1
