"""Import annotations made elsewhere, so a team can measure its agreement here.

Formats (annotate.interchange.formats): ``csv`` (Credence's own columns, below),
``labelstudio`` (a Label Studio JSON export) and ``doccano`` (doccano's JSONL export); the
format is guessed from the file's name and first characters when not given. Each reader
turns the file into the same rows, which this module checks and writes.

CSV columns: `annotator`, `label`, and either `passage` (a passage id) or
`document` (a document id) with `position` (the passage's position in it,
from 0); optional `cited_source`, `cited_type`, `markers` (separated by `;`),
`confidence`, `note` and `spans`. The file is all or nothing: every unknown reference,
label, marker, duplicate or bad span is reported with its line (or task) and nothing is
written; at most MAX_ERRORS problems are listed, then how many more there are.

`spans` holds the row's evidence spans as a JSON list of objects
``{"layer", "label", "start", "end", "text"}`` (annotate.spans.layers): offsets into the
document's text, end exclusive, inside the passage; ``text`` is optional and, when given,
must be the document's text at those offsets. Each non-empty cell is checked with
clean_spans against the passage and the scheme (a cited-source type for ``source``, a bias
marker for ``loaded``; a scheme with spans off takes none), and stored as the annotation
page stores spans: trimmed and in order. An empty cell is no spans. A scheme that requires
spans is not enforced here: the other tool may not have marked any. Imported annotations
have no guidelines version: they were not made under this campaign's guidelines.

Annotators are matched to users by user name (``annotator`` names one annotator for the
whole file); a name that is not yet a user becomes an inactive account (it cannot log in)
so its labels have an owner. Each annotation takes a free reviewer place of its passage by
a conditional update, as the queue does, so a place a reviewer claims meanwhile is never
taken over; the writes go in bulk (annotate.interchange.import_writes), a few statements
per 2,000 annotations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from annotate.campaigns import services
from annotate.interchange import import_writes, selectors
from annotate.interchange.formats import FORMATS, NEEDS_TEXTS, ReadContext, guess_format
from annotate.jobs import versions
from annotate.models import Assignment, CitedSourceType, Confidence
from annotate.spans.layers import SpanError, clean_spans
from annotate.spans.selectors import span_labels
from corpus.models import Passage

USERNAME_MAX = 150  # django.contrib.auth's User.username
MAX_ERRORS = 100


@dataclass
class AnnotationImport:
    created: int = 0
    users_created: int = 0
    errors: list[str] = field(default_factory=list)  # at most MAX_ERRORS, then "and N more"
    problems: int = 0  # how many problems there were in all
    format: str = ""

    @property
    def ok(self):
        return not self.errors

    def refuse(self, name, errors):
        self.problems = len(errors)
        self.errors = list(errors[:MAX_ERRORS])
        if len(errors) > MAX_ERRORS:
            self.errors.append(f"{name}: … and {len(errors) - MAX_ERRORS} more problem(s)")
        self.created = self.users_created = 0


def import_annotations(
    campaign, name, data: bytes, imported_by=None, format=None, annotator=None
) -> AnnotationImport:
    """Import the file ``name`` (its bytes ``data``) into ``campaign``, all or nothing.

    ``format``: csv, labelstudio or doccano (guessed when None); ``annotator``: the user
    name every annotation of the file belongs to (a doccano export per user), else each
    row's own."""
    result = AnnotationImport(format=format or guess_format(name, data))
    if result.format not in FORMATS:
        result.refuse(name, [f"{name}: unknown format {result.format!r} ({', '.join(FORMATS)})"])
        return result
    context = ReadContext(annotator=(annotator or "").strip() or None)
    if result.format in NEEDS_TEXTS:
        context.passages = selectors.passage_texts(campaign)
        context.vocabulary = selectors.vocabulary(campaign)
    parsed = FORMATS[result.format](name, data, context)
    if parsed.errors:
        result.refuse(name, parsed.errors)
        return result
    if not parsed.rows:
        result.refuse(name, [f"{name}: no annotations found"])
        return result
    with transaction.atomic():
        services.sync_slots(campaign)
        errors = _resolve_and_write(campaign, name, parsed.rows, result, imported_by, context)
        if errors:
            transaction.set_rollback(True)
            result.refuse(name, errors)
        else:
            versions.bump(campaign.pk)  # last: cached results at the old version go stale
    return result


def _resolve_and_write(campaign, name, rows, result, imported_by, context):
    """Check every row, then write them all; returns the errors (nothing is kept then)."""
    labels = set(campaign.scheme.labels.values_list("value", flat=True))
    markers = set(campaign.scheme.markers.values_list("value", flat=True))
    cited_types = {v for v, _ in CitedSourceType.choices}
    confidences = {v for v, _ in Confidence.choices}
    by_id, by_position, boilerplate = {}, {}, set()
    for pk, doc, pos, kind in selectors.campaign_passages(campaign).values_list(
        "pk", "document_id", "position", "kind"
    ):
        by_id[str(pk)] = by_position[(str(doc), str(pos))] = pk
        if kind == Passage.Kind.BOILERPLATE:
            boilerplate.add(pk)
    User = get_user_model()
    names = sorted({r.get("annotator", "") for _, r in rows})
    users = {
        u.username: u
        for i in range(0, len(names), import_writes.READ_BATCH)
        for u in User.objects.filter(username__in=names[i : i + import_writes.READ_BATCH])
    }
    slots = _places(campaign)
    spans_of = _span_checker(campaign, rows, context.passages)
    seen = set()
    pending, errors = [], []
    for where, row in rows:
        problems = []
        if row.get("passage"):
            passage_id = by_id.get(row["passage"])
            if passage_id is None:
                problems.append(f"passage {row['passage']!r} is not in this campaign")
        else:
            passage_id = by_position.get((row.get("document", ""), row.get("position", "")))
            if passage_id is None:
                problems.append(
                    f"document {row.get('document')!r} has no passage at position {row.get('position')!r} in this campaign"
                )
        if passage_id in boilerplate:
            problems.append("the passage is boilerplate, which this campaign does not annotate")
        annotator = row.get("annotator", "")
        if not annotator:
            problems.append("the annotator is empty")
        elif len(annotator) > USERNAME_MAX:
            problems.append(f"the annotator name is longer than {USERNAME_MAX} characters")
        if row["label"] not in labels:
            problems.append(
                f"unknown label {row['label']!r} (expected one of {', '.join(sorted(labels))})"
            )
        # Sorted and without repeats, as save_annotation stores them: ticking order is no answer.
        marker_list = sorted({m.strip() for m in row.get("markers", "").split(";") if m.strip()})
        unknown = [m for m in marker_list if m not in markers]
        if unknown:
            problems.append(f"unknown marker(s) {', '.join(unknown)}")
        if row.get("cited_type", "") not in cited_types:
            problems.append(f"unknown cited_type {row['cited_type']!r}")
        confidence = row.get("confidence") or Confidence.MEDIUM
        if confidence not in confidences:
            problems.append(f"unknown confidence {confidence!r} (low, medium or high)")
        if len(row.get("cited_source", "")) > 300:
            problems.append("cited_source is longer than 300 characters")
        key = (passage_id, annotator)
        if passage_id is not None and key in seen:
            problems.append("this annotator already labelled this passage earlier in the file")
        seen.add(key)
        spans = []
        if row.get("spans") and passage_id is not None:
            spans, problem = spans_of(passage_id, row["spans"])
            if problem:
                problems.append(problem)
        if problems:
            errors.append(f"{name}, {where}: {'; '.join(problems)}")
            continue
        pending.append(
            import_writes.Pending(where, passage_id, annotator, row, marker_list, confidence, spans)
        )
    if errors:
        return errors
    errors = import_writes.plan_places(name, pending, slots, users, campaign.overlap)
    if errors:
        return errors
    result.users_created = import_writes.create_users({row.annotator for row in pending}, users)
    for row in pending:
        row.user_id = users[row.annotator].pk
    now = timezone.now()
    errors = import_writes.take_places(name, campaign, pending, now)
    if errors:
        return errors
    result.created = import_writes.write_annotations(pending, imported_by, now)
    return []


def _span_checker(campaign, rows, passages=None):
    """A function (passage id, spans cell) -> (cleaned spans, problem or None).

    Only when some row has spans are the scheme's span labels and the campaign's passage
    texts read (three queries at most, whatever the number of rows, and none for the texts
    when the reader already had them); rows without spans are never checked. A cell is a
    JSON text (CSV) or an already decoded list (the other formats).
    """
    if not any(cells.get("spans") for _, cells in rows):
        return None
    labels = span_labels(campaign.scheme)
    if passages is not None:
        texts = {p.id: (p.text, p.start) for p in passages.by_id.values()}
    else:
        texts = {
            pk: (text, start)
            for pk, text, start in selectors.campaign_passages(campaign).values_list(
                "pk", "text", "start"
            )
        }

    def check(passage_id, cell):
        if isinstance(cell, str):
            try:
                raw = json.loads(cell)
            except json.JSONDecodeError as exc:
                return [], f"spans is not valid JSON ({exc.msg} at character {exc.pos + 1})"
            except RecursionError:
                return [], "spans is nested too deeply to be a list of spans"
        else:
            raw = cell
        text, start = texts[passage_id]
        try:
            return clean_spans(raw, passage_text=text, passage_start=start, labels=labels), None
        except SpanError as exc:
            return [], f"spans: {exc}"
        except TypeError:  # a layer or label that is a list or an object
            return [], "spans: each span's layer and label must be text"

    return check


def _places(campaign):
    """The campaign's reviewer places (import_writes.Place), by passage id (one query)."""
    slots = {}
    for place in (
        Assignment.objects.filter(campaign=campaign)
        .order_by()
        .values_list("pk", "passage_id", "slot", "reviewer_id", "status")
    ):
        slots.setdefault(place[1], []).append(import_writes.Place(*place))
    return slots
