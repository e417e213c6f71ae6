"""Model constraints and validation for outlets, documents and passages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from corpus.models import Document, Passage, Source, content_hash

TEXT = "Kabul Markets\n\nThe U.S. left $7.2 billion of arms."


@pytest.fixture
def source(db):
    return Source.objects.create(name="Daily Ledger", slug="daily-ledger")


@pytest.fixture
def document(source):
    return Document.objects.create(source=source, title="Markets", text=TEXT)


def test_saving_a_document_stores_the_sha256_of_its_text(document):
    assert document.content_hash == content_hash(TEXT)
    assert len(document.content_hash) == 64
    document.text = TEXT + " More."
    document.save()
    document.refresh_from_db()
    assert document.content_hash == content_hash(TEXT + " More.")


def test_the_same_text_cannot_be_stored_twice_for_one_outlet(document, source):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(source=source, title="Copy under another title", text=TEXT)
    assert Document.objects.count() == 1


def test_the_same_text_may_be_stored_for_another_outlet(document):
    other = Source.objects.create(name="Evening Star", slug="evening-star")
    Document.objects.create(source=other, title="Markets", text=TEXT)
    assert Document.objects.filter(content_hash=content_hash(TEXT)).count() == 2


def test_full_clean_reports_the_duplicate_text_constraint(document, source):
    copy = Document(source=source, title="Copy", text=TEXT, content_hash=content_hash(TEXT))
    with pytest.raises(ValidationError, match="already exists"):
        copy.full_clean()


def test_passage_clean_accepts_the_exact_span(document):
    start = TEXT.index("The U.S.")
    passage = Passage(document=document, position=0, start=start, end=len(TEXT), text=TEXT[start:])
    passage.full_clean()
    passage.save()
    assert document.passages.get().text == "The U.S. left $7.2 billion of arms."


def test_passage_clean_rejects_text_that_differs_from_the_span(document):
    passage = Passage(document=document, position=0, start=0, end=5, text="Kabul Markets")
    with pytest.raises(ValidationError, match="must equal the document text"):
        passage.clean()


def test_passage_clean_rejects_a_span_running_past_the_text(document):
    # text[start:end] would silently stop at the end of the text and match.
    start = TEXT.index("arms.")
    passage = Passage(document=document, position=0, start=start, end=len(TEXT) + 50, text="arms.")
    with pytest.raises(ValidationError, match="must lie inside the document text"):
        passage.clean()


def test_passage_clean_leaves_missing_offsets_to_field_validation(document):
    passage = Passage(document=document, position=0, start=None, end=None, text="x")
    passage.clean()  # no TypeError
    with pytest.raises(ValidationError) as error:
        passage.full_clean()
    assert set(error.value.message_dict) == {"start", "end"}


@pytest.mark.parametrize(("start", "end"), [(5, 5), (9, 4)])
def test_database_refuses_an_empty_or_reversed_span(document, start, end):
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.create(document=document, position=0, start=start, end=end, text="")
    assert not Passage.objects.exists()


def test_full_clean_reports_the_empty_span_constraint(document):
    passage = Passage(document=document, position=0, start=5, end=5, text="")
    with pytest.raises(ValidationError, match="passage_nonempty_span"):
        passage.full_clean()


def test_two_passages_cannot_share_a_position(document):
    Passage.objects.create(document=document, position=0, start=0, end=5, text="Kabul")
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.create(document=document, position=0, start=6, end=13, text="Markets")


def test_passages_are_deleted_with_their_document_but_outlets_are_protected(document, source):
    Passage.objects.create(document=document, position=0, start=0, end=5, text="Kabul")
    with pytest.raises(ProtectedError):
        source.delete()
    document.delete()
    assert not Passage.objects.exists()
    source.delete()
    assert not Source.objects.exists()


def test_with_counts_counts_documents_and_passages_per_outlet(document, source):
    Passage.objects.create(document=document, position=0, start=0, end=5, text="Kabul")
    Passage.objects.create(document=document, position=1, start=6, end=13, text="Markets")
    second = Document.objects.create(source=source, title="Second", text="Another text.")
    Passage.objects.create(document=second, position=0, start=0, end=13, text="Another text.")
    Source.objects.create(name="Empty Outlet", slug="empty-outlet")
    counted = {s.name: (s.document_count, s.passage_count) for s in Source.objects.with_counts()}
    assert counted == {"Daily Ledger": (2, 3), "Empty Outlet": (0, 0)}


def test_kinds_and_modes_mirror_the_segmentation_module():
    from corpus import segmentation

    assert set(Passage.Kind.values) == {
        segmentation.HEADLINE,
        segmentation.BODY,
        segmentation.BULLET,
        segmentation.CAPTION,
        segmentation.BOILERPLATE,
    }
    assert tuple(Document.Segmentation.values) == segmentation.MODES
