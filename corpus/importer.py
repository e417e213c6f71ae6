"""One importer for the command line and the admin upload page.

Accepted inputs:
- a folder (or a .zip of one) holding .txt files and a `manifest.csv` with the
  columns file, outlet, title and optionally url, date, byline, outlet_url;
- a .csv file with the columns outlet, title, text and the same optional ones;
- a .jsonl file, one JSON object per line with the same keys as the CSV.

Each input file is all or nothing: every record is read and checked first,
and if any is bad nothing from that file is written and every problem is
reported with file, line and reason. Re-importing a file changes nothing,
because a document is identified by its outlet and the hash of its text.
"""

import csv
import io
import json
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils.text import slugify
from tqdm import tqdm

from corpus import figure_store, segmentation
from corpus.models import Document, Passage, Source, content_hash

MANIFEST = "manifest.csv"
REQUIRED = {"csv": ("outlet", "title", "text"), "manifest": ("file", "outlet", "title")}
OPTIONAL = ("url", "date", "byline", "outlet_url")
MAX_FIELD = {"outlet": 200, "title": 500, "byline": 300, "url": 1000, "outlet_url": 200}
BATCH = 1000
LOOKUP_BATCH = 5000
PASSAGE_BATCH = 50_000

csv.field_size_limit(50 * 1024 * 1024)
_url = URLValidator(schemes=["http", "https"])
_SURROGATE = re.compile("[\ud800-\udfff]")


class ImportFailed(Exception):
    """Raised inside the transaction so that a bad file leaves nothing behind."""


@dataclass
class Record:
    where: str
    outlet: str
    title: str
    text: str
    url: str = ""
    byline: str = ""
    published: date | None = None
    outlet_url: str = ""


@dataclass
class ImportReport:
    files: int = 0
    created: int = 0
    unchanged: int = 0
    passages: int = 0
    outlets_created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        return (
            f"{self.files} file(s): {self.created} document(s) imported with {self.passages} "
            f"passage(s), {self.unchanged} already present, {self.outlets_created} new outlet(s), "
            f"{len(self.errors)} error(s)"
        )


def import_path(path, mode=segmentation.SENTENCE, progress=False) -> ImportReport:
    """Import a folder with a manifest, a .zip of one, a .csv or a .jsonl file."""
    path = Path(path)
    report = ImportReport()
    if path.is_dir():
        sources = [(str(path / MANIFEST), _folder_reader(path))]
    elif not path.exists():
        report.errors.append(f"{path}: no such file or folder")
        return report
    else:
        sources = [(str(path), _reader_for(str(path), path.read_bytes()))]
    for name, read in sources:
        _import_one(name, read, mode, progress, report)
    return report


def import_upload(name: str, data: bytes, mode=segmentation.SENTENCE) -> ImportReport:
    """Import an uploaded .csv, .jsonl or .zip (a folder with its manifest)."""
    report = ImportReport()
    _import_one(name, _reader_for(name, data), mode, False, report)
    return report


def _reader_for(name, data):
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return lambda: _read_csv(name, data)
    if suffix == ".jsonl":
        return lambda: _read_jsonl(name, data)
    if suffix == ".zip":
        return lambda: _read_zip(name, data)
    return lambda: ([], [f"{name}: unsupported file type {suffix or '(none)'}; use .csv, .jsonl, .zip or a folder with {MANIFEST}"])


def _import_one(name, read, mode, progress, report):
    report.files += 1
    records, errors = read()
    if not errors and not records:
        errors = [f"{name}: no documents found"]
    if errors:
        report.errors.extend(errors)
        return
    counts = ImportReport()  # added to the report only once the file is written
    try:
        with transaction.atomic():
            _write(records, mode, progress, counts, name)
    except ImportFailed as exc:
        report.errors.append(str(exc))
        return
    report.created += counts.created
    report.unchanged += counts.unchanged
    report.passages += counts.passages
    report.outlets_created += counts.outlets_created


# Reading and checking -------------------------------------------------------


def _decode(name, data):
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, f"{name}, line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"


def _read_csv(name, data, required=REQUIRED["csv"], text_loader=None):
    text, error = _decode(name, data)
    if error:
        return [], [error]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        return [], [f"{name}, line 1: malformed CSV ({exc})"]
    columns = [c.strip().lower() for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        return [], [f"{name}, line 1: missing column(s) {', '.join(missing)} (found: {', '.join(columns) or 'none'})"]
    records, errors = [], []
    # A record is reported by the line it starts on, although a quoted text
    # may run over many lines.
    first_line = reader.line_num + 1
    try:
        for cells in reader:
            where = f"{name}, line {first_line}"
            first_line = reader.line_num + 1
            if not cells:
                continue
            if len(cells) > len(columns):
                errors.append(f"{where}: more cells than columns")
                continue
            _collect(where, dict(zip(columns, cells, strict=False)), text_loader, records, errors)
    except csv.Error as exc:
        errors.append(f"{name}, line {first_line}: malformed CSV ({exc})")
    return records, errors


def _read_jsonl(name, data):
    text, error = _decode(name, data)
    if error:
        return [], [error]
    records, errors = [], []
    # Lines end at "\n" only: JSON strings may hold U+2028 and other characters
    # that str.splitlines() would break on.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            errors.append(f"{where}: invalid JSON (nested too deeply)")
            continue
        except ValueError as exc:  # a number of more than 4,300 digits
            errors.append(f"{where}: invalid JSON ({str(exc).split(':')[0]})")
            continue
        if not isinstance(row, dict):
            errors.append(f"{where}: each line must be a JSON object")
            continue
        missing = [c for c in REQUIRED["csv"] if c not in row]
        if missing:
            errors.append(f"{where}: missing field(s) {', '.join(missing)}")
            continue
        bad = [k for k in (*REQUIRED["csv"], *OPTIONAL) if row.get(k) is not None and not isinstance(row[k], str)]
        if bad:
            errors.append(f"{where}: field(s) {', '.join(bad)} must be text")
            continue
        _collect(where, {k: v or "" for k, v in row.items()}, None, records, errors)
    return records, errors


def _folder_reader(folder):
    manifest = folder / MANIFEST

    def read():
        if not manifest.is_file():
            return [], [f"{folder}: no {MANIFEST} in this folder (columns: file, outlet, title, url, date, byline)"]

        def load(file_name):
            # A name too long for the file system, or holding NUL, names no file here.
            try:
                target = (folder / file_name).resolve()
                if folder.resolve() not in target.parents or not target.is_file():
                    return None
                return target.read_bytes()
            except (OSError, ValueError):
                return None

        return _read_csv(str(manifest), manifest.read_bytes(), REQUIRED["manifest"], load)

    return read


# An article is kilobytes; these bounds only stop archives that would exhaust memory.
MAX_MEMBER_BYTES = 64 * 2**20
MAX_ARCHIVE_BYTES = 2 * 2**30


def _read_zip(name, data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    # ValueError: bad offsets, names flagged UTF-8 that are not; NotImplementedError: a zip version from the future
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return [], [f"{name}: not a valid .zip archive"]
    members = {Path(i.filename).name: i for i in archive.infolist() if not i.is_dir()}
    # zipfile never unpacks more than a member's declared size, so checking the declared
    # sizes up front stops a zip bomb before any of it is inflated.
    too_big = sorted(n for n, i in members.items() if i.file_size > MAX_MEMBER_BYTES)
    if too_big:
        return [], [f"{name}: {too_big[0]!r} would unpack to more than {MAX_MEMBER_BYTES // 2**20} MB; "
                    "split the archive or import the file on its own"]
    if sum(i.file_size for i in members.values()) > MAX_ARCHIVE_BYTES:
        return [], [f"{name}: the archive would unpack to more than {MAX_ARCHIVE_BYTES // 2**30} GB; split it"]
    if MANIFEST not in members:
        return [], [f"{name}: the archive has no {MANIFEST}"]

    def load(file_name):
        info = members.get(Path(file_name).name)
        return _read_member(archive, info) if info else None

    manifest = _read_member(archive, members[MANIFEST])
    if manifest is None:
        return [], [f"{name}: cannot read {MANIFEST} from the archive (damaged or encrypted)"]
    return _read_csv(f"{name}/{MANIFEST}", manifest, REQUIRED["manifest"], load)


def _read_member(archive, info):
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):
        return None  # damaged compressed data is a damaged member, not a crash


def _collect(where, row, text_loader, records, errors):
    row = {k: (v if isinstance(v, str) else "") for k, v in row.items()}
    problems = []
    if text_loader is not None:
        file_name = row.get("file", "").strip()
        raw = text_loader(file_name) if file_name else None
        if raw is None:
            problems.append(f"file {file_name!r} is missing" if file_name else "the file cell is empty")
            text = ""
        else:
            text, error = _decode(file_name, raw)
            if error:
                problems.append(error)
                text = ""
            elif not text.strip():
                problems.append(f"file {file_name!r} has no text")
    else:
        text = row.get("text", "")
        if not text.strip():
            problems.append("the text is empty")
    fields = {k: row.get(k, "").strip() for k in ("outlet", "title", *OPTIONAL)}
    # PostgreSQL cannot store NUL in text, and no database stores a lone
    # surrogate (JSON may spell one "\ud800"): refuse both in every field.
    for key, value in (("text", text), *fields.items()):
        if "\x00" in value:
            problems.append(f"the {key} contains a NUL character")
        if _SURROGATE.search(value):
            problems.append(f"the {key} contains an unpaired surrogate (not a character)")
    for key in ("outlet", "title"):
        if not fields[key]:
            problems.append(f"the {key} is empty")
    for key, limit in MAX_FIELD.items():
        if len(fields[key]) > limit:
            problems.append(f"the {key} is longer than {limit} characters")
    for key in ("url", "outlet_url"):
        if fields[key]:
            try:
                _url(fields[key])
            except ValidationError:
                problems.append(f"the {key} {fields[key]!r} is not an http(s) address")
    published = None
    if fields["date"]:
        try:
            published = date.fromisoformat(fields["date"])
        except ValueError:
            problems.append(f"the date {fields['date']!r} is not YYYY-MM-DD")
    if fields["outlet"] and not slugify(fields["outlet"], allow_unicode=True):
        problems.append("the outlet name needs at least one letter or digit")
    if problems:
        errors.append(f"{where}: {'; '.join(problems)}")
        return
    records.append(
        Record(
            where=where,
            outlet=fields["outlet"],
            title=fields["title"],
            text=text,
            url=fields["url"],
            byline=fields["byline"],
            published=published,
            outlet_url=fields["outlet_url"],
        )
    )


# Writing --------------------------------------------------------------------


def _write(records, mode, progress, report, name):
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
    try:
        for i in range(0, len(todo), BATCH):
            batch = todo[i : i + BATCH]
            documents, spans = [], []
            for record, (source_id, digest) in batch:
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
                (document.pk, position, start, end, document.text[start:end],
                 _masthead(document.text[start:end], kind, names[document.source_id]))
                for document, found in zip(documents, spans, strict=True)
                for position, (start, end, kind) in enumerate(found)
            ]
            _insert_passages(rows)
            figure_store.store_for_documents([d.pk for d in documents])
            report.created += len(documents)
            report.passages += len(rows)
            bar.update(len(batch))
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
        raise RuntimeError(f"Passage has fields {sorted(columns)}; update PASSAGE_COLUMNS in corpus/importer.py")
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
    found = {s.name.casefold(): s for s in Source.objects.filter(name__in=[r.outlet for r in wanted.values()])}
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
