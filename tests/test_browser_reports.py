"""The report pages and the agreement dashboard read on a laptop: at 1,366 × 900 in headless
Chromium no table or chart overflows, no cell shows "nan" or a code such as attributed_claim,
and counts read as integers.

The campaign: the five seed outlets, each with ten short articles of three passages labelled
through the services by three reviewers (unanimous, majority, curator-decided and unresolved
passages, so every column of every report has a value) and its long seed article left
unlabelled; one claim links figures from three outlets. Screenshots land in /tmp.

Run with `pytest -m browser` (the default run deselects these).
"""

import re

import pytest

from annotate.adjudication import services as adjudication
from annotate.claims import services as claims
from annotate.models import Annotation, Assignment
from annotate.queue import services as queue
from corpus.models import Document, Passage
from tests.annotate.report_support import small_campaign
from tests.browser_support import log_in, new_page
from tests.conftest import PASSWORD, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1366, 900
ARTICLES = 10  # per outlet: enough documents for the outlet comparisons
SENTENCES = 3
FACT, CLAIM, OPINION = "sourced_fact", "attributed_claim", "opinion"
TYPES = [FACT, CLAIM, OPINION]
NAN = re.compile(r"\bnan\b", re.IGNORECASE)
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # a code (attributed_claim), a CSV column
WHOLE = re.compile(r"^\d[\d,]*$")


def short_articles(sources):
    """ARTICLES articles of SENTENCES passages per outlet; {passage id: (outlet, article, i)}."""
    documents, where = [], {}
    for o, source in enumerate(sources):
        for a in range(ARTICLES):
            sentences = [
                f"{source.name}, article {a + 1}, sentence {s + 1}." for s in range(SENTENCES)
            ]
            document = Document.objects.create(
                source=source, title=f"Short article {a + 1}", text=" ".join(sentences)
            )
            documents.append(document)
            start = 0
            for s, sentence in enumerate(sentences):
                passage = Passage.objects.create(
                    document=document,
                    position=s,
                    start=start,
                    end=start + len(sentence),
                    text=sentence,
                )
                where[passage.pk] = (o, a, s)
                start += len(sentence) + 1
    return documents, where


def true_type(o, a, s):
    """Outlets differ: the first is mostly facts, the last mostly opinion."""
    return TYPES[min(2, (a + s + o) % (3 + o))]


def plan(o, a, s):
    """unanimous, majority (2 against 1, accepted in bulk), curator (three answers) or
    unresolved (2 against 1, left open: every other article has one)."""
    i = a * SENTENCES + s
    return ("unanimous", "unanimous", "unanimous", "majority", "curator", "unresolved")[i % 6]


def answer(where, reviewer_index):
    o, a, s = where
    kind = true_type(o, a, s)
    other = TYPES[(TYPES.index(kind) + 1 + reviewer_index % 2) % 3]
    given = kind
    if plan(o, a, s) in ("majority", "unresolved") and reviewer_index == 2:
        given = other
    elif plan(o, a, s) == "curator" and reviewer_index:
        given = other
    return {
        "label": given,
        "cited_type": ("anonymous" if (a + s) % 2 else "named_person") if given == CLAIM else "",
        "cited_source": "",
        "markers": ["loaded_language"] if given == OPINION and reviewer_index < 2 else [],
        "confidence": "high",
        "note": "",
    }


def labelled_campaign(seed_corpus, users):
    sources = sorted({d.source for d in seed_corpus}, key=lambda source: source.name)
    documents, where = short_articles(sources)
    # Reading order, the long seed articles last: the reviewers finish the short ones only.
    campaign = make_campaign("Reports", documents + seed_corpus, users, overlap=3)
    reviewers = [users["alice"], users["bob"], users["dave"]]
    for r, reviewer in enumerate(reviewers):
        for _ in where:
            assignment = queue.claim_next(campaign, reviewer)
            queue.save_annotation(
                campaign, reviewer, assignment.pk, answer(where[assignment.passage_id], r)
            )
    curator = users["carol"]
    for passage_id, spot in where.items():
        if plan(*spot) == "curator":
            adjudication.decide(
                campaign,
                curator,
                passage_id,
                {**answer(spot, 0), "rationale": "the writer's own words"},
            )
    majority = [p for p, spot in where.items() if plan(*spot) == "majority"]
    accepted, left = adjudication.accept_majority(campaign, curator, majority)
    assert len(accepted) == len(majority), left
    claim = claims.create_claim(campaign, curator, "Weapons left in Afghanistan in 2021")
    for figure in ("up to 400,000", "roughly 600,000", "316,260"):
        passage = Passage.objects.filter(document__in=seed_corpus, text__contains=figure).first()
        assert passage is not None, figure
        claims.link_passage(campaign, curator, claim.pk, passage.pk)
    # A reviewer read the last linked passage and named no source: its figure is unattributed
    # (the other two, read by nobody yet, have an unknown attribution).
    place = Assignment.objects.get(campaign=campaign, passage=passage, slot=1)
    Assignment.objects.filter(pk=place.pk).update(
        reviewer=reviewers[0], status=Assignment.Status.DONE
    )
    Annotation.objects.create(assignment=place, label=FACT, cited_type="")
    return campaign


# Every table and chart against its container, every chart's text inside its chart, and the
# page against the window.
OVERFLOW = """() => {
  const root = document.documentElement;
  const found = [];
  if (root.scrollWidth > root.clientWidth) {
    found.push(`page: ${root.scrollWidth} > ${root.clientWidth}`);
  }
  for (const element of document.querySelectorAll("main table, main svg")) {
    const name = element.id || element.className.baseVal || element.className || element.tagName;
    const box = element.parentElement;
    const width = Math.max(element.scrollWidth, element.getBoundingClientRect().width);
    if (width > box.clientWidth + 1) found.push(`${name}: ${width} > ${box.clientWidth}`);
    const right = element.getBoundingClientRect().right;
    if (right > root.clientWidth + 1) found.push(`${name}: right edge ${right}`);
  }
  for (const svg of document.querySelectorAll("main svg")) {
    const frame = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const box = text.getBoundingClientRect();
      if (box.left < frame.left - 1 || box.right > frame.right + 1) {
        found.push(`${svg.id}: "${text.textContent.trim()}" is cut off`);
      }
    }
  }
  for (const element of document.querySelectorAll("main *")) {
    const style = getComputedStyle(element);
    if (["auto", "scroll"].includes(style.overflowX) && element.scrollWidth > element.clientWidth + 1) {
      found.push(`${element.className}: scrolls ${element.scrollWidth} > ${element.clientWidth}`);
    }
  }
  return found;
}"""

CELLS = """() => Array.from(document.querySelectorAll(
  "main table th, main table td, main svg text, main caption"
)).map((cell) => [cell.closest("table, svg").id, cell.tagName,
                  cell.className.baseVal ?? cell.className, cell.textContent.trim()])"""


# Each column of a table: its header and its cells' text.
COLUMNS = """(id) => {
  const table = document.getElementById(id);
  const headers = Array.from(table.querySelectorAll("thead tr:last-child th"));
  return headers.map((th, i) => [th.textContent.trim(), Array.from(
    table.querySelectorAll(`tbody tr td:nth-child(${i + 1})`)).map((td) => td.textContent.trim())]);
}"""


def check(page, name):
    """Overflow, "nan", codes and counts; returns the cells checked."""
    page.screenshot(path=f"/tmp/credence-{name}.png", full_page=True)
    page.screenshot(path=f"/tmp/credence-{name}-top.png")  # the first screenful, full size
    assert page.evaluate(OVERFLOW) == [], name
    cells = page.evaluate(CELLS)
    assert cells, name
    for table, tag, classes, text in cells:
        assert not NAN.search(text), (name, table, text)
        assert not SNAKE.search(text), (name, table, text)
        if tag == "TD" and "count" in classes.split():
            assert WHOLE.match(text), (name, table, text)
    return cells


def test_reports_and_agreement_read_at_1366_pixels_without_scrolling_sideways(
    browser, live_server, seed_corpus, users
):
    campaign = labelled_campaign(seed_corpus, users)
    page, errors = new_page(browser)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    base = f"/c/{campaign.slug}"
    log_in(page, live_server.url, "carol", PASSWORD, f"{base}/reports/")

    cells = check(page, "outlets")
    shown = " ".join(text for *_, text in cells)
    for source in {d.source.name for d in seed_corpus}:
        assert source in shown, source
    for name in ("Sourced fact", "Attributed claim", "Opinion"):
        assert name in shown, name
    assert page.locator("#share-chart .whisker").count() > 0
    # Every count column has a non-zero figure for some outlet; every share and rate shows a
    # document-clustered interval for some outlet.
    for table, skip in (("outlet-sample", 2), ("outlet-claims", 1)):  # outlet, confidence
        for header, values in page.evaluate(COLUMNS, table)[skip:]:
            assert any(WHOLE.match(v) and v != "0" for v in values), (table, header, values)
    for header, values in page.evaluate(COLUMNS, "outlet-shares")[1:]:
        assert any("–" in v for v in values), (header, values)

    for path, name in (
        ("reports/documents/", "documents"),
        ("reports/documents/?documents-page=2", "documents-long-titles"),
        ("reports/reviewers/", "reviewers"),
        ("reports/comparisons/", "comparisons"),
        ("reports/comparisons/?measure=markers_per_100", "comparisons-markers"),
        ("agreement/", "agreement"),
    ):
        page.goto(f"{live_server.url}{base}/{path}")
        check(page, name)
        if name.startswith("comparisons"):
            assert page.locator("#forest-plot circle").count() == 15, name  # 10 pairs, 5 vs rest
    assert page.locator("#overall-alpha").inner_text() != ""
    assert errors == []


def test_an_outlet_with_one_document_says_why_its_shares_have_no_interval_and_still_fits(
    browser, live_server, users
):
    campaign, _ = small_campaign(users)  # outlet Beta has a single document
    page, errors = new_page(browser)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, live_server.url, "carol", PASSWORD, f"/c/{campaign.slug}/reports/")
    check(page, "outlets-one-document")
    beta = page.locator("#outlet-shares tbody tr", has_text="Beta")
    assert "no interval: one document" in beta.inner_text()
    assert "no interval: one document" in page.locator("#share-chart").inner_html()
    page.goto(f"{live_server.url}/c/{campaign.slug}/agreement/")
    check(page, "agreement-one-document")
    assert errors == []
