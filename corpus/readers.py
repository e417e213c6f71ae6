"""Reading and checking import files: CSV, JSONL, a folder or .zip with a manifest.

Pure reading: each reader returns (records, errors) and touches no database, so a
file with any problem is refused before anything is written (see corpus.importer).
"""

import csv
import io
import json
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

MANIFEST = "manifest.csv"
REQUIRED = {"csv": ("outlet", "title", "text"), "manifest": ("file", "outlet", "title")}
OPTIONAL = ("url", "date", "byline", "outlet_url")
MAX_FIELD = {"outlet": 200, "title": 500, "byline": 300, "url": 1000, "outlet_url": 200}

csv.field_size_limit(50 * 1024 * 1024)
_url = URLValidator(schemes=["http", "https"])
_SURROGATE = re.compile("[\ud800-\udfff]")


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


def reader_for(name, data):
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return lambda: _read_csv(name, data)
    if suffix == ".jsonl":
        return lambda: _read_jsonl(name, data)
    if suffix == ".zip":
        return lambda: _read_zip(name, data)
    return lambda: (
        [],
        [
            f"{name}: unsupported file type {suffix or '(none)'}; use .csv, .jsonl, .zip or a folder with {MANIFEST}"
        ],
    )


def _decode(name, data):
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return (
            None,
            f"{name}, line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )


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
        return [], [
            f"{name}, line 1: missing column(s) {', '.join(missing)} (found: {', '.join(columns) or 'none'})"
        ]
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
        bad = [
            k
            for k in (*REQUIRED["csv"], *OPTIONAL)
            if row.get(k) is not None and not isinstance(row[k], str)
        ]
        if bad:
            errors.append(f"{where}: field(s) {', '.join(bad)} must be text")
            continue
        _collect(where, {k: v or "" for k, v in row.items()}, None, records, errors)
    return records, errors


def folder_reader(folder):
    manifest = folder / MANIFEST

    def read():
        if not manifest.is_file():
            return [], [
                f"{folder}: no {MANIFEST} in this folder (columns: file, outlet, title, url, date, byline)"
            ]

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
        return [], [
            f"{name}: {too_big[0]!r} would unpack to more than {_size(MAX_MEMBER_BYTES)}; "
            "split the archive or import the file on its own"
        ]
    if sum(i.file_size for i in members.values()) > MAX_ARCHIVE_BYTES:
        return [], [
            f"{name}: the archive would unpack to more than {_size(MAX_ARCHIVE_BYTES)}; split it"
        ]
    if MANIFEST not in members:
        return [], [f"{name}: the archive has no {MANIFEST}"]
    inflated = members[MANIFEST].file_size

    def load(file_name):
        # A manifest may name one member on many rows, and every row inflates
        # it again (a 0.2 MB zip naming one 60 MB member on 50 rows took a
        # worker to 3.2 GB), so the archive limit counts every inflation.
        nonlocal inflated
        info = members.get(Path(file_name).name)
        if info is None:
            return None
        inflated += info.file_size
        if inflated > MAX_ARCHIVE_BYTES:
            raise _TooMuchText
        return _read_member(archive, info)

    manifest = _read_member(archive, members[MANIFEST])
    if manifest is None:
        return [], [f"{name}: cannot read {MANIFEST} from the archive (damaged or encrypted)"]
    try:
        return _read_csv(f"{name}/{MANIFEST}", manifest, REQUIRED["manifest"], load)
    except _TooMuchText:
        return [], [
            f"{name}: the files its {MANIFEST} names would unpack to more than "
            f"{_size(MAX_ARCHIVE_BYTES)} in all (a file named on several rows counts each "
            "time); split it"
        ]


def _size(n):
    for unit, scale in (("GB", 2**30), ("MB", 2**20)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n:,} bytes"


class _TooMuchText(Exception):
    """Raised by a zip's loader once the manifest has named more than MAX_ARCHIVE_BYTES."""


def _read_member(archive, info):
    try:
        return archive.read(info)
    except (
        zipfile.BadZipFile,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
        ValueError,
        zlib.error,
        lzma.LZMAError,
    ):
        return None  # damaged compressed data is a damaged member, not a crash


def _collect(where, row, text_loader, records, errors):
    row = {k: (v if isinstance(v, str) else "") for k, v in row.items()}
    problems = []
    if text_loader is not None:
        file_name = row.get("file", "").strip()
        raw = text_loader(file_name) if file_name else None
        if raw is None:
            problems.append(
                f"file {file_name!r} is missing" if file_name else "the file cell is empty"
            )
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
    limit = settings.CREDENCE_MAX_DOCUMENT_CHARS
    if len(text) > limit:
        problems.append(
            f"the text is {len(text):,} characters long, more than the {limit:,} a document may "
            "have (CREDENCE_MAX_DOCUMENT_CHARS); split it into articles"
        )
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
