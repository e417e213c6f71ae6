"""Anonymised exports: no user name, full name or e-mail address anywhere, free text included."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotate.models import Adjudication, Annotation
from annotate.reports import exports
from annotate.reports.anonymise import scrubber
from tests.annotate.report_support import small_campaign


def test_a_name_is_replaced_as_a_whole_word_whatever_its_case():
    scrub = scrubber([("anon-1", ["bob", "Robert Jones", "bob@example.org"])])
    assert scrub("close call; Bob flagged it too") == "close call; anon-1 flagged it too"
    assert scrub("ask ROBERT  JONES or bob@example.org") == "ask anon-1 or anon-1"
    assert scrub("bobcat and kebob") == "bobcat and kebob"  # not inside other words
    assert scrub("") == "" and scrub("nothing here") == "nothing here"


def test_a_full_name_is_replaced_whole_before_a_shorter_name_inside_it():
    scrub = scrubber([("anon-a", ["ann"]), ("anon-b", ["Ann Lee"])])
    assert scrub("Ann Lee and ann") == "anon-b and anon-a"


def test_no_names_means_no_change():
    assert scrubber([])("bob said") == "bob said"
    assert scrubber([("anon-1", ["", "  "])])("bob said") == "bob said"


@pytest.fixture
def planted(users):
    """The small campaign, with people's names written into notes, rationales and sources."""
    campaign, _ = small_campaign(users)
    User = get_user_model()
    User.objects.filter(username="bob").update(
        first_name="Robert", last_name="Jones", email="rjones@example.org"
    )
    User.objects.filter(username="carol").update(
        first_name="Carol", last_name="Ng", email="carol.ng@example.org"
    )
    Annotation.objects.filter(assignment__campaign=campaign).update(
        note="close call; bob flagged it too (Robert Jones, rjones@example.org)",
        cited_source="Carol Ng",
    )
    Adjudication.objects.filter(campaign=campaign).update(
        rationale="Agreed with ALICE and carol.ng@example.org; dave disagreed"
    )
    return campaign


def people():
    users = get_user_model().objects.all()
    names = set()
    for u in users:
        names |= {u.username, u.email, f"{u.first_name} {u.last_name}".strip()}
    return {n.lower() for n in names if n}


def test_every_anonymised_export_names_no_user_anywhere(planted, tmp_path):
    call_command("export_report", planted.slug, "--out", str(tmp_path), "--anonymise")
    files = sorted(tmp_path.iterdir())
    assert {f.name.split("-anonymised-")[1] for f in files} == set(exports.KINDS)
    names = people()
    assert {"bob", "robert jones", "rjones@example.org", "carol ng", "alice"} <= names
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        found = sorted(n for n in names if n in text)
        assert not found, (path.name, found)
    annotations = (tmp_path / f"{planted.slug}-anonymised-annotations.csv").read_text()
    assert "close call; anon-" in annotations and " flagged it too (anon-" in annotations


def test_the_plain_export_keeps_the_notes_as_written(planted, tmp_path):
    call_command("export_report", planted.slug, "--out", str(tmp_path), "--only", "annotations")
    text = (tmp_path / f"{planted.slug}-annotations.csv").read_text()
    assert "close call; bob flagged it too (Robert Jones, rjones@example.org)" in text
