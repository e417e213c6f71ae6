"""The writes of an annotation import, in bulk (annotate.interchange.annotation_import checks
the rows first; this module runs inside its transaction).

A few statements per 2,000 annotations, whatever the file's size, instead of five per
annotation:

1. ``plan_places``: from one read of the campaign's places, each row is given the free
   (open) place of lowest slot of its passage, in file order; a row whose annotator already
   holds a place of the passage, or whose passage has no free place left, is refused there.
2. ``create_users``: annotators who are not users yet become inactive accounts (no usable
   password), in one ``bulk_create``.
3. ``take_places``: one conditional UPDATE per batch, joined to a VALUES list of
   (place id, user id), sets each planned place to done *only if it is still open* and the
   annotator holds no other place of the passage, as ``annotate.queue.services.claim_next``
   takes a place: a place a reviewer claimed since the places were read is never taken
   over. When the UPDATE changes fewer rows than the batch has, the batch's places are
   read again to see which were lost, and each such row looks for another open place of
   its passage one conditional UPDATE at a time (``take_place``, the way the import always
   took places); a passage that has run out of places is reported on its last rows in the
   file ("the passage already has N reviewers"), and the import writes nothing.
4. ``write_annotations``: the annotations, then one revision each (before: none; after:
   the annotation's snapshot), by prepared INSERTs of 2,000 rows (``_insert``); the new
   annotations' ids are read back in one query.

Everything runs in the import's transaction, so a refused file leaves no user, place,
annotation or revision behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection

from annotate.models import Annotation, AnnotationRevision, Assignment

BATCH = 2000
READ_BATCH = 500  # ids per IN (...) read: under SQLite's 999-parameter limit


class Place(NamedTuple):
    """A reviewer place as the import reads it (annotation_import._places)."""

    pk: int
    passage_id: int
    slot: int
    reviewer_id: int | None
    status: str


@dataclass
class Pending:
    """A checked row waiting to be written."""

    where: str
    passage_id: int
    annotator: str
    cells: dict
    markers: list
    confidence: str
    spans: list
    place: Place | Assignment | None = None
    user_id: int | None = None


def _reviewers(overlap):
    return (
        f"the passage already has {overlap} reviewers; raise the campaign's overlap to import more"
    )


def plan_places(name, pending, slots, users, overlap) -> list[str]:
    """Give each row a free place of its passage (see the module docstring); return errors."""
    errors, free = [], {}
    for row in pending:
        places = slots.get(row.passage_id, [])
        user = users.get(row.annotator)
        if user is not None and any(a.reviewer_id == user.pk for a in places):
            errors.append(
                f"{name}, {row.where}: {row.annotator} already has an annotation or a claim "
                "on this passage"
            )
            continue
        queue = free.get(row.passage_id)
        if queue is None:
            queue = free[row.passage_id] = sorted(
                (a for a in places if a.status == Assignment.Status.OPEN),
                key=lambda a: a.slot,
                reverse=True,
            )
        if not queue:
            errors.append(f"{name}, {row.where}: {_reviewers(overlap)}")
            continue
        row.place = queue.pop()
    return errors


def create_users(names, users) -> int:
    """Inactive accounts, without a usable password, for the names not in ``users`` (which
    gains them); returns how many were made."""
    User = get_user_model()
    missing = sorted(set(names) - set(users))
    made = User.objects.bulk_create(
        [User(username=n, is_active=False, password=make_password(None)) for n in missing],
        batch_size=BATCH,
    )
    if any(u.pk is None for u in made):  # a database that returns no ids from bulk inserts
        made = list(User.objects.filter(username__in=missing))
    users.update({u.username: u for u in made})
    return len(made)


def _table():
    quote = connection.ops.quote_name
    meta = Assignment._meta
    return quote(meta.db_table), {
        name: quote(meta.get_field(name).column)
        for name in ("id", "reviewer", "status", "done_at", "campaign", "passage")
    }


def take_places(name, campaign, pending, now) -> list[str]:
    """Take every planned place, batch by batch, by conditional UPDATE; rows whose place was
    taken meanwhile look for another (see the module docstring). Returns errors."""
    table, col = _table()
    done, open_ = Assignment.Status.DONE, Assignment.Status.OPEN
    when = connection.ops.adapt_datetimefield_value(now)
    lost = []
    with connection.cursor() as cursor:
        for i in range(0, len(pending), BATCH):
            batch = pending[i : i + BATCH]
            # Whole numbers written into the SQL with int(): ids, never text from the file.
            values = ", ".join(f"({int(r.place.pk)}, {int(r.user_id)})" for r in batch)
            cursor.execute(
                f"UPDATE {table} SET {col['reviewer']} = v.column2, {col['status']} = %s, "
                f"{col['done_at']} = %s FROM (VALUES {values}) AS v "
                f"WHERE {table}.{col['id']} = v.column1 AND {table}.{col['status']} = %s "
                f"AND (SELECT COUNT(*) FROM {table} AS held "
                f"WHERE held.{col['campaign']} = %s AND held.{col['passage']} = {table}.{col['passage']} "
                f"AND held.{col['reviewer']} = v.column2) = 0",
                [done, when, open_, campaign.pk],
            )
            if cursor.rowcount < len(batch):
                lost.extend(_lost(batch))
    if not lost:
        return []
    return _retake(name, campaign, pending, lost, now)


def _lost(batch):
    """The rows of ``batch`` whose place the UPDATE did not give them."""
    state = {}
    ids = [r.place.pk for r in batch]
    for i in range(0, len(ids), READ_BATCH):
        state.update(
            (pk, (reviewer, status))
            for pk, reviewer, status in Assignment.objects.filter(
                pk__in=ids[i : i + READ_BATCH]
            ).values_list("pk", "reviewer_id", "status")
        )
    return [r for r in batch if state.get(r.place.pk) != (r.user_id, Assignment.Status.DONE)]


def _retake(name, campaign, pending, lost, now):
    """Find another open place for each row that lost its own, one conditional UPDATE at a
    time; report the passages that ran out on their last rows in the file."""
    errors = []
    passages = {r.passage_id for r in lost}
    fresh = {}
    ids = sorted(passages)
    for i in range(0, len(ids), READ_BATCH):
        for place in Assignment.objects.filter(
            campaign=campaign, passage_id__in=ids[i : i + READ_BATCH]
        ).only("id", "passage_id", "slot", "reviewer_id", "status"):
            fresh.setdefault(place.passage_id, []).append(place)
    short = {}
    for row in lost:
        places = fresh.get(row.passage_id, [])
        if any(a.reviewer_id == row.user_id for a in places):
            errors.append(
                f"{name}, {row.where}: {row.annotator} already has an annotation or a claim "
                "on this passage"
            )
            continue
        place = take_place(places, row.user_id, now)
        if place is None:
            short[row.passage_id] = short.get(row.passage_id, 0) + 1
        else:
            row.place = place
    for passage_id, count in short.items():
        rows = [r for r in pending if r.passage_id == passage_id]
        for row in rows[-count:]:
            errors.append(f"{name}, {row.where}: {_reviewers(campaign.overlap)}")
    return errors


def take_place(places, user_id, now):
    """Give the user a free place of the passage, or None when every place is taken.

    Conditional update, as in annotate.queue.services.claim_next: a place a reviewer claimed
    since the places were read is not free any more and is left alone.
    """
    for place in sorted(places, key=lambda a: a.slot):
        if place.status != Assignment.Status.OPEN:
            continue
        taken = Assignment.objects.filter(pk=place.pk, status=Assignment.Status.OPEN).update(
            reviewer_id=user_id, status=Assignment.Status.DONE, done_at=now
        )
        if taken:
            place.reviewer_id, place.status, place.done_at = user_id, Assignment.Status.DONE, now
            return place
        place.refresh_from_db(fields=["reviewer", "status"])
    return None


def _insert(model, names, rows):
    """INSERT ``rows`` (tuples of database-ready values for the fields ``names``) into
    ``model``'s table, BATCH rows at a time: on PostgreSQL one ``INSERT ... SELECT FROM
    unnest(...)`` per batch, a typed array per column (executemany sends a statement per
    row, and psycopg parses a 20,000-placeholder VALUES list slowly: 6.3 s for 30,000
    annotations either way, 5.3 s with arrays); elsewhere one executemany (SQLite runs it
    as a loop in C over one prepared statement)."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(n) for n in names]
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
        sql = head + f"SELECT * FROM unnest({arrays})"
    else:
        sql = head + f"VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            batch = rows[i : i + BATCH]
            if connection.vendor == "postgresql":
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
            else:
                cursor.executemany(sql, batch)


def _columns(model, now):
    """The model's columns to insert (every concrete field but the id) and a database-ready
    default for each: its default, or ``now`` for the times set on creation. Fields added to
    the model later are written with their defaults without changing this module."""
    names, defaults = [], {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(field.name)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        defaults[field.name] = field.get_db_prep_save(value, connection)
    return names, defaults


def _json(model, name):
    """Database-ready JSON for the model's JSON field ``name`` (as the field prepares it)."""
    return partial(connection.ops.adapt_json_value, encoder=model._meta.get_field(name).encoder)


def write_annotations(pending, imported_by, now) -> int:
    """The annotations and their first revisions; returns how many.

    Prepared INSERTs (``_insert``) of values made ready for the database once per distinct
    value (the time, each marker list) or with the JSON field's own preparation, not
    bulk_create: on 30,000 annotations bulk_create spent most of the import compiling SQL
    for 480,000 values one by one, in batches of 90 rows (SQLite's 999 parameters, as
    Django counts them). The new annotations' ids are read back in one query, by place:
    each place holds at most one annotation.
    """
    if not pending:
        return 0
    names, defaults = _columns(Annotation, now)
    to_json = _json(Annotation, "spans")
    no_spans, markers_of = to_json([]), {}
    rows = []
    for row in pending:
        markers = tuple(row.markers)
        if markers not in markers_of:
            markers_of[markers] = to_json(list(markers))
        values = {
            "assignment": row.place.pk,
            "label": row.cells["label"],
            "cited_source": row.cells.get("cited_source", ""),
            "cited_type": row.cells.get("cited_type", ""),
            "markers": markers_of[markers],
            "spans": to_json(row.spans) if row.spans else no_spans,
            "confidence": row.confidence,
            "note": row.cells.get("note", ""),
            "guidelines_version": None,  # not made under this campaign's guidelines
        }
        rows.append(tuple(values[n] if n in values else defaults[n] for n in names))
    last = Annotation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _insert(Annotation, names, rows)
    ids = dict(Annotation.objects.filter(pk__gt=last).values_list("assignment_id", "pk").order_by())
    changed_by = getattr(imported_by, "pk", None)
    names, defaults = _columns(AnnotationRevision, now)
    defaults["changed_at"] = AnnotationRevision._meta.get_field("changed_at").get_db_prep_save(
        now, connection
    )
    after = _json(AnnotationRevision, "after")
    revisions, same = [], {}  # answers without spans repeat: their JSON is made once
    for row in pending:
        answer = SimpleNamespace(
            label=row.cells["label"],
            cited_source=row.cells.get("cited_source", ""),
            cited_type=row.cells.get("cited_type", ""),
            markers=row.markers,
            spans=row.spans,
            confidence=row.confidence,
            note=row.cells.get("note", ""),
        )
        key = None
        if not row.spans:
            key = (answer.label, answer.cited_source, answer.cited_type, tuple(row.markers))
            key += (answer.confidence, answer.note)
        if key is None or key not in same:
            # Annotation.snapshot itself, read off the row without building a model instance.
            snapshot = after(Annotation.snapshot(answer))
            if key is not None:
                same[key] = snapshot
        else:
            snapshot = same[key]
        values = {
            "annotation": ids[row.place.pk],
            "changed_by": changed_by or row.user_id,
            "before": None,
            "after": snapshot,
        }
        revisions.append(tuple(values[n] if n in values else defaults[n] for n in names))
    _insert(AnnotationRevision, names, revisions)
    return len(rows)
