"""Importing annotations with evidence spans: the optional ``spans`` column (a JSON list of
span objects) is checked row by row with clean_spans; a bad row is reported with its line and
reason and nothing is written."""

import csv
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate.interchange.annotation_import import import_annotations
from annotate.models import Annotation, AnnotationRevision, LabelScheme
from corpus.models import Passage
from tests.annotate.interchange.test_annotation_import import state

COLUMNS = ["passage", "annotator", "label", "cited_type", "markers", "spans"]


@pytest.fixture
def passages(campaign):
    """The first four annotatable passages of the campaign (overlap 2), each with 3+ words."""
    found = [
        p
        for p in Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document_id", "position")
        if len(re.findall(r"\w+", p.text)) >= 3
    ]
    return found[:4]


def word(passage, n, layer="loaded", label="loaded_language", text=True):
    """A span over the passage's n-th word, in document offsets."""
    match = list(re.finditer(r"\w+", passage.text))[n]
    span = {
        "layer": layer,
        "label": label,
        "start": passage.start + match.start(),
        "end": passage.start + match.end(),
    }
    if text:
        span["text"] = match.group()
    return span


def csv_file(rows, columns=COLUMNS):
    """CSV bytes of rows (dicts); a spans list is written as JSON."""
    out = io.StringIO()
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    for row in rows:
        cells = dict(row)
        if isinstance(cells.get("spans"), list):
            cells["spans"] = json.dumps(cells["spans"])
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def row(passage, annotator="alice", spans="", label="attributed_claim", cited_type=""):
    return {
        "passage": passage.pk,
        "annotator": annotator,
        "label": label,
        "cited_type": cited_type,
        "markers": "",
        "spans": spans,
    }


def test_spans_are_imported_cleaned_and_in_order_and_recorded_in_the_revision(
    campaign, passages, users
):
    p = passages
    spaced = word(p[0], 2)  # a selection that took the space before the word
    spaced["start"] -= 1
    spaced["text"] = p[0].text[spaced["start"] - p[0].start : spaced["end"] - p[0].start]
    data = csv_file(
        [
            row(p[0], spans=[spaced, word(p[0], 0, "source", "named_person")]),
            row(p[0], "ext-coder", spans=[word(p[0], 1, text=False)]),
            row(p[1], spans=""),  # no spans: none stored, nothing checked
        ]
    )

    result = import_annotations(campaign, "team.csv", data, imported_by=users["carol"])

    assert result.ok, result.errors
    assert result.created == 3
    alice = Annotation.objects.get(assignment__passage=p[0], assignment__reviewer=users["alice"])
    assert alice.spans == [word(p[0], 0, "source", "named_person"), word(p[0], 2)]
    coder = Annotation.objects.get(
        assignment__passage=p[0], assignment__reviewer__username="ext-coder"
    )
    assert coder.spans == [word(p[0], 1)]  # the text is filled in from the passage
    assert Annotation.objects.get(assignment__passage=p[1]).spans == []
    revision = AnnotationRevision.objects.get(annotation=alice)
    assert revision.after["spans"] == alice.spans and revision.before is None


def test_a_file_without_spans_reads_no_passage_text(campaign, passages):
    data = csv_file(
        [{k: v for k, v in row(passages[0]).items() if k != "spans"}], columns=COLUMNS[:-1]
    )
    with CaptureQueriesContext(connection) as captured:
        assert import_annotations(campaign, "plain.csv", data).ok
    assert not any('"text"' in q["sql"] and "corpus_passage" in q["sql"] for q in captured)


def bad_spans(passages):
    """(spans cell, words of the expected error) for each kind of bad spans cell."""
    p = passages[1]
    outside = word(p, 0)
    outside["start"], outside["end"] = p.end + 10, p.end + 14
    outside.pop("text")
    mismatch = word(p, 0)
    mismatch["text"] = "Nothing"
    return {
        "not JSON": ("[{layer: loaded}]", "spans is not valid JSON (Expecting property name"),
        "not a list": (json.dumps({"layer": "loaded"}), "spans: Spans must be a list."),
        "outside the passage": ([outside], f"lies outside this passage ({p.start}–{p.end})"),
        "text mismatch": ([mismatch], "Span “Nothing” does not match the passage"),
        "unknown label": (
            [word(p, 0, label="clickbait")],
            "“clickbait” is not a loaded language type of this campaign",
        ),
        "unknown layer": ([word(p, 0, layer="tone")], "“tone” is not a span layer"),
        "duplicate": ([word(p, 0), word(p, 0)], "is marked twice as loaded language"),
        "empty": ([{**word(p, 0), "end": word(p, 0)["start"], "text": ""}], "is empty"),
        "offsets not whole numbers": ([{**word(p, 0), "start": "3"}], "needs whole-number offsets"),
        "a list as label": ([{**word(p, 0), "label": ["x"]}], "layer and label must be text"),
    }


BAD = [
    "not JSON",
    "not a list",
    "outside the passage",
    "text mismatch",
    "unknown label",
    "unknown layer",
    "duplicate",
    "empty",
    "offsets not whole numbers",
    "a list as label",
]


@pytest.mark.parametrize("case", BAD)
def test_a_row_with_bad_spans_is_reported_with_its_line_and_nothing_is_written(
    campaign, passages, case
):
    cell, words = bad_spans(passages)[case]
    data = csv_file(
        [
            row(passages[0], spans=[word(passages[0], 0)]),  # a good row with spans, line 2
            row(passages[1], spans=cell),  # line 3
            row(passages[2]),  # a good row without, line 4
        ]
    )
    before = state()

    result = import_annotations(campaign, "bad.csv", data)

    assert not result.ok
    assert len(result.errors) == 1 and result.errors[0].startswith("bad.csv, line 3: ")
    assert words in result.errors[0], result.errors
    assert (result.created, result.users_created) == (0, 0)
    assert state() == before


def test_every_bad_row_is_listed_with_its_other_problems(campaign, passages):
    data = csv_file(
        [
            row(passages[0], spans=[word(passages[0], 0, label="clickbait")]),
            row(passages[1], spans="[1, 2"),
            {**row(passages[2], spans=[word(passages[2], 0, layer="tone")]), "label": "rumour"},
        ]
    )
    result = import_annotations(campaign, "many.csv", data)
    assert [e.split(": ")[0] for e in result.errors] == [f"many.csv, line {n}" for n in (2, 3, 4)]
    assert "unknown label 'rumour'" in result.errors[2] and "“tone”" in result.errors[2]
    assert Annotation.objects.count() == 0


def test_a_scheme_with_spans_off_refuses_spans_but_imports_rows_without(campaign, passages):
    LabelScheme.objects.filter(pk=campaign.scheme_id).update(spans=LabelScheme.Spans.OFF)
    campaign.refresh_from_db()
    refused = import_annotations(
        campaign, "s.csv", csv_file([row(passages[0], spans=[word(passages[0], 0)])])
    )
    assert refused.errors == [
        "s.csv, line 2: spans: This campaign does not mark loaded language spans."
    ]
    assert import_annotations(campaign, "s.csv", csv_file([row(passages[0], spans="")])).ok


def test_the_import_command_reports_a_bad_span_on_stderr_and_writes_nothing(
    campaign, passages, tmp_path
):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file([row(passages[0], spans=[word(passages[0], 0, label="clickbait")])]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "import_annotations",
            str(path),
            "--campaign",
            campaign.slug,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "bad.csv, line 2: spans: “clickbait” is not a loaded language type" in err.getvalue()
    assert Annotation.objects.count() == 0
