"""End-to-end claims in headless Chromium: a curator accepts a suggested claim, links a
third passage by hand and sees which outlet diverges.

Run with `pytest -m browser` (the default run deselects these).
"""

import pytest

from annotate.models import Claim, ClaimLink
from tests.annotate.jobs.support import run_jobs
from tests.browser_support import log_in, new_page
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUGGESTIONS_PATH = "/c/seed-campaign/claims/suggestions/"
STATEMENT = "Weapons left in Afghanistan in 2021"


def test_curator_accepts_a_suggestion_links_a_third_passage_and_sees_the_divergence(
    browser, live_server, campaign, users, tmp_path
):
    page, errors = new_page(browser)
    log_in(page, live_server.url, "carol", PASSWORD, SUGGESTIONS_PATH)
    with page.expect_navigation():
        page.click("#refresh-suggestions")
    # The refresh is a background job: its page waits for a worker; run it here, as one would.
    assert run_jobs() == 1
    page.reload()
    with page.expect_navigation():
        page.click("#job-result-link")
    assert not ClaimLink.objects.exists()  # suggesting links nothing

    row = (
        page.locator("#suggestions tbody tr")
        .filter(has_text="up to 400,000")
        .filter(has_text="roughly 600,000")
    )
    assert row.count() == 1, "the weapons pair is not among the suggestions on the first page"
    row.locator("input[name=statement]").fill(STATEMENT)
    with page.expect_navigation():
        row.get_by_role("button", name="Accept").click()
    claim = Claim.objects.get(statement=STATEMENT)
    assert page.url.endswith(f"/claims/{claim.pk}/")
    assert page.locator("#claim-statement").inner_text() == STATEMENT
    # Two outlets that disagree: both flagged.
    assert (
        page.locator("#claim-links tbody tr .flag", has_text="differs from other outlets").count()
        == 2
    )

    page.fill("#id_q", "316,260")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    with page.expect_navigation():
        page.locator("#search-results tbody tr", has_text="Some 316,260 small arms").get_by_role(
            "button", name="Link"
        ).click()

    links = page.locator("#claim-links tbody tr")
    assert links.count() == 3
    apart = links.filter(has_text="roughly 600,000")
    assert apart.locator(".flag", has_text="differs from other outlets").count() == 1
    assert "diverges" in apart.get_attribute("class")
    for agreeing in ("up to 400,000", "Some 316,260"):
        row = links.filter(has_text=agreeing)
        assert row.locator(".flag", has_text="differs from other outlets").count() == 0, agreeing
    assert page.locator("#divergence").is_visible()
    shot = tmp_path / "claim-page.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert errors == []
    assert ClaimLink.objects.filter(claim=claim, status="accepted").count() == 3
