"""Shared fixtures: the seed corpus and a few named users.

alice, bob and dave review; carol curates; mike manages; olga reviews another
campaign only; staff is a staff user.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from annotate.campaigns import services as campaign_services
from annotate.campaigns.defaults import default_scheme
from annotate.models import Campaign, Membership
from corpus.importer import import_path
from corpus.models import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PASSWORD = "correct horse battery staple"


def make_user(username, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    return user


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    """Uploads waiting for their import job go to the test's own folder, not var/jobs."""
    settings.CREDENCE_JOB_FILES = tmp_path / "jobs"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The default hasher is deliberately slow; fixtures create seven users per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seed_corpus(db):
    report = import_path(SEEDS)
    assert report.ok, report.errors
    return list(Document.objects.select_related("source").order_by("source__name"))


@pytest.fixture
def users(db):
    return {
        name: make_user(
            name, **({"is_staff": True, "is_superuser": True} if name == "staff" else {})
        )
        for name in ("alice", "bob", "dave", "carol", "mike", "olga", "staff")
    }


@pytest.fixture
def campaign(seed_corpus, users):
    """An active campaign over the five seed articles, overlap 2, outlets visible."""
    return make_campaign("Seed campaign", seed_corpus, users, overlap=2)


def make_campaign(
    name, documents, users, overlap=2, blind_outlet=False, activate=True, queue_order="reading"
):
    """A campaign over ``documents`` with the named users as members. Reading order unless
    asked otherwise: most tests reason about which passage comes next."""
    from django.utils.text import slugify

    campaign = Campaign.objects.create(
        name=name,
        slug=slugify(name),
        scheme=default_scheme(),
        overlap=overlap,
        blind_outlet=blind_outlet,
        guidelines="Label each passage.",
        queue_order=queue_order,
    )
    campaign_services.add_documents(campaign, documents)
    roles = {
        "alice": "reviewer",
        "bob": "reviewer",
        "dave": "reviewer",
        "carol": "curator",
        "mike": "manager",
    }
    for username, role in roles.items():
        Membership.objects.create(campaign=campaign, user=users[username], role=role)
    if activate:
        campaign_services.activate_campaign(campaign)
    return campaign


@pytest.fixture
def other_campaign(seed_corpus, users):
    """A campaign olga reviews and nobody else belongs to."""
    campaign = Campaign.objects.create(
        name="Other", slug="other", scheme=default_scheme(), overlap=1
    )
    campaign_services.add_documents(campaign, seed_corpus[:1])
    Membership.objects.create(campaign=campaign, user=users["olga"], role="reviewer")
    campaign_services.activate_campaign(campaign)
    return campaign


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the tests marked `browser` (see tests/browser_support.py)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch

    # Playwright's sync API keeps an event loop in this thread, which makes
    # Django refuse ORM calls from the test body unless told otherwise.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            yield chromium
            chromium.close()
