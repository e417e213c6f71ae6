"""doccano's JSONL export, read and written (pure, no Django).

doccano writes one JSON object per line and per example (its export examples:
backend/data_export/pipeline/examples.py in doccano/doccano):

- text classification: ``{"text": "...", "label": ["positive"]}``;
- sequence labelling: ``{"text": "...", "label": [[0, 2, "ORG"], [11, 17, "MISC"]]}``
  (older versions: ``"labels"``), offsets into ``text``, end exclusive;
- intent detection and slot filling: ``{"text": "...", "entities": [[0, 26, "City"]],
  "cats": ["flight"]}``; relation extraction writes ``entities`` as objects
  ``{"id", "start_offset", "end_offset", "label"}``.

Any other field of the uploaded example comes back beside them (older versions: under
``meta``). doccano exports each annotator's labels apart (one file per user, or a ``user``
field; the tutorial's export says ``username``).

Reading. A line (or an element, when the file is one JSON list) must say which passage it
is: ``passage`` (a passage id), or ``document`` and ``position``, at the top or under
``meta``; its ``text`` must be that passage's text, exactly, since offsets count from it.
Categories (``label`` strings, ``cats`` as a list or as ``{name: true or a score}``, a
score of 0.5 or more counting) and span labels (``label``/``labels`` triples,
``entities``) map to answers as annotate.interchange.formats.mapping says; offsets become
document offsets by adding the passage's start. The annotator is the one named for the
whole file (the command's ``--annotator``), else the line's ``user``, ``annotator`` or
``username`` (a number becomes ``doccano-<n>``). A line with no category and no span (an
example nobody labelled) is skipped. Answers doccano has no place for are read from extra
fields when present: ``cited_type``, ``markers`` and ``confidence`` (names or values, read
as the Label Studio controls of those names), ``cited_source`` and ``note`` (text).

Writing. One line per passage, in reading order: ``text``, ``label`` (the final passage
type's name as the one doccano category; an empty list when unresolved), ``entities``
(spans as ``[start, end, name]`` in the passage text, end exclusive), ``passage``,
``document``, ``position``, ``outlet``, ``final_status``, and the extra fields above when
set. For one reviewer (``annotator``), their answers instead, each line with ``user``: a
file per annotator, as doccano exports them. The file imports into a doccano project of
type "Text classification" (``label``) and, renaming ``label`` to ``cats``, "Intent
detection and slot filling" (``cats`` and ``entities``).
"""

from __future__ import annotations

import json

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
from annotate.interchange.formats.mapping import Choices, span_label, span_problem
from annotate.spans.layers import SOURCE

USER_FIELDS = ("user", "annotator", "username")
# Answers doccano has no place for, kept beside the example as its other fields are: choices
# (read as the Label Studio controls of the same names are) and free text.
EXTRA_CHOICES = ("cited_type", "markers", "confidence")
EXTRA_TEXTS = ("cited_source", "note")
MIN_SCORE = 0.5


def read(name: str, data: bytes, context: ReadContext) -> Parsed:
    parsed = Parsed()
    text = decode(name, data, parsed)
    if text is None:
        return parsed
    for where, record in _records(name, text, parsed):
        if not isinstance(record, dict):
            parsed.errors.append(f"{name}, {where}: not an example (an object with text)")
            continue
        cells, problems = _read_record(record, context)
        if problems:
            parsed.errors.append(f"{name}, {where}: {'; '.join(problems)}")
        elif cells is not None:
            parsed.rows.append((where, cells))
    return parsed


def _records(name, text, parsed):
    """(where, decoded object) for each example: JSON lines, or one JSON list."""
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            parsed.errors.append(f"{name}: not valid JSON ({_reason(exc)})")
            return
        for n, record in enumerate(records, 1):
            yield f"example {n}", record
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            parsed.errors.append(f"{name}, line {n}: not valid JSON ({_reason(exc)})")
            continue
        yield f"line {n}", record


def _reason(exc):
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return f"{exc.msg} at column {exc.colno}"


def _field(record, key):
    if key in record:
        return record[key]
    meta = record.get("meta")
    return meta.get(key) if isinstance(meta, dict) else None


def annotator_of(record: dict) -> str | None:
    for key in USER_FIELDS:
        who = _field(record, key)
        if isinstance(who, int) and not isinstance(who, bool):
            return f"doccano-{who}"
        if isinstance(who, str) and who.strip():
            return who.strip()
    return None


def _split(record):
    """(category names, span triples) from label/labels/cats/entities; problems."""
    categories, spans, problems = [], [], []
    for key in ("label", "labels", "entities"):
        values = record.get(key)
        if values is None:
            continue
        if not isinstance(values, list):
            problems.append(f"{key} must be a list")
            continue
        for value in values:
            if isinstance(value, str):
                categories.append(value)
            elif isinstance(value, list | tuple) and len(value) == 3:
                spans.append(tuple(value))
            elif isinstance(value, dict) and {"start_offset", "end_offset", "label"} <= set(value):
                spans.append((value["start_offset"], value["end_offset"], value["label"]))
            else:
                problems.append(
                    f"{key} holds {value!r}, neither a category nor [start, end, label]"
                )
    cats = record.get("cats")
    if isinstance(cats, list):
        categories.extend(c for c in cats if isinstance(c, str))
    elif isinstance(cats, dict):
        categories.extend(
            c
            for c, v in cats.items()
            if v is True
            or (isinstance(v, int | float) and not isinstance(v, bool) and v >= MIN_SCORE)
        )
    elif cats is not None:
        problems.append("cats must be a list or an object")
    return categories, spans, problems


def _read_record(record, context):
    categories, triples, problems = _split(record)
    if problems:
        return None, problems
    if not categories and not triples:
        return None, []  # an example nobody labelled
    passage, problem = context.passages.locate(
        _field(record, "passage"), _field(record, "document"), _field(record, "position")
    )
    if problem:
        return None, [f"the example {problem}"]
    text = record.get("text", record.get("data"))
    if not isinstance(text, str):
        return None, ["the example has no text"]
    if text != passage.text:
        return None, [
            f"the example's text is not the text of passage {passage.id} "
            f"({text_difference(text, passage.text)}); offsets would point at other words"
        ]
    annotator = context.annotator or annotator_of(record)
    if not annotator:
        problems.append(
            "says nobody made it (no user or annotator); name the annotator for the file"
        )
    vocabulary = context.vocabulary
    choices = Choices()
    choices.add(vocabulary, categories)
    for key in EXTRA_CHOICES:
        value = _field(record, key)
        if value not in (None, "", []):
            choices.add(vocabulary, value, control=key)
    choices.finish(vocabulary)
    problems.extend(choices.problems)
    spans = []
    for start, end, label in triples:
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            problems.append(f"a span without whole-number start and end ({start!r}, {end!r})")
            continue
        if not 0 <= start < end <= len(text):
            problems.append(f"span {start}–{end} lies outside the example's text (0–{len(text)})")
            continue
        found = span_label(vocabulary, label)
        if found is None:
            problems.append(span_problem(vocabulary, label))
            continue
        layer, value = found
        spans.append(
            {
                "layer": layer,
                "label": value,
                "start": passage.start + start,
                "end": passage.start + end,
                "text": text[start:end],
            }
        )
    if problems:
        return None, problems
    extra = {key: _field(record, key) for key in EXTRA_TEXTS}
    extra = {key: value.strip() for key, value in extra.items() if isinstance(value, str)}
    cells = row_cells(
        annotator,
        passage,
        choices.label,
        cited_type=choices.cited_type or "",
        cited_source=extra.get("cited_source", ""),
        markers=choices.markers,
        confidence=choices.confidence or "",
        note=extra.get("note", ""),
        spans=spans,
    )
    return cells, []


# ------------------------------------------------------------------------------ writing


def line(record: PassageRecord, answer: Answer | None, vocabulary: Vocabulary) -> dict:
    """One doccano example: the passage type as its category, spans as entities, the rest
    as extra fields (EXTRA_CHOICES by display name, EXTRA_TEXTS)."""
    out = {
        "text": record.text,
        "label": [vocabulary.name(LABEL, answer.label)] if answer is not None else [],
        "entities": [],
        "passage": record.passage,
        "document": record.document,
        "position": record.position,
        "outlet": record.outlet,
        "final_status": record.final_status,
    }
    if answer is None:
        return out
    for span in answer.spans:
        start, end = record.relative(span)
        kind = CITED_TYPE if span["layer"] == SOURCE else MARKER
        out["entities"].append([start, end, vocabulary.name(kind, span["label"])])
    if answer.cited_type:
        out["cited_type"] = vocabulary.name(CITED_TYPE, answer.cited_type)
    if answer.markers:
        out["markers"] = [vocabulary.name(MARKER, m) for m in answer.markers]
    if answer.confidence:
        out["confidence"] = vocabulary.name(CONFIDENCE, answer.confidence)
    out.update((key, getattr(answer, key)) for key in EXTRA_TEXTS if getattr(answer, key))
    return out


def write(records, vocabulary: Vocabulary, annotator: str | None = None) -> str:
    """The final answers as doccano JSONL; with ``annotator``, that reviewer's answers."""
    lines = []
    for record in records:
        if annotator is None:
            lines.append(line(record, record.final, vocabulary))
            continue
        for answer in record.answers:
            if answer.annotator == annotator:
                lines.append({**line(record, answer, vocabulary), "user": annotator})
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)


def annotators(records) -> list[str]:
    """Every reviewer who answered one of ``records``, sorted."""
    return sorted({a.annotator for r in records for a in r.answers})
