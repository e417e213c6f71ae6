"""Hypothesis settings, strategies and checks shared by the importer and form fuzz tests."""

import csv
import io

from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.test import Client
from django.utils.text import slugify
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from corpus.models import Document, Passage, Source, content_hash

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the working tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the db fixture is shared by the examples on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Characters that broke or could break a parser, a database or a page.
HOSTILE_CHARS = [
    "\x00",
    "\x01",
    "\x1f",
    "\x7f",
    "\x85",
    "\t",
    "\r",
    "\n",
    "\x0b",
    "\x0c",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u202e",
    "\u202d",
    "\ufeff",
    "\ufffd",
    "\u0301",
    "\u05d0",
    "\u0627",
    "\U0001f468",
    "\U0001f9d1",
    "\U0001d54f",
    "\U000e0041",
    '"',
    "'",
    ",",
    ";",
    "<",
    ">",
    "&",
    "=",
    "+",
    "-",
    "@",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ":",
]
CHAR = st.one_of(st.characters(codec="utf-8"), st.sampled_from(HOSTILE_CHARS))
SHORT = st.text(alphabet=CHAR, max_size=30)
SAMPLE_TEXTS = [
    "Kabul Markets Boom\n\nThe U.S. left $7.2 billion of arms. Traders sell rifles for $4,200.",
    "<script>alert(1)</script> officials said. <img src=x onerror=alert(2)> was shown.",
    "\u202eevil\u202c text with \u200bzero\u200dwidth and 👨\u200d👩\u200d👧 family. Second sentence.",
    "A sentence that never ends " + "and goes on " * 2000,
    "\ufeffBOM first. Then text.",
    "   \n\n  ",
    "\u200b\u200d\ufeff",
    "",
]
TEXT = st.one_of(st.sampled_from(SAMPLE_TEXTS), st.text(alphabet=CHAR, max_size=200))
SPECIAL_CELLS = [
    "",
    " ",
    "2023-09-04",
    "2023-02-30",
    "20230904",
    "yesterday",
    "https://example.org/a",
    "javascript:alert(1)",
    "http://",
    "x" * 1001,
    "Ö" * 201,
    '=HYPERLINK("http://x")',
]
CELL = st.one_of(SHORT, st.sampled_from(SPECIAL_CELLS), TEXT)
CSV_COLUMNS = ["outlet", "title", "text", "url", "date", "byline", "outlet_url"]
MANIFEST_COLUMNS = ["file", "outlet", "title", "url", "date", "byline", "outlet_url"]


def corpus_state():
    return (Source.objects.count(), Document.objects.count(), Passage.objects.count())


def check_corpus_call(name, call):
    """Run one import; check it either succeeded consistently or was refused clearly, writing nothing."""
    before = corpus_state()
    last_document = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    report = call()
    after = corpus_state()
    if currently_in_test_context():  # shown by --hypothesis-show-statistics
        event("imported" if report.ok else "refused")
    if report.ok:
        assert report.created + report.unchanged >= 1, report.summary()
        assert after[1] == before[1] + report.created
        assert after[2] == before[2] + report.passages
        assert after[0] == before[0] + report.outlets_created
        for document in Document.objects.filter(pk__gt=last_document).prefetch_related("passages"):
            passages = sorted(document.passages.all(), key=lambda p: p.position)
            assert passages, f"document {document.pk} has no passages"
            assert document.content_hash == content_hash(document.text)
            for passage in passages:
                assert document.text[passage.start : passage.end] == passage.text
    else:
        assert after == before, f"a refused import wrote rows: {report.errors}"
        assert_clear(name, report.errors)
    return report


def assert_clear(name, errors):
    assert errors
    for error in errors:
        assert isinstance(error, str)
        assert error.startswith(str(name)), f"{error!r} does not name the file {name!r}"
        reason = error[len(str(name)) :].lstrip("/,: ")
        assert reason, f"{error!r} gives no reason"
        assert "Traceback" not in error


def csv_text(rows, newline="\n", quoting=csv.QUOTE_MINIMAL):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline, quoting=quoting)
    writer.writerows(rows)
    return buffer.getvalue()


@st.composite
def encoded(draw, text):
    """The text in UTF-8 mostly, sometimes in another encoding or with random bytes spliced in."""
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
    )
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if draw(st.integers(0, 6)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # cut short, maybe inside a quoted field
    return data


@st.composite
def table_text(draw, columns):
    """A CSV document: a header mostly holding the expected columns, rows of hostile cells,
    sometimes short or long rows and repeated rows."""
    header = draw(st.permutations(columns))
    header = header[: draw(st.integers(0, len(header)))] if draw(st.integers(0, 3)) == 0 else header
    if draw(st.booleans()):
        header = [*header, *draw(st.lists(st.one_of(SHORT, st.sampled_from(columns)), max_size=3))]
    if draw(st.integers(0, 4)) == 0:
        header = [h.upper() if draw(st.booleans()) else f" {h} " for h in header]
    width = len(header)
    row = (
        st.lists(CELL, min_size=max(0, width - 1), max_size=width + 1)
        if width
        else st.lists(CELL, max_size=3)
    )
    rows = draw(st.lists(row, max_size=5))
    if rows and draw(st.booleans()):
        rows = rows + rows[: draw(st.integers(1, len(rows)))]  # duplicate records
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    return csv_text([header, *rows], newline, quoting)


@st.composite
def valid_records(draw):
    """Records the importer must accept: outlet, title and text with hostile but storable content."""
    word = st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
        min_size=1,
        max_size=12,
    )
    name = word.filter(lambda s: slugify(s, allow_unicode=True) and s.strip() == s)
    sentence = st.builds(lambda ws: " ".join(ws) + ".", st.lists(word, min_size=1, max_size=8))
    text = st.builds(
        lambda s, hostile: "\n\n".join([*s, hostile]),
        st.lists(sentence, min_size=1, max_size=4),
        st.sampled_from(SAMPLE_TEXTS[:3]),
    )
    return draw(
        st.lists(
            st.fixed_dictionaries({"outlet": name, "title": name, "text": text}),
            min_size=1,
            max_size=4,
        )
    )


def stored_text(record):
    """The document the importer stored for a record (matching its outlet as the importer does)."""
    sources = [s for s in Source.objects.all() if s.name.casefold() == record["outlet"].casefold()]
    assert len(sources) == 1
    return Document.objects.get(source=sources[0], content_hash=content_hash(record["text"]))


# Forms ---------------------------------------------------------------------------

ALLOWED = {200, 302, 400, 404, 405}
FORM_TEXT = st.text(alphabet=CHAR, max_size=40)
NUMBERS = [
    "0",
    "-1",
    "1",
    "2",
    "3",
    "32767",
    "32768",
    "99999999999999999999",
    "1e3",
    "1.5",
    "NaN",
    "٣",
    "²",
    "0x10",
]
SPECIAL = [
    "",
    " ",
    "\x00",
    "x" * 301,
    "y" * 6000,
    "z" * 200_000,
    "<script>alert(1)</script>",
    "None",
    "null",
    "[]",
    "{}",
]
VALUE = st.one_of(FORM_TEXT, st.sampled_from(NUMBERS), st.sampled_from(SPECIAL))

# Tables a failed request may still write: sessions (the test client's log-in),
# django-axes' records of failed logins (rate limiting is their point) and the
# admin's log. Every other model of the project is compared row by row.
UNWATCHED = {"sessions", "axes", "admin", "contenttypes"}


def snapshot():
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in UNWATCHED:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        state[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return state


def error_messages(response):
    return [m.message for m in get_messages(response.wsgi_request) if m.level >= constants.ERROR]


def post_and_check(client, url, data, allowed=ALLOWED, shows_error=True, content_type=None):
    """POST; check the status, and that a request which did not succeed changed nothing
    (and, with shows_error, that a 200 answer shows an error). With content_type, data
    is sent as the raw body, byte for byte."""
    before = snapshot()
    if content_type is None:
        response = client.post(url, data)
    else:
        response = client.generic("POST", url, data, content_type=content_type)
    assert response.status_code in allowed, (response.status_code, url)
    succeeded = response.status_code == 302 and not error_messages(response)
    event(f"{response.status_code} {'succeeded' if succeeded else 'refused'}")
    if not succeeded:
        after = snapshot()
        changed = [label for label in before if before[label] != after[label]]
        assert not changed, f"a refused request (status {response.status_code}) changed {changed}"
        if response.status_code == 200 and shows_error:
            html = response.content.decode()
            assert "errorlist" in html or 'role="alert"' in html or "errornote" in html, (
                "no error shown"
            )
    return response


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@st.composite
def form_data(draw, fields, choices=None, valid=None):
    """Some of the form's fields (and maybe unknown ones), each with a random value, a
    likely choice, or a list of values where one is expected; or, one time in three,
    every field with a valid value (`valid`, else `choices`), so that some posts succeed."""
    choices = choices or {}
    if choices and draw(st.integers(0, 2)) == 0:
        pool = {**choices, **(valid or {})}
        return {name: draw(st.sampled_from(pool.get(name, [""]))) for name in fields}
    data = {}
    for name in draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields))):
        one = st.one_of(st.sampled_from(choices[name]), VALUE) if name in choices else VALUE
        data[name] = draw(st.one_of(one, st.lists(one, min_size=2, max_size=4)))
    if draw(st.integers(0, 4)) == 0:
        data[draw(FORM_TEXT) or "extra"] = draw(VALUE)
    return data
