"""In headless Chromium, under the real Content-Security-Policy: no page of ours
or of the admin triggers a policy violation, the admin's scripts still run and
the heat map still has its colours (classes, not inline styles).

Run with `pytest -m browser` (the default run deselects these).
"""

import pytest
from django.urls import reverse

from annotate.queue import services
from tests.browser_support import log_in, new_page
from tests.conftest import PASSWORD
from tests.security.routes import MANAGER, POST, ROUTES

DOWNLOADS = {
    "annotate:agreement_csv",
    "annotate:claims_csv",
    "annotate:export",
    "annotate:api_annotations_stream",
    "annotate:api_export",
    "annotate:api_schema",  # the OpenAPI file itself
}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the browser blocked; an init script is not itself subject to the page's policy.
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def watched_page(browser):
    page, errors = new_page(browser)
    page.add_init_script(WATCH)
    console = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page, errors, console


def violations(page, console):
    return page.evaluate("window.__cspViolations || []") + console


@pytest.fixture
def labelled(campaign, users):
    """alice and bob label the same passages differently, so the agreement page has a heat map."""
    for i in range(6):
        for name, labels in (
            ("alice", ["sourced_fact", "opinion"]),
            ("bob", ["opinion", "opinion"]),
        ):
            place = services.claim_next(campaign, users[name])
            services.save_annotation(
                campaign,
                users[name],
                place.pk,
                {
                    "label": labels[i % 2],
                    "cited_source": "",
                    "cited_type": "",
                    "markers": [],
                    "confidence": "medium",
                    "note": "",
                },
            )
    return campaign


def visit_all(page, console, base, paths):
    seen = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status < 400, (path, response.status)
        found = violations(page, console)
        if found:
            seen[path] = list(found)
        console.clear()
    return seen


def test_our_pages_break_no_policy_rule_and_the_heat_map_keeps_its_colours(
    browser, live_server, world, labelled
):
    slug = labelled.slug
    curator, errors, console = watched_page(browser)
    log_in(curator, live_server.url, "mike", PASSWORD, reverse("annotate:home"))
    # Every page of the access table a manager opens (downloads aside).
    paths = [
        reverse(name, kwargs=route.kwargs(world))
        for name, route in sorted(ROUTES.items())
        if route.method != POST and MANAGER in route.allow and name not in DOWNLOADS
    ]
    assert len(paths) >= 10
    assert visit_all(curator, console, live_server.url, paths) == {}

    curator.goto(live_server.url + reverse("annotate:agreement", kwargs={"slug": slug}))
    cells = curator.locator("#heatmap td[class^=heat-]")
    assert cells.count() > 0
    colour = cells.first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour
    assert errors == []

    reviewer, errors, console = watched_page(browser)
    log_in(
        reviewer,
        live_server.url,
        "dave",
        PASSWORD,
        reverse("annotate:campaign", kwargs={"slug": slug}),
    )
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Start labelling").click()
    # annotate.js runs: the digit key picks a label.
    reviewer.keyboard.press("3")
    assert reviewer.locator('input[name="label"][data-key="3"]').is_checked()
    assert violations(reviewer, console) == []
    assert errors == []


def test_the_admin_works_under_the_policy(browser, live_server, campaign, users):
    page, errors, console = watched_page(browser)
    log_in(page, live_server.url, "staff", PASSWORD, reverse("admin:index"))
    paths = [
        reverse(name)
        for name in (
            "admin:index",
            "admin:corpus_document_changelist",
            "admin:corpus_document_import",
            "admin:corpus_source_add",
            "admin:annotate_campaign_changelist",
            "admin:auth_user_changelist",
        )
    ] + [
        reverse("admin:annotate_campaign_change", args=[campaign.pk]),
        reverse("admin:auth_user_change", args=[users["alice"].pk]),
    ]
    assert visit_all(page, console, live_server.url, paths) == {}

    # The admin's own scripts run: typing an outlet's name fills its slug (prepopulate.js).
    page.goto(live_server.url + reverse("admin:corpus_source_add"))
    page.fill("#id_name", "Example Daily News")
    page.locator("#id_domain").focus()
    assert page.input_value("#id_slug") == "example-daily-news"
    assert violations(page, console) == []
    assert errors == []
