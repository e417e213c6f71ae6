"""Every annotation of a campaign with its passage and final label, streamed in reading order.

Annotations are read with two queries on chunked cursors (server-side cursors on
PostgreSQL), passages and annotations, both in the campaign's reading order, and merged
as they arrive, so all rows of a passage are together and its final label is worked out
(annotate.reports.finals.passage_final) before they are handed on. Memory stays constant
whatever the number of annotations. annotate.reports.exports writes the rows as CSV and
JSONL.
"""

from __future__ import annotations

import json
from itertools import chain, groupby
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, FilteredRelation, Func, IntegerField, Q

from annotate.frames import NO_SOURCE
from annotate.models import Adjudication, Annotation, Assignment
from annotate.reports.finals import passage_final
from annotate.reports.selectors import name_scrubber, pseudonym
from corpus.models import Document, Source

CHUNK_ROWS = 2000  # database rows per fetch

ANNOTATION_COLUMNS = [
    "outlet",
    "document_id",
    "document_title",
    "passage_id",
    "position",
    "start",
    "end",
    "text",
    "annotation_id",
    "reviewer",
    "label",
    "cited_source",
    "cited_type",
    "markers",
    "confidence",
    "note",
    "guidelines_version",
    "spans",
    "claimed_at",
    "done_at",
    "created_at",
    "updated_at",
    "final_status",
    "final_label",
    "final_cited_type",
    "final_cited_source",
    "final_markers",
    "adjudicator",
    "adjudication_method",
    "adjudicated_at",
    "rationale",
]
ROW_CELLS = 14  # annotation_id .. updated_at: empty on the row of a passage nobody labelled


class UtcText(Func):
    """A datetime column as UTC text, "YYYY-MM-DD HH:MM:SS.ffffff" (no fraction when it is
    zero), the same on SQLite and PostgreSQL; NULL stays NULL.

    SQLite already stores Django's datetimes as that text: the cast only stops the
    driver from parsing a million datetimes, which costs more than the whole query.
    """

    arity = 1
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS TEXT)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            "replace(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), "
            "'.000000', '')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


class SpanCount(Func):
    """The number of evidence spans in a JSON list column (json_array_length on SQLite,
    jsonb_array_length on PostgreSQL), so a million rows never hand their spans over."""

    arity = 1
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="json_array_length(%(expressions)s)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="jsonb_array_length(%(expressions)s)")


def passage_queryset(campaign, first_place=True):
    """Each passage with reviewer places (by its first place, which every such passage has),
    with the curator's current decision if any, in reading order."""
    decision = FilteredRelation(
        "passage__adjudications", condition=Q(passage__adjudications__campaign=campaign)
    )
    places = Assignment.objects.filter(campaign=campaign, **({"slot": 1} if first_place else {}))
    return (
        places.annotate(decision=decision)
        .order_by("sequence", "id")  # the order of assignment_order_idx: no sort on SQLite
        .values_list(
            "sequence",
            "passage_id",
            "passage__document_id",
            "passage__position",
            "passage__start",
            "passage__end",
            "passage__text",
            "decision__label",
            "decision__cited_type",
            "decision__cited_source",
            "decision__markers",
            "decision__method",
            "decision__decided_by_id",
            UtcText("decision__decided_at"),
            "decision__rationale",
        )
    )


def place_queryset(campaign):
    """Every annotation with its reviewer place, in the same order as passage_queryset."""
    return (
        Annotation.objects.filter(assignment__campaign=campaign)
        .order_by("assignment__sequence", "assignment_id")
        .values_list(
            "assignment__sequence",
            "assignment__passage_id",
            "pk",
            "assignment__reviewer_id",
            "label",
            "cited_source",
            "cited_type",
            "markers",
            "confidence",
            "note",
            "guidelines_version",
            SpanCount("spans"),
            UtcText("assignment__claimed_at"),
            UtcText("assignment__done_at"),
            UtcText("created_at"),
            UtcText("updated_at"),
        )
    )


def _names(campaign, anonymise):
    """{user id: user name or pseudonym} for the campaign's reviewers and adjudicators."""
    people = Assignment.objects.filter(campaign=campaign).values("reviewer_id")
    deciders = Adjudication.objects.filter(campaign=campaign).values("decided_by_id")
    users = (
        get_user_model()
        .objects.filter(Q(pk__in=people) | Q(pk__in=deciders))
        .values_list("pk", "username")
    )
    return {pk: pseudonym(pk) if anonymise else name for pk, name in users}


def _rows(queryset):
    """The queryset's rows as tuples, fetched CHUNK_ROWS at a time from a server-side cursor
    where the database has them (PostgreSQL), so the client never holds the whole result."""
    return chain.from_iterable(_chunks(queryset))


def _chunks(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield rows


def _merge(passages, places, lookup):
    """(passage row, [its place rows]) from two iterators of rows (sequence, passage id, ...)
    sorted by sequence, passages in their order.

    The queue gives each passage its own sequence number; rows are paired by passage id
    within a sequence all the same. A place whose passage is missing from ``passages``
    (one that lost its first place: never through the app, which keeps places
    1..overlap) gets its passage row from ``lookup(passage_id)``, so an export never
    drops an annotation.
    """
    by_sequence = itemgetter(0)
    passage_blocks, place_blocks = groupby(passages, by_sequence), groupby(places, by_sequence)
    p_seq, p_block = next(passage_blocks, (None, None))
    q_seq, q_block = next(place_blocks, (None, None))
    while p_seq is not None or q_seq is not None:
        block = list(p_block) if p_seq is not None and (q_seq is None or p_seq <= q_seq) else []
        group = list(q_block) if q_seq is not None and (p_seq is None or q_seq <= p_seq) else []
        if len(block) == 1 and all(q[1] == block[0][1] for q in group):
            yield block[0], group  # the usual case: one passage and its places
        else:
            found = {row[1]: [] for row in block}
            strays = {}
            for q in group:
                (found[q[1]] if q[1] in found else strays.setdefault(q[1], [])).append(q)
            for row in block:
                yield row, found[row[1]]
            for passage_id, rows in strays.items():
                yield lookup(passage_id), rows
        if block:
            p_seq, p_block = next(passage_blocks, (None, None))
        if group:
            q_seq, q_block = next(place_blocks, (None, None))


def _markers(raw):
    """Marker codes from the JSON column (text on SQLite, text or a list on PostgreSQL)."""
    value = json.loads(raw) if isinstance(raw, str) else raw
    return sorted(value) if isinstance(value, list) else []


class _Memo(dict):
    """A dict that computes a missing entry once; a hit is a plain dictionary lookup."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def annotation_parts(campaign, anonymise=False, cell=None, number=None):
    """Per annotation, its cells in ANNOTATION_COLUMNS order as three tuples: the passage's
    (outlet .. text, the same object on every row of a passage), the annotation's
    (annotation_id .. updated_at) and the final label's (final_status .. rationale).

    Passages come in reading order. A passage nobody has labelled yet gives one row with
    the annotation cells empty (final_status "unresolved"), so the reports' passage and
    document counts can be recomputed from the export. ``cell`` turns text, lists and
    missing values into output cells and ``number`` integers (CSV); None keeps JSON types. Cited types are as
    stored but "none" when no one is cited; markers are sorted lists; times are UTC text
    written by the database (UtcText), which starts with a digit and so is never a formula.
    """
    names = _names(campaign, anonymise)
    # Anonymised: people's names out of the free text people wrote (anonymise.py).
    scrub = name_scrubber() if anonymise else None
    outlets = dict(Source.objects.values_list("pk", "name"))
    documents = {
        pk: (outlets.get(source), title)
        for pk, title, source in Document.objects.filter(
            campaigndocument__campaign=campaign
        ).values_list("pk", "title", "source_id")
    }
    overlap, accept = campaign.overlap, campaign.auto_accept_unanimous
    convert = cell or (lambda v: v)
    number = number or (lambda v: v)
    # Values that repeat on many rows are converted once: labels, names, titles, marker sets.
    same = _Memo(convert)
    # Guidelines versions and span counts take a few values: each is converted once.
    small = _Memo(lambda v: missing if v is None else number(v))
    person = _Memo(lambda pk: convert(names.get(pk)))
    cited = _Memo(lambda raw: (raw or NO_SOURCE, convert(raw or NO_SOURCE)))

    def decode(raw):
        values = _markers(raw)
        return tuple(values), convert(values)

    marker_json = _Memo(decode)

    def markers(raw):  # PostgreSQL may hand JSON back decoded: lists are not hashable
        return marker_json[raw if isinstance(raw, str) else json.dumps(raw)]

    blank, missing = convert(""), convert(None)
    empty = (missing,) * ROW_CELLS
    passages = _rows(passage_queryset(campaign))
    places = _rows(place_queryset(campaign))

    def lookup(passage_id):
        return passage_queryset(campaign, first_place=False).filter(passage_id=passage_id).first()

    for p, group in _merge(passages, places, lookup):
        votes, rows = [], []
        # The hot loop of a million-row export: indexing and memo lookups only.
        for place in group:
            cited_type = cited[place[6]]
            raw = place[7]
            ticked = marker_json[raw] if raw.__class__ is str else markers(raw)
            source, note = place[5], place[9]
            votes.append((place[4], cited_type[0], source, ticked[0]))
            times = place[12:]
            if None in times:  # imported annotations have no claim time
                claimed, done, created, updated = times
                times = (
                    missing if claimed is None else claimed,
                    missing if done is None else done,
                    created,
                    updated,
                )
            rows.append(
                (
                    number(place[2]),
                    person[place[3]],
                    same[place[4]],
                    convert(scrub(source) if scrub else source) if source else blank,
                    cited_type[1],
                    ticked[1],
                    same[place[8]],
                    convert(scrub(note) if scrub else note) if note else blank,
                    small[place[10]],
                    small[place[11]],
                )
                + times
            )
        outlet, title = documents.get(p[2]) or (None, None)
        passage = (
            same[outlet],
            number(p[2]),
            same[title],
            number(p[1]),
            number(p[3]),
            number(p[4]),
            number(p[5]),
            convert(p[6]),
        )
        decided = (p[7], cited[p[8]][0], p[9], markers(p[10])[0]) if p[7] is not None else None
        status, label, cited_type, cited_source, final = passage_final(
            votes, decided, overlap, accept
        )
        final = (
            same[status],
            same[label],
            same[cited_type],
            convert(scrub(cited_source) if scrub and cited_source else cited_source),
            missing if final is None else markers(json.dumps(final))[1],
            person[p[12]] if decided else missing,
            same[p[11]],
            missing if p[13] is None else p[13],
            convert(scrub(p[14]) if scrub and p[14] else p[14]),
        )
        for row in rows or [empty]:
            yield passage, row, final
