"""Saving labels: revision history, double submits, and bad input that writes nothing."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotate.models import Annotation, AnnotationRevision, Assignment
from annotate.queue import services
from tests.conftest import login


def answer(**extra):
    return {
        "label": "opinion",
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "spans": [],
        "confidence": "medium",
        "note": "",
        **extra,
    }


@pytest.fixture
def claimed(campaign, users):
    return services.claim_next(campaign, users["alice"])


def test_first_save_records_who_when_and_what_with_no_before(campaign, users, claimed):
    now = timezone.now()
    annotation, changed = services.save_annotation(
        campaign, users["alice"], claimed.pk, answer(note="first"), now=now
    )
    assert changed
    revision = AnnotationRevision.objects.get()
    assert revision.annotation == annotation
    assert revision.changed_by == users["alice"] and revision.changed_at == now
    assert revision.before is None
    assert revision.after == answer(note="first")
    claimed.refresh_from_db()
    assert (
        claimed.status == Assignment.Status.DONE
        and claimed.done_at == now
        and claimed.expires_at is None
    )


def test_changing_an_annotation_keeps_every_revision_with_before_and_after(
    campaign, users, claimed
):
    t0 = timezone.now()
    services.save_annotation(campaign, users["alice"], claimed.pk, answer(), now=t0)
    changed_to = answer(
        label="sourced_fact",
        markers=["loaded_language"],
        cited_source="DoD",
        cited_type="official_body",
        confidence="high",
        note="checked the report",
    )
    annotation, changed = services.save_annotation(
        campaign, users["alice"], claimed.pk, changed_to, now=t0 + timedelta(minutes=3)
    )
    assert changed
    annotation.refresh_from_db()
    assert annotation.snapshot() == changed_to
    first, second = AnnotationRevision.objects.order_by("changed_at")
    assert first.after == second.before == answer()
    assert second.after == changed_to
    assert second.changed_by == users["alice"] and second.changed_at == t0 + timedelta(minutes=3)
    assert Annotation.objects.count() == 1


def test_saving_identical_values_stores_no_extra_revision(campaign, users, claimed):
    services.save_annotation(campaign, users["alice"], claimed.pk, answer(note="same"))
    stamp = Annotation.objects.get().updated_at
    annotation, changed = services.save_annotation(
        campaign, users["alice"], claimed.pk, answer(note="same")
    )
    assert not changed
    assert Annotation.objects.count() == 1 and AnnotationRevision.objects.count() == 1
    assert Annotation.objects.get().updated_at == stamp


def test_same_markers_ticked_in_another_order_are_not_a_change(campaign, users, claimed):
    services.save_annotation(
        campaign,
        users["alice"],
        claimed.pk,
        answer(markers=["one_sided_framing", "loaded_language"]),
    )
    _, changed = services.save_annotation(
        campaign,
        users["alice"],
        claimed.pk,
        answer(markers=["loaded_language", "one_sided_framing"]),
    )
    assert not changed and AnnotationRevision.objects.count() == 1


def page(campaign, assignment):
    return reverse("annotate:passage", args=[campaign.slug, assignment.pk])


FORM = {
    "label": "attributed_claim",
    "confidence": "high",
    "markers": ["loaded_language", "emotional_appeal"],
    "cited_source": "Kakar",
    "cited_type": "named_person",
    "note": "double",
}


def test_double_post_of_the_same_form_stores_one_annotation_and_one_revision(
    client, campaign, users, claimed
):
    login(client, users["alice"])
    first = client.post(page(campaign, claimed), FORM)
    second = client.post(page(campaign, claimed), FORM)
    assert first.status_code == second.status_code == 302
    # Both land on the same next passage: the second submit claims nothing new.
    assert first["Location"] == second["Location"]
    assert Annotation.objects.count() == 1 and AnnotationRevision.objects.count() == 1
    assert Assignment.objects.filter(reviewer=users["alice"], status="claimed").count() == 1
    assert Annotation.objects.get().snapshot()["markers"] == ["emotional_appeal", "loaded_language"]


def test_reviewer_goes_back_and_revises_through_the_page(client, campaign, users, claimed):
    login(client, users["alice"])
    client.post(page(campaign, claimed), FORM)
    body = client.get(page(campaign, claimed)).content.decode()
    assert "saving changes it" in body and "double" in body
    client.post(page(campaign, claimed), {**FORM, "label": "opinion", "note": "second thoughts"})
    revisions = list(AnnotationRevision.objects.order_by("changed_at", "id"))
    assert len(revisions) == 2
    assert (
        revisions[1].before["label"] == "attributed_claim"
        and revisions[1].after["label"] == "opinion"
    )
    assert revisions[1].changed_by == users["alice"]


def test_closed_campaign_refuses_revisions_and_keeps_the_history(client, campaign, users, claimed):
    login(client, users["alice"])
    client.post(page(campaign, claimed), FORM)
    campaign.status = "closed"
    campaign.save()
    response = client.post(page(campaign, claimed), {**FORM, "note": "too late"})
    assert response.status_code == 200
    assert "not active" in html.unescape(response.content.decode())
    assert Annotation.objects.get().note == "double" and AnnotationRevision.objects.count() == 1


# --- bad input -------------------------------------------------------------------

BAD = [
    (
        "label not in the scheme",
        {"label": "propaganda"},
        "label",
        "“propaganda” is not a label of this campaign's scheme.",
    ),
    (
        "unknown marker",
        {"markers": ["loaded_language", "clickbait"]},
        "markers",
        "“clickbait” is not a bias marker of this campaign's scheme.",
    ),
    ("missing label", {"label": ""}, "label", "Choose a passage type."),
    (
        "cited source without a type",
        {"cited_type": ""},
        "cited_type",
        "Say what kind of source is cited.",
    ),
    (
        "over-long cited source",
        {"cited_source": "x" * 301},
        "cited_source",
        "at most 300 characters",
    ),
    ("over-long note", {"note": "n" * 5001}, "note", "at most 5000 characters"),
]


@pytest.mark.parametrize("case,change,field,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_a_form_error_and_writes_nothing(
    client, campaign, users, claimed, case, change, field, message
):
    login(client, users["alice"])
    before = list(Assignment.objects.order_by("pk").values())
    response = client.post(page(campaign, claimed), {**FORM, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    assert not Annotation.objects.exists() and not AnnotationRevision.objects.exists()
    assert list(Assignment.objects.order_by("pk").values()) == before
    # What the reviewer typed is still there.
    assert "Kakar" in response.content.decode() or field == "cited_source"


@pytest.mark.parametrize("case,change,field,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_message_is_shown_on_the_page(
    client, campaign, users, claimed, case, change, field, message
):
    login(client, users["alice"])
    body = html.unescape(client.post(page(campaign, claimed), {**FORM, **change}).content.decode())
    assert message in body


def test_bad_input_on_a_labelled_passage_keeps_the_stored_annotation(
    client, campaign, users, claimed
):
    login(client, users["alice"])
    client.post(page(campaign, claimed), FORM)
    response = client.post(
        page(campaign, claimed), {**FORM, "label": "propaganda", "note": "changed"}
    )
    assert response.status_code == 200
    assert Annotation.objects.get().snapshot()["note"] == "double"
    assert AnnotationRevision.objects.count() == 1
