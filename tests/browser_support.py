"""Helpers for the end-to-end tests in headless Chromium (`pytest -m browser`).

The browser is Debian's /usr/bin/chromium driven by Playwright's sync API;
Playwright's own browser downloads are not used.
"""

import os
import re

CHROMIUM = os.environ.get("CREDENCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous enough for a loaded CI machine, short enough that a hang fails the run.
TIMEOUT_MS = 15_000
PASSAGE_URL = re.compile(r"/c/[^/]+/p/(\d+)/$")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_page(browser):
    """A page in a fresh context (its own cookies, so its own logged-in user) and the
    list that collects the page's uncaught JavaScript errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def log_in(page, base_url, username, password, next_path):
    """Log in through the real login form and land on next_path."""
    page.goto(f"{base_url}/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form.narrow button[type=submit]")
    assert page.url == f"{base_url}{next_path}", f"login as {username} failed, at {page.url}"


def assignment_id(page):
    match = PASSAGE_URL.search(page.url)
    assert match, f"not on an annotation page: {page.url}"
    return int(match.group(1))
