"""Span agreement and agreement per guidelines version on the agreement page and in its CSVs
(annotate/agreement/views.py, span_selectors.py)."""

import csv
import io
import math
import re

import krippendorff
import numpy as np
import pytest
from django.urls import reverse

from annotate.agreement.span_selectors import LAYER_COLUMNS, PAIR_COLUMNS, VERSION_COLUMNS
from annotate.models import Annotation
from tests.annotate.test_frames_spans import answer, span
from tests.conftest import login, make_campaign

NAN = re.compile(r"\bnan\b", re.IGNORECASE)
# The words and marks the span measures count as tokens, written out here again.
TOKEN = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")


def dashboard(client, campaign):
    return client.get(reverse("annotate:agreement", args=[campaign.slug]))


def download(client, campaign, table):
    response = client.get(reverse("annotate:agreement_csv", args=[campaign.slug, table]))
    assert response.status_code == 200, table
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def save(campaign, reviewer, label="opinion", make_spans=lambda passage: []):
    """Claim the reviewer's next passage and answer it; returns the passage."""
    from annotate.queue import services
    from corpus.models import Passage

    assignment = services.claim_next(campaign, reviewer)
    passage = Passage.objects.get(pk=assignment.passage_id)
    spans = make_spans(passage)
    cited = "named_person" if any(s["layer"] == "source" for s in spans) else ""
    markers = sorted({s["label"] for s in spans if s["layer"] == "loaded"})
    services.save_annotation(
        campaign,
        reviewer,
        assignment.pk,
        answer(label=label, spans=spans, cited_type=cited, markers=markers),
    )
    return passage


# The hand-worked case: alice and bob answer the first two passages.
#   first passage:  both mark word 0 as a named person (an exact match);
#                   alice marks words 2-3 as loaded language, bob word 3 (an overlap only).
#   second passage: alice marks nothing, bob marks word 1 as an official body.
# Cited source: alice 1 span, bob 2, one exact (and overlapping) match: F1 = 2*1/3 both ways.
# Loaded language: 1 span each, no exact match (F1 0), one overlapping match (F1 1).
ALICE = {
    0: [("source", "named_person", 0, 0), ("loaded", "loaded_language", 2, 3)],
    1: [],
}
BOB = {
    0: [("source", "named_person", 0, 0), ("loaded", "loaded_language", 3, 3)],
    1: [("source", "official_body", 1, 1)],
}


def marks(plan, index):
    return lambda passage: [span(passage, *spec) for spec in plan[index]]


@pytest.fixture
def marked(campaign, users):
    passages = [save(campaign, users["alice"], make_spans=marks(ALICE, i)) for i in range(2)]
    again = [save(campaign, users["bob"], make_spans=marks(BOB, i)) for i in range(2)]
    assert again == passages
    campaign.passages = passages
    return campaign


def reference_token_alpha(passages, plans, layer):
    """Code every token of the passages by hand for each reviewer and ask krippendorff."""
    codes, columns = {}, []
    for index, passage in enumerate(passages):
        for m in TOKEN.finditer(passage.text):
            start, end = passage.start + m.start(), passage.start + m.end()
            column = []
            for plan in plans:
                labels = sorted(
                    s["label"]
                    for s in (span(passage, *spec) for spec in plan[index])
                    if s["layer"] == layer and s["start"] < end and start < s["end"]
                )
                code = "+".join(labels) if labels else "none"
                column.append(codes.setdefault(code, len(codes)))
            columns.append(column)
    data = np.array(columns, dtype=float).T
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def section(html, marker):
    return html.split(marker, 1)[1].split("</table>", 1)[0]


def test_page_shows_span_agreement_per_layer_with_token_alpha_and_f1(client, marked, users):
    source_alpha = reference_token_alpha(marked.passages, [ALICE, BOB], "source")
    loaded_alpha = reference_token_alpha(marked.passages, [ALICE, BOB], "loaded")
    assert 0 < loaded_alpha < source_alpha < 1
    login(client, users["carol"])
    html = dashboard(client, marked).content.decode()
    assert "Span agreement" in html and "No spans yet" not in html
    table = section(html, 'id="table-spans"')
    source, loaded = table.split("Cited source", 1)[1].split("Loaded language", 1)
    assert f"{source_alpha:.3f}" in source and f"{loaded_alpha:.3f}" in loaded
    # Cited source: F1 exact and overlap 2/3, 3 spans on 2 passages.
    assert re.findall(r">([\d.]+)<", source) == [f"{source_alpha:.3f}", "0.667", "0.667", "3", "2"]
    # Loaded language: F1 exact 0, overlap 1, 2 spans on 1 passage.
    assert re.findall(r">([\d.]+)<", loaded) == [f"{loaded_alpha:.3f}", "0.000", "1.000", "2", "1"]
    for sentence in ("over tokens", "exact match", "share at least one character"):
        assert sentence in html
    assert "marked nothing in a layer says that the passage has no span" in html
    assert 'id="table-versions"' not in html  # one guidelines version only
    assert not NAN.search(html)


def test_span_csv_has_every_layer_at_full_precision(client, marked, users):
    login(client, users["mike"])
    header, rows = download(client, marked, "spans")
    assert header == LAYER_COLUMNS
    source, loaded = rows
    assert source["layer"] == "source" and loaded["layer"] == "loaded"
    expected = reference_token_alpha(marked.passages, [ALICE, BOB], "source")
    assert math.isclose(float(source["token_alpha"]), expected, abs_tol=1e-12)
    assert math.isclose(float(source["f1_exact"]), 2 / 3, abs_tol=1e-15)
    assert len(source["f1_exact"]) > 6  # not rounded
    assert (source["spans"], source["passages"], source["compared_spans"]) == ("3", "2", "3")
    assert float(loaded["f1_exact"]) == 0.0 and float(loaded["f1_overlap"]) == 1.0
    assert (loaded["spans"], loaded["passages"]) == ("2", "1")
    assert source["token_alpha_note"] == source["f1_note"] == ""


def test_pairwise_span_csv_has_precision_recall_and_f1_per_layer_and_pair(client, marked, users):
    login(client, users["carol"])
    header, rows = download(client, marked, "span_pairs")
    assert header == PAIR_COLUMNS
    by_layer = {row["layer"]: row for row in rows}
    assert len(rows) == 2 and set(by_layer) == {"source", "loaded"}
    source, loaded = by_layer["source"], by_layer["loaded"]
    assert (source["reviewer_a"], source["reviewer_b"]) == ("alice", "bob")
    # alice's 1 source span against bob's 2: one match.
    assert (source["passages"], source["spans_a"], source["spans_b"]) == ("2", "1", "2")
    assert source["matched_exact"] == source["matched_overlap"] == "1"
    assert float(source["precision_exact"]) == 1.0 and float(source["recall_exact"]) == 0.5
    assert math.isclose(float(source["f1_overlap"]), 2 / 3, abs_tol=1e-15)
    # Loaded: words 2-3 against word 3 match only when overlapping.
    assert (loaded["matched_exact"], loaded["matched_overlap"]) == ("0", "1")
    assert float(loaded["precision_exact"]) == float(loaded["recall_exact"]) == 0.0
    assert float(loaded["f1_exact"]) == 0.0
    assert float(loaded["precision_overlap"]) == float(loaded["recall_overlap"]) == 1.0


def test_campaign_without_spans_says_so_plainly(client, campaign, users):
    for reviewer in (users["alice"], users["bob"]):
        save(campaign, reviewer)
    login(client, users["carol"])
    html = dashboard(client, campaign).content.decode()
    assert "No spans yet: no reviewer has marked a cited source or loaded language" in html
    assert 'id="table-spans"' not in html
    header, rows = download(client, campaign, "spans")
    assert [row["spans"] for row in rows] == ["0", "0"]
    assert {row["token_alpha"] for row in rows} == {""}
    assert {row["token_alpha_note"] for row in rows} == {"no spans marked in this layer"}


def test_a_layer_without_spans_reads_undefined_with_the_reason(client, campaign, users):
    for reviewer in (users["alice"], users["bob"]):
        save(campaign, reviewer, make_spans=lambda p: [span(p, "source", "named_person", 0)])
    login(client, users["carol"])
    html = dashboard(client, campaign).content.decode()
    loaded = section(html, 'id="table-spans"').split("Loaded language", 1)[1]
    assert "undefined" in loaded and "no spans marked in this layer" in loaded
    assert not NAN.search(html)


# Agreement per guidelines version. Labels per passage, in reading order; the campaign moves
# to version 2 after bob's fourth answer, so his fifth (passage 5) is made under version 2
# while alice's was under version 1; passages 1-2 are then marked as saved before versions
# were recorded.
F, C, OP = "sourced_fact", "attributed_claim", "opinion"
ALICE_LABELS = [F, C, OP, OP, OP, OP, OP, F, C]
BOB_LABELS = [F, C, OP, F, F, OP, F, F, C]


@pytest.fixture
def versioned(campaign, users):
    alice, bob = users["alice"], users["bob"]
    passages = [save(campaign, alice, label) for label in ALICE_LABELS[:5]]
    assert [save(campaign, bob, label) for label in BOB_LABELS[:4]] == passages[:4]
    campaign.guidelines_version = 2
    campaign.save(update_fields=["guidelines_version"])
    assert save(campaign, bob, BOB_LABELS[4]) == passages[4]
    for a, b in zip(ALICE_LABELS[5:], BOB_LABELS[5:], strict=True):
        passages.append(save(campaign, alice, a))
        assert save(campaign, bob, b) == passages[-1]
    Annotation.objects.filter(assignment__passage__in=passages[:2]).update(guidelines_version=None)
    return campaign


def reference_alpha(positions):
    data = [
        [[F, C, OP].index(labels[i]) for i in positions] for labels in (ALICE_LABELS, BOB_LABELS)
    ]
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def test_page_shows_passage_type_alpha_per_guidelines_version(client, versioned, users):
    expected = {
        "unrecorded": (4, 2, reference_alpha([0, 1])),
        "1": (5, 2, reference_alpha([2, 3])),
        "2": (9, 4, reference_alpha([5, 6, 7, 8])),
    }
    assert expected["unrecorded"][2] == 1.0 and expected["1"][2] == 0.0
    login(client, users["carol"])
    html = dashboard(client, versioned).content.decode()
    table = section(html, 'id="table-versions"')
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    assert [c[0].strip() for c in cells] == ["unrecorded", "1", "2"]
    for c in cells:
        annotations, passages, alpha = expected[c[0].strip()]
        assert c[1].strip() == str(annotations) and c[2].strip() == str(passages)
        assert c[3].strip() == str(passages)  # every such passage has both reviewers
        assert c[4].strip() == f"{alpha:.3f}"
    assert "Only passages whose answers were all made under a version count" in html
    assert "1 passage answered under more than one version counts for none" in html
    assert not NAN.search(html)


def test_versions_csv_has_the_same_figures_at_full_precision(client, versioned, users):
    login(client, users["mike"])
    header, rows = download(client, versioned, "versions")
    assert header == VERSION_COLUMNS
    assert [row["version"] for row in rows] == ["unrecorded", "1", "2"]
    assert [row["annotations"] for row in rows] == ["4", "5", "9"]
    assert [row["passages"] for row in rows] == ["2", "2", "4"]
    assert math.isclose(float(rows[2]["alpha"]), reference_alpha([5, 6, 7, 8]), abs_tol=1e-12)
    assert math.isclose(
        float(rows[2]["percent_agreement"]), 3 / 4, abs_tol=1e-15
    )  # 3 of the 4 passages agree


def test_versions_table_is_hidden_while_only_one_version_is_recorded(client, campaign, users):
    for reviewer in (users["alice"], users["bob"]):
        save(campaign, reviewer)
    Annotation.objects.filter(assignment__reviewer=users["alice"]).update(guidelines_version=None)
    login(client, users["carol"])
    html = dashboard(client, campaign).content.decode()
    assert 'id="table-versions"' not in html
    header, rows = download(client, campaign, "versions")
    assert [row["version"] for row in rows] == ["unrecorded", "1"]


def label_many(campaign, reviewers, count):
    """Each reviewer answers ``count`` passages, marking the first word as a named person."""
    for reviewer in reviewers:
        for _ in range(count):
            save(campaign, reviewer, make_spans=lambda p: [span(p, "source", "named_person", 0)])


def test_page_query_count_does_not_grow_with_spans_or_versions(
    client, seed_corpus, users, django_assert_max_num_queries
):
    few = make_campaign("Few", seed_corpus, users, overlap=2)
    many = make_campaign("Many", seed_corpus, users, overlap=3)
    label_many(few, [users["alice"], users["bob"]], 2)
    label_many(many, [users["alice"], users["bob"]], 10)
    many.guidelines_version = 2
    many.save(update_fields=["guidelines_version"])
    label_many(many, [users["dave"]], 20)
    login(client, users["carol"])
    dashboard(client, few)  # warm caches (content types, sessions)
    for campaign in (few, many):
        with django_assert_max_num_queries(14):  # +1: is the campaign small enough to compute now
            html = dashboard(client, campaign).content.decode()
        assert 'id="table-spans"' in html
    assert 'id="table-versions"' in html


@pytest.mark.parametrize("name", ["alice", "olga"])
@pytest.mark.parametrize("table", ["spans", "span_pairs", "versions"])
def test_reviewers_and_non_members_get_404_for_the_span_csvs(
    client, marked, other_campaign, users, name, table
):
    login(client, users[name])
    url = reverse("annotate:agreement_csv", args=[marked.slug, table])
    assert client.get(url).status_code == 404
    assert dashboard(client, marked).status_code == 404


def test_span_csvs_are_linked_from_the_page(client, marked, users):
    login(client, users["carol"])
    html = dashboard(client, marked).content.decode()
    for table in ("spans", "span_pairs"):
        assert reverse("annotate:agreement_csv", args=[marked.slug, table]) in html
