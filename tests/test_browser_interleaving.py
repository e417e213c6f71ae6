"""Interleaving end to end in headless Chromium: a campaign stopped halfway has data on every
outlet.

On the demo campaign (`manage.py demo`: the five seed outlets, three reviewers, the default
queue order), the three reviewers label the first passages through the real annotation page,
then about half of all passages through the queue's services (for speed), and stop. A
curator then opens the Reports page and sees every outlet with resolved passages. In
reading order the same run would leave outlets without any (the last test checks that).

Run with `pytest -m browser tests/test_browser_interleaving.py`.
"""

import io
import re

import pytest
from django.core.management import call_command

from annotate.models import Assignment, Campaign
from annotate.queue import services
from corpus.models import Passage, Source
from tests.browser_support import assignment_id, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "afghanistan-weapons-demo"
REVIEWERS = [("reviewer1", "credence-reviewer1"), ("reviewer2", "credence-reviewer2")]
REVIEWERS += [("reviewer3", "credence-reviewer3")]
CURATOR = ("curator", "credence-curator")
LABELS = ["sourced_fact", "attributed_claim", "opinion"]


@pytest.fixture
def demo(settings, db):
    """The demo campaign, made by the demo command (development only, hence DEBUG)."""
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    settings.DEBUG = False
    return Campaign.objects.get(slug=SLUG)


def annotatable(campaign):
    return Passage.objects.filter(document__campaigns=campaign).exclude(
        kind=Passage.Kind.BOILERPLATE
    )


def label_for(passage_id, reviewer_index):
    """The reviewers agree on most passages; the third disagrees on every seventh."""
    label = LABELS[passage_id % 3]
    if reviewer_index == 2 and passage_id % 7 == 0:
        label = LABELS[(passage_id + 1) % 3]
    return label


def answer(label):
    return {
        "label": label,
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "confidence": "medium",
        "note": "",
    }


def label_in_the_browser(browser, base, username, password, reviewer_index, passages):
    """Log in, start labelling, and label ``passages`` passages with the keyboard; return
    what the page said about where each passage sits in its article."""
    page, errors = new_page(browser)
    log_in(page, base, username, password, f"/c/{SLUG}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start labelling").click()
    said = []
    for _ in range(passages):
        place = Assignment.objects.select_related("passage").get(pk=assignment_id(page))
        said.append((place.passage, page.locator("#article-position").inner_text()))
        key = str(LABELS.index(label_for(place.passage_id, reviewer_index)) + 1)
        page.keyboard.press(key)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert errors == []
    page.context.close()
    return said


def label_half_with_services(campaign, reviewers):
    """The reviewers take turns claiming and saving until half the passages have all their
    labels, then stop. Returns (passages with all labels, passages with any)."""
    places = Assignment.objects.filter(campaign=campaign)
    done = places.filter(status=Assignment.Status.DONE)
    total = annotatable(campaign).count()
    for _ in range(3 * total):
        unfinished = places.exclude(status=Assignment.Status.DONE).values("passage_id")
        full = done.exclude(passage_id__in=unfinished).values("passage_id").distinct().count()
        if full >= (total + 1) // 2:
            return full, done.values("passage_id").distinct().count()
        for index, reviewer in enumerate(reviewers):
            place = services.claim_next(campaign, reviewer)
            if place is not None:
                label = label_for(place.passage_id, index)
                services.save_annotation(campaign, reviewer, place.pk, answer(label))
    raise AssertionError("the reviewers never got halfway")


def report_rows(page):
    """The Reports page's table with an outlet and a resolved column, as
    {outlet: {column header: cell text}} (headers from the last header row, under any
    group headings)."""
    for table in page.locator("table").all():
        headers = table.locator("thead tr").last.locator("th").all_inner_texts()
        headers = [h.strip().lower() for h in headers]
        if not {"outlet", "resolved"} <= set(headers):
            continue
        rows = {}
        for row in table.locator("tbody tr").all():
            cells = [c.strip() for c in row.locator("td, th").all_inner_texts()]
            record = dict(zip(headers, cells, strict=True))
            rows[record["outlet"]] = record
        return rows
    raise AssertionError("no table with outlet and resolved columns on the Reports page")


def leading_number(text):
    """12 from "12", "1,234 of 2,000" or "12 (40%)"."""
    match = re.match(r"\s*([\d,]+)", text)
    assert match, f"no count in {text!r}"
    return int(match.group(1).replace(",", ""))


def test_a_curator_sees_every_outlet_with_resolved_data_after_half_the_campaign(
    browser, live_server, demo, django_user_model
):
    assert demo.queue_order == Campaign.QueueOrder.INTERLEAVED  # the default, untouched
    outlets = set(Source.objects.filter(documents__campaigns=demo).values_list("name", flat=True))
    assert len(outlets) == 5
    reviewers = [django_user_model.objects.get(username=name) for name, _ in REVIEWERS]

    # The first block through the real page, each reviewer in a browser of their own.
    for index, (username, password) in enumerate(REVIEWERS):
        said = label_in_the_browser(browser, live_server.url, username, password, index, 3)
        for passage, text in said:
            ours = list(
                annotatable(demo)
                .filter(document=passage.document_id)
                .order_by("position")
                .values_list("pk", flat=True)
            )
            unit = "paragraph" if passage.document.segmentation == "paragraph" else "sentence"
            assert f"{unit} {ours.index(passage.pk) + 1} of {len(ours)} of this article" in text
        assert len({p.document_id for p, _ in said}) == 1  # a block: one article, in order

    full, done = label_half_with_services(demo, reviewers)
    total = annotatable(demo).count()
    assert total // 2 <= full <= done < total  # stopped halfway

    page, errors = new_page(browser)
    log_in(page, live_server.url, *CURATOR, f"/c/{SLUG}/reports/")
    rows = report_rows(page)
    print("resolved per outlet:", {outlet: record["resolved"] for outlet, record in rows.items()})
    assert set(rows) == outlets
    for outlet, record in rows.items():
        assert leading_number(record["resolved"]) > 0, f"{outlet} has no resolved passage"
    assert errors == []


def test_in_reading_order_the_same_half_leaves_outlets_without_data(demo, django_user_model):
    # The contrast, without a browser: what the demo campaign looked like before interleaving.
    Campaign.objects.filter(pk=demo.pk).update(queue_order=Campaign.QueueOrder.READING)
    demo.refresh_from_db()
    from annotate.campaigns.services import resequence

    resequence(demo)
    reviewers = [django_user_model.objects.get(username=name) for name, _ in REVIEWERS]
    label_half_with_services(demo, reviewers)
    reached = set(
        Assignment.objects.filter(campaign=demo, status=Assignment.Status.DONE).values_list(
            "passage__document__source_id", flat=True
        )
    )
    assert len(reached) < 5
