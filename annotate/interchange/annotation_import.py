"""Import annotations made elsewhere, so a team can measure its agreement here.

CSV columns: `annotator`, `label`, and either `passage` (a passage id) or
`document` (a document id) with `position` (the passage's position in it,
from 0); optional `cited_source`, `cited_type`, `markers` (separated by `;`),
`confidence`, `note` and `spans`. The file is all or nothing: every unknown reference,
label, marker, duplicate or bad span is reported with its line and nothing is written.

`spans` holds the row's evidence spans as a JSON list of objects
``{"layer", "label", "start", "end", "text"}`` (annotate.spans.layers): offsets into the
document's text, end exclusive, inside the passage; ``text`` is optional and, when given,
must be the document's text at those offsets. Each non-empty cell is checked with
clean_spans against the passage and the scheme (a cited-source type for ``source``, a bias
marker for ``loaded``; a scheme with spans off takes none), and stored as the annotation
page stores spans: trimmed and in order. An empty cell is no spans. A scheme that requires
spans is not enforced here: the other tool may not have marked any. Imported annotations
have no guidelines version: they were not made under this campaign's guidelines.

Annotators are matched to users by user name; a name that is not yet a user
becomes an inactive account (it cannot log in) so its labels have an owner.
Each annotation takes a free reviewer place of its passage, by the same
conditional update the queue uses, so a place a reviewer claims meanwhile is
never taken over.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from annotate.campaigns import services
from annotate.models import Annotation, AnnotationRevision, Assignment, CitedSourceType, Confidence
from annotate.spans.layers import SpanError, clean_spans
from annotate.spans.selectors import span_labels
from corpus.models import Passage

REQUIRED = ("annotator", "label")
USERNAME_MAX = 150  # django.contrib.auth's User.username


@dataclass
class AnnotationImport:
    created: int = 0
    users_created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def import_annotations(campaign, name, data: bytes, imported_by=None) -> AnnotationImport:
    result = AnnotationImport()
    rows = _parse(name, data, result)
    if result.errors:
        return result
    if not rows:
        result.errors.append(f"{name}: no annotations found")
        return result
    with transaction.atomic():
        services.sync_slots(campaign)
        _resolve_and_write(campaign, name, rows, result, imported_by)
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.users_created = 0
    return result


def _parse(name, data, result):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        result.errors.append(f"{name}, line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if "passage" not in columns and not {"document", "position"} <= set(columns):
        missing.append("passage (or document and position)")
    if missing:
        result.errors.append(f"{name}, line 1: missing column(s) {', '.join(missing)}")
        return []
    reader.fieldnames = columns
    rows = []
    try:
        for row in reader:
            if None in row:
                result.errors.append(f"{name}, line {reader.line_num}: more cells than columns")
                continue
            cells = {k: (v or "").strip() for k, v in row.items()}
            if any("\x00" in v for v in cells.values()):  # PostgreSQL cannot store NUL in text
                result.errors.append(
                    f"{name}, line {reader.line_num}: a cell contains a NUL character"
                )
                continue
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        result.errors.append(f"{name}, line {reader.line_num}: malformed CSV ({exc})")
    return rows


def _resolve_and_write(campaign, name, rows, result, imported_by):
    labels = set(campaign.scheme.labels.values_list("value", flat=True))
    markers = set(campaign.scheme.markers.values_list("value", flat=True))
    cited_types = {v for v, _ in CitedSourceType.choices}
    confidences = {v for v, _ in Confidence.choices}
    in_campaign = Passage.objects.filter(document__campaigndocument__campaign=campaign)
    by_id, by_position, boilerplate = {}, {}, set()
    for pk, doc, pos, kind in in_campaign.values_list("pk", "document_id", "position", "kind"):
        by_id[str(pk)] = by_position[(str(doc), str(pos))] = pk
        if kind == Passage.Kind.BOILERPLATE:
            boilerplate.add(pk)
    User = get_user_model()
    users = {
        u.username: u for u in User.objects.filter(username__in={r["annotator"] for _, r in rows})
    }
    slots = _places(campaign)
    spans_of = _span_checker(campaign, rows)
    seen = set()
    pending = []
    for line, row in rows:
        where = f"{name}, line {line}"
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
        if not row["annotator"]:
            problems.append("the annotator is empty")
        elif len(row["annotator"]) > USERNAME_MAX:
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
        key = (passage_id, row["annotator"])
        if passage_id is not None and key in seen:
            problems.append("this annotator already labelled this passage earlier in the file")
        seen.add(key)
        spans = []
        if row.get("spans") and passage_id is not None:
            spans, problem = spans_of(passage_id, row["spans"])
            if problem:
                problems.append(problem)
        if problems:
            result.errors.append(f"{where}: {'; '.join(problems)}")
            continue
        pending.append((where, passage_id, row, marker_list, confidence, spans))
    if result.errors:
        return
    now = timezone.now()
    for where, passage_id, row, marker_list, confidence, spans in pending:
        user = users.get(row["annotator"])
        if user is None:
            user = User.objects.create_user(username=row["annotator"], is_active=False)
            users[row["annotator"]] = user
            result.users_created += 1
        places = slots.get(passage_id, [])
        if any(a.reviewer_id == user.pk for a in places):
            result.errors.append(
                f"{where}: {row['annotator']} already has an annotation or a claim on this passage"
            )
            continue
        place = _take_place(places, user, now)
        if place is None:
            result.errors.append(
                f"{where}: the passage already has {campaign.overlap} reviewers; raise the campaign's overlap to import more"
            )
            continue
        annotation = Annotation.objects.create(
            assignment=place,
            label=row["label"],
            cited_source=row.get("cited_source", ""),
            cited_type=row.get("cited_type", ""),
            markers=marker_list,
            spans=spans,
            confidence=confidence,
            note=row.get("note", ""),
        )
        AnnotationRevision.objects.create(
            annotation=annotation,
            changed_by=imported_by or user,
            changed_at=now,
            before=None,
            after=annotation.snapshot(),
        )
        result.created += 1


def _span_checker(campaign, rows):
    """A function (passage id, spans cell) -> (cleaned spans, problem or None).

    Only when some row has a spans cell are the scheme's span labels and the campaign's
    passage texts read (three queries at most, whatever the number of rows); rows without
    spans are never checked.
    """
    if not any(cells.get("spans") for _, cells in rows):
        return None
    labels = span_labels(campaign.scheme)
    texts = {
        pk: (text, start)
        for pk, text, start in Passage.objects.filter(
            document__campaigndocument__campaign=campaign
        ).values_list("pk", "text", "start")
    }

    def check(passage_id, cell):
        try:
            raw = json.loads(cell)
        except json.JSONDecodeError as exc:
            return [], f"spans is not valid JSON ({exc.msg} at character {exc.pos + 1})"
        except RecursionError:
            return [], "spans is nested too deeply to be a list of spans"
        text, start = texts[passage_id]
        try:
            return clean_spans(raw, passage_text=text, passage_start=start, labels=labels), None
        except SpanError as exc:
            return [], f"spans: {exc}"
        except TypeError:  # a layer or label that is a list or an object
            return [], "spans: each span's layer and label must be text"

    return check


def _places(campaign):
    """The campaign's reviewer places, by passage id."""
    slots = {}
    for a in Assignment.objects.filter(campaign=campaign).only(
        "id", "passage_id", "slot", "reviewer_id", "status"
    ):
        slots.setdefault(a.passage_id, []).append(a)
    return slots


def _take_place(places, user, now):
    """Give the user a free place of the passage, or None when every place is taken.

    Conditional update, as in annotate.queue.services.claim_next: a place a reviewer claimed since the
    places were read is not free any more and is left alone.
    """
    for place in sorted(places, key=lambda a: a.slot):
        if place.status != Assignment.Status.OPEN:
            continue
        taken = Assignment.objects.filter(pk=place.pk, status=Assignment.Status.OPEN).update(
            reviewer=user, status=Assignment.Status.DONE, done_at=now
        )
        if taken:
            place.reviewer, place.status, place.done_at = user, Assignment.Status.DONE, now
            return place
        place.refresh_from_db(fields=["reviewer", "status"])
    return None
