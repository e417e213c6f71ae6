"""Back up one campaign to a single file (restore: annotate.backup_restore).

File format, version 1: JSON lines, gzip-compressed when the file name ends in ``.gz``
(restore recognises gzip by its magic bytes, whatever the name).

- line 1, the header: ``{"format": "credence-campaign-backup", "version": 1,
  "campaign": {"slug", "name"}, "sections": [names], "created_at"}``;
- one line per row: ``{"section": name, "row": {"id": old id, field: value, ...}}``,
  sections in all_sections() order, so every row comes after the rows it refers to;
- the last line: ``{"end": {section: number of rows}}``, so a truncated file is refused.

Rows carry every concrete field of their model (users: only USER_FIELDS; no
password, no staff rights), foreign keys as the *original* ids; restore gives rows
new ids.

Adding a table (a later issue adds claims) means appending a Section: older files
simply lack it and restore reads it as empty; a file naming a section this code
does not know, or a field its model lacks, is refused rather than half restored.
Bump VERSION only for incompatible changes to existing sections.

Not carried: the configuration and claims change log (django-simple-history's
``Historical*`` tables). It is this installation's audit trail of who edited what in
the admin and on the pages; the research record (annotations, decisions and their
revisions) is carried in full. A restored campaign's log starts at the restore. Nor are
background jobs, cached results and API tokens (``is_operational``).
"""

import gzip
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from annotate.models import (
    Adjudication,
    AdjudicationRevision,
    Annotation,
    AnnotationRevision,
    Assignment,
    BiasMarker,
    Campaign,
    CampaignDocument,
    Claim,
    ClaimLink,
    ClaimSuggestion,
    Label,
    LabelScheme,
    Membership,
    Skip,
)
from corpus.models import Document, Figure, Passage, Source

FORMAT = "credence-campaign-backup"
VERSION = 1
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "date_joined")


def is_audit_trail(model):
    """A django-simple-history table: left out of backups (see the module docstring)."""
    return hasattr(model, "instance_type") and model.__name__.startswith("Historical")


def is_operational(model):
    """Background jobs, cached results and API tokens: this installation's work state and
    credentials, not research data; a restored campaign computes its own results, and its
    users make their own tokens."""
    return model.__name__ in ("Job", "ComputedResult", "ApiToken")


class BackupError(Exception):
    """A backup that cannot be written or a file that cannot be restored; says why."""


@dataclass(frozen=True)
class Section:
    """One table of the file.

    key: natural key; a row whose key exists in the target is reused (if reuse)
    and must then equal the file's row, else restore is refused. unique: other
    unique fields that must not belong to a different row. parent: for rows
    reused as a set (a document's passages, a scheme's labels): the reused
    parent must have exactly the file's children. derived: rows computed from
    their parent (a passage's figures): under a reused parent the database's
    own rows are kept, whatever the file says. normalise: called on each row's
    values once its references are translated into this database's ids. legacy:
    (field, value) pairs for fields added since version 1 whose model default is
    not what a file made before them meant (a campaign then queued in reading order).
    """

    name: str
    model: type
    rows: object  # campaign -> QuerySet of this table's rows
    key: tuple = ()
    reuse: bool = False
    unique: tuple = ()
    parent: str = ""
    only: tuple = ()  # the fields kept; empty: every concrete field
    derived: bool = False
    normalise: object = None
    legacy: tuple = ()

    def fields(self):
        return [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key and (not self.only or f.name in self.only)
        ]


def _document_ids(c):
    """The campaign's documents, and any other document its work refers to."""
    passages = Passage.objects.filter(
        Q(pk__in=Assignment.objects.filter(campaign=c).values("passage_id"))
        | Q(pk__in=Skip.objects.filter(campaign=c).values("passage_id"))
        | Q(pk__in=Adjudication.objects.filter(campaign=c).values("passage_id"))
        | Q(pk__in=ClaimLink.objects.filter(claim__campaign=c).values("passage_id"))
        | Q(pk__in=ClaimSuggestion.objects.filter(campaign=c).values("passage_a_id"))
        | Q(pk__in=ClaimSuggestion.objects.filter(campaign=c).values("passage_b_id"))
    )
    return Document.objects.filter(
        Q(pk__in=CampaignDocument.objects.filter(campaign=c).values("document_id"))
        | Q(pk__in=passages.values("document_id"))
    ).values("pk")


def _user_ids(c):
    return get_user_model().objects.filter(
        Q(pk__in=Membership.objects.filter(campaign=c).values("user_id"))
        | Q(pk__in=Assignment.objects.filter(campaign=c).values("reviewer_id"))
        | Q(pk__in=Skip.objects.filter(campaign=c).values("reviewer_id"))
        | Q(
            pk__in=AnnotationRevision.objects.filter(annotation__assignment__campaign=c).values(
                "changed_by_id"
            )
        )
        | Q(pk__in=Adjudication.objects.filter(campaign=c).values("decided_by_id"))
        | Q(
            pk__in=AdjudicationRevision.objects.filter(adjudication__campaign=c).values(
                "changed_by_id"
            )
        )
        | Q(pk__in=Claim.objects.filter(campaign=c).values("created_by_id"))
        | Q(pk__in=ClaimLink.objects.filter(claim__campaign=c).values("proposed_by_id"))
        | Q(pk__in=ClaimLink.objects.filter(claim__campaign=c).values("decided_by_id"))
        | Q(pk__in=ClaimSuggestion.objects.filter(campaign=c).values("decided_by_id"))
    )


def _ordered_pair(values):
    """A suggestion stores its pair lowest passage id first; new ids may have swapped them."""
    if values["passage_a_id"] > values["passage_b_id"]:
        values["passage_a_id"], values["passage_b_id"] = (
            values["passage_b_id"],
            values["passage_a_id"],
        )


def all_sections():
    User = get_user_model()
    return [
        Section("users", User, _user_ids, key=("username",), reuse=True, only=USER_FIELDS),
        Section(
            "sources",
            Source,
            lambda c: Source.objects.filter(
                pk__in=Document.objects.filter(pk__in=_document_ids(c)).values("source_id")
            ),
            key=("name",),
            reuse=True,
            unique=("slug",),
        ),
        Section(
            "documents",
            Document,
            lambda c: Document.objects.filter(pk__in=_document_ids(c)),
            key=("content_hash", "source"),
            reuse=True,
        ),
        Section(
            "passages",
            Passage,
            lambda c: Passage.objects.filter(document_id__in=_document_ids(c)),
            key=("document", "position"),
            reuse=True,
            parent="document",
        ),
        Section(
            "figures",
            Figure,
            lambda c: Figure.objects.filter(passage__document_id__in=_document_ids(c)),
            key=("passage", "start"),
            reuse=True,
            parent="passage",
            derived=True,
        ),
        Section(
            "schemes",
            LabelScheme,
            lambda c: LabelScheme.objects.filter(pk=c.scheme_id),
            key=("slug",),
            reuse=True,
            unique=("name",),
        ),
        Section(
            "labels",
            Label,
            lambda c: Label.objects.filter(scheme_id=c.scheme_id),
            key=("scheme", "value"),
            reuse=True,
            parent="scheme",
        ),
        Section(
            "markers",
            BiasMarker,
            lambda c: BiasMarker.objects.filter(scheme_id=c.scheme_id),
            key=("scheme", "value"),
            reuse=True,
            parent="scheme",
        ),
        Section(
            "campaigns",
            Campaign,
            lambda c: Campaign.objects.filter(pk=c.pk),
            key=("slug",),
            unique=("name",),
            legacy=(("queue_order", Campaign.QueueOrder.READING),),
        ),
        Section("memberships", Membership, lambda c: Membership.objects.filter(campaign=c)),
        Section(
            "campaign_documents",
            CampaignDocument,
            lambda c: CampaignDocument.objects.filter(campaign=c),
        ),
        Section("assignments", Assignment, lambda c: Assignment.objects.filter(campaign=c)),
        Section("skips", Skip, lambda c: Skip.objects.filter(campaign=c)),
        Section(
            "annotations", Annotation, lambda c: Annotation.objects.filter(assignment__campaign=c)
        ),
        Section(
            "annotation_revisions",
            AnnotationRevision,
            lambda c: AnnotationRevision.objects.filter(annotation__assignment__campaign=c),
        ),
        Section("adjudications", Adjudication, lambda c: Adjudication.objects.filter(campaign=c)),
        Section(
            "adjudication_revisions",
            AdjudicationRevision,
            lambda c: AdjudicationRevision.objects.filter(adjudication__campaign=c),
        ),
        Section("claims", Claim, lambda c: Claim.objects.filter(campaign=c)),
        Section("claim_links", ClaimLink, lambda c: ClaimLink.objects.filter(claim__campaign=c)),
        Section(
            "claim_suggestions",
            ClaimSuggestion,
            lambda c: ClaimSuggestion.objects.filter(campaign=c),
            normalise=_ordered_pair,
        ),
    ]


def section_of(sections, f):
    """The section a foreign key points into."""
    for s in sections:
        if f.related_model is s.model:
            return s.name
    raise BackupError(
        f"{f.model.__name__}.{f.name} refers to {f.related_model.__name__}, which no section holds"
    )


def _jsonable(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value  # exact, unlike a float


def _dump(out, obj):
    out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")


def backup_campaign(campaign, path):
    """Write the campaign to `path` (gzip if it ends in .gz); return rows per section.

    Read in one transaction so the file is one consistent snapshot (PostgreSQL:
    REPEATABLE READ; SQLite takes its write lock, so writers wait meanwhile).
    Written to a .partial file first: a failed backup never leaves a half file.
    """
    path = Path(path)
    sections = all_sections()
    partial = path.with_name(path.name + ".partial")
    opener = gzip.open if path.name.endswith(".gz") else open
    counts = {}
    # Inside a caller's transaction (tests) the snapshot is already the caller's.
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic(), opener(partial, "wt", encoding="utf-8", newline="\n") as out:
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            _dump(
                out,
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "campaign": {"slug": campaign.slug, "name": campaign.name},
                    "sections": [s.name for s in sections],
                    "created_at": timezone.now().isoformat(),
                },
            )
            for s in sections:
                fields = s.fields()
                names = [f.name for f in fields]
                rows = (
                    s.rows(campaign).order_by("pk").values_list("pk", *(f.attname for f in fields))
                )
                n = 0
                for values in rows.iterator(chunk_size=2000):
                    row = {
                        "id": values[0],
                        **{k: _jsonable(v) for k, v in zip(names, values[1:], strict=True)},
                    }
                    _dump(out, {"section": s.name, "row": row})
                    n += 1
                counts[s.name] = n
            _dump(out, {"end": counts})
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts
