"""Label Studio's JSON export, read and written (pure, no Django).

The format, as Label Studio's documentation gives it ("Label Studio JSON format of annotated
tasks", https://labelstud.io/guide/task_format; docs/source/includes/task_format.md in
HumanSignal/label-studio): a list of tasks, each

    {"id": 1, "data": {"text": "...", ...},
     "annotations": [{"completed_by": 10, "was_cancelled": false,
                      "result": [{"from_name": "type", "to_name": "text", "type": "choices",
                                  "value": {"choices": ["Opinion"]}},
                                 {"from_name": "label", "to_name": "text", "type": "labels",
                                  "value": {"start": 3, "end": 12, "text": "...",
                                            "labels": ["Named person"]}}]}],
     "predictions": [{"model_version": "...", "result": [...]}]}

``completed_by`` is a user id, or in newer exports an object with ``id`` and ``email``;
``value.start``/``value.end`` of a ``labels`` result are character offsets into the task's
text (https://labelstud.io/tags/text: "every space in the text sample is counted when
calculating result offsets"), end exclusive; ``value.text`` is the marked text. Older
versions call annotations ``completions``.

Reading. Each task must say which passage it is: ``data.passage`` (a passage id) or
``data.document`` with ``data.position``; its ``data.text`` must be that passage's text,
exactly, since offsets count from it (a task whose text differs is refused with where they
part). Offsets become document offsets by adding the passage's start. Label Studio counts
offsets in JavaScript, in UTF-16 code units, so past an emoji they run ahead of Python's
characters: when a span's ``value.text`` does not match at the given offsets but does at
the offsets read as UTF-16, those are used. Choices, span labels and free text map to
answers as annotate.interchange.formats.mapping says. The annotator is
``completed_by.username``, else ``completed_by.email``, else ``labelstudio-<id>`` (the
importer then matches or creates a user of that name). Cancelled (skipped) annotations and
predictions are not read. Result types other than choices, labels and textarea (relations,
ratings…) are ignored.

Writing. One task per passage: ``data`` holds ``text``, ``passage``, ``document``,
``position``, ``outlet``, ``title`` and ``final_status``; the final answer (the curator's
decision, or a unanimous label; spans only from a curator's decision) is the task's one
prediction, ``model_version`` "credence-final"; with ``with_answers`` every reviewer's
answer is an annotation, ``completed_by`` {id, email, username, first_name, last_name}.
Labels are written by display name, under the controls of ``labeling_config``, so the file
imports into a Label Studio project set up with that configuration, and back into Credence.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from annotate.interchange.formats.base import (
    CITED_TYPE,
    CONFIDENCE,
    LABEL,
    MARKER,
    Answer,
    Parsed,
    PassageRecord,
    ReadContext,
    Vocabulary,
    row_cells,
    text_difference,
)
from annotate.interchange.formats.csv_rows import decode
from annotate.interchange.formats.mapping import Choices, span_label, span_problem, text_role
from annotate.spans.layers import LOADED, SOURCE

MODEL_VERSION = "credence-final"
TEXT = "text"  # the object tag's name, and the data key of the passage text
CONTROLS = {  # control name: what it holds (labeling_config)
    LABEL: "passage_type",
    CITED_TYPE: "cited_type",
    MARKER: "markers",
    CONFIDENCE: "confidence",
    SOURCE: "source",
    LOADED: "loaded",
    "cited_source": "cited_source",
    "note": "note",
}


# ------------------------------------------------------------------------------ reading


def read(name: str, data: bytes, context: ReadContext) -> Parsed:
    parsed = Parsed()
    text = decode(name, data, parsed)
    if text is None:
        return parsed
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as exc:
        parsed.errors.append(
            f"{name}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        )
        return parsed
    except RecursionError:
        parsed.errors.append(f"{name}: nested too deeply to be Label Studio tasks")
        return parsed
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        parsed.errors.append(f"{name}: expected a list of Label Studio tasks")
        return parsed
    for n, task in enumerate(tasks, 1):
        _read_task(name, n, task, context, parsed)
    return parsed


def _read_task(name, n, task, context, parsed):
    if not isinstance(task, dict):
        parsed.errors.append(f"{name}, task {n}: not a task (an object with data)")
        return
    where = f"task {n}" + (f" (id {task['id']})" if task.get("id") is not None else "")
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        parsed.errors.append(f"{name}, {where}: annotations must be a list")
        return
    numbered = [
        (m, a)
        for m, a in enumerate(annotations, 1)
        if not (isinstance(a, dict) and a.get("was_cancelled"))  # skipped in Label Studio
    ]
    if not numbered:
        return  # nothing labelled here
    data = task.get("data")
    if not isinstance(data, dict):
        parsed.errors.append(f"{name}, {where}: the task has no data")
        return
    passage, problem = context.passages.locate(
        data.get("passage"), data.get("document"), data.get("position")
    )
    if problem:
        parsed.errors.append(f"{name}, {where}: the task {problem}")
        return
    text = data.get(TEXT)
    if not isinstance(text, str):
        parsed.errors.append(f"{name}, {where}: the task has no data.text")
        return
    if text != passage.text:
        parsed.errors.append(
            f"{name}, {where}: the task's text is not the text of passage {passage.id} "
            f"({text_difference(text, passage.text)}); offsets would point at other words"
        )
        return
    for m, annotation in numbered:
        at = f"{where}, annotation {m}"
        if not isinstance(annotation, dict):
            parsed.errors.append(f"{name}, {at}: not an annotation (an object with result)")
            continue
        cells, problems = _answer(annotation, passage, context)
        if problems:
            parsed.errors.append(f"{name}, {at}: {'; '.join(problems)}")
        else:
            parsed.rows.append((at, cells))


def annotator_of(annotation: dict) -> str | None:
    """The annotator's name (see the module docstring), or None when the annotation names
    nobody."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        for key in ("username", "email"):
            if isinstance(who.get(key), str) and who[key].strip():
                return who[key].strip()
        who = who.get("id")
    if isinstance(who, int) and not isinstance(who, bool):
        return f"labelstudio-{who}"
    if isinstance(who, str) and who.strip():
        return who.strip()
    return None


def _answer(annotation, passage, context):
    vocabulary = context.vocabulary
    problems = []
    annotator = context.annotator or annotator_of(annotation)
    if not annotator:
        problems.append("says nobody made it (no completed_by); name the annotator")
    results = annotation.get("result")
    if not isinstance(results, list):
        return None, [*problems, "has no result list"]
    choices, spans, texts = Choices(), [], {}
    for result in results:
        if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
            problems.append("a result without a value")
            continue
        kind, value, control = result.get("type"), result["value"], result.get("from_name")
        if kind == "choices":
            choices.add(vocabulary, value.get("choices"), control)
        elif kind == "labels":
            problems.extend(_spans(value, control, passage, vocabulary, spans))
        elif kind == "textarea":
            role = text_role(control)
            lines = value.get("text")
            lines = [lines] if isinstance(lines, str) else lines
            if role and isinstance(lines, list):
                texts[role] = " ".join(t.strip() for t in lines if isinstance(t, str)).strip()
    choices.finish(vocabulary)
    problems.extend(choices.problems)
    if problems:
        return None, problems
    cells = row_cells(
        annotator,
        passage,
        choices.label,
        cited_type=choices.cited_type or "",
        cited_source=texts.get("cited_source", ""),
        markers=choices.markers,
        confidence=choices.confidence or "",
        note=texts.get("note", ""),
        spans=spans,
    )
    return cells, []


def _spans(value, control, passage, vocabulary, spans):
    """Add the spans of one labels result (document offsets) to ``spans``; return problems."""
    text = passage.text
    start, end, given = value.get("start"), value.get("end"), value.get("text")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return [f"a span without whole-number start and end ({start!r}, {end!r})"]
    if isinstance(given, str) and text[start:end] != given:
        start, end = _from_utf16(text, start, end, given)
    if not 0 <= start < end <= len(text):
        return [f"span {start}–{end} lies outside the task text (0–{len(text)})"]
    if isinstance(given, str) and text[start:end] != given:
        return [
            f"span {start}–{end} reads {text[start:end]!r} in the task text, "
            f"not {given!r} as the file says"
        ]
    labels = value.get("labels")
    labels = [labels] if isinstance(labels, str) else labels
    if not isinstance(labels, list) or not labels:
        return [f"span {start}–{end} has no label"]
    problems = []
    for label in labels:
        found = span_label(vocabulary, label, control)
        if found is None:
            problems.append(span_problem(vocabulary, label, control))
            continue
        layer, label_value = found
        spans.append(
            {
                "layer": layer,
                "label": label_value,
                "start": passage.start + start,
                "end": passage.start + end,
                "text": text[start:end],
            }
        )
    return problems


def _from_utf16(text, start, end, given):
    """Offsets counted in UTF-16 code units (JavaScript's) as Python character offsets, when
    they then read ``given``; else the offsets unchanged."""
    units, index = 0, {}
    for i, char in enumerate(text):
        index[units] = i
        units += 2 if ord(char) > 0xFFFF else 1
    index[units] = len(text)
    if start in index and end in index and text[index[start] : index[end]] == given:
        return index[start], index[end]
    return start, end


# ------------------------------------------------------------------------------ writing


def results(record: PassageRecord, answer: Answer, vocabulary: Vocabulary, reviewer=True):
    """One answer as Label Studio results (controls as in labeling_config)."""

    def choice(kind, names):
        return {
            "from_name": CONTROLS[kind],
            "to_name": TEXT,
            "type": "choices",
            "value": {"choices": names},
        }

    def free_text(kind, value):
        return {
            "from_name": CONTROLS[kind],
            "to_name": TEXT,
            "type": "textarea",
            "value": {"text": [value]},
        }

    out = [choice(LABEL, [vocabulary.name(LABEL, answer.label)])]
    if answer.cited_type:
        out.append(choice(CITED_TYPE, [vocabulary.name(CITED_TYPE, answer.cited_type)]))
    if answer.cited_source:
        out.append(free_text("cited_source", answer.cited_source))
    if answer.markers:
        out.append(choice(MARKER, [vocabulary.name(MARKER, m) for m in answer.markers]))
    if reviewer and answer.confidence:
        out.append(choice(CONFIDENCE, [vocabulary.name(CONFIDENCE, answer.confidence)]))
    if reviewer and answer.note:
        out.append(free_text("note", answer.note))
    for i, span in enumerate(answer.spans):
        start, end = record.relative(span)
        kind = CITED_TYPE if span["layer"] == SOURCE else MARKER
        out.append(
            {
                "id": f"p{record.passage}s{i}",
                "from_name": CONTROLS[span["layer"]],
                "to_name": TEXT,
                "type": "labels",
                "value": {
                    "start": start,
                    "end": end,
                    "text": record.text[start:end],
                    "labels": [vocabulary.name(kind, span["label"])],
                },
            }
        )
    return out


def task(record: PassageRecord, vocabulary: Vocabulary, with_answers=False) -> dict:
    out = {
        "data": {
            TEXT: record.text,
            "passage": record.passage,
            "document": record.document,
            "position": record.position,
            "outlet": record.outlet,
            "title": record.title,
            "final_status": record.final_status,
        },
        "predictions": [],
    }
    if record.final is not None:
        out["predictions"].append(
            {
                "model_version": MODEL_VERSION,
                "result": results(record, record.final, vocabulary, reviewer=False),
            }
        )
    if with_answers:
        out["annotations"] = [
            {
                "completed_by": {
                    "id": answer.annotator_id,
                    "email": answer.email,
                    "username": answer.annotator,
                    "first_name": "",
                    "last_name": "",
                },
                "was_cancelled": False,
                "ground_truth": False,
                "result": results(record, answer, vocabulary),
            }
            for answer in record.answers
        ]
    return out


def write(records, vocabulary: Vocabulary, with_answers=False) -> str:
    """The tasks of ``records`` as Label Studio JSON (a list of tasks)."""
    tasks = [task(r, vocabulary, with_answers) for r in records]
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"


def labeling_config(vocabulary: Vocabulary) -> str:
    """A Label Studio labeling configuration (XML) whose controls match ``write``'s results."""

    def options(tag, kind, values):
        return "".join(
            f"\n    <{tag} value={quoteattr(vocabulary.name(kind, v))}/>" for v in values
        )

    cited = [v for v in vocabulary.cited_types if v]
    parts = [
        "<View>",
        f'  <Text name="{TEXT}" value="${TEXT}"/>',
        f'  <Header value="Passage type"/>\n  <Choices name="{CONTROLS[LABEL]}" '
        f'toName="{TEXT}" choice="single" required="true">'
        f"{options('Choice', LABEL, vocabulary.labels)}\n  </Choices>",
        f'  <Header value="Who is cited"/>\n  <Choices name="{CONTROLS[CITED_TYPE]}" '
        f'toName="{TEXT}" choice="single">{options("Choice", CITED_TYPE, cited)}\n  </Choices>',
        f'  <TextArea name="cited_source" toName="{TEXT}" maxSubmissions="1" '
        'placeholder="Name of the cited source"/>',
        f'  <Header value="Bias markers"/>\n  <Choices name="{CONTROLS[MARKER]}" '
        f'toName="{TEXT}" choice="multiple">{options("Choice", MARKER, vocabulary.markers)}'
        "\n  </Choices>",
        f'  <Labels name="{CONTROLS[SOURCE]}" toName="{TEXT}">'
        f"{options('Label', CITED_TYPE, cited)}\n  </Labels>",
        f'  <Labels name="{CONTROLS[LOADED]}" toName="{TEXT}">'
        f"{options('Label', MARKER, vocabulary.markers)}\n  </Labels>",
        f'  <Choices name="{CONTROLS[CONFIDENCE]}" toName="{TEXT}" choice="single">'
        f"{options('Choice', CONFIDENCE, vocabulary.confidences)}\n  </Choices>",
        f'  <TextArea name="note" toName="{TEXT}" placeholder="Note"/>',
        "</View>",
    ]
    return "\n".join(parts) + "\n"
