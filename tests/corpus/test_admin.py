"""The corpus admin: pages answer for staff with a bounded number of queries; the import page,
which stores the upload and queues its import as a background job (annotate.jobs)."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotate.models import Job
from corpus.models import Document, Passage, Source
from tests.annotate.jobs.support import job_of, run_jobs

GOOD_CSV = (
    "outlet,title,text,date\n"
    'Evening Star,Markets,"Kabul Markets\n\nThe U.S. left $7.2 billion of arms. Rifles sell for $4,200.",2023-09-04\n'
)
BAD_CSV = GOOD_CSV + "Evening Star,Second,Another text.,2023-02-30\n"


def counts():
    return (Source.objects.count(), Document.objects.count(), Passage.objects.count())


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", password="x", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url_name", "max_queries"),
    [
        ("admin:corpus_source_changelist", 7),
        ("admin:corpus_document_changelist", 10),
        ("admin:corpus_passage_changelist", 8),
    ],
)
def test_changelists_answer_with_bounded_queries(
    seed_corpus, staff_client, django_assert_max_num_queries, url_name, max_queries
):
    with django_assert_max_num_queries(max_queries):
        response = staff_client.get(reverse(url_name))
    assert response.status_code == 200


def test_changelist_search_and_filters_answer(seed_corpus, staff_client):
    source = seed_corpus[0].source
    assert (
        staff_client.get(reverse("admin:corpus_document_changelist"), {"q": "Taliban"}).status_code
        == 200
    )
    response = staff_client.get(reverse("admin:corpus_passage_changelist"), {"kind": "boilerplate"})
    assert response.status_code == 200
    assert "Comments (0)" in response.content.decode()
    response = staff_client.get(
        reverse("admin:corpus_passage_changelist"), {"document__source__id__exact": source.pk}
    )
    assert response.status_code == 200


def test_source_changelist_shows_document_and_passage_counts(seed_corpus, staff_client):
    response = staff_client.get(reverse("admin:corpus_source_changelist"))
    html = response.content.decode()
    for document in seed_corpus:
        assert document.source.name in html
        assert f'<td class="field-passage_count">{document.passages.count()}</td>' in html
    assert html.count('<td class="field-document_count">1</td>') == 5


def source_changelist_queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("admin:corpus_source_changelist")).status_code == 200
    return len(context.captured_queries)


def test_source_changelist_needs_no_query_per_outlet(staff_client, db):
    def add_outlet(n):
        source = Source.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}")
        document = Document.objects.create(source=source, title="T", text="Some text.")
        Passage.objects.create(document=document, position=0, start=0, end=10, text="Some text.")

    add_outlet(0)
    one = source_changelist_queries(staff_client)
    for n in range(1, 5):
        add_outlet(n)
    assert source_changelist_queries(staff_client) == one


def test_document_changelist_needs_no_query_per_document(staff_client, db):
    source = Source.objects.create(name="Outlet", slug="outlet")
    Document.objects.create(source=source, title="T0", text="Text 0.")
    with CaptureQueriesContext(connection) as one:
        staff_client.get(reverse("admin:corpus_document_changelist"))
    for n in range(1, 5):
        Document.objects.create(source=source, title=f"T{n}", text=f"Text {n}.")
    with CaptureQueriesContext(connection) as five:
        staff_client.get(reverse("admin:corpus_document_changelist"))
    assert len(five.captured_queries) == len(one.captured_queries)


def test_document_change_page_lists_its_passages_inline(
    seed_corpus, staff_client, django_assert_max_num_queries
):
    document = next(d for d in seed_corpus if d.source.name.startswith("Unknown outlet A"))
    with django_assert_max_num_queries(8):  # the passages are one query, not one each
        response = staff_client.get(reverse("admin:corpus_document_change", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="form-row') >= document.passages.count()
    assert "An M4 rifle now sells for over $4,200," in html
    assert "Comments (0)" in html


def test_source_and_passage_change_pages_answer(
    seed_corpus, staff_client, django_assert_max_num_queries
):
    source = seed_corpus[0].source
    passage = seed_corpus[0].passages.first()
    with django_assert_max_num_queries(6):
        assert (
            staff_client.get(reverse("admin:corpus_source_change", args=[source.pk])).status_code
            == 200
        )
    with django_assert_max_num_queries(7):
        response = staff_client.get(reverse("admin:corpus_passage_change", args=[passage.pk]))
    assert response.status_code == 200
    assert passage.text in response.content.decode()


def test_documents_and_passages_cannot_be_added_by_hand(staff_client, db):
    assert staff_client.get(reverse("admin:corpus_document_add")).status_code == 403
    assert staff_client.get(reverse("admin:corpus_passage_add")).status_code == 403


def test_saving_a_document_title_keeps_its_passages(seed_corpus, staff_client):
    document = seed_corpus[0]
    before = list(document.passages.values_list("text", flat=True))
    url = reverse("admin:corpus_document_change", args=[document.pk])
    form = {
        "source": document.source_id,
        "title": "Edited title",
        "url": "",
        "byline": "",
        "published": "",
        "passages-TOTAL_FORMS": "0",
        "passages-INITIAL_FORMS": "0",
        "passages-MIN_NUM_FORMS": "0",
        "passages-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert document.title == "Edited title"
    assert list(document.passages.values_list("text", flat=True)) == before


# The import page ------------------------------------------------------------------


def test_import_page_answers_with_bounded_queries(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = staff_client.get(reverse("admin:corpus_document_import"))
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_document_changelist_links_to_the_import_page(staff_client, db):
    response = staff_client.get(reverse("admin:corpus_document_changelist"))
    assert reverse("admin:corpus_document_import") in response.content.decode()


def upload(client, data, name="news.csv", mode="sentence"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("admin:corpus_document_import"), {"file": upload, "mode": mode})


def test_uploading_a_csv_stores_it_and_queues_its_import_on_a_job_page(
    staff_client, job_files, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):  # nothing is imported inside the request
        response = upload(staff_client, GOOD_CSV.encode())
    job = job_of(response)
    assert response["Location"] == reverse("annotate:job", args=[job.pk])
    assert (job.kind, job.status, job.campaign, job.created_by.username) == (
        "corpus_import",
        "queued",
        None,
        "editor",
    )
    assert job.args == {"name": "news.csv", "mode": "sentence"}
    stored = Path(job.input_path)
    assert stored.parent == job_files and stored.read_bytes() == GOOD_CSV.encode()
    assert counts() == (0, 0, 0)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Uploaded. The import runs in the background; this page follows it."]


def test_the_import_job_imports_the_file_and_links_to_the_document_list(staff_client, db):
    job = job_of(upload(staff_client, GOOD_CSV.encode()))
    assert run_jobs() == 1
    document = Document.objects.get()
    assert (document.title, str(document.published), document.source.name) == (
        "Markets",
        "2023-09-04",
        "Evening Star",
    )
    assert document.passages.count() == 3
    job.refresh_from_db()
    summary = "1 file(s): 1 document(s) imported with 3 passage(s), 0 already present, 1 new outlet(s), 0 error(s)"
    assert (job.status, job.message, job.done, job.total) == ("done", summary, 1, 1)
    assert not Path(job.input_path).exists()  # the upload is deleted once imported
    html = staff_client.get(job.get_absolute_url()).content.decode()
    assert summary in html
    assert f'href="{reverse("admin:corpus_document_changelist")}"' in html


def test_uploading_in_paragraph_mode(staff_client, db):
    upload(staff_client, GOOD_CSV.encode(), mode="paragraph")
    run_jobs()
    assert Document.objects.get().passages.count() == 2


def test_a_bad_upload_fails_its_job_listing_every_error_and_writes_nothing(
    seed_corpus, staff_client
):
    before = counts()
    job = job_of(upload(staff_client, BAD_CSV.encode()))
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed"
    assert counts() == before
    html = staff_client.get(job.get_absolute_url()).content.decode()
    assert "news.csv, line 5: the date &#x27;2023-02-30&#x27; is not YYYY-MM-DD" in html
    assert "Nothing from this file was imported" in html
    assert f'href="{reverse("admin:corpus_document_import")}"' in html  # upload it again


def test_an_upload_of_an_unsupported_type_is_refused(staff_client, job_files, db):
    response = upload(staff_client, b"binary", name="news.docx")
    assert response.status_code == 200
    assert "unsupported file type .docx" in response.content.decode()
    assert counts() == (0, 0, 0)
    assert not Job.objects.exists() and not job_files.exists()


def test_an_upload_over_the_size_limit_is_refused(staff_client, db, settings):
    settings.CREDENCE_MAX_UPLOAD_MB = 1
    data = GOOD_CSV.encode() + b"x" * 2**20
    upload = SimpleUploadedFile("news.csv", data, content_type="text/csv")
    response = staff_client.post(
        reverse("admin:corpus_document_import"), {"file": upload, "mode": "sentence"}
    )
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert counts() == (0, 0, 0)


def test_a_post_without_a_file_shows_the_form_error(staff_client, db):
    response = staff_client.post(reverse("admin:corpus_document_import"), {"mode": "sentence"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_the_import_page_is_for_staff_only(client, django_user_model, db):
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    response = client.get(reverse("admin:corpus_document_import"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_change_permission_cannot_import(client, django_user_model, db):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(user)
    upload = SimpleUploadedFile("news.csv", GOOD_CSV.encode(), content_type="text/csv")
    response = client.post(
        reverse("admin:corpus_document_import"), {"file": upload, "mode": "sentence"}
    )
    assert response.status_code == 403
    assert counts() == (0, 0, 0)
    assert not Job.objects.exists()
