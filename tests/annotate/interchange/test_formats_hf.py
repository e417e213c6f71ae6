"""The Hugging Face dataset folder: data/train.jsonl of every passage with its final answer and
spans (offsets in the passage text), and a README.md dataset card whose YAML front matter
declares the data file and its features, as `datasets.load_dataset(folder)` reads them."""

import io
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from annotate.adjudication import services as adjudication
from annotate.interchange.formats import hf_dataset
from annotate.interchange.selectors import export_records, vocabulary
from corpus.models import Passage
from tests.annotate.interchange.roundtrip_support import label_campaign, measures, word_span
from tests.conftest import make_campaign


@pytest.fixture
def labelled(seed_corpus, users):
    campaign = make_campaign("Source study", seed_corpus, users, overlap=3)
    label_campaign(campaign, users, 6)
    first = Passage.objects.get(pk=export_records(campaign)[0].passage)
    adjudication.decide(
        campaign,
        users["carol"],
        first.pk,
        {
            "label": "attributed_claim",
            "cited_type": "official_body",
            "cited_source": "The ministry",
            "spans": [word_span(first, 0, "source", "official_body"), word_span(first, 2)],
            "markers": ["loaded_language"],
            "rationale": "the ministry is quoted",
        },
    )
    return campaign


def front_matter(readme: str) -> dict:
    assert readme.startswith("---\n")
    head, _, _ = readme[4:].partition("\n---\n")
    return yaml.safe_load(head)


def export(campaign, folder):
    call_command(
        "export_campaign",
        str(folder),
        "--campaign",
        campaign.slug,
        "--format",
        "hf",
        stdout=io.StringIO(),
    )
    rows = [json.loads(line) for line in (folder / "data" / "train.jsonl").read_text().splitlines()]
    return rows, (folder / "README.md").read_text(encoding="utf-8")


def test_the_dataset_has_one_row_per_passage_with_its_final_answer_and_relative_spans(
    labelled, tmp_path
):
    rows, _ = export(labelled, tmp_path / "dataset")
    annotatable = Passage.objects.filter(document__campaigndocument__campaign=labelled).exclude(
        kind=Passage.Kind.BOILERPLATE
    )
    assert sorted(r["passage_id"] for r in rows) == sorted(p.pk for p in annotatable)
    names = [name for name, _, _ in hf_dataset.ROW_FEATURES]
    assert all(list(r) == names for r in rows)
    finals = {item: (label, status) for item, label, status in measures(labelled)["finals"]}
    for row in rows:
        label, status = finals.get(row["passage_id"], (None, "unresolved"))
        assert (row["label"] or None, row["final_status"]) == (label, status)
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
    decided = next(r for r in rows if r["final_status"] == "adjudicated")
    assert (decided["label"], decided["label_name"], decided["cited_type"]) == (
        "attributed_claim",
        "Attributed claim",
        "official_body",
    )
    assert decided["cited_source"] == "The ministry" and decided["markers"] == ["loaded_language"]
    assert [(s["layer"], s["label"]) for s in decided["spans"]] == [
        ("source", "official_body"),
        ("loaded", "loaded_language"),
    ]
    assert decided["spans"][0]["start"] == 0 and decided["annotations"] == 3
    assert any(r["final_status"] == "unanimous" and r["spans"] == [] for r in rows)


def test_the_dataset_card_declares_the_data_file_and_its_features(labelled, tmp_path):
    folder = tmp_path / "dataset"
    rows, readme = export(labelled, folder)
    meta = front_matter(readme)
    assert meta["license"] == "other"
    (config,) = meta["configs"]
    assert config["config_name"] == "default"
    (split,) = config["data_files"]
    assert split["split"] == "train" and (folder / split["path"]).is_file()
    features = meta["dataset_info"]["features"]
    assert [f["name"] for f in features] == list(rows[0])
    by_name = {f["name"]: f for f in features}
    assert by_name["passage_id"]["dtype"] == "int64" and by_name["text"]["dtype"] == "string"
    assert by_name["markers"]["sequence"] == "string"
    assert [f["name"] for f in by_name["spans"]["list"]] == [
        "layer",
        "label",
        "start",
        "end",
        "text",
    ]
    assert meta["dataset_info"]["splits"] == [{"name": "train", "num_examples": len(rows)}]
    assert "load_dataset" in readme and "Attributed claim" in readme


def test_jsonl_is_written_unless_pyarrow_is_installed(labelled, monkeypatch):
    records, words = export_records(labelled), vocabulary(labelled)
    monkeypatch.setattr(hf_dataset, "have_pyarrow", lambda: False)
    files = hf_dataset.files(records, words, "Study")
    assert sorted(files) == ["README.md", "data/train.jsonl"]
    assert "path: data/train.jsonl" in files["README.md"]
    assert len(files["data/train.jsonl"].splitlines()) == len(records)


def test_export_command_refuses_an_unknown_campaign(db, tmp_path):
    with pytest.raises(CommandError, match="No campaign called 'Nope'"):
        call_command("export_campaign", str(tmp_path), "--campaign", "Nope", "--format", "hf")
