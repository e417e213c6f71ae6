"""Hostile text in a real browser (issue #6, item 2): no script in a passage ever runs.

A reviewer opens, in headless Chromium, the annotation page of a document whose
text, title, outlet, byline and URL carry script payloads: inline <script>,
event-handler attributes (onerror, onload, onfocus with autofocus), javascript:
URLs, an iframe srcdoc, a <meta> refresh. Each payload would set
window.__pwned, change document.title, call alert() or load a URL. The test
proves none of that happened and that the payloads are on the page as text,
character for character.

The browser context ignores the Content-Security-Policy (bypass_csp), so what
is proved here is the escaping itself, not the policy: the policy is a second
wall, tested elsewhere.

Run with `pytest -m browser`.
"""

import json

import pytest

from annotate.models import Annotation, Assignment
from annotate.queue import services
from annotate.queue.selectors import context_passages
from corpus.importer import import_upload
from corpus.models import Document, Passage
from tests.browser_support import TIMEOUT_MS, assignment_id, log_in
from tests.conftest import PASSWORD, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PWNED = "window.__pwned"
PAYLOADS = [
    '<script>window.__pwned = "inline"; document.title = "pwned"; alert("inline")</script>',
    "\u202e<script>alert('rtl')</script>\u202c \u200b<b onmouseover=alert('zw')>hover</b> 👨\u200d👩\u200d👧",
    "<img src=x-pwned.png onerror=\"window.__pwned='img'; alert('img')\">",
    "\"><svg onload=\"window.__pwned='svg'; alert('svg')\"></svg>",
    "<a href=\"javascript:window.__pwned='link';alert('link')\">click me</a>",
    "<input autofocus onfocus=\"window.__pwned='focus'; alert('focus')\">",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'meta\')">',
    "</p></div><script>window.__pwned='break-out'</script>",
]
# The headline carries the first payload, a paragraph each of the others: nine passages,
# all on the first annotation page (which shows eight passages after the current one).
TEXT = "\n\n".join(
    [
        f"Headline {PAYLOADS[0]}",
        *(f"Paragraph {i}: {p} end." for i, p in enumerate(PAYLOADS[1:], 1)),
    ]
)
TITLE = "<img src=x-title.png onerror=\"document.title='pwned'\"> title"
OUTLET = "<svg onload=alert('outlet')> Outlet"
BYLINE = "By <script>alert('byline')</script>"
URL = "https://example.org/?q=\"><script>alert('url')</script>"
NOTE = "</textarea><script>window.__pwned='note'; alert('note')</script>"
CITED = "\"><img src=x-cited.png onerror=alert('cited')>"


@pytest.fixture
def hostile_campaign(users):
    record = {"outlet": OUTLET, "title": TITLE, "text": TEXT, "byline": BYLINE, "url": URL}
    report = import_upload("hostile.jsonl", json.dumps(record).encode())
    assert report.ok, report.errors
    document = Document.objects.get(source__name=OUTLET)
    return make_campaign("Hostile campaign", [document], users, overlap=2)


class Watch:
    """What the page did: dialogs opened, requests made, uncaught errors, CSP header seen."""

    def __init__(self, page):
        self.dialogs, self.requests, self.errors, self.csp = [], [], [], []
        page.on("dialog", self._dialog)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("response", self._response)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _response(self, response):
        if response.request.resource_type == "document":
            self.csp.append(response.headers.get("content-security-policy"))


def new_page(browser):
    # bypass_csp: the page must be safe by escaping alone, whatever the policy says.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    return page, Watch(page)


def assert_nothing_ran(page, watch):
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let any onerror/onload/onfocus handler fire if one exists
    assert watch.dialogs == [], f"a dialog opened: {watch.dialogs}"
    assert page.evaluate(f"typeof {PWNED}") == "undefined", page.evaluate(PWNED)
    assert "pwned" not in page.title()
    assert not [u for u in watch.requests if "pwned" in u or "x-title" in u or "x-cited" in u], (
        watch.requests
    )
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert (
        page.evaluate(
            "document.querySelectorAll('main img, main svg, main iframe, main meta, main b').length"
        )
        == 0
    )
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
    assert watch.errors == [], watch.errors


def test_script_payloads_in_a_passage_do_not_run_and_show_as_text(
    browser, live_server, hostile_campaign, users
):
    page, watch = new_page(browser)
    log_in(page, live_server.url, "alice", PASSWORD, "/c/hostile-campaign/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start labelling").click()
    first = assignment_id(page)
    assert_nothing_ran(page, watch)
    print(f"Content-Security-Policy on the annotation page: {watch.csp[-1]!r}")

    # Every passage of the document is on the page as text, character for character.
    passages = [p.text for p in context_passages(Assignment.objects.get(pk=first).passage)]
    assert len(passages) == Passage.objects.filter(document__source__name=OUTLET).count(), (
        "all on one page"
    )
    shown = page.locator(".doc p.passage").all_text_contents()
    assert shown == passages
    for payload in PAYLOADS:
        assert all(piece in "".join(shown) for piece in payload.split()), payload
    assert page.locator("h1.doc-title").text_content() == TITLE
    header = page.locator(".reading p.muted").first.text_content()
    assert OUTLET in header and BYLINE in header
    assert page.locator(".reading a[rel~=noopener]").get_attribute("href") == URL

    # Clicking where the payloads are, and hovering over them, runs nothing either.
    page.get_by_text("click me", exact=False).first.click()
    page.get_by_text("hover", exact=False).first.hover()
    assert_nothing_ran(page, watch)

    # A hostile note and cited source typed by the reviewer come back as field values.
    page.keyboard.press("1")
    page.fill("#id_cited_source", CITED)
    page.select_option("#id_cited_type", "named_person")
    page.fill("#id_note", NOTE)
    with page.expect_navigation():
        page.click("#save")
    assert assignment_id(page) != first
    assert_nothing_ran(page, watch)
    saved = Annotation.objects.get(assignment_id=first)
    assert (saved.note, saved.cited_source) == (NOTE, CITED)

    with page.expect_navigation():
        page.keyboard.press("b")
    assert assignment_id(page) == first
    assert_nothing_ran(page, watch)
    assert page.input_value("#id_note") == NOTE
    assert page.input_value("#id_cited_source") == CITED


def test_curator_pages_listing_hostile_text_run_nothing(
    browser, live_server, hostile_campaign, users
):
    campaign = hostile_campaign
    for reviewer in ("alice", "bob"):
        for _ in range(3):
            assignment = services.claim_next(campaign, users[reviewer])
            services.save_annotation(
                campaign,
                users[reviewer],
                assignment.pk,
                {
                    "label": "opinion",
                    "cited_source": CITED,
                    "cited_type": "named_person",
                    "markers": [],
                    "confidence": "high",
                    "note": NOTE,
                },
            )
    page, watch = new_page(browser)
    log_in(page, live_server.url, "carol", PASSWORD, f"/c/{campaign.slug}/")
    for path in ("annotations/", "agreement/"):
        page.goto(f"{live_server.url}/c/{campaign.slug}/{path}")
        assert_nothing_ran(page, watch)
    assert OUTLET in page.locator("main").text_content()  # the agreement page's outlet table
    assert TITLE in page.locator("main").text_content()
