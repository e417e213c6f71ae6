"""Importing annotations made elsewhere: annotate.importer and the import_annotations command."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotate.frames import annotation_frame
from annotate.interchange import annotation_import as importer
from annotate.interchange.annotation_import import import_annotations
from annotate.models import Annotation, AnnotationRevision, Assignment
from annotate.queue import services
from corpus.models import Passage

HEADER = "passage,annotator,label,cited_source,cited_type,markers,confidence,note"


@pytest.fixture
def passages(campaign):
    """The first six annotatable passages of the campaign (overlap 2)."""
    return list(
        Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document_id", "position")[:6]
    )


def csv_bytes(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def good_rows(passages):
    p = passages
    return [
        f"{p[0].pk},alice,sourced_fact,Reuters,official_body,loaded_language,high,checked",
        f"{p[0].pk},ext-coder-1,opinion,,,,,",
        f"{p[1].pk},alice,attributed_claim,,named_person,one_sided_framing;loaded_language,low,",
        f"{p[1].pk},ext-coder-1,attributed_claim,,,,medium,",
    ]


def state():
    """Everything an import could write."""
    return {
        "annotations": Annotation.objects.count(),
        "revisions": AnnotationRevision.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "places": sorted(Assignment.objects.values_list("pk", "status", "reviewer_id")),
    }


def test_good_csv_by_passage_id_imports_every_row_with_its_fields(campaign, passages, users):
    result = import_annotations(
        campaign, "team.csv", csv_bytes(*good_rows(passages)), imported_by=users["carol"]
    )
    assert result.ok, result.errors
    assert (result.created, result.users_created) == (4, 1)
    coder = get_user_model().objects.get(username="ext-coder-1")
    assert not coder.is_active and not coder.has_usable_password()
    first = Annotation.objects.get(
        assignment__passage=passages[0], assignment__reviewer=users["alice"]
    )
    assert (
        first.label,
        first.cited_source,
        first.cited_type,
        first.markers,
        first.confidence,
        first.note,
    ) == ("sourced_fact", "Reuters", "official_body", ["loaded_language"], "high", "checked")
    second = Annotation.objects.get(assignment__passage=passages[0], assignment__reviewer=coder)
    assert (second.cited_type, second.markers, second.confidence) == ("", [], "medium")
    # Markers are stored sorted, as the annotation page stores them.
    assert Annotation.objects.get(
        assignment__passage=passages[1], assignment__reviewer=users["alice"]
    ).markers == ["loaded_language", "one_sided_framing"]
    assert set(
        Assignment.objects.filter(annotation__isnull=False).values_list("status", flat=True)
    ) == {"done"}
    assert set(AnnotationRevision.objects.values_list("changed_by__username", flat=True)) == {
        "carol"
    }
    frame = annotation_frame(campaign)
    assert sorted(zip(frame["item"], frame["annotator"], strict=True)) == sorted(
        (p.pk, name) for p in passages[:2] for name in ("alice", "ext-coder-1")
    )


def test_good_csv_by_document_and_position_imports(campaign, passages):
    p = passages
    data = csv_bytes(
        f"{p[2].document_id},{p[2].position},bob,opinion",
        f"{p[2].document_id},{p[2].position},dave,opinion",
        f"{p[3].document_id},{p[3].position},bob,sourced_fact",
        header="document,position,annotator,label",
    )
    result = import_annotations(campaign, "by-position.csv", data)
    assert result.ok, result.errors
    assert result.created == 3 and result.users_created == 0
    assert sorted(
        Annotation.objects.values_list(
            "assignment__passage_id", "assignment__reviewer__username", "label"
        )
    ) == sorted(
        [
            (p[2].pk, "bob", "opinion"),
            (p[2].pk, "dave", "opinion"),
            (p[3].pk, "bob", "sourced_fact"),
        ]
    )


def bad_case(name, passages, campaign):
    """(file bytes, expected line, expected words) for each kind of bad file; line 2 is good."""
    p = passages
    good = f"{p[4].pk},alice,opinion,,,,,"
    other_doc = Passage.objects.exclude(document__campaigndocument__campaign=campaign).first()
    missing_id = other_doc.pk if other_doc else 10**9
    cases = {
        "unknown passage": (
            csv_bytes(good, f"{missing_id},bob,opinion,,,,,"),
            3,
            "is not in this campaign",
        ),
        "unknown label": (
            csv_bytes(good, f"{p[5].pk},bob,rumour,,,,,"),
            3,
            "unknown label 'rumour'",
        ),
        "unknown marker": (
            csv_bytes(good, f"{p[5].pk},bob,opinion,,,loaded_language;clickbait,,"),
            3,
            "unknown marker(s) clickbait",
        ),
        "bad confidence": (
            csv_bytes(good, f"{p[5].pk},bob,opinion,,,,certain,"),
            3,
            "unknown confidence 'certain'",
        ),
        "unknown cited type": (
            csv_bytes(good, f"{p[5].pk},bob,opinion,,pundit,,,"),
            3,
            "unknown cited_type 'pundit'",
        ),
        "duplicate row": (
            csv_bytes(good, f"{p[5].pk},bob,opinion,,,,,", f"{p[5].pk},bob,sourced_fact,,,,,"),
            4,
            "already labelled this passage earlier in the file",
        ),
        "too many annotators": (
            csv_bytes(good, *(f"{p[5].pk},{n},opinion,,,,," for n in ("bob", "dave", "new-coder"))),
            5,
            "already has 2 reviewers",
        ),
        "annotator name too long": (
            csv_bytes(good, f"{p[5].pk},{'x' * 151},opinion,,,,,"),
            3,
            "longer than 150",
        ),
        "empty annotator": (
            csv_bytes(good, f"{p[5].pk},,opinion,,,,,"),
            3,
            "the annotator is empty",
        ),
        "non-UTF-8": (
            csv_bytes(good) + "5,bob,opinion,Société,,,,\n".encode("latin-1"),
            3,
            "not valid UTF-8",
        ),
        "missing columns": (
            csv_bytes(good, header="passage,label"),
            1,
            "missing column(s) annotator",
        ),
        "no passage column": (
            csv_bytes("alice,opinion", header="annotator,label"),
            1,
            "passage (or document and position)",
        ),
        "more cells than columns": (
            csv_bytes(good, f"{p[5].pk},bob,opinion,,,,,,extra"),
            3,
            "more cells than columns",
        ),
    }
    return cases[name]


BAD = [
    "unknown passage",
    "unknown label",
    "unknown marker",
    "bad confidence",
    "unknown cited type",
    "duplicate row",
    "too many annotators",
    "annotator name too long",
    "empty annotator",
    "non-UTF-8",
    "missing columns",
    "no passage column",
    "more cells than columns",
]


@pytest.mark.parametrize("case", BAD)
def test_bad_file_is_reported_with_its_line_and_nothing_is_written(campaign, passages, case):
    data, line, words = bad_case(case, passages, campaign)
    before = state()
    result = import_annotations(campaign, "bad.csv", data)
    assert not result.ok
    assert any(f"bad.csv, line {line}: " in e and words in e for e in result.errors), result.errors
    assert (result.created, result.users_created) == (0, 0)
    assert state() == before


@pytest.mark.parametrize("case", BAD)
def test_import_command_reports_each_bad_file_on_stderr_and_writes_nothing(
    campaign, passages, case, tmp_path
):
    data, line, words = bad_case(case, passages, campaign)
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    before, err = state(), io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_annotations",
            str(path),
            "--campaign",
            campaign.name,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert f"bad.csv, line {line}: " in err.getvalue() and words in err.getvalue()
    assert state() == before


def test_boilerplate_passage_is_refused_with_a_reason(campaign):
    boilerplate = Passage.objects.filter(
        document__campaigndocument__campaign=campaign, kind=Passage.Kind.BOILERPLATE
    ).first()
    assert boilerplate is not None, "the seed corpus has boilerplate passages"
    before = state()
    result = import_annotations(
        campaign, "b.csv", csv_bytes(f"{boilerplate.pk},alice,opinion,,,,,")
    )
    assert result.errors == [
        "b.csv, line 2: the passage is boilerplate, which this campaign does not annotate"
    ]
    assert state() == before


def test_reimporting_the_same_file_fails_cleanly_without_writing(campaign, passages):
    data = csv_bytes(*good_rows(passages))
    assert import_annotations(campaign, "team.csv", data).ok
    before = state()
    again = import_annotations(campaign, "team.csv", data)
    assert not again.ok and (again.created, again.users_created) == (0, 0)
    assert len(again.errors) == 4
    assert all("already has an annotation or a claim on this passage" in e for e in again.errors)
    assert [e.split(":")[0] for e in again.errors] == [f"team.csv, line {n}" for n in (2, 3, 4, 5)]
    assert state() == before


def test_a_place_claimed_after_the_places_were_read_is_not_taken_over(campaign, users, monkeypatch):
    """The importer takes a place by conditional update, like the queue."""
    target = (
        Assignment.objects.filter(campaign=campaign).order_by("sequence", "slot").first().passage
    )  # bob's next
    real = importer._places

    def places_then_a_reviewer_claims(c):
        slots = real(c)  # read while both places are free...
        claimed = services.claim_next(c, users["bob"])  # ...then bob is handed the first
        assert claimed.passage_id == target.pk
        return slots

    monkeypatch.setattr(importer, "_places", places_then_a_reviewer_claims)
    result = import_annotations(
        campaign,
        "race.csv",
        csv_bytes(f"{target.pk},ext,opinion,,,,,", f"{target.pk},ext2,opinion,,,,,"),
    )
    assert result.errors == [
        "race.csv, line 3: the passage already has 2 reviewers; raise the campaign's overlap to import more"
    ]
    monkeypatch.setattr(importer, "_places", places_then_a_reviewer_claims)
    assert import_annotations(campaign, "one.csv", csv_bytes(f"{target.pk},ext,opinion,,,,,")).ok
    places = dict(
        Assignment.objects.filter(passage=target, campaign=campaign).values_list(
            "reviewer__username", "status"
        )
    )
    assert places == {"bob": "claimed", "ext": "done"}


def test_import_command_imports_a_good_file_and_says_how_much(campaign, passages, tmp_path):
    path = tmp_path / "team.csv"
    path.write_bytes(csv_bytes(*good_rows(passages)))
    out = io.StringIO()
    call_command("import_annotations", str(path), "--campaign", campaign.slug, stdout=out)
    assert (
        "4 annotation(s) imported into Seed campaign; 1 new (inactive) annotator account(s)"
        in out.getvalue()
    )
    assert Annotation.objects.count() == 4


def test_import_command_refuses_a_missing_file_or_campaign(campaign, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_annotations", str(tmp_path / "nope.csv"), "--campaign", campaign.name)
    (tmp_path / "a.csv").write_bytes(b"passage,annotator,label\n")
    with pytest.raises(CommandError, match="No campaign called 'Nope'"):
        call_command("import_annotations", str(tmp_path / "a.csv"), "--campaign", "Nope")


def test_header_only_file_reports_no_annotations(campaign):
    result = import_annotations(campaign, "empty.csv", b"passage,annotator,label\n")
    assert result.errors == ["empty.csv: no annotations found"]
