"""The curator's decision page in headless Chromium: reviewers' spans, the final spans, keys.

Run with `pytest -m browser` (the default run deselects these).
"""

import json

import pytest
from django.urls import reverse

from annotate.models import Adjudication, AdjudicationRevision
from annotate.queue import services
from tests.annotate.adjudication.span_support import loaded, source, words
from tests.browser_support import log_in, new_page
from tests.conftest import PASSWORD, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(label, cited_type, cited_source, markers, spans):
    return {
        "label": label,
        "cited_type": cited_type,
        "cited_source": cited_source,
        "markers": markers,
        "spans": spans,
        "confidence": "medium",
        "note": "",
    }


@pytest.fixture
def disputed(seed_corpus, users):
    """alice and bob label the same first passage and disagree, spans included."""
    campaign = make_campaign("Spans", seed_corpus[:1], users, overlap=2)
    alice_place = services.claim_next(campaign, users["alice"])
    passage = alice_place.passage
    assert len(words(passage)) >= 5, "the first passage is too short for these tests"
    services.save_annotation(
        campaign,
        users["alice"],
        alice_place.pk,
        answer(
            "opinion",
            "named_person",
            "A minister",
            ["loaded_language"],
            [source(passage, 0), loaded(passage, 1)],
        ),
    )
    bob_place = services.claim_next(campaign, users["bob"])
    assert bob_place.passage_id == passage.pk
    services.save_annotation(
        campaign,
        users["bob"],
        bob_place.pk,
        answer(
            "sourced_fact",
            "document",
            "A report",
            [],
            [source(passage, 0, "document"), loaded(passage, 1), loaded(passage, 2)],
        ),
    )
    return campaign, passage


def open_decision(browser, base, campaign, passage):
    path = reverse("annotate:adjudicate", args=[campaign.slug, passage.pk])
    page, errors = new_page(browser)
    log_in(page, base, "carol", PASSWORD, path)
    return page, errors, path


def final_spans(page):
    return json.loads(page.input_value('input[name="spans"]'))


def checked_label(page):
    checked = page.locator('input[name="label"]:checked')
    return checked.get_attribute("value") if checked.count() else None


def drag_select(page, first, last):
    """Select with the mouse from inside token `first` to inside token `last` (words of the
    final passage, given by their document start offsets), as a curator would."""
    a = page.locator(f'#final-text .adj-tok[data-start="{first}"]')
    b = page.locator(f'#final-text .adj-tok[data-start="{last}"]')
    a.scroll_into_view_if_needed()
    box_a, box_b = a.bounding_box(), b.bounding_box()
    page.mouse.move(box_a["x"] + 2, box_a["y"] + box_a["height"] / 2)
    page.mouse.down()
    page.mouse.move(box_b["x"] + box_b["width"] - 2, box_b["y"] + box_b["height"] / 2, steps=5)
    page.mouse.up()
    page.locator("#span-picker").wait_for(state="visible")


def test_curator_takes_reviewer_one_edits_the_spans_and_saves_by_keyboard(
    browser, live_server, disputed, users, tmp_path
):
    campaign, passage = disputed
    page, errors, path = open_decision(browser, live_server.url, campaign, passage)

    # Each reviewer's spans are highlighted side by side.
    first_word = words(passage)[0][2]
    assert page.locator("#reviewer-1 mark.layer-source").first.inner_text() == first_word
    assert page.locator("#reviewer-1 mark.layer-source").first.get_attribute("title") == (
        "Cited source: Named person"
    )
    assert page.locator("#reviewer-2 mark.layer-loaded").count() == 2
    assert page.locator("#reviewer-2 .adj-span").count() == 3
    shot = tmp_path / "adjudication-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    page.keyboard.press("Shift+Digit1")
    assert checked_label(page) == "opinion"
    assert page.input_value("#id_cited_source") == "A minister"
    assert page.input_value("#id_cited_type") == "named_person"
    assert page.locator('input[name="markers"][value="loaded_language"]').is_checked()
    assert final_spans(page) == [source(passage, 0), loaded(passage, 1)]
    assert "reviewer 1's answer (alice)" in page.locator("#adj-status").inner_text()

    # Remove the loaded word reviewer 1 marked, then mark two other words by mouse.
    page.locator("#final-span-list li").nth(1).get_by_role("button", name="Remove").click()
    assert final_spans(page) == [source(passage, 0)]
    w3, w4 = words(passage)[3], words(passage)[4]
    drag_select(page, w3[0], w4[0])
    assert page.locator("#final-text .adj-pending").count() >= 2
    page.select_option("#span-type", "loaded:emotional_appeal")
    page.click("#add-span")
    added = loaded(passage, 3, "emotional_appeal", last=4)
    assert final_spans(page) == [source(passage, 0), added]
    assert page.locator("#final-text .adj-tok.layer-loaded").count() >= 2

    page.keyboard.press("2")
    assert checked_label(page) == "attributed_claim"
    page.click("#id_rationale")
    page.keyboard.type("Reviewer 1 named the source; the loaded words are 4 and 5!")
    assert checked_label(page) == "attributed_claim", "typing must not pick a label"
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")

    decision = Adjudication.objects.get(campaign=campaign, passage=passage)
    assert (decision.label, decision.cited_type, decision.cited_source, decision.markers) == (
        "attributed_claim",
        "named_person",
        "A minister",
        ["loaded_language"],
    )
    assert decision.spans == [source(passage, 0), added]
    assert decision.decided_by == users["carol"]
    assert decision.revisions.get().after["spans"] == decision.spans
    assert errors == []


def legend(page):
    return page.locator("#adj-legend [data-press]").evaluate_all(
        "nodes => nodes.map(n => ({...n.dataset}))"
    )


def test_every_key_in_the_legend_does_what_it_says(browser, live_server, disputed, users):
    campaign, passage = disputed
    page, errors, path = open_decision(browser, live_server.url, campaign, passage)
    keys = legend(page)
    assert {k["action"] for k in keys} == {
        "label",
        "take",
        "merge",
        "save",
        "save-in-field",
        "escape",
    }
    reviewers = {
        "1": ("opinion", "named_person", [source(passage, 0), loaded(passage, 1)]),
        "2": (
            "sourced_fact",
            "document",
            [source(passage, 0, "document"), loaded(passage, 1), loaded(passage, 2)],
        ),
    }
    saves = []
    for key in keys:
        action, press = key["action"], key["press"]
        if action == "label":
            page.keyboard.press(press)
            assert checked_label(page) == key["value"], press
        elif action == "take":
            label, cited_type, spans = reviewers[key["reviewer"]]
            page.keyboard.press(press)
            assert checked_label(page) == label, press
            assert page.input_value("#id_cited_type") == cited_type, press
            assert final_spans(page) == spans, press
        elif action == "merge":
            page.keyboard.press("Shift+Digit1")
            page.keyboard.press(press)
            # alice's two spans plus bob's third word; bob's second word repeats alice's
            # (counted once) and his other source type for the first word is left out.
            assert final_spans(page) == [source(passage, 0), loaded(passage, 1), loaded(passage, 2)]
            assert "left out" in page.locator("#adj-status").inner_text()
        elif action == "escape":
            # Leaves a text field, where the keys were text ...
            label, spans = checked_label(page), final_spans(page)
            page.click("#id_rationale")
            page.keyboard.type("m1")
            page.keyboard.press("Shift+Digit2")
            assert page.input_value("#id_rationale") == "m1@"
            assert (checked_label(page), final_spans(page)) == (label, spans)
            page.keyboard.press(press)
            assert page.evaluate("document.activeElement.id") != "id_rationale"
            page.fill("#id_rationale", "")
            # ... and cancels a selection of words.
            w = words(passage)
            drag_select(page, w[3][0], w[4][0])
            page.keyboard.press(press)
            assert page.locator("#span-picker").is_hidden()
            assert page.locator("#final-text .adj-pending").count() == 0
        else:
            saves.append(key)
    assert [k["action"] for k in saves] == ["save", "save-in-field"]

    for number, key in enumerate(saves, start=1):
        page.goto(f"{live_server.url}{path}")
        page.keyboard.press("Shift+Digit2")
        page.fill("#id_rationale", f"Saved with {key['press']}.")
        if key["action"] == "save":
            page.keyboard.press("Escape")  # leave the text field: Enter then saves
        with page.expect_navigation():
            page.keyboard.press(key["press"])
        decision = Adjudication.objects.get(campaign=campaign, passage=passage)
        assert decision.rationale == f"Saved with {key['press']}."
        assert decision.label == "sourced_fact" and decision.spans == reviewers["2"][2]
        assert AdjudicationRevision.objects.filter(adjudication=decision).count() == number
    assert errors == []
