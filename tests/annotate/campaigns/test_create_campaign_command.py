"""manage.py create_campaign: a campaign set up from the command line, all or nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotate.models import Assignment, Campaign, CampaignDocument, Membership
from corpus.models import Document, Passage

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("create_campaign", *args, stdout=out)
    return out.getvalue()


def nothing_made():
    return not (
        Campaign.objects.exists()
        or CampaignDocument.objects.exists()
        or Membership.objects.exists()
        or Assignment.objects.exists()
    )


def test_a_campaign_with_outlets_members_and_activation(seed_corpus, users, tmp_path):
    guidelines = tmp_path / "guidelines.txt"
    guidelines.write_text("Read the whole article first.\n", encoding="utf-8")
    outlets = [seed_corpus[1].source.name, seed_corpus[3].source.name]
    out = run(
        "--name",
        "Command study",
        "--overlap",
        "2",
        "--blind",
        "--queue-order",
        "reading",
        "--outlet",
        outlets[0],
        "--outlet",
        outlets[1],
        "--member",
        "alice:reviewer",
        "--member",
        "bob:reviewer",
        "--member",
        "carol:curator",
        "--guidelines-file",
        str(guidelines),
        "--activate",
    )
    campaign = Campaign.objects.get(name="Command study")
    assert campaign.is_active and campaign.blind_outlet and campaign.overlap == 2
    assert campaign.queue_order == "reading"
    assert campaign.guidelines == "Read the whole article first."
    assert [d.pk for d in campaign.documents.order_by("campaigndocument__position")] == [
        seed_corpus[1].pk,
        seed_corpus[3].pk,
    ]
    assert dict(campaign.memberships.values_list("user__username", "role")) == {
        "alice": "reviewer",
        "bob": "reviewer",
        "carol": "curator",
    }
    passages = Passage.objects.filter(document__in=[seed_corpus[1], seed_corpus[3]]).exclude(
        kind="boilerplate"
    )
    assert Assignment.objects.filter(campaign=campaign).count() == passages.count() * 2
    assert "Created campaign “Command study” (/c/command-study/)" in out
    assert "Added 2 document(s)." in out
    assert "alice (reviewer), bob (reviewer), carol (curator)" in out
    assert f"Activated: {passages.count() * 2} reviewer places" in out


def test_documents_by_id_date_and_search_and_left_as_a_draft(seed_corpus):
    for day, document in enumerate(seed_corpus, 1):
        Document.objects.filter(pk=document.pk).update(published=datetime.date(2023, 3, day))
    ids = [str(d.pk) for d in seed_corpus]
    word = seed_corpus[3].title.split()[0]
    out = run(
        "--name",
        "Picked",
        "--from",
        "2023-03-02",
        "--to",
        "2023-03-04",
        "--search",
        word,
        *[arg for i in ids for arg in ("--document", i)],
    )
    campaign = Campaign.objects.get(name="Picked")
    expected = [d.pk for d in seed_corpus[1:4] if word.lower() in (d.title + d.text).lower()]
    assert seed_corpus[3].pk in expected
    assert sorted(campaign.documents.values_list("pk", flat=True)) == sorted(expected)
    assert campaign.status == "draft" and "Left as a draft" in out


def test_no_criteria_makes_a_campaign_with_no_documents(seed_corpus):
    run("--name", "Empty for now")
    assert Campaign.objects.get(name="Empty for now").documents.count() == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--member", "alice:reviewer", "--member", "zed:reviewer"], "No user called “zed”"),
        (["--member", "alice"], "write USER:ROLE"),
        (["--member", "alice:owner"], "write USER:ROLE"),
        (["--activate"], "Add at least one reviewer"),
        (["--outlet", "No such outlet"], "No outlet called 'No such outlet'. Outlets: "),
        (["--document", "999999"], "No document with id 999999"),
        (["--search", "xylophone"], "No document matches"),
        (["--from", "2023-03-05", "--to", "2023-03-01"], "--to comes before --from"),
        (["--from", "5 March"], "is not a date"),
        (["--overlap", "0"], "overlap"),
        (["--scheme", "nope"], "No label scheme “nope”"),
        (["--guidelines-file", "/no/such/file.txt"], "no such file"),
    ],
)
def test_errors_stop_with_their_message_and_create_nothing(seed_corpus, users, args, message):
    with pytest.raises(CommandError, match=message):
        run("--name", "Broken", "--outlet", seed_corpus[0].source.name, *args)
    assert nothing_made()


def test_activating_with_no_documents_creates_nothing(users):
    with pytest.raises(CommandError, match="Add documents before activating"):
        run("--name", "Broken", "--member", "alice:reviewer", "--activate")
    assert nothing_made()


def test_a_taken_name_is_refused(campaign):
    with pytest.raises(CommandError, match="already exists"):
        run("--name", "Seed campaign")
    assert Campaign.objects.count() == 1


def test_an_error_exits_non_zero_with_the_message_on_stderr(campaign, capsys):
    from annotate.management.commands.create_campaign import Command

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "create_campaign", "--name", "Seed campaign"])
    assert exited.value.code == 1
    assert "already exists" in capsys.readouterr().err
