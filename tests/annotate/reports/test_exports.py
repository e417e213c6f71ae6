"""annotate.exports: columns, provenance, formula neutralisation, anonymisation, streaming,
JSONL, and every per-outlet figure recomputed from the annotation export alone."""

import csv
import io
import json

import krippendorff
import numpy as np
import pandas as pd
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.csvsafe import safe_cell
from annotate.models import Annotation, Assignment
from annotate.reports import exports
from annotate.reports import selectors as reports
from corpus.models import Document, Passage, Source
from tests.annotate.report_support import small_campaign
from tests.conftest import login

LABELS = ["sourced_fact", "attributed_claim", "opinion"]


@pytest.fixture
def small(users):
    return small_campaign(users)


def text_of(campaign, kind, anonymise=False):
    return "".join(exports.export(campaign, kind, anonymise))


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_annotation_csv_has_the_documented_columns_and_one_row_per_annotation(small):
    campaign, passages = small
    text = text_of(campaign, "annotations.csv")
    assert text.startswith(",".join(exports.ANNOTATION_COLUMNS) + "\r\n")
    rows = csv_rows(text)
    assert len(rows) == Annotation.objects.filter(assignment__campaign=campaign).count() + 1 == 14
    # Passages in reading order, p5 (nobody labelled it) once with empty annotation cells.
    order = [int(r["passage_id"]) for r in rows]
    assert order == sorted(order, key=[p.pk for p in passages.values()].index)
    blank = [r for r in rows if r["annotation_id"] == ""]
    assert [int(r["passage_id"]) for r in blank] == [passages["p5"].pk]
    assert blank[0]["final_status"] == "unresolved" and blank[0]["reviewer"] == ""


def test_annotation_rows_carry_provenance_and_the_final_label(small, users):
    campaign, passages = small
    rows = csv_rows(text_of(campaign, "annotations.csv"))
    p3 = passages["p3"]
    bob = next(r for r in rows if r["passage_id"] == str(p3.pk) and r["reviewer"] == "bob")
    annotation = Annotation.objects.select_related("assignment").get(
        assignment__passage=p3, assignment__reviewer=users["bob"]
    )
    assert bob == {
        "outlet": "Alpha",
        "document_id": str(p3.document_id),
        "document_title": "D1",
        "passage_id": str(p3.pk),
        "position": "2",
        "start": str(p3.start),
        "end": str(p3.end),
        "text": p3.text,
        "annotation_id": str(annotation.pk),
        "reviewer": "bob",
        "label": "sourced_fact",
        "cited_source": "",
        "cited_type": "document",
        "markers": "",
        "confidence": "high",
        "note": "seen p3",
        "guidelines_version": "1",  # saved through the queue under the first guidelines
        "spans": "0",
        "claimed_at": "2025-03-01 09:03:00",
        "done_at": "2025-03-01 09:03:30",  # third passage: 2 × 1.5 min in
        "created_at": annotation.created_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "updated_at": annotation.updated_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "final_status": "adjudicated",
        "final_label": "opinion",
        "final_cited_type": "none",
        "final_cited_source": "",
        "final_markers": "emotional_appeal;loaded_language",
        "adjudicator": "carol",
        "adjudication_method": "chosen",
        "adjudicated_at": "2025-03-02 09:00:00",
        "rationale": "'+clearly the writer's view",  # neutralised: it starts with +
    }
    p1 = [r for r in rows if r["passage_id"] == str(passages["p1"].pk)]
    assert {r["final_status"] for r in p1} == {"unanimous"} and {r["adjudicator"] for r in p1} == {
        ""
    }
    assert {r["final_cited_source"] for r in p1} == {"Ministry report"}  # both reviewers named it
    p2 = [r for r in rows if r["passage_id"] == str(passages["p2"].pk)]
    assert {r["final_markers"] for r in p2} == {"loaded_language"} and {
        r["final_cited_type"] for r in p2
    } == {"anonymous"}
    assert {r["cited_source"] for r in p2} == {'\'=HYPERLINK("x")', "officials"}


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_text_cell_starting_like_a_formula_is_neutralised(small, users, prefix):
    campaign, passages = small
    evil = f"{prefix}cmd|' /C calc'!A0"
    Source.objects.filter(name="Alpha").update(name=f"{prefix}Alpha")
    Document.objects.filter(title="D1").update(title=f"{prefix}D1")
    Passage.objects.filter(pk=passages["p1"].pk).update(text=f"{prefix}1 in text")
    Annotation.objects.filter(assignment__passage=passages["p1"]).update(
        note=evil, cited_source=evil
    )
    users["alice"].username = f"{prefix}alice".strip()  # a user name cannot hold a tab or CR
    users["alice"].save()
    rows = csv_rows(text_of(campaign, "annotations.csv"))
    p1 = [r for r in rows if r["passage_id"] == str(passages["p1"].pk)]
    for row in p1:
        assert row["outlet"] == f"'{prefix}Alpha" and row["document_title"] == f"'{prefix}D1"
        assert row["text"] == f"'{prefix}1 in text"
        assert row["note"] == row["cited_source"] == f"'{evil}"
    if prefix.strip():
        assert {r["reviewer"] for r in p1} == {f"'{prefix}alice", "bob"}
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    outlets = csv_rows(text_of(campaign, "outlets.csv"))
    assert {r["outlet"] for r in outlets} == {f"'{prefix}Alpha", "Beta"}
    documents = csv_rows(text_of(campaign, "documents.csv"))
    assert documents[0]["title"] == f"'{prefix}D1" and documents[0]["outlet"] == f"'{prefix}Alpha"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(-(10**6), 10**6),
            st.text(
                alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc"))
            ),
            st.lists(st.text(min_size=1, max_size=5), max_size=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fast_csv_fields_write_what_csv_writer_writes_of_safe_cells(values):
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(";".join(v) if isinstance(v, list) else v) for v in values])
    ours = (
        ",".join(str(v) if isinstance(v, int) else exports._csv_field(v) for v in values) + "\r\n"
    )
    assert ours == out.getvalue() or (
        len(values) == 1 and out.getvalue() == '""\r\n' and ours == "\r\n"
    )


def test_anonymised_exports_name_nobody_and_use_the_same_pseudonyms_everywhere(small, users):
    campaign, _ = small
    texts = {kind: text_of(campaign, kind, anonymise=True) for kind in exports.KINDS}
    for kind, text in texts.items():
        for name in ("alice", "bob", "carol"):
            assert name not in text, (kind, name)
    alice, bob, carol = (reports.pseudonym(users[n].pk) for n in ("alice", "bob", "carol"))
    rows = csv_rows(texts["annotations.csv"])
    assert {r["reviewer"] for r in rows} == {alice, bob, ""}
    assert {r["adjudicator"] for r in rows} == {carol, ""}
    records = [json.loads(line) for line in texts["annotations.jsonl"].splitlines()]
    assert [r["reviewer"] for r in records] == [r["reviewer"] or None for r in rows]
    assert {r["reviewer"] for r in csv_rows(texts["reviewers.csv"])} == {alice, bob}
    assert (
        text_of(campaign, "annotations.csv", anonymise=True) == texts["annotations.csv"]
    )  # stable


def test_jsonl_has_one_object_per_row_with_json_types(small):
    campaign, passages = small
    lines = text_of(campaign, "annotations.jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 14 and all(list(r) == exports.ANNOTATION_COLUMNS for r in records)
    p2 = [r for r in records if r["passage_id"] == passages["p2"].pk]
    assert all(
        isinstance(r["annotation_id"], int) and r["markers"] == ["loaded_language"] for r in p2
    )
    assert {r["cited_source"] for r in p2} == {
        '=HYPERLINK("x")',
        "officials",
    }  # JSON is not neutralised
    blank = next(r for r in records if r["passage_id"] == passages["p5"].pk)
    assert (
        blank["annotation_id"] is None
        and blank["markers"] is None
        and blank["final_markers"] is None
    )
    p3 = next(r for r in records if r["passage_id"] == passages["p3"].pk)
    assert (
        p3["final_markers"] == ["emotional_appeal", "loaded_language"]
        and p3["adjudicator"] == "carol"
    )


def test_download_streams_with_its_file_name(client, small, users, monkeypatch):
    campaign, _ = small
    monkeypatch.setattr(exports, "FLUSH_ROWS", 3)
    login(client, users["carol"])
    response = client.get(reverse("annotate:export", args=[campaign.slug, "annotations.csv"]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="small-annotations.csv"'
    chunks = list(response.streaming_content)
    assert len(chunks) >= 5  # 15 lines, three rows at a time
    assert b"".join(chunks).decode() == text_of(campaign, "annotations.csv")
    response = client.get(
        reverse("annotate:export", args=[campaign.slug, "annotations.jsonl"]), {"anonymise": "1"}
    )
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="small-anonymised-annotations.jsonl"'
    )


def test_annotations_of_a_passage_that_lost_its_first_place_are_still_exported(small):
    campaign, passages = small
    Assignment.objects.filter(campaign=campaign, passage=passages["p1"], slot=1).update(slot=7)
    rows = csv_rows(text_of(campaign, "annotations.csv"))
    assert len(rows) == 14
    p1 = [r for r in rows if r["passage_id"] == str(passages["p1"].pk)]
    assert len(p1) == 2 and {r["text"] for r in p1} == {passages["p1"].text}
    assert {r["final_status"] for r in p1} == {"unanimous"}
    report = reports.outlet_report_frame(campaign, n_boot=0).set_index("outlet")
    assert report.loc["Alpha", "passages"] == 5 and report.loc["Alpha", "annotations"] == 8


def recompute_outlets(rows: pd.DataFrame) -> pd.DataFrame:
    """The per-outlet figures from annotations.csv alone, as a reader with a spreadsheet would."""
    out = {}
    for outlet, g in rows.groupby("outlet"):
        passages = g.drop_duplicates("passage_id")
        resolved = passages[passages["final_status"] != "unresolved"]
        labelled = g.dropna(subset=["annotation_id"])
        claims = resolved[resolved["final_label"] == "attributed_claim"]
        markers = (
            resolved["final_markers"].fillna("").map(lambda m: len(m.split(";")) if m else 0).sum()
        )
        paired = labelled.groupby("passage_id").filter(lambda p: len(p) >= 2)
        table = paired.pivot(index="reviewer", columns="passage_id", values="label")
        codes = table.apply(lambda c: c.map({v: i for i, v in enumerate(LABELS)})).astype(float)
        row = {
            "documents": passages["document_id"].nunique(),
            "documents_resolved": resolved["document_id"].nunique(),
            "passages": len(passages),
            "reviewers": labelled["reviewer"].nunique(),
            "annotations": len(labelled),
            "unannotated": int(passages["annotation_id"].isna().sum()),
            "resolved": len(resolved),
            "adjudicated": int((passages["final_status"] == "adjudicated").sum()),
            "unanimous": int((passages["final_status"] == "unanimous").sum()),
            "claims": len(claims),
            "anonymous_claims": int((claims["final_cited_type"] == "anonymous").sum()),
            "final_markers": markers,
            "markers_per_100": 100 * markers / len(resolved),
            "alpha": krippendorff.alpha(
                reliability_data=codes.to_numpy(), level_of_measurement="nominal"
            ),
        }
        row["unresolved"] = row["passages"] - row["resolved"]
        for label in LABELS:
            row[f"final_{label}"] = int((resolved["final_label"] == label).sum())
            row[f"share_{label}"] = row[f"final_{label}"] / len(resolved)
        row["anonymous_claim_share"] = (
            row["anonymous_claims"] / row["claims"] if row["claims"] else np.nan
        )
        row["adjudicated_share"] = row["adjudicated"] / row["passages"]
        row["unresolved_share"] = row["unresolved"] / row["passages"]
        out[outlet] = row
    return pd.DataFrame(out).T


def test_every_per_outlet_figure_can_be_recomputed_from_the_annotation_export(small):
    campaign, _ = small
    rows = pd.read_csv(
        io.StringIO(text_of(campaign, "annotations.csv")),
        keep_default_na=False,
        na_values={"annotation_id": [""], "final_markers": [""]},
    )
    mine = recompute_outlets(rows)
    report = pd.read_csv(io.StringIO(text_of(campaign, "outlets.csv"))).set_index("outlet")
    for column in mine.columns:
        for outlet in mine.index:
            want, got = float(mine.loc[outlet, column]), float(report.loc[outlet, column])
            assert (np.isnan(want) and np.isnan(got)) or want == pytest.approx(got), (
                outlet,
                column,
            )


def test_reviewer_time_spent_can_be_recomputed_from_the_annotation_export(small):
    campaign, _ = small
    rows = pd.read_csv(io.StringIO(text_of(campaign, "annotations.csv"))).dropna(
        subset=["annotation_id"]
    )
    seconds = (
        pd.to_datetime(rows["done_at"]) - pd.to_datetime(rows["claimed_at"])
    ).dt.total_seconds()
    spent = seconds.clip(0, 600).groupby(rows["reviewer"]).sum()
    report = pd.read_csv(io.StringIO(text_of(campaign, "reviewers.csv"))).set_index("reviewer")
    assert spent.to_dict() == pytest.approx(report["time_spent_s"].to_dict())


def test_unknown_export_kind_is_refused(small):
    campaign, _ = small
    with pytest.raises(ValueError, match="unknown export"):
        exports.export(campaign, "secrets.csv")
