"""doccano interchange: hand-written JSONL in doccano's export shapes imports; a campaign
exported as one file per annotator imports into a fresh campaign with the same answers,
agreement and final labels; the final export holds one line per passage; bad files are
refused with a clear message and nothing written."""

import io
import json
import math

import pytest
from django.core.management import CommandError, call_command

from annotate.interchange.annotation_import import import_annotations
from annotate.interchange.formats import guess_format
from annotate.models import Annotation
from corpus.models import Passage
from tests.annotate.interchange.roundtrip_support import (
    answers,
    label_campaign,
    measures,
    same_number,
    word_span,
)
from tests.annotate.interchange.test_annotation_import import state
from tests.conftest import make_campaign


@pytest.fixture
def passages(campaign):
    return list(
        Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document_id", "position")[:4]
    )


@pytest.fixture
def labelled(seed_corpus, users):
    campaign = make_campaign("Source study", seed_corpus, users, overlap=3)
    label_campaign(campaign, users, 8)
    return campaign


@pytest.fixture
def fresh(seed_corpus, users):
    return make_campaign("Fresh study", seed_corpus, users, overlap=3)


def jsonl(*records):
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


def relative(passage, span):
    return [span["start"] - passage.start, span["end"] - passage.start]


def test_hand_written_doccano_lines_import_categories_spans_and_annotators(campaign, passages):
    p, q, r = passages[:3]
    source = word_span(p, 0, "source", "named_person")
    loaded = word_span(q, 1)
    data = jsonl(
        # classification and sequence labelling on one line, as doccano's intent projects do
        {
            "id": 1,
            "text": p.text,
            "label": ["Attributed claim", "Named person", [*relative(p, source), "Named person"]],
            "passage": p.pk,
            "user": "coder-a",
        },
        # cats as scores, entities as relation-extraction objects, the passage under meta
        {
            "text": q.text,
            "cats": {"opinion": 0.9, "sourced_fact": 0.1, "loaded_language": True},
            "entities": [
                {
                    "id": 0,
                    "start_offset": relative(q, loaded)[0],
                    "end_offset": relative(q, loaded)[1],
                    "label": "Loaded language",
                }
            ],
            "meta": {"document": q.document_id, "position": q.position},
            "annotator": "coder-a",
        },
        # an older export: "labels" and "username"
        {"text": r.text, "labels": ["sourced_fact"], "passage": r.pk, "username": "coder-b"},
        # an example nobody labelled: skipped
        {"text": r.text, "label": [], "passage": r.pk, "user": "coder-c"},
    )
    result = import_annotations(campaign, "all.jsonl", data)
    assert result.ok, result.errors
    assert (result.format, result.created, result.users_created) == ("doccano", 3, 2)
    first = Annotation.objects.get(assignment__passage=p)
    assert (first.assignment.reviewer.username, first.label, first.cited_type) == (
        "coder-a",
        "attributed_claim",
        "named_person",
    )
    assert first.spans == [source]
    second = Annotation.objects.get(assignment__passage=q)
    assert (second.label, second.markers, second.spans) == (
        "opinion",
        ["loaded_language"],
        [loaded],
    )
    third = Annotation.objects.get(assignment__passage=r)
    assert (third.assignment.reviewer.username, third.label) == ("coder-b", "sourced_fact")


def test_a_per_user_doccano_file_takes_its_annotator_from_the_command(campaign, passages, tmp_path):
    p = passages[0]
    path = tmp_path / "admin.jsonl"
    path.write_bytes(jsonl({"text": p.text, "label": ["Opinion"], "passage": p.pk, "user": 1}))
    call_command(
        "import_annotations",
        str(path),
        "--campaign",
        campaign.slug,
        "--annotator",
        "maria",
        stdout=io.StringIO(),
    )
    annotation = Annotation.objects.get()
    assert (annotation.assignment.reviewer.username, annotation.label) == ("maria", "opinion")


def test_a_doccano_user_id_names_the_annotator_when_none_is_given(campaign, passages):
    p = passages[0]
    data = jsonl({"text": p.text, "label": ["Opinion"], "passage": p.pk, "user": 3})
    assert import_annotations(campaign, "d.jsonl", data).ok
    assert Annotation.objects.get().assignment.reviewer.username == "doccano-3"


def test_a_campaign_exported_per_annotator_imports_into_a_fresh_campaign_unchanged(
    labelled, fresh, tmp_path
):
    folder = tmp_path / "doccano"
    call_command(
        "export_campaign",
        str(folder),
        "--campaign",
        labelled.name,
        "--format",
        "doccano",
        "--annotations",
        stdout=io.StringIO(),
    )
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["alice.jsonl", "bob.jsonl", "dave.jsonl", "final.jsonl"]
    for name in ("alice", "bob"):  # the file's user field names the annotator
        call_command(
            "import_annotations",
            str(folder / f"{name}.jsonl"),
            "--campaign",
            fresh.slug,
            stdout=io.StringIO(),
        )
    dave = folder / "dave.jsonl"  # as doccano writes it: no user field, one file per user
    lines = [json.loads(line) for line in dave.read_text().splitlines()]
    dave.write_text(
        "".join(json.dumps({k: v for k, v in x.items() if k != "user"}) + "\n" for x in lines)
    )
    call_command(
        "import_annotations",
        str(dave),
        "--campaign",
        fresh.slug,
        "--format",
        "doccano",
        "--annotator",
        "dave",
        stdout=io.StringIO(),
    )
    assert answers(fresh) == answers(labelled)  # sources, confidences and notes as extra fields
    before, after = measures(labelled), measures(fresh)
    assert not math.isnan(before["alpha"])
    assert same_number(after["alpha"], before["alpha"])
    assert same_number(after["alpha_cited"], before["alpha_cited"])
    assert after["spans"] == before["spans"]
    assert after["finals"] == before["finals"]


def test_the_final_doccano_export_has_one_line_per_passage_with_relative_spans(labelled, tmp_path):
    out = tmp_path / "final.jsonl"
    call_command(
        "export_campaign",
        str(out),
        "--campaign",
        labelled.slug,
        "--format",
        "doccano",
        stdout=io.StringIO(),
    )
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    annotatable = Passage.objects.filter(document__campaigndocument__campaign=labelled).exclude(
        kind=Passage.Kind.BOILERPLATE
    )
    assert len(lines) == annotatable.count()
    texts = {p.pk: p.text for p in annotatable}
    finals = {item: (label, status) for item, label, status in measures(labelled)["finals"]}
    names = {
        "sourced_fact": "Sourced fact",
        "attributed_claim": "Attributed claim",
        "opinion": "Opinion",
    }
    for line in lines:
        assert line["text"] == texts[line["passage"]]
        label, status = finals.get(line["passage"], (None, "unresolved"))
        assert line["final_status"] == status
        assert line["label"][:1] == ([names[label]] if label else [])
        for start, end, _ in line["entities"]:
            assert 0 <= start < end <= len(line["text"])
    assert "user" not in lines[0]


def bad_files(passages):
    """(file bytes, words of the expected error) for each kind of bad doccano file."""
    p = passages[1]
    good = {"text": passages[0].text, "label": ["Opinion"], "passage": passages[0].pk, "user": "a"}
    line = {"text": p.text, "label": ["Opinion"], "passage": p.pk, "user": "a"}
    return {
        "malformed JSON": (
            jsonl(good) + b'{"text": "x", "label": [}\n',
            "d.jsonl, line 2: not valid JSON (Expecting value",
        ),
        "text differs": (
            jsonl(good, {**line, "text": p.text.upper() + "!"}),
            f"d.jsonl, line 2: the example's text is not the text of passage {p.pk}",
        ),
        "unknown label": (
            jsonl(good, {**line, "label": ["Rumour"]}),
            "d.jsonl, line 2: unknown label 'Rumour'",
        ),
        "span outside the text": (
            jsonl(good, {**line, "label": ["Opinion", [0, len(p.text) + 3, "Loaded language"]]}),
            f"span 0–{len(p.text) + 3} lies outside the example's text (0–{len(p.text)})",
        ),
        "unknown span label": (
            jsonl(good, {**line, "entities": [[0, 2, "Pundit"]]}),
            "unknown span label 'Pundit'",
        ),
        "no annotator": (
            jsonl(good, {k: v for k, v in line.items() if k != "user"}),
            "says nobody made it",
        ),
        "no passage type": (
            jsonl(good, {**line, "label": [[0, 2, "Loaded language"]]}),
            "no passage type chosen",
        ),
    }


BAD = [
    "malformed JSON",
    "text differs",
    "unknown label",
    "span outside the text",
    "unknown span label",
    "no annotator",
    "no passage type",
]


@pytest.mark.parametrize("case", BAD)
def test_a_bad_doccano_file_is_refused_with_a_clear_message_and_nothing_saved(
    campaign, passages, case
):
    data, words = bad_files(passages)[case]
    before = state()
    result = import_annotations(campaign, "d.jsonl", data)
    assert not result.ok
    assert any(words in e for e in result.errors), result.errors
    assert (result.created, result.users_created) == (0, 0)
    assert state() == before


def test_the_import_command_refuses_a_bad_doccano_line_and_saves_nothing(
    campaign, passages, tmp_path
):
    data, words = bad_files(passages)["span outside the text"]
    path = tmp_path / "d.jsonl"
    path.write_bytes(data)
    err = io.StringIO()
    before = state()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_annotations",
            str(path),
            "--campaign",
            campaign.slug,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert words in err.getvalue()
    assert state() == before


@pytest.mark.parametrize(
    "name, head, expected",
    [
        ("a.csv", b"passage,annotator", "csv"),
        ("a.jsonl", b'{"text": "x"}', "doccano"),
        ("a.json", b'[\n {\n  "data": {"text": "x"}', "labelstudio"),
        ("a.json", b'[{"text": "x", "label": ["A"]}]', "doccano"),
        ("export", b'{"id": 1, "annotations": [], "data": {}}', "labelstudio"),
        ("export", b'{"text": "x", "label": []}\n', "doccano"),
        ("export.txt", b"\xef\xbb\xbfpassage,annotator,label", "csv"),
    ],
)
def test_the_format_is_guessed_from_the_name_then_the_first_characters(name, head, expected):
    assert guess_format(name, head) == expected
