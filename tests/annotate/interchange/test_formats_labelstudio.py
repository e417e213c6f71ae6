"""Label Studio interchange: a hand-written export in the documented format imports; a
campaign exported as tasks with every reviewer's answers imports into a fresh campaign over
the same documents with the same answers, agreement and final labels; bad files are refused
with a clear message and nothing written."""

import io
import json
import math
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

from annotate.adjudication import services as adjudication
from annotate.interchange.annotation_import import import_annotations
from annotate.interchange.formats import Passages, ReadContext, Vocabulary, labelstudio
from annotate.interchange.selectors import export_records, vocabulary
from annotate.models import Annotation
from corpus.models import Passage
from tests.annotate.interchange.labelstudio_support import hand_written
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
    """Overlap 3; alice, bob and dave each label the first eight passages through the queue."""
    campaign = make_campaign("Source study", seed_corpus, users, overlap=3)
    label_campaign(campaign, users, 8)
    return campaign


@pytest.fixture
def fresh(seed_corpus, users):
    return make_campaign("Fresh study", seed_corpus, users, overlap=3)


def encode(tasks):
    return json.dumps(tasks).encode("utf-8")


def test_a_hand_written_label_studio_export_imports_choices_spans_and_annotators(
    campaign, passages, users
):
    p, q = passages[0], passages[1]
    result = import_annotations(
        campaign, "project-1.json", encode(hand_written(passages)), imported_by=users["carol"]
    )
    assert result.ok, result.errors
    assert (result.format, result.created, result.users_created) == ("labelstudio", 3, 2)
    first = Annotation.objects.get(
        assignment__passage=p, assignment__reviewer__username="labelstudio-7"
    )
    assert (first.label, first.cited_type, first.markers) == (
        "attributed_claim",
        "named_person",
        [],
    )
    assert first.spans == [word_span(p, 0, "source", "named_person")]  # document offsets
    second = Annotation.objects.get(
        assignment__passage=p, assignment__reviewer__username="coder@example.org"
    )
    assert (second.label, second.markers, second.cited_source) == (
        "opinion",
        ["emotional_appeal", "loaded_language"],
        "The ministry",
    )
    third = Annotation.objects.get(assignment__passage=q)
    assert (third.assignment.reviewer.username, third.label) == ("labelstudio-7", "opinion")
    assert third.spans == [word_span(q, 1)]  # found by document and position; text filled in


def test_label_studio_offsets_counted_in_utf16_are_read_as_characters():
    text = "Hi 😀 Alice said so."
    passages = Passages.of([(1, 10, 0, 100, text)])
    words = Vocabulary({"opinion": "Opinion"}, {}, {"named_person": "Named person"})
    task = {
        "data": {"text": text, "passage": 1},
        "annotations": [
            {
                "completed_by": 1,
                "result": [
                    {"type": "choices", "from_name": "t", "value": {"choices": ["Opinion"]}},
                    # JavaScript counts the emoji as two code units: "Alice" is 6–11 there.
                    {
                        "type": "labels",
                        "from_name": "l",
                        "value": {
                            "start": 6,
                            "end": 11,
                            "text": "Alice",
                            "labels": ["Named person"],
                        },
                    },
                ],
            }
        ],
    }
    parsed = labelstudio.read("u.json", encode([task]), ReadContext(passages, words))
    assert parsed.errors == []
    ((where, cells),) = parsed.rows
    assert where == "task 1, annotation 1"
    assert cells["spans"] == [
        {"layer": "source", "label": "named_person", "start": 105, "end": 110, "text": "Alice"}
    ]


def test_a_campaign_exported_with_every_answer_imports_into_a_fresh_campaign_unchanged(
    labelled, fresh, tmp_path
):
    out = tmp_path / "tasks.json"
    call_command(
        "export_campaign",
        str(out),
        "--campaign",
        labelled.name,
        "--format",
        "labelstudio",
        "--annotations",
        stdout=io.StringIO(),
    )
    stdout = io.StringIO()
    call_command("import_annotations", str(out), "--campaign", fresh.slug, stdout=stdout)

    assert "24 annotation(s) imported into Fresh study" in stdout.getvalue()
    assert "labelstudio file" in stdout.getvalue()
    assert answers(fresh) == answers(labelled)  # labels, sources, markers, spans, notes
    before, after = measures(labelled), measures(fresh)
    assert not math.isnan(before["alpha"])
    assert same_number(after["alpha"], before["alpha"])
    assert same_number(after["alpha_cited"], before["alpha_cited"])
    assert after["spans"] == before["spans"]
    assert after["finals"] == before["finals"]
    assert any(status == "unanimous" for _, _, status in before["finals"])


def test_the_export_has_one_task_per_passage_with_the_final_answer_as_a_prediction(
    labelled, users, tmp_path
):
    records = export_records(labelled)
    decided = next(r for r in records if r.answers)
    spans = [word_span(Passage.objects.get(pk=decided.passage), 1)]
    adjudication.decide(
        labelled,
        users["carol"],
        decided.passage,
        {"label": "opinion", "markers": ["loaded_language"], "spans": spans, "rationale": "r"},
    )
    out = tmp_path / "export" / "tasks.json"
    call_command(
        "export_campaign",
        str(out),
        "--campaign",
        labelled.slug,
        "--format",
        "labelstudio",
        stdout=io.StringIO(),
    )
    tasks = json.loads(out.read_text(encoding="utf-8"))
    annotatable = Passage.objects.filter(document__campaigndocument__campaign=labelled).exclude(
        kind=Passage.Kind.BOILERPLATE
    )
    assert sorted(t["data"]["passage"] for t in tasks) == sorted(p.pk for p in annotatable)
    assert all("annotations" not in t for t in tasks)  # reviewers' answers only when asked
    by_passage = {t["data"]["passage"]: t for t in tasks}
    task = by_passage[decided.passage]
    passage = Passage.objects.get(pk=decided.passage)
    assert task["data"]["text"] == passage.text
    assert (task["data"]["document"], task["data"]["position"]) == (
        passage.document_id,
        passage.position,
    )
    assert task["data"]["final_status"] == "adjudicated"
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "credence-final"
    kinds = {(r["from_name"], r["type"]) for r in prediction["result"]}
    assert {("passage_type", "choices"), ("markers", "choices"), ("loaded", "labels")} <= kinds
    (span,) = [r["value"] for r in prediction["result"] if r["type"] == "labels"]
    assert passage.text[span["start"] : span["end"]] == span["text"] == spans[0]["text"]
    assert span["labels"] == ["Loaded language"]
    unresolved = [t for t in tasks if t["data"]["final_status"] == "unresolved"]
    assert unresolved and all(t["predictions"] == [] for t in unresolved)
    config = ET.fromstring((tmp_path / "export" / "tasks.label_config.xml").read_text())
    controls = {tag.get("name") for tag in config if tag.get("toName") == "text"}
    used = {r["from_name"] for t in tasks for p in t["predictions"] for r in p["result"]}
    assert used <= controls
    choices = [c.get("value") for c in config.find("Choices[@name='passage_type']")]
    assert choices == ["Sourced fact", "Attributed claim", "Opinion"]


def bad_files(passages):
    """(file bytes, words of the expected error) for each kind of bad Label Studio file."""
    good = hand_written(passages)[:1]
    p = passages[2]

    def task(result, data=None):
        return {
            "id": 7,
            "data": data or {"text": p.text, "passage": p.pk},
            "annotations": [{"completed_by": 5, "result": result}],
        }

    opinion = {"type": "choices", "from_name": "type", "value": {"choices": ["Opinion"]}}
    return {
        "malformed JSON": (encode(good)[:-3], "h.json: not valid JSON (Expecting"),
        "text differs": (
            encode([*good, task([opinion], {"text": p.text + " More.", "passage": p.pk})]),
            f"h.json, task 2 (id 7): the task's text is not the text of passage {p.pk}",
        ),
        "unknown label": (
            encode([*good, task([{**opinion, "value": {"choices": ["Rumour"]}}])]),
            "h.json, task 2 (id 7), annotation 1: unknown label 'Rumour'",
        ),
        "span outside the text": (
            encode(
                [
                    *good,
                    task(
                        [
                            opinion,
                            {
                                "type": "labels",
                                "from_name": "label",
                                "value": {
                                    "start": 2,
                                    "end": len(p.text) + 5,
                                    "labels": ["Loaded language"],
                                },
                            },
                        ]
                    ),
                ]
            ),
            f"span 2–{len(p.text) + 5} lies outside the task text (0–{len(p.text)})",
        ),
        "unknown span label": (
            encode(
                [
                    *good,
                    task(
                        [
                            opinion,
                            {
                                "type": "labels",
                                "from_name": "label",
                                "value": {"start": 0, "end": 2, "labels": ["Pundit"]},
                            },
                        ]
                    ),
                ]
            ),
            "unknown span label 'Pundit'",
        ),
        "no passage type": (encode([*good, task([])]), "no passage type chosen"),
        "no passage named": (
            encode([*good, task([opinion], {"text": p.text})]),
            "the task does not say which passage it is",
        ),
        "not a task": (b"[1]", "h.json, task 1: not a task"),
    }


BAD = [
    "malformed JSON",
    "text differs",
    "unknown label",
    "span outside the text",
    "unknown span label",
    "no passage type",
    "no passage named",
    "not a task",
]


@pytest.mark.parametrize("case", BAD)
def test_a_bad_label_studio_file_is_refused_with_a_clear_message_and_nothing_saved(
    campaign, passages, case
):
    data, words = bad_files(passages)[case]
    before = state()
    result = import_annotations(campaign, "h.json", data, format="labelstudio")
    assert not result.ok
    assert any(words in e for e in result.errors), result.errors
    assert all(e.startswith("h.json") for e in result.errors)
    assert (result.created, result.users_created) == (0, 0)
    assert state() == before


def test_the_import_command_reports_a_bad_task_on_stderr_and_saves_nothing(
    campaign, passages, tmp_path
):
    data, words = bad_files(passages)["unknown label"]
    path = tmp_path / "h.json"
    path.write_bytes(data)
    err = io.StringIO()
    before = state()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "import_annotations",
            str(path),
            "--campaign",
            campaign.slug,
            "--format",
            "labelstudio",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert words in err.getvalue()
    assert state() == before


def test_an_annotator_named_for_the_file_overrides_completed_by(campaign, passages):
    tasks = hand_written(passages)
    tasks[0]["annotations"] = tasks[0]["annotations"][:1]
    result = import_annotations(campaign, "one.json", encode(tasks), annotator="ext-coder")
    assert result.ok, result.errors
    assert set(Annotation.objects.values_list("assignment__reviewer__username", flat=True)) == {
        "ext-coder"
    }


def test_completed_by_names_the_annotator_by_username_email_or_number():
    assert labelstudio.annotator_of({"completed_by": {"id": 4, "username": "alice"}}) == "alice"
    assert labelstudio.annotator_of({"completed_by": {"id": 4, "email": "a@x.org"}}) == "a@x.org"
    assert labelstudio.annotator_of({"completed_by": {"id": 4, "email": ""}}) == "labelstudio-4"
    assert labelstudio.annotator_of({"completed_by": 12}) == "labelstudio-12"
    assert labelstudio.annotator_of({}) is None


def test_the_vocabulary_finds_labels_by_value_or_name_in_any_case(campaign):
    words = vocabulary(campaign)
    assert words.find("passage type", "Attributed claim") == "attributed_claim"
    assert words.find("passage type", "ATTRIBUTED-CLAIM") == "attributed_claim"
    assert words.find("bias marker", "loaded language") == "loaded_language"
    assert words.find("cited-source type", "Document or data") == "document"
    assert words.find("cited-source type", "No one cited") == ""
    assert words.find("passage type", "Rumour") is None


def test_a_problem_names_its_annotation_by_place_in_the_task_counting_cancelled_ones(
    campaign, passages
):
    task = hand_written(passages)[0]
    rumour = {"type": "choices", "from_name": "type", "value": {"choices": ["Rumour"]}}
    task["annotations"] = [
        {"completed_by": 9, "was_cancelled": True, "result": []},
        {"completed_by": 8, "result": [rumour]},
    ]
    result = import_annotations(campaign, "c.json", encode([task]))
    assert result.errors[0].startswith("c.json, task 1 (id 101), annotation 2: unknown label")
