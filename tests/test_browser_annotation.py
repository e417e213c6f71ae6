"""End-to-end annotation in headless Chromium: real login form, real keyboard, real queue.

Run with `pytest -m browser` (the default run deselects these).
"""

import math
import re

import pytest

from annotate.models import Annotation, Assignment
from corpus.models import Passage
from tests.browser_support import assignment_id, log_in, new_page
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMPAIGN_PATH = "/c/seed-campaign/"
ALICE_NOTE = "Cites 2 ministries and 3 figures; ALICE-PRIVATE-NOTE"


def start_labelling(page, base_url, username):
    log_in(page, base_url, username, PASSWORD, CAMPAIGN_PATH)
    with page.expect_navigation():
        page.get_by_role("button", name="Start labelling").click()
    return assignment_id(page)


def label_with_keyboard(page, key):
    """Pick a label with its digit key and save with Enter; return the next passage's id."""
    before = page.url
    page.keyboard.press(key)
    assert page.locator(f'input[name="label"][data-key="{key}"]').is_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url != before, "Enter did not move on to another passage"
    return assignment_id(page)


def current_text(page):
    return page.locator("#current").inner_text()


def test_reviewer_labels_three_passages_by_keyboard_and_second_reviewer_sees_none_of_it(
    browser, live_server, campaign, users, tmp_path
):
    base = live_server.url
    alice, alice_errors = new_page(browser)
    first = start_labelling(alice, base, "alice")

    # The annotation page as a reviewer first sees it.
    shot = tmp_path / "annotation-page.png"
    alice.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
    assert alice.locator("#current").is_visible()
    assert alice.locator("input[name=label]:checked").count() == 0

    # Digits typed into the note are text, not label shortcuts.
    alice.focus("#id_note")
    alice.keyboard.type(ALICE_NOTE)
    assert alice.locator("input[name=label]:checked").count() == 0
    assert alice.input_value("#id_note") == ALICE_NOTE
    alice.keyboard.press("Escape")

    alice_texts, alice_ids = [current_text(alice)], [first]
    for key in ("1", "2", "3"):
        alice_ids.append(label_with_keyboard(alice, key))
        alice_texts.append(current_text(alice))
    assert len(set(alice_ids)) == 4, "each save should hand over a new passage"

    alice.reload()
    assert assignment_id(alice) == alice_ids[3], "a reload keeps the claimed passage"
    passages = (
        Passage.objects.filter(document__campaigns=campaign).exclude(kind="boilerplate").count()
    )
    share = min(math.ceil(passages * campaign.overlap / 3), passages)  # three reviewers
    assert alice.locator("#progress").inner_text() == f"3 of {share} done"
    assert alice.locator(".progress-line progress").get_attribute("value") == "3"

    saved = Annotation.objects.filter(assignment__reviewer=users["alice"]).order_by(
        "assignment__sequence"
    )
    assert [a.label for a in saved] == ["sourced_fact", "attributed_claim", "opinion"]
    assert saved[0].note == ALICE_NOTE

    # A second reviewer, in a browser context of their own.
    bob, bob_errors = new_page(browser)
    bob_id = start_labelling(bob, base, "bob")
    for i, key in enumerate(("3", "3", "2")):
        assert current_text(bob) == alice_texts[i]
        mine = Assignment.objects.get(pk=bob_id)
        theirs = Assignment.objects.get(pk=alice_ids[i])
        assert mine.passage_id == theirs.passage_id and mine.reviewer == users["bob"]
        assert bob.locator("input[name=label]:checked").count() == 0
        assert bob.input_value("#id_note") == ""
        assert ALICE_NOTE not in bob.content()
        assert bob.locator(".badge").count() == 0, "bob is told he labelled a passage he did not"
        bob_id = label_with_keyboard(bob, key)

    for i, (alice_label, bob_label) in enumerate(
        [
            ("sourced_fact", "opinion"),
            ("attributed_claim", "opinion"),
            ("opinion", "attributed_claim"),
        ]
    ):
        passage_id = Assignment.objects.get(pk=alice_ids[i]).passage_id
        labels = dict(
            Annotation.objects.filter(assignment__passage_id=passage_id).values_list(
                "assignment__reviewer__username", "label"
            )
        )
        assert labels == {"alice": alice_label, "bob": bob_label}

    assert alice_errors == [] and bob_errors == []


def test_b_goes_back_to_the_saved_passage_with_its_label_checked(browser, live_server, campaign):
    page, errors = new_page(browser)
    first = start_labelling(page, live_server.url, "dave")
    first_text = current_text(page)
    second = label_with_keyboard(page, "2")
    assert second != first

    with page.expect_navigation():
        page.keyboard.press("b")
    assert assignment_id(page) == first
    assert current_text(page) == first_text
    assert page.locator('input[name="label"][value="attributed_claim"]').is_checked()
    assert re.search(r"You labelled this passage", page.locator(".panel").inner_text())
    assert errors == []
