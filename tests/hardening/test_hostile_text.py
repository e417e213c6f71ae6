"""Hostile text (issue #6, item 2): stored exactly, shown escaped.

Documents whose text, title, outlet and byline hold HTML, script tags, event
handler attributes, right-to-left overrides, zero-width characters, emoji
(ZWJ sequences, astral plane), combining marks and a 100,000-character
paragraph go in through every import route (CSV, JSONL, folder, zip, the
admin upload). The text is stored exactly: the importer does no newline or
Unicode normalisation; the only change is that a byte-order mark at the very
start of a file is read as the encoding mark it is. Every passage is its
exact span of the text.

Every page that shows passage text, titles, outlet names, bylines, URLs,
cited sources, notes, user names or campaign names is parsed as HTML and
must hold no active content: no script with inline code or without src, no
on* handler attribute, no javascript: URL, no iframe/object/embed/style
element; and the hostile strings must be there as text, escaped.

NUL cannot be stored in PostgreSQL text, so the importer refuses it on every
database with a message naming the file, the line and the field.
"""

import csv
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from annotate.adjudication import services as adjudication
from annotate.agreement.spans import TOKEN
from annotate.claims import services as claims
from annotate.interchange.annotation_import import import_annotations
from annotate.models import Annotation, Membership
from annotate.queue import services
from corpus.admin import EXCERPT_CHARS
from corpus.importer import import_path, import_upload
from corpus.models import Document, Passage
from tests.annotate.jobs.support import run_jobs
from tests.conftest import login, make_campaign
from tests.hardening.hostile_support import (
    BYLINE,
    CAMPAIGN_NAME,
    CODER,
    EMOJI,
    GUIDELINES,
    IMG,
    JS_LINK,
    LONG,
    OUTLET,
    PAYLOADS,
    ROUTES,
    RTL,
    SCRIPT,
    SVG,
    TEXT,
    TEXTAREA,
    TITLE,
    URL,
    as_jsonl,
    assert_inert,
    assert_shown_escaped,
    corpus_state,
    import_by,
    inspect,
    manifest_for,
    record,
)


@pytest.fixture
def staff(users, client):
    return login(client, users["staff"])


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("route", ROUTES)
def test_hostile_document_is_stored_exactly_by_every_import_route(route, newline, staff, tmp_path):
    text = TEXT.replace("\n", newline)
    errors = import_by(route, record(f"{OUTLET} {route}", text), tmp_path, staff)
    assert errors == []
    document = Document.objects.select_related("source").get(source__name=f"{OUTLET} {route}")
    assert document.text == text  # exactly: no newline, Unicode or HTML normalisation
    assert document.text.encode("utf-8") == text.encode("utf-8")
    assert (document.title, document.byline, document.url) == (TITLE, BYLINE, URL)
    passages = list(document.passages.order_by("position"))
    for passage in passages:
        assert document.text[passage.start : passage.end] == passage.text
    joined = "".join(p.text for p in passages)
    for payload in [*PAYLOADS, LONG]:
        assert payload in text
        assert all(piece in joined for piece in payload.split()), payload
    assert LONG in [p.text for p in passages], "the long paragraph is one passage of its own"


def test_a_byte_order_mark_starting_a_file_is_the_encoding_mark_and_one_inside_is_kept(
    db, tmp_path
):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "manifest.csv").write_bytes(b"\xef\xbb\xbf" + manifest_for(record("BOM outlet")))
    (folder / "article.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert import_path(folder).errors == []
    document = Document.objects.get(source__name="BOM outlet")
    assert document.text == TEXT and "\ufeff" in document.text  # the one in ZERO_WIDTH


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("field", ["text", "title", "outlet", "byline"])
def test_nul_is_refused_with_file_line_and_field_and_nothing_is_written(
    route, field, staff, tmp_path
):
    rec = record(f"NUL outlet {route}")
    rec[field] = rec[field][:20] + "\x00" + rec[field][20:]
    before = corpus_state()
    errors = import_by(route, rec, tmp_path, staff)
    assert corpus_state() == before
    assert len(errors) == 1
    assert f"the {field} contains a NUL character" in errors[0]
    assert "hostile" in errors[0] or "manifest.csv" in errors[0]
    assert re.search(r"line \d+", errors[0])


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/"]
)
def test_urls_that_are_not_http_are_refused(db, url):
    rec = record("URL outlet")
    rec["url"] = url
    before = corpus_state()
    report = import_upload("hostile.jsonl", as_jsonl(rec))
    assert corpus_state() == before
    assert report.errors and "is not an http(s) address" in report.errors[0]


# Pages -----------------------------------------------------------------------------


@pytest.fixture
def hostile(users, tmp_path):
    """A campaign over the hostile document, with hostile names and annotations in every field."""
    assert import_upload("hostile.jsonl", as_jsonl(record())).errors == []
    document = Document.objects.get(source__name=OUTLET)
    campaign = make_campaign(CAMPAIGN_NAME, [document], users, overlap=2)
    campaign.guidelines = GUIDELINES
    campaign.save(update_fields=["guidelines"])
    alice = users["alice"]
    done = []
    for label in ("sourced_fact", "opinion", "attributed_claim"):
        assignment = services.claim_next(campaign, alice)
        services.save_annotation(
            campaign,
            alice,
            assignment.pk,
            {
                "label": label,
                "cited_source": SVG,
                "cited_type": "named_person",
                "markers": [],
                "confidence": "high",
                "note": TEXTAREA,
            },
        )
        done.append(assignment)
    # An outside annotator with a hostile user name comes in through the annotation import.
    rows = "".join(
        f'{a.passage_id},"{CODER.replace(chr(34), chr(34) * 2)}",opinion,{JS_LINK.replace(chr(34), "")}\n'
        for a in done
    )
    result = import_annotations(
        campaign, "coder.csv", f"passage,annotator,label,note\n{rows}".encode()
    )
    assert result.ok, result.errors
    coder = get_user_model().objects.get(username=CODER)
    Membership.objects.create(campaign=campaign, user=coder, role="reviewer")
    current = services.claim_next(campaign, alice)
    return {
        "campaign": campaign,
        "document": document,
        "done": done,
        "current": current,
        "coder": coder,
    }


def context_texts(assignment):
    passage = assignment.passage
    return list(
        Passage.objects.filter(
            document=passage.document_id,
            position__gte=passage.position - 8,
            position__lte=passage.position + 8,
        ).values_list("text", flat=True)
    )


def assert_tokens_escaped(html, text):
    """Every word and mark of `text` is its own escaped token on the page, in order."""
    shown = re.findall(
        r'<span class="tok[^"]*" data-s="\d+" data-e="\d+"[^>]*>([^<]*)</span>', html
    )
    words = TOKEN.findall(text)
    assert shown == [escape(w) for w in words]


def test_annotation_page_shows_hostile_passages_title_outlet_byline_and_url_escaped(
    client, users, hostile
):
    login(client, users["alice"])
    campaign, current = hostile["campaign"], hostile["current"]
    response = client.get(reverse("annotate:passage", args=[campaign.slug, current.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    texts = context_texts(current)
    assert any(SCRIPT in t for t in texts) and LONG in texts
    # The current passage is shown word by word (tokens carrying offsets for marking spans),
    # so it is checked as page text and word by word; the rest must appear whole.
    others = [t for t in texts if t != current.passage.text]
    assert len(others) == len(texts) - 1
    assert_shown_escaped(html, *others, TITLE, OUTLET, BYLINE, URL, CAMPAIGN_NAME)
    assert_tokens_escaped(html, current.passage.text)
    assert f'href="{escape(URL)}"' in html


def test_annotation_page_shows_the_reviewers_own_hostile_note_and_cited_source_inside_their_fields(
    client, users, hostile
):
    login(client, users["alice"])
    first = hostile["done"][0]
    html = client.get(
        reverse("annotate:passage", args=[hostile["campaign"].slug, first.pk])
    ).content.decode()
    assert_shown_escaped(html, TEXTAREA, SVG)
    assert "&lt;/textarea&gt;" in html


def test_blind_annotation_page_masks_the_hostile_outlet_and_still_escapes_everything(
    client, users, hostile
):
    campaign = hostile["campaign"]
    campaign.blind_outlet = True
    campaign.save(update_fields=["blind_outlet"])
    login(client, users["alice"])
    html = client.get(
        reverse("annotate:passage", args=[campaign.slug, hostile["current"].pk])
    ).content.decode()
    assert_inert(html)
    assert OUTLET not in "".join(inspect(html).text)
    assert escape(BYLINE) not in html


def test_annotation_list_shows_hostile_titles_passages_cited_sources_and_user_names_escaped(
    client, users, hostile
):
    login(client, users["carol"])
    response = client.get(reverse("annotate:annotations", args=[hostile["campaign"].slug]))
    assert response.status_code == 200
    html = response.content.decode()
    shown = [
        a.assignment.passage.text for a in Annotation.objects.select_related("assignment__passage")
    ]
    assert_shown_escaped(
        html, TITLE, SVG, CODER, CAMPAIGN_NAME, *[t for t in shown if len(t) <= 160]
    )


def test_agreement_page_shows_hostile_outlet_title_and_reviewer_escaped(client, users, hostile):
    login(client, users["carol"])
    response = client.get(reverse("annotate:agreement", args=[hostile["campaign"].slug]))
    assert response.status_code == 200
    assert_shown_escaped(response.content.decode(), OUTLET, TITLE, CODER, CAMPAIGN_NAME)


def test_agreement_csv_neutralises_a_formula_title(client, users, hostile):
    login(client, users["carol"])
    response = client.get(
        reverse("annotate:agreement_csv", args=[hostile["campaign"].slug, "documents"])
    )
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert TITLE not in cells, "a title starting with = would run as a formula in a spreadsheet"
    assert any(cell.endswith(TITLE) and cell != TITLE for cell in cells)


@pytest.mark.parametrize(
    ("url_name", "username"),
    [
        ("annotate:home", "alice"),
        ("annotate:campaign", "alice"),
        ("annotate:guidelines", "alice"),
        ("annotate:manage", "mike"),
    ],
)
def test_campaign_pages_show_hostile_campaign_name_guidelines_and_members_escaped(
    client, users, hostile, url_name, username
):
    login(client, users[username])
    slug = hostile["campaign"].slug
    response = client.get(reverse(url_name, args=[] if url_name == "annotate:home" else [slug]))
    assert response.status_code == 200
    html = response.content.decode()
    expected = [CAMPAIGN_NAME]
    if url_name == "annotate:guidelines":
        expected += [IMG, JS_LINK]
    if url_name == "annotate:manage":
        expected += [CODER, GUIDELINES]
    assert_shown_escaped(html, *expected)


def admin_pages(hostile):
    document = hostile["document"]
    passage = document.passages.get(text=LONG)
    annotation = Annotation.objects.filter(assignment__reviewer=hostile["coder"]).first()
    return [
        (reverse("admin:corpus_document_changelist"), [TITLE, OUTLET]),
        (reverse("admin:corpus_document_changelist") + "?q=script", [TITLE]),
        (
            reverse("admin:corpus_document_change", args=[document.pk]),
            [TITLE, BYLINE, URL, SCRIPT, RTL, EMOJI],
        ),
        (reverse("admin:corpus_passage_changelist"), [LONG[: EXCERPT_CHARS - 1]]),
        (reverse("admin:corpus_passage_change", args=[passage.pk]), [LONG]),
        (reverse("admin:corpus_source_changelist"), [OUTLET]),
        (reverse("admin:corpus_source_change", args=[document.source_id]), [OUTLET]),
        (reverse("admin:annotate_campaign_changelist"), [CAMPAIGN_NAME]),
        (
            reverse("admin:annotate_campaign_change", args=[hostile["campaign"].pk]),
            [CAMPAIGN_NAME, TITLE, CODER],
        ),
        (reverse("admin:annotate_annotation_changelist"), []),
        (
            reverse("admin:annotate_annotation_change", args=[annotation.pk]),
            [JS_LINK.replace('"', "")],
        ),
        (reverse("admin:auth_user_changelist"), [CODER]),
        (reverse("admin:auth_user_change", args=[hostile["coder"].pk]), [CODER]),
    ]


def test_admin_pages_show_hostile_text_escaped(client, users, hostile):
    login(client, users["staff"])
    for url, expected in admin_pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html)
        text = "".join(inspect(html).text)
        values = inspect(html).values
        for s in expected:
            # Admin read-only text fields turn line breaks into <br>; compare line by line.
            for line in s.splitlines():
                assert line in text or line in values or any(line in v for v in values), (
                    url,
                    line[:80],
                )
            if "<" in s:
                assert s not in html, (url, s[:80])


def test_admin_import_errors_quote_hostile_cells_escaped(staff):
    rec = record("Error outlet")
    rec["url"] = f"javascript:{SCRIPT}"
    rec["date"] = f"{IMG}"
    upload = SimpleUploadedFile("hostile.jsonl", as_jsonl(rec))
    before = corpus_state()
    response = staff.post(
        reverse("admin:corpus_document_import"), {"file": upload, "mode": "sentence"}
    )
    assert response.status_code == 302  # queued as a job; its page lists the errors
    run_jobs()
    response = staff.get(response["Location"])
    assert response.status_code == 200 and corpus_state() == before
    html = response.content.decode()
    assert_inert(html)
    assert "is not an http(s) address" in html and "is not YYYY-MM-DD" in html
    assert SCRIPT not in html and IMG not in html


# Adjudication, claims and reports ----------------------------------------------------

RATIONALE = f"Because {IMG} said so"
STATEMENT = f"{SCRIPT} claim"


@pytest.fixture
def hostile_features(hostile, users):
    """A curator's decision with a hostile rationale and a hostile claim linked to the
    hostile passages."""
    campaign, carol = hostile["campaign"], users["carol"]
    disputed = hostile["done"][0].passage_id  # alice said sourced_fact, the coder opinion
    adjudication.decide(
        campaign,
        carol,
        disputed,
        {
            "label": "opinion",
            "cited_type": "named_person",
            "cited_source": SVG,
            "markers": [],
            "rationale": RATIONALE,
        },
    )
    claim = claims.create_claim(campaign, carol, STATEMENT, unit=JS_LINK[:50])
    for assignment in hostile["done"]:
        claims.link_passage(campaign, carol, claim.pk, assignment.passage_id)
    claims.refresh_suggestions(campaign)
    return {**hostile, "claim": claim, "disputed": disputed}


def feature_pages(h):
    slug, done = h["campaign"].slug, h["done"]
    return [
        ("carol", reverse("annotate:adjudication", args=[slug]), [CAMPAIGN_NAME]),
        ("carol", reverse("annotate:adjudication_decided", args=[slug]), [RATIONALE]),
        (
            "carol",
            reverse("annotate:adjudicate", args=[slug, h["disputed"]]),
            [TITLE, CODER, SVG, RATIONALE],
        ),
        (
            "carol",
            reverse("annotate:adjudicate", args=[slug, done[2].passage_id]),
            [TITLE, CODER, SVG],
        ),
        ("carol", reverse("annotate:claims", args=[slug]), [STATEMENT]),
        ("carol", reverse("annotate:claim", args=[slug, h["claim"].pk]), [STATEMENT, OUTLET]),
        ("carol", reverse("annotate:claim", args=[slug, h["claim"].pk]) + "?q=script", [STATEMENT]),
        ("carol", reverse("annotate:claim_suggestions", args=[slug]), [CAMPAIGN_NAME]),
        ("alice", reverse("annotate:claim_propose", args=[slug, done[0].pk]), [STATEMENT]),
        ("carol", reverse("annotate:reports", args=[slug]), [OUTLET]),
        ("carol", reverse("annotate:report_documents", args=[slug]), [TITLE, OUTLET]),
        ("carol", reverse("annotate:report_reviewers", args=[slug]), [CODER]),
    ]


def test_adjudication_claim_and_report_pages_show_hostile_text_escaped(
    client, users, hostile_features
):
    for username, url, expected in feature_pages(hostile_features):
        login(client, users[username])
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        page = inspect(html)
        assert page.problems == [], (url, page.problems)
        text = "".join(page.text)
        for s in expected:
            assert s in text or any(s in v for v in page.values), (url, s[:60])
            assert s not in html, (url, s[:60])


@pytest.mark.parametrize("kind", ["annotations.csv", "documents.csv", "outlets.csv"])
def test_csv_exports_neutralise_formulas_and_keep_hostile_text(
    client, users, hostile_features, kind
):
    login(client, users["carol"])
    response = client.get(
        reverse("annotate:export", args=[hostile_features["campaign"].slug, kind])
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@")], (
        "a cell would run as a spreadsheet formula"
    )
    assert any(OUTLET in c for c in cells)
    if kind != "outlets.csv":
        assert any(c.endswith(TITLE) for c in cells)


def test_jsonl_export_gives_back_hostile_text_exactly(client, users, hostile_features):
    login(client, users["carol"])
    response = client.get(
        reverse("annotate:export", args=[hostile_features["campaign"].slug, "annotations.jsonl"])
    )
    assert response.status_code == 200
    rows = [
        json.loads(line)
        for line in b"".join(response.streaming_content).decode().splitlines()
        if line
    ]
    values = {v for row in rows for v in row.values() if isinstance(v, str)}
    document = hostile_features["document"]
    assert TITLE in values and OUTLET in values and TEXTAREA in values
    passages = set(document.passages.values_list("text", flat=True))
    assert passages & values, "the export carries the passage text exactly"
