"""Evidence spans and the full keyboard on the annotation page, in headless Chromium.

Run with `pytest -m browser` (the default run deselects these).
"""

import pytest

from annotate.models import Annotation, AnnotationRevision, Assignment, Skip
from annotate.queue import services
from annotate.spans.attribution import suggest_attributions
from tests.browser_support import assignment_id, log_in, new_page
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLANK = {
    "label": "opinion",
    "cited_source": "",
    "cited_type": "",
    "markers": [],
    "spans": [],
    "confidence": "medium",
    "note": "",
}


def open_passage(page, base, campaign, place):
    page.goto(f"{base}/c/{campaign.slug}/p/{place.pk}/")
    assert assignment_id(page) == place.pk


def claim_one_with_enough_words(campaign, user, words=8, suggested=False):
    """Label passages through the service until the claimed one has `words` tokens (and an
    attribution suggestion, if asked); return it."""
    for _ in range(200):
        place = services.claim_next(campaign, user)
        text = place.passage.text
        if len(text.split()) >= words and (not suggested or suggest_attributions(text)):
            return place
        services.save_annotation(campaign, user, place.pk, BLANK)
    raise AssertionError("no passage fit")


def drag_over(page, first, last):
    """Select tokens first..last with the mouse, as a reviewer drags across words."""
    a = page.locator("#span-text .tok").nth(first).bounding_box()
    b = page.locator("#span-text .tok").nth(last).bounding_box()
    page.mouse.move(a["x"] + 1, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] - 1, b["y"] + b["height"] / 2, steps=4)
    page.mouse.up()


def token_offsets(page, index):
    tok = page.locator("#span-text .tok").nth(index)
    return int(tok.get_attribute("data-s")), int(tok.get_attribute("data-e"))


def test_reviewer_marks_sources_by_mouse_and_keyboard_and_a_loaded_word_then_revises(
    browser, live_server, campaign, users
):
    base = live_server.url
    page, errors = new_page(browser)
    log_in(page, base, "alice", PASSWORD, f"/c/{campaign.slug}/")
    services.save_annotation(
        campaign, users["alice"], services.claim_next(campaign, users["alice"]).pk, BLANK
    )
    place = claim_one_with_enough_words(campaign, users["alice"])
    open_passage(page, base, campaign, place)
    text = place.passage.document.text

    # A source by mouse: drag over the first two words (a partial word snaps to whole ones).
    drag_over(page, 0, 1)
    assert page.locator("#span-text .tok.sel").count() == 2
    page.keyboard.press("o")
    first = (token_offsets(page, 0)[0], token_offsets(page, 1)[1])
    assert page.locator("#span-list li").count() == 1
    assert page.input_value("#id_cited_type") == "official_body"
    assert page.input_value("#id_cited_source") != ""

    # A second source by keyboard: arrows carry on after the marked words; move to the
    # fourth word, extend by one, press n.
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert page.locator("#span-text .tok.sel").count() == 2
    page.keyboard.press("n")
    second = (token_offsets(page, 3)[0], token_offsets(page, 4)[1])

    # A loaded word: move on to the seventh word and press the marker's key.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("l")
    loaded = token_offsets(page, 6)
    assert page.locator('input[name="markers"][value="loaded_language"]').is_checked()
    assert page.locator("#span-list li").count() == 3
    assert page.locator("#span-text .tok.src").count() == 4
    assert page.locator("#span-text .tok.loaded").count() == 1

    page.keyboard.press("2")
    page.keyboard.press("c")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert assignment_id(page) != place.pk

    stored = Annotation.objects.get(assignment=place)
    assert stored.label == "attributed_claim" and stored.confidence == "high"
    got = {(s["layer"], s["label"], s["start"], s["end"]) for s in stored.spans}
    assert got == {
        ("source", "official_body", *first),
        ("source", "named_person", *second),
        ("loaded", "loaded_language", *loaded),
    }
    for s in stored.spans:
        assert text[s["start"] : s["end"]] == s["text"]

    # Back, the marks are there; click the loaded word, Delete, and save again.
    with page.expect_navigation():
        page.keyboard.press("b")
    assert assignment_id(page) == place.pk
    assert page.locator("#span-list li").count() == 3
    page.locator("#span-text .tok").nth(6).click()
    page.keyboard.press("Delete")
    assert page.locator("#span-list li").count() == 2
    with page.expect_navigation():
        page.keyboard.press("Enter")
    stored.refresh_from_db()
    assert {s["layer"] for s in stored.spans} == {"source"}
    revisions = AnnotationRevision.objects.filter(annotation=stored).order_by("changed_at", "pk")
    assert [len(r.after["spans"]) for r in revisions] == [3, 2]
    assert errors == []


def test_every_key_in_the_legend_does_what_it_says(browser, live_server, campaign, users):
    campaign.attribution_suggestions = True
    campaign.save()
    base = live_server.url
    page, errors = new_page(browser)
    log_in(page, base, "alice", PASSWORD, f"/c/{campaign.slug}/")
    services.save_annotation(
        campaign, users["alice"], services.claim_next(campaign, users["alice"]).pk, BLANK
    )
    place = claim_one_with_enough_words(campaign, users["alice"], words=4, suggested=True)
    open_passage(page, base, campaign, place)
    legend = page.locator("#legend [data-legend]")
    listed = {
        (legend.nth(i).get_attribute("data-legend"), legend.nth(i).get_attribute("data-key"))
        for i in range(legend.count())
    }
    pressed = set()

    def press(kind, key):
        page.keyboard.press(key)
        pressed.add((kind, key))

    for kind, key in sorted(listed):
        value = page.locator(f'#legend [data-legend="{kind}"][data-key="{key}"]').get_attribute(
            "data-value"
        )
        if kind == "label":
            press(kind, key)
            assert page.locator(f'input[name="label"][data-key="{key}"]').is_checked()
        elif kind == "source":
            press(kind, key)
            assert page.input_value("#id_cited_type") == value
        elif kind == "marker":
            box = page.locator(f'input[name="markers"][value="{value}"]')
            before = box.is_checked()
            press(kind, key)
            assert box.is_checked() != before
        elif kind == "confidence":
            press(kind, key)
            assert page.locator(f'input[name="confidence"][value="{value}"]').is_checked()

    press("word", "ArrowRight")
    assert page.locator("#span-text .tok.cursor").count() == 1
    press("extend", "Shift+ArrowRight")
    assert page.locator("#span-text .tok.sel").count() == 2
    marker_key = next(k for kind, k in listed if kind == "marker")
    page.keyboard.press(marker_key)  # mark the two words
    assert page.locator("#span-list li").count() == 1
    page.keyboard.press("ArrowLeft")
    press("remove", "Delete")
    assert page.locator("#span-list li").count() == 0
    page.keyboard.press("ArrowRight")
    press("clear", "Escape")
    assert page.locator("#span-text .tok.sel").count() == 0
    press("accept", "y")
    assert page.locator("#span-list li.src").count() == 1
    assert page.locator("#suggestions .suggestion.accepted").count() == 1

    with page.context.expect_page() as guidelines:
        press("guidelines", "g")
    assert "/guidelines/" in guidelines.value.url
    guidelines.value.close()

    with page.expect_navigation():
        press("save", "Enter")
    saved = Annotation.objects.get(assignment=place)
    assert [s["layer"] for s in saved.spans] == ["source"]
    after_save = assignment_id(page)
    with page.expect_navigation():
        press("back", "b")
    assert assignment_id(page) == place.pk
    with page.expect_navigation():
        page.keyboard.press("b")  # one more back, so there is a done passage ahead
    assert assignment_id(page) != place.pk
    with page.expect_navigation():
        press("forward", "f")
    assert assignment_id(page) == place.pk

    page.goto(f"{base}/c/{campaign.slug}/p/{after_save}/")
    press("skip", "s")
    assert page.locator("#skip").get_attribute("open") is not None
    page.keyboard.press("2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    skipped = Skip.objects.get(reviewer=users["alice"])
    assert skipped.reason == "Garbled or cut-off text"
    assert Assignment.objects.get(pk=after_save).reviewer_id is None

    assert listed <= pressed, listed - pressed
    assert errors == []
