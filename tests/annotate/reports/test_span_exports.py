"""Evidence spans downstream: spans.csv and spans.jsonl, loaded_terms.csv, the annotation
export's span count and guidelines version, the data card, and the loaded-terms table on the
per-outlet page (with a query count that does not grow with the campaign)."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotate.models import Adjudication, Annotation
from annotate.reports import exports, span_selectors
from annotate.reports import selectors as reports
from tests.annotate.report_support import small_campaign
from tests.annotate.test_frames import label_passages
from tests.conftest import login, make_campaign

LL, EA = "loaded_language", "emotional_appeal"


def span(passage, word, layer="loaded", label=LL):
    """A span over ``word`` in the passage, in document offsets."""
    at = passage.text.index(word)
    return {
        "layer": layer,
        "label": label,
        "start": passage.start + at,
        "end": passage.start + at + len(word),
        "text": word,
    }


@pytest.fixture
def spanned(users):
    """The small campaign (tests/annotate/report_support.py) with spans. Every passage reads
    "Sentence pN of DM." (4 words): Alpha annotated p1-p4 (16 words), Beta p6-p8 (12).

        p2 (unanimous, no curator)  alice: loaded "Sentence"; bob: loaded "Sentence", source "D1"
        p3 (carol decided)          alice: loaded "Sentence" (kept); bob: source "D1" (dropped);
                                    carol: loaded "Sentence", "p3" (emotional appeal)
        p6 (no curator)             alice: loaded "Sentence" (1 of 2 reviewers: not counted)
        p7 (alice alone)            alice: loaded "Sentence" (1 of 1: counted)
    """
    campaign, passages = small_campaign(users)

    def mark(name, who, *spans):
        Annotation.objects.filter(
            assignment__passage=passages[name], assignment__reviewer=users[who]
        ).update(spans=list(spans))

    p = passages
    mark("p2", "alice", span(p["p2"], "Sentence"))
    mark("p2", "bob", span(p["p2"], "Sentence"), span(p["p2"], "D1", "source", "document"))
    mark("p3", "alice", span(p["p3"], "Sentence"))
    mark("p3", "bob", span(p["p3"], "D1", "source", "document"))
    Adjudication.objects.filter(passage=p["p3"]).update(
        spans=[span(p["p3"], "Sentence"), span(p["p3"], "p3", label=EA)]
    )
    mark("p6", "alice", span(p["p6"], "Sentence"))
    mark("p7", "alice", span(p["p7"], "Sentence"))
    return campaign, passages


def text_of(campaign, kind, anonymise=False):
    return "".join(exports.export(campaign, kind, anonymise))


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_spans_csv_has_one_row_per_span_in_reading_order_with_its_final_status(spanned, users):
    campaign, passages = spanned
    rows = csv_rows(text_of(campaign, "spans.csv"))
    assert list(rows[0]) == span_selectors.SPAN_COLUMNS
    name = {str(p.pk): n for n, p in passages.items()}
    assert [
        (name[r["passage_id"]], r["kind"], r["reviewer"], r["layer"], r["text"], r["final_status"])
        for r in rows
    ] == [
        ("p2", "reviewer", "alice", "loaded", "Sentence", "undecided"),
        ("p2", "reviewer", "bob", "loaded", "Sentence", "undecided"),
        ("p2", "reviewer", "bob", "source", "D1", "undecided"),
        ("p3", "reviewer", "alice", "loaded", "Sentence", "kept"),
        ("p3", "reviewer", "bob", "source", "D1", "dropped"),
        ("p3", "final", "carol", "loaded", "Sentence", ""),
        ("p3", "final", "carol", "loaded", "p3", ""),
        ("p6", "reviewer", "alice", "loaded", "Sentence", "undecided"),
        ("p7", "reviewer", "alice", "loaded", "Sentence", "undecided"),
    ]
    p3 = passages["p3"]
    bob = Annotation.objects.get(assignment__passage=p3, assignment__reviewer=users["bob"])
    assert rows[4] == {
        "outlet": "Alpha",
        "document_id": str(p3.document_id),
        "document_title": "D1",
        "passage_id": str(p3.pk),
        "position": "2",
        "start": str(p3.start + 15),
        "end": str(p3.start + 17),
        "text": "D1",
        "layer": "source",
        "layer_name": "Cited source",
        "type": "document",
        "type_name": "Document or data",
        "kind": "reviewer",
        "reviewer": "bob",
        "annotation_id": str(bob.pk),
        "guidelines_version": "1",
        "final_status": "dropped",
    }
    assert (rows[6]["type"], rows[6]["type_name"], rows[6]["annotation_id"]) == (
        EA,
        "Emotional appeal",
        "",
    )
    for row in rows:  # offsets into the document's text
        document = passages[name[row["passage_id"]]].document
        assert document.text[int(row["start"]) : int(row["end"])] == row["text"]


def test_spans_jsonl_has_the_same_rows_with_json_types(spanned):
    campaign, _ = spanned
    records = [json.loads(line) for line in text_of(campaign, "spans.jsonl").splitlines()]
    rows = csv_rows(text_of(campaign, "spans.csv"))
    assert len(records) == len(rows) == 9
    assert all(list(r) == span_selectors.SPAN_COLUMNS for r in records)
    first, final = records[0], records[5]
    assert isinstance(first["start"], int) and isinstance(first["annotation_id"], int)
    assert first["guidelines_version"] == 1
    assert final["kind"] == "final" and final["annotation_id"] is None
    assert final["final_status"] is None and final["guidelines_version"] is None
    assert [str(r["start"]) for r in records] == [r["start"] for r in rows]


def test_anonymised_spans_name_reviewers_and_curators_by_pseudonym(spanned, users):
    campaign, _ = spanned
    text = text_of(campaign, "spans.csv", anonymise=True)
    assert not any(n in text for n in ("alice", "bob", "carol"))
    rows = csv_rows(text)
    alice, bob, carol = (reports.pseudonym(users[n].pk) for n in ("alice", "bob", "carol"))
    assert {r["reviewer"] for r in rows if r["kind"] == "reviewer"} == {alice, bob}
    assert {r["reviewer"] for r in rows if r["kind"] == "final"} == {carol}
    records = [json.loads(line) for line in text_of(campaign, "spans.jsonl", True).splitlines()]
    assert [r["reviewer"] for r in records] == [r["reviewer"] for r in rows]


def test_a_span_text_starting_like_a_formula_is_neutralised_in_csv_only(spanned, users):
    campaign, passages = spanned
    evil = {**span(passages["p6"], "Sentence"), "text": "=HYPERLINK(1)"}  # stored as is
    Annotation.objects.filter(
        assignment__passage=passages["p6"], assignment__reviewer=users["alice"]
    ).update(spans=[evil])
    row = next(r for r in csv_rows(text_of(campaign, "spans.csv")) if "HYPERLINK" in r["text"])
    assert row["text"] == "'=HYPERLINK(1)"
    lines = text_of(campaign, "spans.jsonl").splitlines()
    assert any(json.loads(line)["text"] == "=HYPERLINK(1)" for line in lines)


def test_a_campaign_without_spans_exports_headers_only(users):
    campaign, _ = small_campaign(users)
    assert text_of(campaign, "spans.csv") == ",".join(span_selectors.SPAN_COLUMNS) + "\r\n"
    assert text_of(campaign, "spans.jsonl") == ""
    assert text_of(campaign, "loaded_terms.csv") == (
        ",".join(span_selectors.LOADED_TERM_COLUMNS) + "\r\n"
    )


def test_loaded_terms_csv_counts_terms_per_outlet_in_full_precision(spanned):
    campaign, _ = spanned
    rows = csv_rows(text_of(campaign, "loaded_terms.csv"))
    assert list(rows[0]) == span_selectors.LOADED_TERM_COLUMNS
    assert [tuple(r.values()) for r in rows] == [
        # Alpha: "sentence" on p2 (2 of 2 reviewers) and p3 (the curator), 1000 × 2 / 16
        ("Alpha", "1", "sentence", "2", "125.0", "16", LL, "Loaded language"),
        ("Alpha", "2", "p3", "1", "62.5", "16", EA, "Emotional appeal"),
        # Beta: p7 only (p6: 1 of 2 reviewers), 1000 × 1 / 12
        ("Beta", "1", "sentence", "1", "83.33333333333333", "12", LL, "Loaded language"),
    ]


def test_annotation_export_counts_spans_and_carries_the_guidelines_version(spanned):
    campaign, passages = spanned
    rows = csv_rows(text_of(campaign, "annotations.csv"))
    p2 = {r["reviewer"]: r for r in rows if r["passage_id"] == str(passages["p2"].pk)}
    assert (p2["alice"]["spans"], p2["bob"]["spans"]) == ("1", "2")
    assert {r["guidelines_version"] for r in rows if r["annotation_id"]} == {"1"}
    blank = next(r for r in rows if r["annotation_id"] == "")  # p5: nobody labelled it
    assert blank["spans"] == blank["guidelines_version"] == ""
    Annotation.objects.filter(assignment__passage=passages["p1"]).update(guidelines_version=None)
    records = [json.loads(line) for line in text_of(campaign, "annotations.jsonl").splitlines()]
    p1 = [r for r in records if r["passage_id"] == passages["p1"].pk]
    assert {(r["guidelines_version"], r["spans"]) for r in p1} == {(None, 0)}
    assert {r["spans"] for r in records if r["passage_id"] == passages["p2"].pk} == {1, 2}


@pytest.mark.parametrize("anonymise", [False, True])
def test_the_data_card_describes_every_column_of_the_span_files(spanned, anonymise):
    campaign, _ = spanned
    card = text_of(campaign, "README.md", anonymise)
    for kind in ("spans.csv", "spans.jsonl", "loaded_terms.csv"):
        assert f"`{exports.filename(campaign, kind, anonymise)}`" in card, kind
    glossary = card.split("## Columns")[1]
    for column in [
        *span_selectors.SPAN_COLUMNS,
        *span_selectors.LOADED_TERM_COLUMNS,
        "guidelines_version",
        "spans",
    ]:
        assert f"| `{column}` |" in glossary, column
    assert "## Evidence spans" in card and "more than half" in card
    settings = json.loads(text_of(campaign, "campaign.json"))
    assert settings["loaded_terms"]["word_pattern"] == r"\w+(?:['’-]\w+)*"
    assert settings["loaded_terms"]["top_on_page"] == span_selectors.TOP_TERMS


def test_outlet_page_shows_the_top_loaded_terms_with_names_and_rounded_rates(
    client, spanned, users, monkeypatch
):
    campaign, _ = spanned
    login(client, users["carol"])
    html = client.get(reverse("annotate:reports", args=[campaign.slug])).content.decode()
    table = html.split('id="loaded-terms"')[1].split("</table>")[0]
    assert ">sentence</td>" in table and ">p3</td>" in table
    assert ">Loaded language</td>" in table and ">Emotional appeal</td>" in table
    assert "loaded_language" not in table  # names, not codes
    assert ">125.00</span>" in table and ">83.33</span>" in table
    assert 'title="2 passages in 16 words"' in table
    assert reverse("annotate:export", args=[campaign.slug, "loaded_terms.csv"]) in html
    monkeypatch.setattr(span_selectors, "TOP_TERMS", 1)
    html = client.get(reverse("annotate:reports", args=[campaign.slug])).content.decode()
    table = html.split('id="loaded-terms"')[1].split("</table>")[0]
    assert ">sentence</td>" in table and ">p3</td>" not in table
    assert "The 1 words or phrases" in html


def test_outlet_page_says_when_no_loaded_words_are_marked(client, users):
    campaign, _ = small_campaign(users)
    login(client, users["carol"])
    html = client.get(reverse("annotate:reports", args=[campaign.slug])).content.decode()
    assert "No loaded words are marked yet." in html


def mark_first_words(campaign):
    """A loaded-language span on the first word of every annotated passage of the campaign."""
    annotations = list(
        Annotation.objects.filter(assignment__campaign=campaign).select_related(
            "assignment__passage"
        )
    )
    for annotation in annotations:
        passage = annotation.assignment.passage
        match = re.search(r"\w+", passage.text)
        annotation.spans = [
            {
                "layer": "loaded",
                "label": LL,
                "start": passage.start + match.start(),
                "end": passage.start + match.end(),
                "text": match.group(),
            }
        ]
    Annotation.objects.bulk_update(annotations, ["spans"])


def test_outlet_page_query_count_with_spans_does_not_grow_with_the_campaign(
    client, seed_corpus, users, django_assert_max_num_queries
):
    few = make_campaign("Few", seed_corpus[:2], users, overlap=2)
    many = make_campaign("Many", seed_corpus, users, overlap=3)
    label_passages(few, [users["alice"]], 2)
    label_passages(many, [users["alice"], users["bob"], users["dave"]], 40)
    mark_first_words(few)
    mark_first_words(many)
    login(client, users["carol"])
    client.get(reverse("annotate:reports", args=[few.slug]))  # warm caches

    def queries(campaign):
        with django_assert_max_num_queries(17) as captured:
            response = client.get(reverse("annotate:reports", args=[campaign.slug]))
        assert response.status_code == 200 and 'id="loaded-terms"' in response.content.decode()
        return len(captured.captured_queries)

    assert queries(few) == queries(many)


def test_export_command_writes_the_span_files_by_their_short_names(spanned, tmp_path):
    campaign, _ = spanned
    call_command(
        "export_report",
        campaign.slug,
        "--out",
        str(tmp_path),
        "--only",
        "spans,terms",
        stdout=io.StringIO(),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "small-loaded_terms.csv",
        "small-spans.csv",
        "small-spans.jsonl",
    ]
    written = (tmp_path / "small-spans.csv").read_bytes().decode("utf-8")
    assert written == text_of(campaign, "spans.csv")
