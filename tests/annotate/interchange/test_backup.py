"""Campaign backup and restore: the round trip loses nothing, bad files write nothing.

Rows are compared by natural keys (username, outlet name, outlet + text hash,
document + position, scheme slug, campaign slug, ...), built here independently
of annotate.backup: restore gives rows new ids, so ids are not compared, but
each table's rows must come back in the same order.
"""

import datetime as dt
import gzip
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from annotate.interchange import backup
from annotate.interchange.backup import BackupError, backup_campaign
from annotate.interchange.restore import restore_campaign
from annotate.models import (
    Adjudication,
    AdjudicationRevision,
    Annotation,
    AnnotationRevision,
    Assignment,
    BiasMarker,
    Campaign,
    CampaignDocument,
    Claim,
    ClaimLink,
    ClaimSuggestion,
    Label,
    LabelScheme,
    Membership,
    Skip,
)
from annotate.queue import services
from corpus.models import Document, Figure, Passage, Source

User = get_user_model()
# Dependency order: every table after the ones it refers to.
MODELS = [
    User,
    Source,
    Document,
    Passage,
    Figure,
    LabelScheme,
    Label,
    BiasMarker,
    Campaign,
    Membership,
    CampaignDocument,
    Assignment,
    Skip,
    Annotation,
    AnnotationRevision,
    Adjudication,
    AdjudicationRevision,
    Claim,
    ClaimLink,
    ClaimSuggestion,
]
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "date_joined")
NATURAL = {
    User: lambda r: r["username"],
    Source: lambda r: r["name"],
    Document: lambda r: (r["source"], r["content_hash"]),
    Passage: lambda r: (r["document"], r["position"]),
    LabelScheme: lambda r: r["slug"],
    Campaign: lambda r: r["slug"],
    Assignment: lambda r: (r["campaign"], r["passage"], r["slot"]),
    Annotation: lambda r: r["assignment"],
    Adjudication: lambda r: (r["campaign"], r["passage"]),
    Claim: lambda r: (r["campaign"], r["statement"]),
}
pytestmark = pytest.mark.django_db


def snapshot():
    """Every field of every row of every table, foreign keys as natural keys, rows in id order."""
    keys, tables = {}, {}
    for model in MODELS:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        if model is User:
            fields = [f for f in fields if f.name in USER_FIELDS]
        rows = []
        for values in model.objects.order_by("pk").values("pk", *(f.attname for f in fields)):
            row = {
                f.name: keys[f.related_model].get(values[f.attname])
                if f.is_relation
                else values[f.attname]
                for f in fields
            }
            assert all(
                row[f.name] is not None for f in fields if f.is_relation and values[f.attname]
            )
            rows.append(row)
            if model in NATURAL:
                keys.setdefault(model, {})[values["pk"]] = NATURAL[model](row)
        tables[model.__name__] = rows
    return tables


def unordered(tables):
    """The snapshot with each table's rows sorted: for databases where other rows interleave."""
    return {
        name: sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
        for name, rows in tables.items()
    }


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def wipe(keep=()):
    for model in reversed(MODELS):
        if model not in keep:
            model.objects.all().delete()


def remove_campaign(campaign):
    """Delete one campaign and its work, keeping corpus, scheme and users."""
    ClaimSuggestion.objects.filter(campaign=campaign).delete()
    ClaimLink.objects.filter(claim__campaign=campaign).delete()
    Claim.objects.filter(campaign=campaign).delete()
    AdjudicationRevision.objects.filter(adjudication__campaign=campaign).delete()
    Adjudication.objects.filter(campaign=campaign).delete()
    AnnotationRevision.objects.filter(annotation__assignment__campaign=campaign).delete()
    Annotation.objects.filter(assignment__campaign=campaign).delete()
    for model in (Skip, Assignment, CampaignDocument, Membership):
        model.objects.filter(campaign=campaign).delete()
    campaign.delete()


def answer(label="sourced_fact", **extra):
    return {
        "label": label,
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "confidence": "medium",
        "note": "",
        **extra,
    }


@pytest.fixture
def worked(campaign, users):
    """The seed campaign with saves, a revision, a skip, an open claim and adjudications."""
    alice, bob, dave, carol, staff = (users[n] for n in ("alice", "bob", "dave", "carol", "staff"))
    alice.first_name, alice.email = "Alice", "alice@example.org"
    alice.save()
    Source.objects.filter(pk=campaign.documents.first().source_id).update(
        homepage="https://outlet.example/", domain="outlet.example", notes="Checked in 2024."
    )
    Document.objects.filter(pk=campaign.documents.first().pk).update(published=dt.date(2024, 1, 9))
    first = None
    for reviewer in (alice, bob):
        for i in range(4):
            a = services.claim_next(campaign, reviewer)
            services.save_annotation(
                campaign, reviewer, a.pk, answer(("sourced_fact", "opinion")[i % 2])
            )
            first = first or a
    services.save_annotation(
        campaign,
        alice,
        first.pk,
        answer(
            "attributed_claim",
            cited_source="Ministry of Défense",
            cited_type="official_body",
            markers=["one_sided_framing", "loaded_language"],
            confidence="high",
            note="Two lines\nand a line separator \u2028 here — “quoted” 🙂",
        ),
    )
    skipped = services.claim_next(campaign, dave)
    services.skip(campaign, dave, skipped.pk, "Not a statement")
    services.claim_next(campaign, dave)  # left claimed
    when = timezone.now() - dt.timedelta(days=2)
    decided = Adjudication.objects.create(
        campaign=campaign,
        passage=first.passage,
        label="opinion",
        cited_source="Ministry",
        cited_type="official_body",
        markers=["loaded_language"],
        rationale="Reads as the outlet's view.",
        decided_by=carol,
        decided_at=when,
    )
    AdjudicationRevision.objects.create(
        adjudication=decided,
        changed_by=carol,
        changed_at=when,
        before=None,
        after=decided.snapshot(),
    )
    before = decided.snapshot()
    decided.label, decided.rationale, decided.decided_by = (
        "attributed_claim",
        "Attributed after all.",
        staff,
    )
    decided.decided_at = when + dt.timedelta(hours=1)
    decided.save()
    AdjudicationRevision.objects.create(
        adjudication=decided,
        changed_by=staff,
        changed_at=decided.decided_at,
        before=before,
        after=decided.snapshot(),
    )
    second = (
        Assignment.objects.filter(campaign=campaign, status="done")
        .exclude(passage=first.passage)
        .first()
    )
    Adjudication.objects.create(
        campaign=campaign,
        passage=second.passage,
        label="sourced_fact",
        rationale="Unanimous.",
        method=Adjudication.Method.MAJORITY,
        decided_by=carol,
    )
    claim = Claim.objects.create(
        campaign=campaign,
        statement="Aircraft left behind",
        kind="count",
        unit="aircraft",
        primary_value=Decimal("78"),
        primary_qualifier="exactly",
        primary_source="DoD report, 2022",
        created_by=carol,
    )
    figure = (
        Figure.objects.filter(passage__document__campaigndocument__campaign=campaign)
        .order_by("pk")
        .first()
    )
    ClaimLink.objects.create(
        claim=claim,
        passage=figure.passage,
        value=Decimal("78.5"),
        qualifier="about",
        unit="aircraft",
        value_text=figure.text,
        attributed=True,
        attributed_to="the Pentagon",
        cited_type="official_body",
        status=ClaimLink.Status.ACCEPTED,
        proposed_by=alice,
        decided_by=carol,
        decided_at=when,
    )
    ClaimLink.objects.create(claim=claim, passage=second.passage, proposed_by=bob)
    a, b = pair_across_outlets(campaign)
    ClaimSuggestion.objects.create(
        campaign=campaign,
        passage_a=a,
        passage_b=b,
        score=0.8125,
        similarity=0.5,
        shared="count aircraft",
        rank=1,
        status=ClaimSuggestion.Status.REJECTED,
        decided_by=staff,
        decided_at=when,
    )
    return campaign


def pair_across_outlets(campaign):
    """A passage of the campaign's first document (by id) and one of its last, lowest id first."""
    docs = list(campaign.documents.order_by("pk"))
    return docs[0].passages.order_by("pk").first(), docs[-1].passages.order_by("pk").first()


def test_round_trip_into_an_emptied_database_restores_every_field_of_every_row(
    worked, users, tmp_path
):
    users["olga"].delete()  # in no campaign here, so in no backup
    before = snapshot()
    assert len(before["AnnotationRevision"]) == 9 and len(before["AdjudicationRevision"]) == 2
    assert before["Skip"] and any(r["status"] == "claimed" for r in before["Assignment"])
    path = tmp_path / "campaign.jsonl.gz"
    counts = backup_campaign(worked, path)
    assert counts["annotations"] == 8 and counts["adjudications"] == 2 and counts["users"] == 6
    assert counts["claims"] == 1 and counts["claim_links"] == 2 and counts["claim_suggestions"] == 1
    assert counts["figures"] == len(before["Figure"]) > 0
    wipe()
    assert sum(row_counts().values()) == 0

    report = restore_campaign(path)

    assert snapshot() == before
    assert report.campaign.slug == worked.slug and not report.reused
    assert sorted(report.users_created) == ["alice", "bob", "carol", "dave", "mike", "staff"]
    # Accounts come back without a usable password and without staff rights.
    assert not any(
        u.has_usable_password() or u.is_staff or u.is_superuser for u in User.objects.all()
    )
    # The queue carries on where it was: dave gets back the passage he held.
    dave = User.objects.get(username="dave")
    held = services.claim_next(report.campaign, dave)
    assert (
        held.status == "claimed"
        and held.pk == Assignment.objects.get(reviewer=dave, status="claimed").pk
    )


def test_round_trip_reuses_the_corpus_scheme_and_users_already_in_the_database(
    worked, other_campaign, tmp_path
):
    before = snapshot()
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    remove_campaign(worked)

    report = restore_campaign(path)

    assert unordered(snapshot()) == unordered(before)
    assert (
        report.reused["documents"] == 5
        and report.reused["schemes"] == 1
        and report.reused["users"] == 6
    )
    assert (
        not report.created["documents"]
        and not report.created["passages"]
        and not report.users_created
    )
    assert report.created["annotations"] == 8


def test_a_suggested_pair_keeps_its_lower_id_first_when_restored_ids_swap_the_order(
    worked, tmp_path
):
    """The first document comes back with new (higher) ids, the last is reused with its old ones."""
    a, b = pair_across_outlets(worked)
    pair = {(p.document.content_hash, p.position) for p in (a, b)}
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    wipe(keep={Source, Document, Passage, Figure, User})
    Figure.objects.exclude(passage__document_id=b.document_id).delete()
    Passage.objects.exclude(document_id=b.document_id).delete()
    Document.objects.exclude(pk=b.document_id).delete()
    Source.objects.exclude(documents__pk=b.document_id).delete()

    report = restore_campaign(path)

    assert report.reused["documents"] == 1 and report.created["documents"] == 4
    suggestion = ClaimSuggestion.objects.get()
    assert suggestion.passage_a_id < suggestion.passage_b_id
    assert suggestion.passage_a_id == b.pk  # the pair swapped places
    assert {
        (p.document.content_hash, p.position) for p in (suggestion.passage_a, suggestion.passage_b)
    } == pair


def test_restoring_a_campaign_that_exists_is_refused_and_writes_nothing(worked, tmp_path):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    counts = row_counts()
    with pytest.raises(BackupError, match="already exists"):
        restore_campaign(path)
    assert row_counts() == counts


def test_a_different_scheme_under_the_same_slug_is_refused_and_writes_nothing(worked, tmp_path):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    wipe(keep={LabelScheme, Label, BiasMarker})
    Label.objects.filter(value="opinion").update(name="Comment")
    counts = row_counts()
    with pytest.raises(
        BackupError, match="label “Comment” is already in this database with a different name"
    ):
        restore_campaign(path)
    assert row_counts() == counts


def test_a_scheme_already_here_with_an_extra_label_is_refused_and_writes_nothing(worked, tmp_path):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    wipe(keep={LabelScheme, Label, BiasMarker})
    Label.objects.create(scheme=worked.scheme, value="satire", name="Satire", key="4", position=9)
    counts = row_counts()
    with pytest.raises(
        BackupError, match="is already in this database with 4 labels; the file has 3"
    ):
        restore_campaign(path)
    assert row_counts() == counts


def test_a_document_already_here_with_other_passages_is_refused_and_writes_nothing(
    worked, tmp_path
):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    remove_campaign(worked)
    Passage.objects.filter(pk=Passage.objects.order_by("pk").first().pk).update(kind="caption")
    counts = row_counts()
    with pytest.raises(BackupError, match="with a different kind"):
        restore_campaign(path)
    assert row_counts() == counts


def lines_of(path):
    # split on "\n" only: splitlines() would also break at the U+2028 inside a note
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def write_lines(path, items):
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")


def first_row(items, section):
    return next(i for i in items if i.get("section") == section)["row"]


def set_version(items):
    items[0]["version"] = 2


def unknown_section(items):
    items[0]["sections"].append("polls")


def dangling_reference(items):
    first_row(items, "passages")["document"] = 10**9


def bad_choice(items):
    first_row(items, "assignments")["status"] = "lost"


def bad_datetime(items):
    first_row(items, "annotations")["created_at"] = "yesterday"


def naive_datetime(items):
    first_row(items, "annotations")["created_at"] = "2024-01-09T10:00:00"


def unknown_field(items):
    first_row(items, "skips")["mood"] = "grumpy"


def missing_field(items):
    del first_row(items, "annotations")["label"]


def too_long(items):
    first_row(items, "annotations")["cited_source"] = "x" * 301


def wrong_hash(items):
    first_row(items, "documents")["text"] += " (edited)"


def wrong_count(items):
    items[-1]["end"]["annotations"] += 1


def truncated(items):
    del items[-1]


def label_outside_the_scheme(items):
    first_row(items, "annotations")["label"] = "satire"


def marker_outside_the_scheme(items):
    first_row(items, "adjudications")["markers"] = ["clickbait"]


def annotation_on_an_open_place(items):
    annotated = first_row(items, "annotations")["assignment"]
    place = next(
        i["row"] for i in items if i.get("section") == "assignments" and i["row"]["id"] == annotated
    )
    place.update(status="open", reviewer=None, claimed_at=None, done_at=None)


def out_of_order(items):
    i = next(n for n, item in enumerate(items) if item.get("section") == "skips")
    items.insert(1, items.pop(i))


@pytest.mark.parametrize(
    "edit, message",
    [
        (set_version, "backup format version 2; this Credence reads version 1"),
        (unknown_section, "unknown section.*polls.*newer Credence"),
        (
            dangling_reference,
            r"line \d+: passages document refers to documents 1000000000, which is not in the file",
        ),
        (bad_choice, "assignments status: 'lost' is not one of the allowed values"),
        (bad_datetime, "annotations created_at: .*yesterday"),
        (naive_datetime, "annotations created_at: a date-time needs its time zone"),
        (unknown_field, "skips have no field.*mood"),
        (missing_field, "the annotations row lacks label"),
        (too_long, "cited_source is longer than 300 characters"),
        (wrong_hash, "content_hash does not match its text"),
        (wrong_count, "the closing line counts"),
        (truncated, "the file ends before its closing line: it is truncated"),
        (out_of_order, "line 3: section users after skips; the order is users, sources"),
        (label_outside_the_scheme, r"annotation \d+: “satire” is not a passage type"),
        (marker_outside_the_scheme, r"decision \d+: not bias markers of the scheme: clickbait"),
        (annotation_on_an_open_place, r"annotation \d+: its place \d+ is open, not done"),
    ],
)
def test_a_damaged_backup_is_refused_with_its_reason_and_writes_nothing(
    worked, tmp_path, edit, message
):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    items = lines_of(path)
    edit(items)
    write_lines(path, items)
    wipe()
    with pytest.raises(BackupError, match=message):
        restore_campaign(path)
    assert sum(row_counts().values()) == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b'{"format": "credence-campaign-backup", "version": 1,\n', "line 1: not valid JSON"),
        (b"outlet,title,text\nA,B,C\n", "line 1: not valid JSON"),
        (b'{"hello": "world"}\n', "line 1: not a Credence campaign backup"),
        (b'["a list"]\n', "line 1: expected a JSON object"),
        (b"\xff\xfe{}\n", "not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused(db, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    counts = row_counts()
    with pytest.raises(BackupError, match=message):
        restore_campaign(path)
    assert row_counts() == counts


def test_malformed_json_in_the_middle_is_refused_with_its_line_and_writes_nothing(worked, tmp_path):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[40] = lines[40][:-5]
    path.write_text("\n".join(lines), encoding="utf-8")
    wipe()
    with pytest.raises(BackupError, match="line 41: not valid JSON"):
        restore_campaign(path)
    assert sum(row_counts().values()) == 0


def test_a_cut_short_compressed_backup_is_refused_and_writes_nothing(worked, tmp_path):
    path = tmp_path / "campaign.jsonl.gz"
    backup_campaign(worked, path)
    data = path.read_bytes()
    assert gzip.decompress(data).startswith(b'{"format":"credence-campaign-backup"')
    path.write_bytes(data[: len(data) * 3 // 4])
    wipe()
    with pytest.raises(BackupError, match="cut short"):
        restore_campaign(path)
    assert sum(row_counts().values()) == 0


def test_every_table_of_the_apps_is_in_a_backup_section():
    """A table added later (claims, say) must get a section, or backups would silently lose it."""
    covered = {s.model for s in backup.all_sections()}
    models = [
        *apps.get_app_config("annotate").get_models(),
        *apps.get_app_config("corpus").get_models(),
    ]
    left_out = [m for m in models if backup.is_audit_trail(m) or backup.is_operational(m)]
    assert [m.__name__ for m in models if m not in covered and m not in left_out] == []


def test_only_the_admins_change_history_is_left_out_of_backups():
    left_out = {
        m.__name__ for m in apps.get_app_config("annotate").get_models() if backup.is_audit_trail(m)
    }
    assert left_out == {
        "HistoricalBiasMarker",
        "HistoricalCampaign",
        "HistoricalCampaignDocument",
        "HistoricalClaim",
        "HistoricalClaimLink",
        "HistoricalLabel",
        "HistoricalLabelScheme",
        "HistoricalMembership",
    }
    assert not backup.is_audit_trail(AnnotationRevision)


@pytest.mark.django_db(transaction=True)  # backup as the outermost transaction, as from the shell
def test_commands_back_up_and_restore_a_campaign(worked, users, tmp_path, capsys):
    users["olga"].delete()  # in no campaign here, so in no backup
    before = snapshot()
    path = tmp_path / "campaign.jsonl.gz"
    call_command("backup_campaign", worked.slug, str(path))
    assert "8 annotations" in capsys.readouterr().out
    with pytest.raises(CommandError, match="exists; pass --force"):
        call_command("backup_campaign", worked.slug, str(path))
    call_command("backup_campaign", worked.slug, str(path), "--force")
    wipe()
    call_command("restore_campaign", str(path))
    out = capsys.readouterr().out
    assert (
        f"Campaign {worked.slug} restored" in out
        and "6 new account(s) without a usable password" in out
    )
    assert snapshot() == before


def test_commands_refuse_bad_arguments_with_a_clear_message(worked, tmp_path):
    with pytest.raises(
        CommandError, match="No campaign with slug 'nope'. Campaigns: seed-campaign"
    ):
        call_command("backup_campaign", "nope", str(tmp_path / "x.jsonl"))
    with pytest.raises(CommandError, match="no such folder"):
        call_command("backup_campaign", worked.slug, str(tmp_path / "missing" / "x.jsonl"))
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore_campaign", str(tmp_path / "absent.jsonl"))
    path = tmp_path / "campaign.jsonl"
    backup_campaign(worked, path)
    with pytest.raises(CommandError, match="already exists in this database; nothing was restored"):
        call_command("restore_campaign", str(path))
