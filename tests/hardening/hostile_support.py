"""Hostile strings, the import routes and the HTML inspector shared by the hostile-text tests.

The inspector parses a page as a browser would and lists what could run: a
script with inline code or without src, an on* handler attribute, a
javascript:/data:/vbscript: URL, an iframe/object/embed/style/base element, an
image not from our static files.
"""

import csv
import io
import json
import re
import zipfile
from html import unescape
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from corpus.importer import import_path, import_upload
from corpus.models import Document, Passage, Source

SCRIPT = '<script>window.__pwned = "script"; alert("script")</script>'
IMG = "<img src=x onerror=\"window.__pwned='img'\">"
SVG = '"><svg onload=alert("svg")>'
JS_LINK = "<a href=\"javascript:alert('link')\">click me</a>"
IFRAME = '<iframe srcdoc="<script>alert(1)</script>"></iframe>'
STYLE = "<style>body{display:none}</style>"
TEXTAREA = '</textarea><script>alert("note")</script>'
RTL = "Price \u202e0015$\u202c now, \u202dLRO\u202c and \u200fRLM\u200e marks"
ZERO_WIDTH = "zero\u200bwidth\u200djoiner\ufeffnobreak"
EMOJI = "Family 👨\u200d👩\u200d👧\u200d👦, flag 🏳\ufe0f\u200d🌈, coder 🧑🏽\u200d💻, maths 𝕏𝟘, tag \U000e0041"
COMBINING = "Z\u0324\u0354\u0367\u0311a\u0308\u0356l\u036eg\u030co\u0319"
# One paragraph, one line, no sentence end: a single 100,000-character passage.
LONG = ("<b>bold</b> &amp; lorem ipsum " * 4000)[:100_000]

TEXT = "\n\n".join(
    [
        f"Headline {SCRIPT}",
        f"Officials said {SCRIPT} on Monday. Then {IMG} appeared in the feed.",
        f"A quote {SVG} followed. A link {JS_LINK} was posted.",
        f"{RTL} today. The {ZERO_WIDTH} text stays.",
        f"{EMOJI} arrived. {COMBINING} is text. {IFRAME} {STYLE} end.",
        LONG,
    ]
)
PAYLOADS = [SCRIPT, IMG, SVG, JS_LINK, IFRAME, STYLE, RTL, ZERO_WIDTH, EMOJI, COMBINING]
TITLE = f'=HYPERLINK("http://evil") {SCRIPT} & "quotes" \u202eeltit'
OUTLET = f"<b>Evil</b> Outlet {SVG}"
BYLINE = f"By {IMG} and \u202eRTL Writer"
URL = 'https://example.org/story?q="><script>alert("url")</script>'
CODER = '<script>alert("coder")</script>'
CAMPAIGN_NAME = f"{SCRIPT} campaign"
GUIDELINES = f"Read carefully. {IMG}\n\n{JS_LINK}"


def record(outlet=OUTLET, text=TEXT):
    return {"outlet": outlet, "title": TITLE, "text": text, "byline": BYLINE, "url": URL}


def corpus_state():
    return (Source.objects.count(), Document.objects.count(), Passage.objects.count())


# Import routes ---------------------------------------------------------------------


def as_csv(rec):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(rec))
    writer.writerow(list(rec.values()))
    return buffer.getvalue().encode("utf-8")


def as_jsonl(rec):
    return (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")


def manifest_for(rec):
    fields = {k: v for k, v in rec.items() if k != "text"}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", *fields])
    writer.writerow(["article.txt", *fields.values()])
    return buffer.getvalue().encode("utf-8")


def as_zip(rec):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("corpus/manifest.csv", manifest_for(rec))
        archive.writestr("corpus/article.txt", rec["text"].encode("utf-8"))
    return buffer.getvalue()


def import_by(route, rec, tmp_path, client=None):
    """Import one record by one route; return the list of errors (empty on success)."""
    if route == "csv":
        path = tmp_path / "hostile.csv"
        path.write_bytes(as_csv(rec))
        return import_path(path).errors
    if route == "jsonl":
        return import_upload("hostile.jsonl", as_jsonl(rec)).errors
    if route == "folder":
        folder = tmp_path / "corpus"
        folder.mkdir(exist_ok=True)
        (folder / "manifest.csv").write_bytes(manifest_for(rec))
        (folder / "article.txt").write_bytes(rec["text"].encode("utf-8"))
        return import_path(folder).errors
    if route == "zip":
        return import_upload("hostile.zip", as_zip(rec)).errors
    if route == "admin":
        upload = SimpleUploadedFile(
            "hostile.jsonl", as_jsonl(rec), content_type="application/jsonl"
        )
        response = client.post(
            reverse("admin:corpus_document_import"), {"file": upload, "mode": "sentence"}
        )
        if response.status_code == 302:  # queued: run the import job, read its page
            from tests.annotate.jobs.support import run_jobs

            run_jobs()
            response = client.get(response["Location"])
            if 'id="job-errors"' not in response.content.decode():
                return []
        assert response.status_code == 200
        html = response.content.decode()
        assert_inert(html)
        return [unescape(e) for e in re.findall(r"<li>(.*?)</li>", html, flags=re.S)]
    raise AssertionError(route)


ROUTES = ["csv", "jsonl", "folder", "zip", "admin"]


# The inspector ----------------------------------------------------------------------


class Inspector(HTMLParser):
    """Collects what a browser would run, and the page's text as a reader sees it."""

    FORBIDDEN = {"iframe", "object", "embed", "style", "frame", "frameset", "base", "meta-refresh"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.text = []
        self.values = []  # attribute values and textarea content, unescaped
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has a handler attribute {name}={value!r}")
            if value and name in {"href", "src", "action", "formaction", "xlink:href", "srcdoc"}:
                if (
                    re.sub(r"[\s\x00-\x1f]", "", value)
                    .lower()
                    .startswith(("javascript:", "data:", "vbscript:"))
                    or name == "srcdoc"
                ):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if value:
                self.values.append(value)
        if tag in self.FORBIDDEN:
            self.problems.append(f"a <{tag}> element")
        if tag == "script":
            if not dict(attrs).get("src"):
                self.problems.append("a <script> without src")
            self._in_script = True
        if tag == "img" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.problems.append(f"an <img> not from /static/: {attrs}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script code {data[:60]!r}")
        self.text.append(data)


def inspect(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


def assert_inert(html):
    problems = inspect(html).problems
    assert problems == [], problems


def assert_shown_escaped(html, *strings):
    """The page runs nothing and shows each string whole, as text or as an attribute value."""
    page = inspect(html)
    assert page.problems == [], page.problems
    text = "".join(page.text)
    for s in strings:
        assert s in text or s in page.values, f"{s[:80]!r} is not shown on the page"
        if "<" in s:
            assert s not in html, f"{s[:80]!r} appears unescaped"
            assert escape(s) in html or s.replace("<", "&lt;") in html
