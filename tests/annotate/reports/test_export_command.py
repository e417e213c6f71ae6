"""export_report: the same bytes as the downloads, file selection, anonymisation, clear errors."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from annotate.reports import exports
from tests.annotate.report_support import small_campaign
from tests.conftest import login


@pytest.fixture
def small(users):
    return small_campaign(users)[0]


def run(*args):
    call_command("export_report", *args, stdout=io.StringIO())


@pytest.mark.parametrize("anonymise", [False, True])
def test_command_writes_every_export_with_the_same_bytes_as_the_download(
    client, small, users, tmp_path, anonymise
):
    run(small.slug, "--out", str(tmp_path), *(["--anonymise"] if anonymise else []))
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(exports.filename(small, kind, anonymise) for kind in exports.KINDS)
    login(client, users["mike"])
    for kind in exports.KINDS:
        response = client.get(
            reverse("annotate:export", args=[small.slug, kind]), {"anonymise": int(anonymise)}
        )
        assert response["Content-Type"] == exports.content_type(kind)
        downloaded = b"".join(response.streaming_content)
        written = (tmp_path / exports.filename(small, kind, anonymise)).read_bytes()
        assert (b"alice" in downloaded) == (
            not anonymise and kind in ("reviewers.csv", "annotations.csv", "annotations.jsonl")
        ), kind
        if kind == "campaign.json":  # the same but for the moment of export
            written, downloaded = (
                {k: v for k, v in json.loads(text).items() if k != "exported_at"}
                for text in (written, downloaded)
            )
        assert written == downloaded, kind


def test_only_writes_the_named_exports_and_takes_the_campaign_by_name(small, tmp_path):
    run("Small", "--out", str(tmp_path / "new" / "folder"), "--only", "outlets, annotations.jsonl")
    assert sorted(p.name for p in (tmp_path / "new" / "folder").iterdir()) == [
        "small-annotations.jsonl",
        "small-outlets.csv",
    ]
    run(small.slug, "--out", str(tmp_path / "all"), "--only", "annotations")
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "small-annotations.csv",
        "small-annotations.jsonl",
    ]
    run(small.slug, "--out", str(tmp_path / "more"), "--only", "claims,comparisons,campaign,card")
    assert sorted(p.name for p in (tmp_path / "more").iterdir()) == [
        "small-README.md",
        "small-campaign.json",
        "small-claims.csv",
        "small-comparisons.csv",
    ]


@pytest.mark.parametrize(
    "args,message",
    [
        (["nope"], "No campaign called 'nope'"),
        (["small", "--only", "outlets,secrets"], "unknown export 'secrets'"),
        (["small", "--only", ","], "unknown export (none given)"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message_and_write_nothing(
    small, tmp_path, args, message
):
    out = tmp_path / "out"
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args, "--out", str(out))
    assert not out.exists()


def test_unwritable_folder_is_a_clear_error(small, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CommandError, match="cannot create"):
        run(small.slug, "--out", str(blocker / "sub"))
