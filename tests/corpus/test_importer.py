"""The importer: seeds, formats, idempotence, bad input, the command, query counts."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus import segmentation
from corpus.importer import import_path, import_upload
from corpus.models import Document, Passage, Source

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE = (
    "Kabul Markets Boom\n\nThe U.S. left $7.2 billion of arms. Traders sell rifles for $4,200."
)


def counts():
    return (Source.objects.count(), Document.objects.count(), Passage.objects.count())


def write_csv(path, rows, header=("outlet", "title", "text")):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_jsonl(path, records):
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def article(n, outlet="Daily Ledger"):
    return {
        "outlet": outlet,
        "title": f"Story {n}",
        "text": f"Headline {n}\n\nSentence {n} one. Sentence two.",
    }


@pytest.fixture
def existing(db, tmp_path):
    """One document already in the database, so 'nothing written' is a real check."""
    report = import_path(write_jsonl(tmp_path / "existing.jsonl", [article(0, "Old Outlet")]))
    assert report.ok, report.errors
    return counts()


# The seed corpus ------------------------------------------------------------------


def test_seed_import_creates_five_documents_from_five_outlets(seed_corpus):
    assert [d.source.name for d in seed_corpus] == [
        "Coverpage",
        "The Jerusalem Post",
        "USTimeToday",
        "Unknown outlet A (cites Khaama Press)",
        "Unknown outlet B",
    ]
    jpost = next(d for d in seed_corpus if d.source.name == "The Jerusalem Post")
    assert jpost.byline == "The Media Line"
    assert jpost.text == (SEEDS / "002_4d9d7896baba177c.txt").read_text(encoding="utf-8")
    assert all(d.passages.count() > 20 for d in seed_corpus)


def test_every_seed_passage_is_its_exact_span_in_order_without_overlap(seed_corpus):
    total = 0
    for document in seed_corpus:
        passages = list(document.passages.order_by("position"))
        assert [p.position for p in passages] == list(range(len(passages)))
        previous_end = 0
        for passage in passages:
            assert document.text[passage.start : passage.end] == passage.text
            assert passage.text and passage.text == passage.text.strip()
            assert passage.start >= previous_end
            previous_end = passage.end
        assert passages == sorted(passages, key=lambda p: p.start)
        total += len(passages)
    assert total == Passage.objects.count()


def test_seed_passages_are_those_of_segment(seed_corpus):
    for document in seed_corpus:
        stored = [(p.start, p.end, p.kind) for p in document.passages.order_by("position")]
        expected = [tuple(s) for s in segmentation.segment(document.text)]
        if document.source.name == "The Jerusalem Post":
            # Its masthead line is marked boilerplate by the importer (see the masthead test).
            expected[0] = (*expected[0][:2], Passage.Kind.BOILERPLATE)
        assert stored == expected


def test_reimporting_the_seeds_creates_nothing(seed_corpus):
    before = counts()
    report = import_path(SEEDS)
    assert (
        report.ok and report.created == 0 and report.unchanged == 5 and report.outlets_created == 0
    )
    assert report.passages == 0
    assert counts() == before


def test_paragraph_mode_import_stores_one_passage_per_line(db, tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [{"outlet": "O", "title": "T", "text": ARTICLE}])
    report = import_path(path, mode=segmentation.PARAGRAPH)
    assert report.ok
    document = Document.objects.get()
    assert document.segmentation == "paragraph"
    assert list(document.passages.values_list("text", flat=True)) == [
        "Kabul Markets Boom",
        "The U.S. left $7.2 billion of arms. Traders sell rifles for $4,200.",
    ]


# Formats ------------------------------------------------------------------------------


def test_csv_import_stores_optional_fields_and_outlet_homepage(db, tmp_path):
    path = write_csv(
        tmp_path / "news.csv",
        [
            [
                "Daily Ledger",
                "Markets",
                ARTICLE,
                "https://ledger.example/a",
                "2023-09-04",
                "A. Writer",
                "https://www.ledger.example/",
            ]
        ],
        header=("Outlet", "Title", "Text", "url", "date", "byline", "outlet_url"),
    )
    report = import_path(path)
    assert report.ok, report.errors
    assert (report.created, report.outlets_created, report.files) == (1, 1, 1)
    document = Document.objects.select_related("source").get()
    assert (document.url, str(document.published), document.byline) == (
        "https://ledger.example/a",
        "2023-09-04",
        "A. Writer",
    )
    assert (document.source.homepage, document.source.domain, document.source.slug) == (
        "https://www.ledger.example/",
        "ledger.example",
        "daily-ledger",
    )
    assert report.passages == document.passages.count() == 3


def test_jsonl_import_keeps_line_separators_inside_json_strings(db, tmp_path):
    record = {"outlet": "O", "title": "T", "text": "Head\u2028line\n\nBody one.\u2029Body two."}
    report = import_path(write_jsonl(tmp_path / "n.jsonl", [record, article(1)]))
    assert report.ok, report.errors
    assert Document.objects.filter(text=record["text"]).exists()
    assert report.created == 2


def test_folder_with_manifest_imports_its_text_files(db, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second Story\n\nOne sentence.", encoding="utf-8")
    write_csv(
        tmp_path / "manifest.csv",
        [["a.txt", "Ledger", "A"], ["b.txt", "Ledger", "B"]],
        header=("file", "outlet", "title"),
    )
    report = import_path(tmp_path)
    assert report.ok, report.errors
    assert sorted(Document.objects.values_list("title", flat=True)) == ["A", "B"]
    assert Source.objects.get().name == "Ledger"


def make_zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_of_a_folder_imports_from_a_path_and_from_an_upload(db, tmp_path):
    data = make_zip(
        {"corpus/manifest.csv": "file,outlet,title\na.txt,Ledger,A\n", "corpus/a.txt": ARTICLE}
    )
    (tmp_path / "c.zip").write_bytes(data)
    assert import_path(tmp_path / "c.zip").created == 1
    assert import_upload("c.zip", data).unchanged == 1
    assert Document.objects.count() == 1


def test_outlet_names_match_across_files_whatever_their_case(db, tmp_path):
    import_path(write_jsonl(tmp_path / "a.jsonl", [article(1, "Coverpage")]))
    report = import_path(write_jsonl(tmp_path / "b.jsonl", [article(2, "COVERPAGE")]))
    assert report.ok and report.outlets_created == 0
    assert Source.objects.get().documents.count() == 2


def test_a_new_outlet_whose_slug_is_taken_gets_a_numbered_slug(db, tmp_path):
    import_path(
        write_jsonl(tmp_path / "a.jsonl", [article(1, "Daily Ledger"), article(2, "Other")])
    )
    report = import_path(
        write_jsonl(tmp_path / "b.jsonl", [article(3, "Daily-Ledger"), article(4, "Third")])
    )
    assert report.ok and report.outlets_created == 2
    assert Source.objects.get(name="Daily-Ledger").slug == "daily-ledger-2"


def test_the_same_text_twice_in_one_file_is_stored_once(db, tmp_path):
    report = import_path(write_jsonl(tmp_path / "d.jsonl", [article(1), article(1)]))
    assert (report.created, report.unchanged) == (1, 1)


def test_import_in_worker_processes_stores_the_same_passages(db, tmp_path, monkeypatch):
    monkeypatch.setattr(segmentation, "PARALLEL_MIN_CHARS", 0)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    records = [
        {"outlet": f"Outlet {i % 2}", "title": str(i), "text": t} for i, t in enumerate(texts)
    ]
    report = import_path(write_jsonl(tmp_path / "big.jsonl", records))
    assert report.ok
    for document in Document.objects.all():
        stored = [(p.start, p.end, p.kind) for p in document.passages.order_by("position")]
        assert stored == [tuple(s) for s in segmentation.segment(document.text)]


# Bad input: every problem named with file, line and reason; nothing written -----------


def bad_csv(rows, header="outlet,title,text"):
    return (header + "\n" + rows).encode("utf-8")


BAD_FILES = [
    (
        "latin1.csv",
        b"outlet,title,text\nO,T,good text\nO,T2,caf\xe9 au lait\n",
        "latin1.csv, line 3: not valid UTF-8 (byte 0xe9)",
    ),
    ("empty.csv", bad_csv('O,T,"   "\n'), "empty.csv, line 2: the text is empty"),
    (
        "columns.csv",
        bad_csv("O,T\n", header="outlet,title"),
        "columns.csv, line 1: missing column(s) text",
    ),
    (
        "date.csv",
        bad_csv("O,T,Text here.,2023-13-45\n", header="outlet,title,text,date"),
        "date.csv, line 2: the date '2023-13-45' is not YYYY-MM-DD",
    ),
    (
        "url.csv",
        bad_csv("O,T,Text here.,ftp://x.example/a\n", header="outlet,title,text,url"),
        "url.csv, line 2: the url 'ftp://x.example/a' is not an http(s) address",
    ),
    (
        "nul.csv",
        bad_csv('O,T,"Text\x00here."\n'),
        "nul.csv, line 2: the text contains a NUL character",
    ),
    ("cells.csv", bad_csv("O,T,Text.,extra\n"), "cells.csv, line 2: more cells than columns"),
    (
        "outlet.csv",
        bad_csv("---,T,Text.\n"),
        "outlet.csv, line 2: the outlet name needs at least one letter",
    ),
    (
        "blank.csv",
        bad_csv(",,Text.\n"),
        "blank.csv, line 2: the outlet is empty; the title is empty",
    ),
    ("headeronly.csv", b"outlet,title,text\n", "headeronly.csv: no documents found"),
    (
        "json.jsonl",
        b'{"outlet": "O", "title": "T", "text": "Fine."}\n{"outlet": "O",\n',
        "json.jsonl, line 2: invalid JSON",
    ),
    ("list.jsonl", b'["O", "T", "Text"]\n', "list.jsonl, line 1: each line must be a JSON object"),
    (
        "fields.jsonl",
        b'{"outlet": "O", "text": "Text."}\n',
        "fields.jsonl, line 1: missing field(s) title",
    ),
    (
        "types.jsonl",
        b'{"outlet": "O", "title": 7, "text": "Text."}\n',
        "types.jsonl, line 1: field(s) title must be text",
    ),
    (
        "nul.jsonl",
        b'{"outlet": "O", "title": "T", "text": "A\\u0000B."}\n',
        "nul.jsonl, line 1: the text contains a NUL character",
    ),
    (
        "invisible.jsonl",
        b'{"outlet": "O", "title": "T", "text": "\\u200b\\u200e"}\n',
        "invisible.jsonl, line 1: the text has no passages",
    ),
    ("notes.txt", b"Just text.", "notes.txt: unsupported file type .txt"),
    ("broken.zip", b"PK not really", "broken.zip: not a valid .zip archive"),
    (
        "nomanifest.zip",
        make_zip({"a.txt": ARTICLE}),
        "nomanifest.zip: the archive has no manifest.csv",
    ),
    (
        "missing.zip",
        make_zip({"manifest.csv": "file,outlet,title\nnope.txt,O,T\n"}),
        "missing.zip/manifest.csv, line 2: file 'nope.txt' is missing",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_reported_by_file_line_and_reason_and_nothing_is_written(
    existing, tmp_path, name, data, message
):
    path = tmp_path / name
    path.write_bytes(data)
    report = import_path(path)
    assert not report.ok
    assert any(error.startswith(f"{tmp_path}/{message}") for error in report.errors), report.errors
    assert (report.created, report.passages, report.outlets_created) == (0, 0, 0)
    assert counts() == existing


def test_one_good_and_one_bad_record_write_neither(existing, tmp_path):
    path = write_csv(
        tmp_path / "mixed.csv", [["New Outlet", "Good", ARTICLE], ["New Outlet", "", "Text."]]
    )
    report = import_path(path)
    assert report.errors == [
        f"{path}, line 5: the title is empty"
    ]  # the good record spans lines 2-4
    assert counts() == existing
    assert not Source.objects.filter(name="New Outlet").exists()


def test_a_record_is_reported_by_the_line_it_starts_on(existing, tmp_path):
    path = write_csv(
        tmp_path / "multi.csv", [["O", "T", "Line one.\nLine two.\nLine three."], ["O", "", "X."]]
    )
    report = import_path(path)
    assert report.errors == [f"{path}, line 5: the title is empty"]


def test_every_bad_record_is_reported(existing, tmp_path):
    path = write_csv(
        tmp_path / "two.csv",
        [["O", "T", ""], ["O", "T", "Good."], ["O", "T", "X.", "not-a-date"]],
        header=("outlet", "title", "text", "date"),
    )
    assert import_path(path).errors == [
        f"{path}, line 2: the text is empty",
        f"{path}, line 4: the date 'not-a-date' is not YYYY-MM-DD",
    ]
    jsonl = write_jsonl(
        tmp_path / "two.jsonl",
        [
            {"outlet": "O", "title": "T", "text": "A.", "date": "x"},
            {"outlet": "O", "title": "T", "text": "B.", "url": "nope"},
        ],
    )
    assert import_path(jsonl).errors == [
        f"{jsonl}, line 1: the date 'x' is not YYYY-MM-DD",
        f"{jsonl}, line 2: the url 'nope' is not an http(s) address",
    ]
    assert counts() == existing


def test_folder_manifest_naming_a_missing_file(existing, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    write_csv(
        tmp_path / "manifest.csv",
        [["a.txt", "O", "A"], ["gone.txt", "O", "B"]],
        header=("file", "outlet", "title"),
    )
    report = import_path(tmp_path)
    assert report.errors == [f"{tmp_path / 'manifest.csv'}, line 3: file 'gone.txt' is missing"]
    assert counts() == existing


def test_folder_text_file_that_is_not_utf8_names_manifest_line_and_file(existing, tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Headline\n\nCaf\xe9.")
    write_csv(tmp_path / "manifest.csv", [["a.txt", "O", "A"]], header=("file", "outlet", "title"))
    (error,) = import_path(tmp_path).errors
    assert (
        error
        == f"{tmp_path / 'manifest.csv'}, line 2: a.txt, line 3: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    )
    assert counts() == existing


def test_folder_without_manifest_and_nonexistent_path(existing, tmp_path):
    assert import_path(tmp_path).errors == [
        f"{tmp_path}: no manifest.csv in this folder (columns: file, outlet, title, url, date, byline)"
    ]
    assert import_path(tmp_path / "nope.csv").errors == [
        f"{tmp_path / 'nope.csv'}: no such file or folder"
    ]
    assert counts() == existing


def test_manifest_cannot_reach_outside_its_folder(existing, tmp_path):
    (tmp_path / "secret.txt").write_text("Secret\n\nText.", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_csv(
        folder / "manifest.csv", [["../secret.txt", "O", "A"]], header=("file", "outlet", "title")
    )
    assert "file '../secret.txt' is missing" in import_path(folder).errors[0]
    assert counts() == existing


# The management command ------------------------------------------------------------------


def test_command_imports_and_prints_a_summary(db, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_corpus", str(SEEDS), "--no-progress", stdout=out, stderr=err)
    assert "5 document(s) imported" in out.getvalue() and err.getvalue() == ""
    assert Document.objects.count() == 5


def test_command_fails_on_a_bad_file_and_prints_its_errors(existing, tmp_path):
    good = write_jsonl(tmp_path / "good.jsonl", [article(5)])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(bad_csv("O,T,Text.,not-a-date\n", header="outlet,title,text,date"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="nothing from them was written"):
        call_command("import_corpus", str(good), str(bad), "--no-progress", stdout=out, stderr=err)
    assert f"{bad}, line 2: the date 'not-a-date' is not YYYY-MM-DD" in err.getvalue()
    assert "1 document(s) imported" in out.getvalue()  # the good file still went in
    assert Document.objects.count() == existing[1] + 1


# Query counts --------------------------------------------------------------------------------


def queries_to_import(path):
    with CaptureQueriesContext(connection) as context:
        report = import_path(path)
    assert report.ok, report.errors
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_documents(db, tmp_path):
    few = write_jsonl(tmp_path / "few.jsonl", [article(i, f"Few {i % 2}") for i in range(5)])
    many = write_jsonl(tmp_path / "many.jsonl", [article(i, f"Many {i % 2}") for i in range(50)])
    assert queries_to_import(few) == queries_to_import(many)
    assert Document.objects.count() == 55
    assert Passage.objects.count() == 55 * 3


def test_a_masthead_line_naming_the_outlet_is_boilerplate_not_a_headline(db):
    from tests.conftest import SEEDS

    import_path(SEEDS)
    post = Document.objects.get(source__name="The Jerusalem Post")
    first = post.passages.order_by("position").first()
    assert first.text == "The Jerusalem Post" and first.kind == Passage.Kind.BOILERPLATE
    # The real headline after it is still a headline.
    second = post.passages.get(position=1)
    assert second.kind == Passage.Kind.HEADLINE and second.text.startswith("Pakistani PM")


def test_a_zip_bomb_is_refused_before_it_is_inflated(db, monkeypatch):
    from corpus import readers

    monkeypatch.setattr(readers, "MAX_MEMBER_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", "file,outlet,title\nbomb.txt,O,T\n")
        archive.writestr("bomb.txt", "a" * 5000)  # deflates to a few bytes
    report = import_upload("bomb.zip", buffer.getvalue())
    assert not report.ok and "'bomb.txt' would unpack to more than" in report.errors[0]
    assert Document.objects.count() == 0


def test_an_archive_whose_members_add_up_past_the_limit_is_refused(db, monkeypatch):
    from corpus import readers

    monkeypatch.setattr(readers, "MAX_ARCHIVE_BYTES", 3000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", "file,outlet,title\na.txt,O,A\nb.txt,O,B\n")
        archive.writestr("a.txt", "a" * 2000)
        archive.writestr("b.txt", "b" * 2000)
    report = import_upload("two.zip", buffer.getvalue())
    assert not report.ok and "the archive would unpack to more than" in report.errors[0]
    assert Document.objects.count() == 0


# Progress reports (for background import jobs) -------------------------------------------


def test_on_progress_hears_reading_the_count_then_each_document_and_changes_nothing(db):
    first = [article(n) for n in range(3)]
    data = "".join(json.dumps(r) + "\n" for r in first).encode()
    import_upload("news.jsonl", data)  # three documents already in
    heard = []
    data += "".join(json.dumps(article(n)) + "\n" for n in range(3, 5)).encode()

    report = import_upload(
        "news.jsonl", data, on_progress=lambda done, total, message: heard.append((done, total))
    )

    assert (report.created, report.unchanged) == (2, 3)
    assert heard[0] == (0, None)  # reading and checking: the total is not known yet
    assert heard[1] == (0, 5)  # every record checked
    assert heard[2:] == [(3, 5), (4, 5), (5, 5)]  # the present ones count as done
    assert counts() == (1, 5, Passage.objects.count())


def test_a_refused_file_reports_only_its_reading(db):
    heard = []
    report = import_upload(
        "bad.csv", b"outlet,title\nA,B\n", on_progress=lambda *a: heard.append(a[:2])
    )
    assert not report.ok and heard == [(0, None)]
