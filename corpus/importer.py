"""One importer for the command line and the admin upload page.

Accepted inputs:
- a folder (or a .zip of one) holding .txt files and a `manifest.csv` with the
  columns file, outlet, title and optionally url, date, byline, outlet_url;
- a .csv file with the columns outlet, title, text and the same optional ones;
- a .jsonl file, one JSON object per line with the same keys as the CSV.

Each input file is all or nothing: every record is read and checked first,
and if any is bad nothing from that file is written and every problem is
reported with file, line and reason (reading and checking are in
corpus.readers). Re-importing a file changes nothing, because a document is
identified by its outlet and the hash of its text.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.text import slugify
from tqdm import tqdm

from corpus import figure_store, segmentation
from corpus.models import Document, Passage, Source, content_hash
from corpus.readers import MANIFEST, folder_reader, reader_for

BATCH = 1000
LOOKUP_BATCH = 5000
PASSAGE_BATCH = 50_000
# A refused file lists this many problems and counts the rest: a 50 MB file of
# bad rows once gave a 32 MB admin page of 672,164 lines.
MAX_LISTED_ERRORS = 100


class ImportFailed(Exception):
    """Raised inside the transaction so that a bad file leaves nothing behind."""


@dataclass
class ImportReport:
    files: int = 0
    created: int = 0
    unchanged: int = 0
    passages: int = 0
    outlets_created: int = 0
    errors: list[str] = field(default_factory=list)  # the first MAX_LISTED_ERRORS
    errors_not_listed: int = 0

    @property
    def ok(self):
        return not self.error_count

    @property
    def error_count(self):
        return len(self.errors) + self.errors_not_listed

    def add_errors(self, errors):
        room = max(0, MAX_LISTED_ERRORS - len(self.errors))
        self.errors.extend(errors[:room])
        self.errors_not_listed += max(0, len(errors) - room)

    def summary(self):
        listed = (
            f" (the first {len(self.errors)} listed, {self.errors_not_listed:,} more not listed)"
            if self.errors_not_listed
            else ""
        )
        return (
            f"{self.files} file(s): {self.created} document(s) imported with {self.passages} "
            f"passage(s), {self.unchanged} already present, {self.outlets_created} new outlet(s), "
            f"{self.error_count:,} error(s){listed}"
        )


def import_path(path, mode=segmentation.SENTENCE, progress=False, on_progress=None) -> ImportReport:
    """Import a folder with a manifest, a .zip of one, a .csv or a .jsonl file.

    ``progress`` shows a progress bar on the terminal; ``on_progress(done, total, message)``,
    if given, is called as the file is read and as each document is written (see
    _import_one). Neither changes what is imported.
    """
    path = Path(path)
    report = ImportReport()
    if path.is_dir():
        sources = [(str(path / MANIFEST), folder_reader(path))]
    elif not path.exists():
        report.add_errors([f"{path}: no such file or folder"])
        return report
    else:
        sources = [(str(path), reader_for(str(path), path.read_bytes()))]
    for name, read in sources:
        _import_one(name, read, mode, progress, report, on_progress)
    return report


def import_upload(
    name: str, data: bytes, mode=segmentation.SENTENCE, on_progress=None
) -> ImportReport:
    """Import an uploaded .csv, .jsonl or .zip (a folder with its manifest); ``on_progress``
    as for import_path."""
    report = ImportReport()
    _import_one(name, reader_for(name, data), mode, False, report, on_progress)
    return report


def _tell(on_progress, done, total, message):
    if on_progress is not None:
        on_progress(done, total, message)


def _import_one(name, read, mode, progress, report, on_progress=None):
    """Read, check and write one file. ``on_progress(done, total, message)`` hears: reading
    (total unknown), the count of documents checked, then each document as it is written
    (done counts the documents already present too), inside the file's transaction."""
    report.files += 1
    _tell(on_progress, 0, None, f"{Path(name).name}: reading and checking every document")
    records, errors = read()
    if not errors and not records:
        errors = [f"{name}: no documents found"]
    if errors:
        report.add_errors(errors)
        return
    _tell(
        on_progress,
        0,
        len(records),
        f"{Path(name).name}: {len(records):,} document(s) checked; writing them, all or nothing",
    )
    counts = ImportReport()  # added to the report only once the file is written
    try:
        with transaction.atomic():
            _write(records, mode, progress, counts, name, on_progress)
    except ImportFailed as exc:
        report.add_errors([str(exc)])
        return
    except (IntegrityError, OperationalError) as exc:
        if not _lost_a_race(exc):
            raise
        report.add_errors(
            [
                f"{name}: nothing from this file was written because another import was "
                f"writing to the database at the same time ({str(exc).splitlines()[0]}); "
                "import it again once that import has finished (what it stored is skipped)"
            ]
        )
        return
    report.created += counts.created
    report.unchanged += counts.unchanged
    report.passages += counts.passages
    report.outlets_created += counts.outlets_created


# SQLSTATEs of PostgreSQL for a write that collided with another transaction:
# unique_violation, deadlock_detected, lock_not_available, serialization_failure.
_RACE_SQLSTATES = {"23505", "40P01", "55P03", "40001"}
# SQLite's names for the same: a unique index, and a write lock still held by
# another import when busy_timeout ran out.
_RACE_SQLITE_ERRORS = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_BUSY", "SQLITE_LOCKED"}


def _lost_a_race(exc):
    """Whether a database error means another writer got to the same rows first.

    Two imports of the same outlets or documents both find them missing, and
    the second to write them breaks a unique constraint (or, having waited for
    the first, a deadlock or the busy timeout). That is a per-file outcome, not
    a server error; any other database error is a bug and is raised.
    """
    cause = exc.__cause__
    return (
        getattr(cause, "sqlstate", None) in _RACE_SQLSTATES
        or getattr(cause, "sqlite_errorname", None) in _RACE_SQLITE_ERRORS
    )


# Writing --------------------------------------------------------------------


def _write(records, mode, progress, report, name, on_progress=None):
    sources = _sources_for(records, report)
    keys = [(sources[r.outlet.casefold()].pk, content_hash(r.text)) for r in records]
    existing = _existing(sources, {h for _, h in keys})
    names = {source.pk: _fold(source.name) for source in sources.values()}
    todo = []
    for record, key in zip(records, keys, strict=True):
        if key in existing:
            report.unchanged += 1
            continue
        existing.add(key)
        todo.append((record, key))
    # Segmentation (in worker processes for large imports) runs ahead while
    # each batch of documents and its passages is written.
    found_all = segmentation.segment_many([r.text for r, _ in todo], mode)
    bar = tqdm(total=len(todo), desc=Path(name).name, unit="doc", disable=not progress)
    writing = f"{Path(name).name}: writing documents"
    try:
        for i in range(0, len(todo), BATCH):
            batch = todo[i : i + BATCH]
            documents, spans = [], []
            for n, (record, (source_id, digest)) in enumerate(batch, start=i):
                _tell(on_progress, report.unchanged + n, len(records), writing)
                found = next(found_all)
                if not found:
                    raise ImportFailed(f"{record.where}: the text has no passages")
                documents.append(
                    Document(
                        source_id=source_id,
                        title=record.title,
                        url=record.url,
                        byline=record.byline,
                        published=record.published,
                        text=record.text,
                        content_hash=digest,
                        segmentation=mode,
                    )
                )
                spans.append(found)
            Document.objects.bulk_create(documents)
            rows = [
                (
                    document.pk,
                    position,
                    start,
                    end,
                    document.text[start:end],
                    _masthead(document.text[start:end], kind, names[document.source_id]),
                )
                for document, found in zip(documents, spans, strict=True)
                for position, (start, end, kind) in enumerate(found)
            ]
            _insert_passages(rows)
            figure_store.store_for_documents([d.pk for d in documents])
            report.created += len(documents)
            report.passages += len(rows)
            bar.update(len(batch))
            _tell(on_progress, report.unchanged + report.created, len(records), writing)
    finally:
        found_all.close()  # stops the worker processes if a batch failed
        bar.close()


PASSAGE_COLUMNS = ("document_id", "position", "start", "end", "text", "kind")


def _fold(text):
    return " ".join(text.split()).casefold()


def _masthead(text, kind, outlet_name):
    """A line that is just the outlet's own name (a masthead copied with the article) is
    boilerplate, not a headline for reviewers to label."""
    return segmentation.BOILERPLATE if _fold(text) == outlet_name else kind


def _insert_passages(rows):
    """Insert passage rows (in PASSAGE_COLUMNS order) with one executemany per batch.

    Passages are most of the rows an import writes; building a model instance
    for each and letting bulk_create prepare every value took four times as
    long as the import's own work on them. All columns are plain integers
    and strings, so nothing is lost by skipping the ORM here.
    """
    columns = {f.attname: f.column for f in Passage._meta.concrete_fields if not f.primary_key}
    if set(columns) != set(PASSAGE_COLUMNS):
        raise RuntimeError(
            f"Passage has fields {sorted(columns)}; update PASSAGE_COLUMNS in corpus/importer.py"
        )
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Passage._meta.db_table),
        ", ".join(quote(columns[name]) for name in PASSAGE_COLUMNS),
        ", ".join(["%s"] * len(PASSAGE_COLUMNS)),
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), PASSAGE_BATCH):
            cursor.executemany(sql, rows[i : i + PASSAGE_BATCH])


def _existing(sources, hashes):
    """(source id, content hash) pairs already stored, looked up in slices of the hashes."""
    hashes, found = sorted(hashes), set()
    for i in range(0, len(hashes), LOOKUP_BATCH):
        found.update(
            Document.objects.filter(
                source__in=list(sources.values()), content_hash__in=hashes[i : i + LOOKUP_BATCH]
            ).values_list("source_id", "content_hash")
        )
    return found


def _sources_for(records, report):
    """Outlets by case-folded name, created where missing.

    One query when every outlet exists under the same spelling; otherwise one
    more to match names case-insensitively and to see which slugs are taken.
    """
    wanted = {}
    for record in records:
        wanted.setdefault(record.outlet.casefold(), record)
    found = {
        s.name.casefold(): s
        for s in Source.objects.filter(name__in=[r.outlet for r in wanted.values()])
    }
    missing = [key for key in wanted if key not in found]
    if not missing:
        return found
    stored = list(Source.objects.only("id", "name", "slug"))
    by_name = {s.name.casefold(): s for s in stored}
    taken = {s.slug for s in stored}
    for key in missing:
        if key in by_name:  # typed differently in another file
            found[key] = by_name[key]
            continue
        record = wanted[key]
        slug = base = slugify(record.outlet, allow_unicode=True)[:190]
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        homepage = record.outlet_url
        found[key] = Source.objects.create(
            name=record.outlet, slug=slug, homepage=homepage, domain=_domain(homepage)
        )
        report.outlets_created += 1
    return found


def _domain(url):
    if not url:
        return ""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")
