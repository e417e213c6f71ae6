"""The corpus admin under faults (issue 15): a large document must not break the lists or
its own page (item 10), a refused file shows a bounded error list (item 7; on its import
job's page), and the upload limit comes from settings (item 3)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.admin import EXCERPT_CHARS, INLINE_PASSAGES
from corpus.importer import MAX_LISTED_ERRORS
from corpus.models import Document, Passage, Source
from tests.annotate.jobs.support import job_of, run_jobs

DOCUMENT_TEXT = '"corpus_document"."text"'
PASSAGE_TEXT = '"corpus_passage"."text"'
# The passage list may read the start of each passage's text, nothing more.
PASSAGE_START = re.compile(r'SUBSTR(?:ING)?\("corpus_passage"\."text", 1, \d+\)')


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", password="x", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def big_document(db):
    """A long one-line document cut into more passages than the document page lists."""
    source = Source.objects.create(name="Wire", slug="wire")
    sentence = "The minister said the figure was wrong. "
    count = INLINE_PASSAGES + 50
    text = sentence * count
    document = Document.objects.create(source=source, title="Long wire dump", text=text)
    Passage.objects.bulk_create(
        Passage(
            document=document,
            position=i,
            start=i * len(sentence),
            end=(i + 1) * len(sentence) - 1,
            text=sentence[:-1],
        )
        for i in range(count)
    )
    Document.objects.create(source=source, title="Short one", text="Short.")
    return document


def captured_sql(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, [query["sql"] for query in context.captured_queries]


def test_the_document_list_never_reads_or_groups_by_document_text(
    big_document, staff_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response, queries = captured_sql(staff_client, reverse("admin:corpus_document_changelist"))
    assert not [sql for sql in queries if DOCUMENT_TEXT in sql]
    # Counting passages groups passages, not documents (SQLite grouped by every column).
    assert not [sql for sql in queries if 'GROUP BY "corpus_document"' in sql]
    html = response.content.decode()
    # The passage counts are still right.
    assert f'<td class="field-passage_total">{INLINE_PASSAGES + 50}</td>' in html
    assert '<td class="field-passage_total">0</td>' in html


def test_the_document_list_sorts_by_passage_count(big_document, staff_client):
    response, queries = captured_sql(
        staff_client, reverse("admin:corpus_document_changelist"), o="-4"
    )
    html = response.content.decode()
    assert html.index("Long wire dump") < html.index("Short one")
    assert not [sql for sql in queries if DOCUMENT_TEXT in sql]


def test_the_passage_list_shows_an_excerpt_and_reads_no_whole_text(
    big_document, staff_client, django_assert_max_num_queries
):
    long_passage = "Word " * 100 + "END-OF-PASSAGE"
    Passage.objects.filter(document=big_document, position=0).update(text=long_passage)
    with django_assert_max_num_queries(8):
        response, queries = captured_sql(
            staff_client,
            reverse("admin:corpus_passage_changelist"),
            document__id__exact=big_document.pk,
            o="2",
        )
    for sql in queries:
        assert DOCUMENT_TEXT not in sql
        assert PASSAGE_TEXT not in PASSAGE_START.sub("", sql), sql
    html = response.content.decode()
    assert "END-OF-PASSAGE" not in html
    excerpt = long_passage[: EXCERPT_CHARS - 1] + "…"
    assert f'<td class="field-excerpt">{excerpt}</td>' in html
    assert '<td class="field-excerpt">The minister said the figure was wrong.</td>' in html


def test_a_large_document_page_lists_the_first_passages_and_links_to_all(
    big_document, staff_client, django_assert_max_num_queries
):
    url = reverse("admin:corpus_document_change", args=[big_document.pk])
    with django_assert_max_num_queries(9):
        response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'id="passages-(\d+)"', html)
    assert len(rows) == INLINE_PASSAGES
    assert f"{INLINE_PASSAGES + 50} passage(s), the first {INLINE_PASSAGES} listed below" in html
    link = f"{reverse('admin:corpus_passage_changelist')}?document__id__exact={big_document.pk}"
    assert f'href="{link}"' in html
    # The link lists every passage of that document and no other.
    response = staff_client.get(link)
    assert response.status_code == 200
    assert f"{INLINE_PASSAGES + 50} passages" in response.content.decode()


def test_a_large_document_can_still_be_saved_from_its_page(big_document, staff_client):
    url = reverse("admin:corpus_document_change", args=[big_document.pk])
    form = {
        "source": big_document.source_id,
        "title": "Renamed",
        "url": "",
        "byline": "",
        "published": "",
        "passages-TOTAL_FORMS": str(INLINE_PASSAGES),
        "passages-INITIAL_FORMS": str(INLINE_PASSAGES),
        "passages-MIN_NUM_FORMS": "0",
        "passages-MAX_NUM_FORMS": "1000",
    }
    passages = Passage.objects.filter(document=big_document).order_by("position")
    for i, passage in enumerate(passages[:INLINE_PASSAGES]):
        form[f"passages-{i}-id"] = str(passage.pk)
        form[f"passages-{i}-document"] = str(big_document.pk)
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    big_document.refresh_from_db()
    assert big_document.title == "Renamed"
    assert big_document.passages.count() == INLINE_PASSAGES + 50


def test_a_refused_upload_lists_the_first_errors_and_counts_the_rest(staff_client, db):
    rows = MAX_LISTED_ERRORS + 150
    data = "outlet,title,text,date\n" + "O,T,Text.,not-a-date\n" * rows
    upload = SimpleUploadedFile("bad.csv", data.encode(), content_type="text/csv")
    job = job_of(
        staff_client.post(
            reverse("admin:corpus_document_import"), {"file": upload, "mode": "sentence"}
        )
    )
    run_jobs()  # the import job refuses the file; its page lists why
    response = staff_client.get(job.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("is not YYYY-MM-DD</li>") == MAX_LISTED_ERRORS
    assert f"{rows} error(s) (the first {MAX_LISTED_ERRORS} listed, 150 more not listed)" in html
    assert Document.objects.count() == 0


def test_the_upload_limit_comes_from_settings(staff_client, db, settings):
    settings.CREDENCE_MAX_UPLOAD_MB = 1
    body = "outlet,title,text\nO,T," + "x" * 2**20 + "\n"
    upload = SimpleUploadedFile("big.csv", body.encode(), content_type="text/csv")
    response = staff_client.post(
        reverse("admin:corpus_document_import"), {"file": upload, "mode": "sentence"}
    )
    assert response.status_code == 200
    assert "The file is larger than 1 MB; import it with the import_corpus command" in (
        response.content.decode()
    )
    assert Document.objects.count() == 0


def test_a_large_document_can_be_deleted_and_its_page_counts_rather_than_lists(
    big_document, staff_client, django_assert_max_num_queries
):
    url = reverse("admin:corpus_document_delete", args=[big_document.pk])
    with django_assert_max_num_queries(12):
        response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<li>Passages: {INLINE_PASSAGES + 50}</li>" in html
    assert "<li>Documents: 1</li>" in html
    first = big_document.passages.order_by("position").first()
    assert reverse("admin:corpus_passage_change", args=[first.pk]) not in html
    assert reverse("admin:corpus_document_change", args=[big_document.pk]) in html
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=big_document.pk).exists()
    assert not Passage.objects.filter(document_id=big_document.pk).exists()


def test_a_document_in_a_campaign_still_cannot_be_deleted_from_the_admin(campaign, staff_client):
    document = campaign.documents.first()
    url = reverse("admin:corpus_document_delete", args=[document.pk])
    html = staff_client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in html
    staff_client.post(url, {"post": "yes"})
    assert Document.objects.filter(pk=document.pk).exists()


def test_deleting_a_document_needs_the_right_to_delete_its_passages(
    big_document, client, django_user_model
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_document", "delete_document"])
    )
    client.force_login(user)
    url = reverse("admin:corpus_document_delete", args=[big_document.pk])
    html = client.get(url).content.decode()
    assert "have permission to delete the following types of objects" in html
    assert "<li>passage</li>" in html
    client.post(url, {"post": "yes"})
    assert Document.objects.filter(pk=big_document.pk).exists()


def test_the_import_page_states_the_upload_limit(staff_client, db, settings):
    settings.CREDENCE_MAX_UPLOAD_MB = 7
    html = staff_client.get(reverse("admin:corpus_document_import")).content.decode()
    assert "At most 7 MB; import larger files with the import_corpus command." in html
