"""Guidelines that agree with themselves, define every answer, and are versioned: new text
takes the next version (settings page and admin), earlier versions stay readable, and
answers record the version they were saved under."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from annotate.campaigns import definitions, services
from annotate.campaigns.defaults import DEFAULT_LABELS, DEFAULT_MARKERS
from annotate.campaigns.forms import CampaignSettingsForm
from annotate.models import Campaign, CitedSourceType, Confidence
from annotate.queue import services as queue_services
from tests.admin_support import admin_post_data
from tests.conftest import login

pytestmark = pytest.mark.django_db

CUES = ("according to", "said", "says", "told", "claimed", "claims")


def cues_in(text):
    return [cue for cue in CUES if re.search(rf"\b{cue}\b", text, re.IGNORECASE)]


def default_label(value):
    return next(label for label in DEFAULT_LABELS if label["value"] == value)


# The defaults agree with themselves -----------------------------------------------------------


def test_the_sourced_fact_example_carries_no_attribution_cue():
    assert cues_in(default_label("sourced_fact")["example"]) == []


def test_the_attributed_claim_example_carries_a_cue():
    assert cues_in(default_label("attributed_claim")["example"])


def test_the_opinion_example_neither_cites_nor_attributes():
    assert cues_in(default_label("opinion")["example"]) == []


def test_the_boundary_puts_according_to_on_the_claim_side():
    # "According to" is a cue for an attributed claim; the fact description says the outlet
    # speaks in its own voice.
    claim = default_label("attributed_claim")["description"].lower()
    fact = default_label("sourced_fact")["description"].lower()
    assert "according to" in claim and "according to" not in fact
    assert "own voice" in fact
    assert "according to" in definitions.FACT_OR_CLAIM


def test_the_default_codes_and_keys_are_unchanged():
    assert [(label["value"], label["key"]) for label in DEFAULT_LABELS] == [
        ("sourced_fact", "1"),
        ("attributed_claim", "2"),
        ("opinion", "3"),
    ]
    assert [m["key"] for m in DEFAULT_MARKERS] == ["l", "t", "r", "e"]


def test_every_source_type_and_confidence_level_has_a_definition_and_example():
    assert set(definitions.SOURCE_TYPES) == set(CitedSourceType.values)
    assert len(definitions.SOURCE_TYPES) == 6
    assert set(definitions.CONFIDENCE) == set(Confidence.values)
    for meaning in [*definitions.SOURCE_TYPES.values(), *definitions.CONFIDENCE.values()]:
        assert meaning["definition"].strip() and meaning["example"].strip()


# The guidelines page --------------------------------------------------------------------------


def guidelines_page(client, campaign, user):
    login(client, user)
    response = client.get(reverse("annotate:guidelines", args=[campaign.slug]))
    assert response.status_code == 200
    return response


def test_the_page_defines_every_source_type_confidence_level_and_spans(client, campaign, users):
    body = guidelines_page(client, campaign, users["alice"]).content.decode()
    shown = [
        *((name, definitions.SOURCE_TYPES[value]) for value, name in CitedSourceType.choices),
        *((name, definitions.CONFIDENCE[value]) for value, name in Confidence.choices),
    ]
    assert len(shown) == 9
    for name, meaning in shown:
        assert name in body
        assert escape(meaning["definition"]) in body, name
        assert escape(meaning["example"]) in body, name
    assert escape(definitions.SPANS) in body
    assert escape(definitions.FACT_OR_CLAIM) in body
    assert "<kbd>l</kbd> Loaded language" in body  # the marker's key, for spans too


def test_the_page_says_which_version_is_current_and_since_when(client, campaign, users):
    response = guidelines_page(client, campaign, users["alice"])
    body = response.content.decode()
    assert "Version 1, changed" in body
    assert "None: these guidelines have not changed." in body


# Versioning -----------------------------------------------------------------------------------


def save_settings(campaign, **changes):
    data = {
        "name": campaign.name,
        "guidelines": campaign.guidelines,
        "overlap": campaign.overlap,
        "status": campaign.status,
        **changes,
    }
    form = CampaignSettingsForm(data, instance=Campaign.objects.get(pk=campaign.pk))
    assert form.is_valid(), form.errors
    return services.save_settings(form)


def test_new_guidelines_on_the_settings_page_take_the_next_version(client, campaign, users):
    login(client, users["mike"])
    response = client.post(
        reverse("annotate:manage_settings", args=[campaign.slug]),
        {"name": campaign.name, "guidelines": "Read twice.", "overlap": 2, "status": "active"},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.guidelines_version == 2 and campaign.guidelines == "Read twice."
    body = guidelines_page(client, campaign, users["alice"]).content.decode()
    assert "Version 2, changed" in body and "by mike" in body
    assert reverse("annotate:guidelines_version", args=[campaign.slug, 1]) in body


def test_saving_the_same_text_keeps_the_version(campaign):
    save_settings(campaign, overlap=3)
    save_settings(campaign, guidelines="  Label each passage.  ")
    campaign.refresh_from_db()
    assert campaign.guidelines_version == 1


def test_line_endings_alone_do_not_make_a_new_version(campaign):
    save_settings(campaign, guidelines="First line.\nSecond line.")
    save_settings(campaign, guidelines="First line.\r\nSecond line.")
    campaign.refresh_from_db()
    assert campaign.guidelines_version == 2


def test_each_change_takes_one_version_and_one_history_record(campaign):
    save_settings(campaign, guidelines="Second wording.")
    save_settings(campaign, guidelines="Third wording.")
    campaign.refresh_from_db()
    assert campaign.guidelines_version == 3
    records = Campaign.history.filter(id=campaign.pk).order_by("history_date", "history_id")
    assert [(r.guidelines_version, r.guidelines) for r in records][-2:] == [
        (2, "Second wording."),
        (3, "Third wording."),
    ]


def test_earlier_versions_stay_readable(client, campaign, users):
    save_settings(campaign, guidelines="Second wording.")
    save_settings(campaign, guidelines="Third wording.")
    login(client, users["alice"])
    for version, text in (
        (1, "Label each passage."),
        (2, "Second wording."),
        (3, "Third wording."),
    ):
        response = client.get(reverse("annotate:guidelines_version", args=[campaign.slug, version]))
        assert response.status_code == 200
        body = response.content.decode()
        assert text in body
        assert f"version {version}" in body
    old = client.get(reverse("annotate:guidelines_version", args=[campaign.slug, 1]))
    assert "Third wording." not in old.content.decode()
    assert "the current one is version 3" in old.content.decode()
    table = guidelines_page(client, campaign, users["alice"]).context["earlier"]
    assert [row.record["version"] for row in table.rows] == [2, 1]


def test_a_version_that_never_was_is_404_and_outsiders_see_none(client, campaign, users):
    login(client, users["alice"])
    assert (
        client.get(reverse("annotate:guidelines_version", args=[campaign.slug, 7])).status_code
        == 404
    )
    login(client, users["olga"])
    assert (
        client.get(reverse("annotate:guidelines_version", args=[campaign.slug, 1])).status_code
        == 404
    )


def post_in_admin(client, campaign, **changes):
    url = reverse("admin:annotate_campaign_change", args=[campaign.pk])
    data = {**admin_post_data(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]


def test_new_guidelines_in_the_admin_take_the_next_version(client, campaign, users):
    login(client, users["staff"])
    post_in_admin(client, campaign, overlap=3)
    campaign.refresh_from_db()
    assert campaign.guidelines_version == 1
    post_in_admin(client, campaign, guidelines="Admin wording.")
    campaign.refresh_from_db()
    assert campaign.guidelines_version == 2
    latest = Campaign.history.filter(id=campaign.pk).latest("history_date")
    assert (latest.guidelines_version, latest.guidelines) == (2, "Admin wording.")
    assert latest.history_user == users["staff"]


def test_answers_saved_after_a_change_record_the_new_version(campaign, users):
    place = queue_services.claim_next(campaign, users["alice"])
    answer = {"label": "opinion", "confidence": "medium"}
    before, _ = queue_services.save_annotation(campaign, users["alice"], place.pk, answer)
    assert before.guidelines_version == 1
    campaign = save_settings(campaign, guidelines="New wording.")
    after, changed = queue_services.save_annotation(
        campaign, users["alice"], place.pk, {**answer, "label": "sourced_fact"}
    )
    assert changed and after.guidelines_version == 2
