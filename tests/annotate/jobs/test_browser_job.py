"""The job page in headless Chromium: static/js/job.js follows a job to its end under the
real Content-Security-Policy. Run with `pytest -m browser`."""

import pytest
from playwright.sync_api import expect

from annotate.jobs import services
from annotate.models import Job
from tests.annotate.jobs.support import run_jobs
from tests.browser_support import TIMEOUT_MS, log_in, new_page
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_follows_a_job_until_done_then_links_to_its_result(
    browser, live_server, campaign, users
):
    job = services.enqueue(Job.Kind.SUGGESTIONS, campaign, users["carol"])
    page, errors = new_page(browser)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    log_in(page, live_server.url, "carol", PASSWORD, job.get_absolute_url())
    expect(page.locator("#job-status")).to_have_text("Queued")
    assert page.locator("#job-result").is_hidden()

    run_jobs()  # a worker runs it while the page is open

    # The script notices within a poll or two, then reloads the finished page once.
    expect(page.locator("#job-status")).to_have_text("Done", timeout=TIMEOUT_MS)
    expect(page.locator("#job-result-link")).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator("#job").get_attribute("data-finished") == "1"
    assert "suggestion(s) found" in page.locator("#job-message").inner_text()
    with page.expect_navigation():
        page.locator("#job-result-link").click()
    assert page.url.endswith(f"/c/{campaign.slug}/claims/suggestions/")
    assert errors == [] and blocked == []
