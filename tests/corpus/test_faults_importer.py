"""The importer under faults (issue 15): a zip whose manifest names one member on many rows
(item 2), two imports of the same outlets at once (item 4), a file of thousands of bad rows
(item 7) and a document too large to review (item 10)."""

import csv
import io
import json
import threading
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from corpus import importer, readers
from corpus.importer import MAX_LISTED_ERRORS, ImportReport, import_path, import_upload
from corpus.models import Document, Passage, Source

WAIT = 60  # seconds: a bound for threads on a loaded machine, not an expected duration


def counts():
    return (Source.objects.count(), Document.objects.count(), Passage.objects.count())


def article(n, outlet="Daily Ledger"):
    return {"outlet": outlet, "title": f"Story {n}", "text": f"Headline {n}\n\nSentence {n}."}


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# Item 2: the archive limit counts every inflation ----------------------------------------


def zip_naming_one_member(rows, member_bytes):
    """A manifest naming the same member on `rows` rows (each row a different title)."""
    manifest = "file,outlet,title\n" + "".join(f"same.txt,Ledger,Title {i}\n" for i in range(rows))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", manifest)
        archive.writestr("same.txt", "Headline\n\n" + "a" * (member_bytes - 10))
    return buffer.getvalue()


@pytest.fixture
def inflated(monkeypatch):
    """Bytes actually inflated from zip members, counted where zipfile is called."""
    total = []
    real = readers._read_member

    def counting(archive, info):
        total.append(info.file_size)
        return real(archive, info)

    monkeypatch.setattr(readers, "_read_member", counting)
    return total


def test_a_member_named_on_many_rows_counts_against_the_archive_limit_each_time(
    db, monkeypatch, inflated
):
    # Scaled down from the report (one 60 MB member on 50 rows of a 2 GB limit): 2,000
    # bytes on 10 rows of a 10,000-byte limit. The archive itself is far under the limit.
    monkeypatch.setattr(readers, "MAX_ARCHIVE_BYTES", 10_000)
    data = zip_naming_one_member(rows=10, member_bytes=2_000)
    assert len(data) < 2_000
    report = import_upload("repeat.zip", data)
    assert not report.ok
    assert report.errors == [
        "repeat.zip: the files its manifest.csv names would unpack to more than 10,000 bytes "
        "in all (a file named on several rows counts each time); split it"
    ]
    # Refused before inflating past the limit, not after.
    assert sum(inflated) <= 10_000
    assert counts() == (0, 0, 0)


def test_a_member_named_on_a_few_rows_within_the_limit_still_imports(db, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ARCHIVE_BYTES", 10_000)
    manifest = "file,outlet,title\nsame.txt,Ledger,A\nsame.txt,Gazette,B\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", manifest)
        archive.writestr("same.txt", "Shared wire story\n\nOne sentence. Another.")
    report = import_upload("shared.zip", buffer.getvalue())
    assert report.ok, report.errors
    assert sorted(Document.objects.values_list("source__name", flat=True)) == ["Gazette", "Ledger"]


# Item 4: two imports at once --------------------------------------------------------------


def other_sessions_waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_loser_of_two_overlapping_imports_gets_a_per_file_message(tmp_path, monkeypatch):
    """Both imports find the outlet and documents missing; the second to write them loses.

    The first import stops inside its transaction just after writing the new outlet. On
    PostgreSQL the second then waits on that uncommitted outlet and, when the first
    commits, breaks the unique constraint; on SQLite it cannot begin its transaction while
    the first holds the write lock and gives up after the busy timeout (shortened here). In
    both cases the second import must end with a report, not a database exception (which
    the admin turned into a server error).
    """
    path = write_jsonl(tmp_path / "same.jsonl", [article(1, "Race Outlet"), article(2)])
    holding, release = threading.Event(), threading.Event()
    real_sources_for = importer._sources_for

    def sources_for(records, report):
        found = real_sources_for(records, report)
        if threading.current_thread().name == "first":
            holding.set()
            assert release.wait(WAIT)
        return found

    monkeypatch.setattr(importer, "_sources_for", sources_for)
    if connection.vendor == "sqlite":
        options = connection.settings_dict["OPTIONS"]
        monkeypatch.setitem(options, "timeout", 0.2)
        monkeypatch.setitem(
            options, "init_command", options["init_command"].replace("busy_timeout=", "x=")
        )

    results = {}

    def run():
        try:
            results[threading.current_thread().name] = import_path(path)
        except Exception as exc:  # what used to reach the admin as a server error
            results[threading.current_thread().name] = exc
        finally:
            connection.close()

    first = threading.Thread(target=run, name="first")
    second = threading.Thread(target=run, name="second")
    try:
        first.start()
        assert holding.wait(WAIT)
        second.start()
        if connection.vendor == "postgresql":
            deadline = time.monotonic() + WAIT
            while not other_sessions_waiting_on_a_lock():
                assert time.monotonic() < deadline and second.is_alive()
                time.sleep(0.02)
        else:
            second.join(WAIT)
            assert not second.is_alive()
    finally:
        release.set()
        first.join(WAIT)
        second.join(WAIT)

    assert isinstance(results["first"], ImportReport) and results["first"].ok
    lost = results["second"]
    assert isinstance(lost, ImportReport), repr(lost)
    assert not lost.ok and lost.created == 0
    (error,) = lost.errors
    assert error.startswith(
        f"{path}: nothing from this file was written because another import was writing"
    )
    assert "import it again once that import has finished" in error
    # The winner's documents are stored once.
    assert Source.objects.filter(name__in=["Race Outlet", "Daily Ledger"]).count() == 2
    assert Document.objects.count() == 2
    # And importing the file again now, as the message says, changes nothing.
    again = import_path(path)
    assert again.ok and (again.created, again.unchanged) == (0, 2)


def test_a_database_error_that_is_not_a_race_still_raises(db, tmp_path, monkeypatch):
    """Only collisions with another writer become a per-file message; a bug stays loud."""
    from django.db import IntegrityError

    def broken(*args):
        raise IntegrityError("some other constraint")

    monkeypatch.setattr(importer, "_insert_passages", broken)
    with pytest.raises(IntegrityError):
        import_path(write_jsonl(tmp_path / "a.jsonl", [article(1)]))


# Item 7: a refused file lists a bounded number of errors, with a count of the rest -----------

BAD_ROWS = MAX_LISTED_ERRORS + 150


def bad_csv(path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["outlet", "title", "text", "date"])
    for i in range(BAD_ROWS):
        writer.writerow(["Ledger", f"T{i}", "Some text.", "not-a-date"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_file_of_bad_rows_lists_the_first_errors_and_counts_the_rest(db, tmp_path):
    path = bad_csv(tmp_path / "bad.csv")
    report = import_path(path)
    assert not report.ok
    assert report.error_count == BAD_ROWS
    assert len(report.errors) == MAX_LISTED_ERRORS
    assert report.errors_not_listed == BAD_ROWS - MAX_LISTED_ERRORS
    # The listed ones are the first, in order.
    assert report.errors[0] == f"{path}, line 2: the date 'not-a-date' is not YYYY-MM-DD"
    assert report.errors[-1].startswith(f"{path}, line {MAX_LISTED_ERRORS + 1}:")
    assert report.summary().endswith(
        f"{BAD_ROWS} error(s) (the first {MAX_LISTED_ERRORS} listed, "
        f"{BAD_ROWS - MAX_LISTED_ERRORS} more not listed)"
    )
    assert counts() == (0, 0, 0)


def test_the_errors_of_several_files_share_one_bounded_list():
    report = ImportReport()
    report.add_errors([f"a, line {i}" for i in range(MAX_LISTED_ERRORS - 1)])
    report.add_errors(["b, line 1", "b, line 2", "b, line 3"])
    assert report.errors[-1] == "b, line 1" and len(report.errors) == MAX_LISTED_ERRORS
    assert (report.errors_not_listed, report.error_count) == (2, MAX_LISTED_ERRORS + 2)


def test_the_command_prints_the_first_errors_and_a_count_of_the_rest(db, tmp_path):
    path = bad_csv(tmp_path / "bad.csv")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_corpus", str(path), "--no-progress", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == MAX_LISTED_ERRORS + 1
    assert lines[-1] == f"... and {BAD_ROWS - MAX_LISTED_ERRORS} more error(s)"
    assert f"{BAD_ROWS} error(s)" in out.getvalue()


# Item 10: a per-document size limit ---------------------------------------------------------


def test_a_document_over_the_size_limit_is_refused_naming_file_line_and_limit(
    db, tmp_path, settings
):
    settings.CREDENCE_MAX_DOCUMENT_CHARS = 60
    long_text = "Headline\n\n" + "A sentence. " * 5  # 70 characters
    path = write_jsonl(
        tmp_path / "long.jsonl",
        [article(1), {"outlet": "Ledger", "title": "Long", "text": long_text}],
    )
    report = import_path(path)
    assert report.errors == [
        f"{path}, line 2: the text is 70 characters long, more than the 60 a document may "
        "have (CREDENCE_MAX_DOCUMENT_CHARS); split it into articles"
    ]
    assert counts() == (0, 0, 0)


def test_a_text_file_over_the_size_limit_is_refused_by_its_manifest_line(db, tmp_path, settings):
    settings.CREDENCE_MAX_DOCUMENT_CHARS = 60
    (tmp_path / "short.txt").write_text("Short\n\nFine.", encoding="utf-8")
    (tmp_path / "long.txt").write_text("x" * 61, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,outlet,title\nshort.txt,O,S\nlong.txt,O,L\n", encoding="utf-8"
    )
    (error,) = import_path(tmp_path).errors
    assert error.startswith(f"{tmp_path / 'manifest.csv'}, line 3: the text is 61 characters")
    assert counts() == (0, 0, 0)


def test_a_document_at_the_size_limit_is_imported(db, tmp_path, settings):
    text = "Headline\n\n" + "A sentence. " * 5
    settings.CREDENCE_MAX_DOCUMENT_CHARS = len(text)
    report = import_path(
        write_jsonl(tmp_path / "ok.jsonl", [{"outlet": "O", "title": "T", "text": text}])
    )
    assert report.ok, report.errors
