"""Restore a campaign written by annotate.backup, all or nothing.

One transaction: any error leaves the database as it was. Rows are read line by
line and inserted in batches with bulk_create; every created row gets a new id
and references are translated through old-to-new id maps (ints only, about
100 bytes per row of the tables others refer to: a campaign of 300,000
assignments needs an estimated 60 MB).

Outlets, documents and their passages, the label scheme with its labels and
markers, and users may already be in the target database (the default scheme
always is: a migration creates it). They are matched by natural key (outlet
name; text hash and outlet; document and position; scheme slug; scheme and
value; username) and reused when equal in every field but their timestamps;
any difference refuses the restore, naming the field. Users are matched by
username and left as they are; missing ones are created with an unusable
password (an administrator sets one) and never as staff. The campaign itself
must not exist yet.
"""

import contextlib
import gzip
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from annotate.interchange.backup import FORMAT, VERSION, BackupError, all_sections, section_of
from annotate.interchange.restore_checks import ContentError, check_campaign
from annotate.models import Campaign
from corpus.models import content_hash

BATCH = 1000
# Set when a row is made, so two equal copies of one row may differ in them.
STAMPS = ("created_at", "imported_at", "date_joined")


@dataclass
class RestoreReport:
    campaign: Campaign | None = None
    created: Counter = field(default_factory=Counter)  # section -> rows created
    reused: Counter = field(default_factory=Counter)  # section -> rows already here
    users_created: list = field(default_factory=list)


def restore_campaign(path):
    """Restore a backup file; returns a RestoreReport or raises BackupError, writing nothing."""
    sections = all_sections()
    lines = _lines(path)
    listed, named = _header(next(lines, None), sections)
    clash = Campaign.objects.filter(Q(slug=named["slug"]) | Q(name=named.get("name"))).first()
    if clash is not None:
        raise BackupError(
            f"a campaign “{clash.name}” (slug {clash.slug}) already exists in this database"
        )
    restorer = _Restorer(sections, listed)
    try:
        with transaction.atomic(), _original_timestamps(sections):
            for number, item in lines:
                if "end" in item:
                    restorer.finish(number, item["end"])
                    break
                restorer.add(number, item)
            else:
                raise BackupError("the file ends before its closing line: it is truncated")
            for number, _ in lines:
                raise BackupError(f"line {number}: more lines after the closing line")
            check_campaign(restorer.report.campaign)
    except ContentError as exc:
        raise BackupError(f"the backup holds what the app would never write: {exc}") from None
    except (IntegrityError, DataError) as exc:
        raise BackupError(f"the backup breaks a database rule: {exc}") from None
    return restorer.report


def _lines(path):
    """(line number, decoded object) for every non-blank line; gzip recognised by its magic bytes."""
    path = Path(path)
    try:
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        # newline="\n": JSON text may hold U+2028 and other breaks that are not line ends here.
        with opener(path, "rt", encoding="utf-8", newline="\n") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BackupError(
                        f"line {number}: not valid JSON ({exc.msg}, column {exc.colno})"
                    ) from None
                if not isinstance(item, dict):
                    raise BackupError(f"line {number}: expected a JSON object")
                yield number, item
    except OSError as exc:  # gzip.BadGzipFile included
        raise BackupError(f"cannot read {path.name}: {exc}") from None
    except EOFError:
        raise BackupError(f"{path.name}: the compressed file is cut short") from None
    except UnicodeDecodeError as exc:
        raise BackupError(f"{path.name}: not UTF-8 text ({exc.reason})") from None


def _header(first, sections):
    if first is None:
        raise BackupError("the file is empty")
    number, item = first
    if item.get("format") != FORMAT:
        raise BackupError(
            f'line {number}: not a Credence campaign backup (no "format": "{FORMAT}" header)'
        )
    if item.get("version") != VERSION:
        raise BackupError(
            f"line {number}: backup format version {item.get('version')!r}; this Credence reads version {VERSION}"
        )
    listed = item.get("sections")
    if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
        raise BackupError(f'line {number}: the header\'s "sections" must be a list of names')
    unknown = [n for n in listed if n not in {s.name for s in sections}]
    if unknown:
        raise BackupError(
            f"line {number}: unknown section(s) {', '.join(unknown)}: made by a newer Credence?"
        )
    campaign = item.get("campaign")
    if not isinstance(campaign, dict) or not isinstance(campaign.get("slug"), str):
        raise BackupError(f"line {number}: the header does not name the campaign")
    return listed, campaign


@contextlib.contextmanager
def _original_timestamps(sections):
    """Keep the file's created/updated times: bulk_create would stamp auto_now fields with now.

    Flips the fields' flags for the duration, process-wide: restore is for
    management commands and tests, not for a view serving other requests.
    """
    flags = [
        (f, f.auto_now, f.auto_now_add)
        for s in sections
        for f in s.fields()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for f, _, _ in flags:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in flags:
            f.auto_now, f.auto_now_add = now, now_add


@dataclass
class _Table:
    """A section with what restoring it needs, worked out once."""

    section: object
    fields: dict  # file name -> model field
    targets: dict  # file name -> section name, for foreign keys
    key: list  # attnames of the natural key
    parent: object = None  # the parent foreign key field, if any
    parent_section: str = ""


class _Restorer:
    def __init__(self, sections, listed):
        self.order = [s.name for s in sections]
        self.listed = set(listed)
        self.tables = {}
        for s in sections:
            fields = {f.name: f for f in s.fields()}
            targets = {n: section_of(sections, f) for n, f in fields.items() if f.is_relation}
            parent = fields[s.parent] if s.parent else None
            self.tables[s.name] = _Table(
                s,
                fields,
                targets,
                [fields[k].attname for k in s.key],
                parent,
                targets.get(s.parent, ""),
            )
        self.ids = defaultdict(dict)  # section -> old id -> new id
        self.reused_ids = defaultdict(set)  # section -> ids of rows that were already here
        self.matched = defaultdict(Counter)  # section -> reused parent's id -> reused children
        self.read = Counter()
        self.current, self.batch = None, []
        self.report = RestoreReport()

    def add(self, number, item):
        name, row = item.get("section"), item.get("row")
        if name not in self.tables or not isinstance(row, dict):
            raise BackupError(
                f'line {number}: expected {{"section": a known section, "row": {{...}}}}'
            )
        if name not in self.listed:
            raise BackupError(f"line {number}: section {name} is not listed in the header")
        if name != self.current:
            if self.current is not None and self.order.index(name) <= self.order.index(
                self.current
            ):
                raise BackupError(
                    f"line {number}: section {name} after {self.current}; the order is {', '.join(self.order)}"
                )
            self._flush()
            self.current = name
        self.read[name] += 1
        self.batch.append((number, row))
        if len(self.batch) >= BATCH:
            self._flush()

    def finish(self, number, counts):
        self._flush()
        for table in self.tables.values():
            if table.parent is not None and not table.section.derived:
                self._check_children(table)
        read = {k: v for k, v in self.read.items() if v}
        if not isinstance(counts, dict) or {k: v for k, v in counts.items() if v} != read:
            raise BackupError(
                f"line {number}: the closing line counts {counts} rows but the file holds {read}"
            )
        for name in ("schemes", "campaigns"):
            if len(self.ids[name]) != 1:
                raise BackupError(
                    f"the file holds {len(self.ids[name])} rows of {name}; a backup has exactly one"
                )
        self.report.campaign = Campaign.objects.get(pk=next(iter(self.ids["campaigns"].values())))

    def _check_children(self, table):
        """A reused document (scheme) must hold exactly the file's passages (labels, markers)."""
        reused = self.reused_ids[table.parent_section]
        if not reused:
            return
        name, attname = table.section.name, table.parent.attname
        held = (
            table.section.model.objects.filter(**{f"{attname}__in": reused})
            .values(attname)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in held:
            if row["n"] != self.matched[name][row[attname]]:
                raise BackupError(
                    f"{table.parent.related_model._meta.verbose_name} {row[attname]} is already in this "
                    f"database with {row['n']} {name}; the file has {self.matched[name][row[attname]]}"
                )

    def _flush(self):
        if not self.batch:
            return
        table = self.tables[self.current]
        s = table.section
        rows = [self._values(table, number, row) for number, row in self.batch]
        self.batch = []
        if s.normalise is not None:
            for _, _, values in rows:
                s.normalise(values)
        existing = self._existing(table, [values for _, _, values in rows])
        create = []
        for number, old_id, values in rows:
            found = existing.get(tuple(values[k] for k in table.key))
            parent_id = values[table.parent.attname] if table.parent is not None else None
            if s.derived and parent_id in self.reused_ids[table.parent_section]:
                self.report.reused[s.name] += 1  # the database's own, computed from the same text
                continue
            if found is None and parent_id in self.reused_ids[table.parent_section]:
                raise BackupError(
                    f"line {number}: its {s.parent} is already in this database without this row"
                )
            self._check_unique(table, number, values, found)
            if found is None:
                obj = s.model(**values)
                if s.name == "users":
                    obj.password = make_password(None)  # unusable: an administrator sets one
                    self.report.users_created.append(obj.username)
                create.append((old_id, obj))
                continue
            if not s.reuse:
                shown = ", ".join(str(values[k]) for k in table.key)
                raise BackupError(
                    f"line {number}: a {s.model._meta.verbose_name} with {', '.join(s.key)} {shown} already exists"
                )
            if s.name != "users":  # existing accounts are left as they are
                self._compare(table, number, values, found)
            self.ids[s.name][old_id] = found.pk
            self.reused_ids[s.name].add(found.pk)
            if table.parent is not None:
                self.matched[s.name][parent_id] += 1
            self.report.reused[s.name] += 1
        made = s.model.objects.bulk_create([obj for _, obj in create])
        for (old_id, _), obj in zip(create, made, strict=True):
            self.ids[s.name][old_id] = obj.pk
        self.report.created[s.name] += len(made)

    def _values(self, table, number, row):
        """(line, old id, {attname: value}) from a file row, checked field by field."""
        name = table.section.name
        old_id = row.get("id")
        if not isinstance(old_id, int) or isinstance(old_id, bool):
            raise BackupError(f'line {number}: a {name} row needs a whole-number "id"')
        extra = set(row) - set(table.fields) - {"id"}
        if extra:
            raise BackupError(f"line {number}: {name} have no field(s) {', '.join(sorted(extra))}")
        values = {}
        for field_name, f in table.fields.items():
            if field_name in row:
                values[f.attname] = self._value(table, number, f, row[field_name])
            elif f.has_default() or f.null:
                # A file made before the field existed.
                values[f.attname] = dict(table.section.legacy).get(field_name, f.get_default())
            else:
                raise BackupError(f"line {number}: the {name} row lacks {field_name}")
        if name == "documents" and values["content_hash"] != content_hash(values["text"]):
            raise BackupError(f"line {number}: the document's content_hash does not match its text")
        return number, old_id, values

    def _value(self, table, number, f, value):
        where = f"line {number}: {table.section.name} {f.name}"
        if value is None:
            if not f.null:
                raise BackupError(f"{where} may not be empty (null)")
            return None
        if f.is_relation:
            target = table.targets[f.name]
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value not in self.ids[target]
            ):
                raise BackupError(f"{where} refers to {target} {value!r}, which is not in the file")
            return self.ids[target][value]
        try:
            value = f.to_python(value)
        except (ValidationError, TypeError, ValueError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise BackupError(f"{where}: {message}") from None
        if isinstance(value, datetime) and timezone.is_naive(value):
            raise BackupError(f"{where}: a date-time needs its time zone")
        if isinstance(value, str) and f.max_length and len(value) > f.max_length:
            raise BackupError(f"{where} is longer than {f.max_length} characters")
        if (
            f.choices
            and value not in {k for k, _ in f.flatchoices}
            and not (f.blank and value == "")
        ):
            raise BackupError(f"{where}: {value!r} is not one of the allowed values")
        return value

    def _existing(self, table, rows):
        """Rows already in the database with the batch's natural keys, by key (one query)."""
        if not table.key:
            return {}
        first = table.key[0]
        found = table.section.model.objects.filter(**{f"{first}__in": {v[first] for v in rows}})
        return {tuple(getattr(o, k) for k in table.key): o for o in found}

    def _check_unique(self, table, number, values, found):
        model = table.section.model
        for name in table.section.unique:
            owner = (
                model.objects.filter(**{name: values[name]})
                .exclude(pk=found.pk if found else None)
                .first()
            )
            if owner is not None:
                raise BackupError(
                    f"line {number}: another {model._meta.verbose_name} (“{owner}”) already has "
                    f"{name} {values[name]!r} in this database"
                )

    def _compare(self, table, number, values, found):
        for f in table.fields.values():
            if f.name not in STAMPS and getattr(found, f.attname) != values[f.attname]:
                raise BackupError(
                    f"line {number}: {table.section.model._meta.verbose_name} “{found}” is already in this "
                    f"database with a different {f.name}; rename or remove it, or restore into another database"
                )
