"""annotate.reports: every column of the three reports worked out by hand on a small campaign
(tests/annotate/report_support.py describes it), the final-label rules on real rows, and a
scripted annotation run on the seed campaign."""

import math

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from annotate.agreement import bootstrap_alpha
from annotate.queue import services
from annotate.reports import selectors as reports
from annotate.reports.outlet_figures import sensitivity_names
from annotate.reports.reliability import INITIAL, RATING, report_columns
from tests.annotate.report_support import CLAIM, FACT, OPINION, small_campaign


def wilson(k, n):
    return proportion_confint(k, n, alpha=0.05, method="wilson")


@pytest.fixture
def small(users):
    return small_campaign(users)[0]


def by(frame, column):
    return {row[column]: row for row in frame.to_dict("records")}


def test_outlet_report_has_every_column_in_order(small):
    report = reports.outlet_report_frame(small, n_boot=50)
    labels = [FACT, CLAIM, OPINION]
    assert list(report.columns) == report_columns(labels, "outlet") + sensitivity_names(labels) + [
        "claims_covered",
        "claims_diverging",
        "claims_unattributed",
    ]
    assert list(report["outlet"]) == ["Alpha", "Beta"]


def test_outlet_alpha_counts_and_shares_by_hand(small):
    alpha = by(reports.outlet_report_frame(small, n_boot=200), "outlet")["Alpha"]
    counts = {
        k: alpha[k]
        for k in (
            "documents",
            "documents_resolved",
            "passages",
            "reviewers",
            "annotations",
            "unannotated",
            "resolved",
            "adjudicated",
            "unanimous",
            "unresolved",
            "claims",
            "anonymous_claims",
            "final_markers",
        )
    }
    assert counts == {
        "documents": 2,
        "documents_resolved": 2,
        "passages": 5,
        "reviewers": 2,
        "annotations": 8,
        "unannotated": 1,
        "resolved": 4,
        "adjudicated": 1,
        "unanimous": 3,
        "unresolved": 1,
        "claims": 2,
        "anonymous_claims": 1,
        "final_markers": 3,
    }
    # p1 fact; p2 and p4 claims; p3 opinion (adjudicated): of 4 resolved passages.
    for label, k in ((FACT, 1), (CLAIM, 2), (OPINION, 1)):
        assert alpha[f"final_{label}"] == k
        assert alpha[f"share_{label}"] == pytest.approx(k / 4)
        low, high = wilson(k, 4)
        assert alpha[f"share_{label}_low"] == pytest.approx(low)
        assert alpha[f"share_{label}_high"] == pytest.approx(high)
    # p2's claim cites an anonymous source; p4's reviewers split named person / anonymous.
    assert alpha["anonymous_claim_share"] == pytest.approx(0.5)
    assert (
        alpha["anonymous_claim_share_low"],
        alpha["anonymous_claim_share_high"],
    ) == pytest.approx(wilson(1, 2))
    assert alpha["markers_per_100"] == pytest.approx(
        75.0
    )  # p2: 1 marker, p3: 2 markers; 4 resolved
    assert alpha["adjudicated_share"] == pytest.approx(1 / 5)
    assert alpha["unresolved_share"] == pytest.approx(1 / 5)
    assert alpha["confidence"] == INITIAL


def test_outlet_alpha_and_its_interval_by_hand(small, users):
    alpha = by(reports.outlet_report_frame(small, n_boot=200), "outlet")["Alpha"]
    # Paired passages p1 (F,F), p2 (C,C), p3 (O,F), p4 (C,C): n = 8, n_F = 3, n_C = 4, n_O = 1;
    # disagreeing coincidences o_OF + o_FO = 2, so alpha = 1 - 7 * 2 / (64 - 9 - 16 - 1) = 24/38.
    assert alpha["alpha"] == pytest.approx(24 / 38)
    assert alpha["alpha_note"] == ""
    rows = [
        (p, r, label)
        for p, r, label, doc in [
            ("p1", "a", FACT, "D1"),
            ("p1", "b", FACT, "D1"),
            ("p2", "a", CLAIM, "D1"),
            ("p2", "b", CLAIM, "D1"),
            ("p3", "a", OPINION, "D1"),
            ("p3", "b", FACT, "D1"),
            ("p4", "a", CLAIM, "D2"),
            ("p4", "b", CLAIM, "D2"),
        ]
    ]
    frame = pd.DataFrame(rows, columns=["item", "annotator", "label"])
    frame["document"] = ["D1"] * 6 + ["D2"] * 2
    expected = bootstrap_alpha(frame, n=200, seed=0, cluster="document")
    assert (alpha["alpha_low"], alpha["alpha_high"]) == pytest.approx((expected.low, expected.high))


def test_outlet_beta_by_hand_with_undefined_figures(small):
    beta = by(reports.outlet_report_frame(small, n_boot=200), "outlet")["Beta"]
    assert (
        beta["documents"],
        beta["documents_resolved"],
        beta["passages"],
        beta["reviewers"],
        beta["annotations"],
    ) == (1, 1, 3, 2, 5)
    assert (
        beta["unannotated"],
        beta["resolved"],
        beta["adjudicated"],
        beta["unanimous"],
        beta["unresolved"],
    ) == (0, 1, 0, 1, 2)
    assert (beta[f"final_{OPINION}"], beta[f"share_{OPINION}"]) == (1, 1.0)
    assert (beta[f"share_{OPINION}_low"], beta[f"share_{OPINION}_high"]) == pytest.approx(
        wilson(1, 1)
    )
    assert beta[f"share_{FACT}"] == 0.0 and beta["claims"] == 0
    assert math.isnan(beta["anonymous_claim_share"])  # no claims: undefined, not 0
    assert (
        beta["final_markers"] == 0 and beta["markers_per_100"] == 0.0
    )  # p6's marker: 1 of 2 reviewers
    # p6 (O,O), p8 (C,O); p7 has one reviewer. n = 4, n_O = 3, n_C = 1: alpha = 1 - 3 * 2 / (16 - 10) = 0.
    assert beta["alpha"] == pytest.approx(0.0)
    # One document: the interval resamples passages, and the note says so.
    assert "resamples passages, not documents" in beta["alpha_note"]
    assert beta["unresolved_share"] == pytest.approx(2 / 3) and beta["adjudicated_share"] == 0.0


def test_with_auto_accept_off_only_the_curators_decision_is_final(users):
    campaign, _ = small_campaign(users, auto_accept=False)
    report = by(reports.outlet_report_frame(campaign, n_boot=0), "outlet")
    alpha, beta = report["Alpha"], report["Beta"]
    assert (alpha["resolved"], alpha["adjudicated"], alpha["unanimous"], alpha["unresolved"]) == (
        1,
        1,
        0,
        4,
    )
    assert alpha[f"share_{OPINION}"] == 1.0 and alpha["final_markers"] == 2
    assert (beta["resolved"], beta["unresolved"]) == (0, 3)
    assert math.isnan(beta[f"share_{OPINION}"]) and math.isnan(beta["markers_per_100"])
    # Agreement does not depend on final labels.
    assert alpha["alpha"] == pytest.approx(24 / 38)


def test_final_labels_of_the_small_campaign(small):
    data = reports.load(small)
    names = {
        p: n for n, p in zip(data.passages["item"], [f"p{i}" for i in range(1, 9)], strict=True)
    }
    finals = data.finals.set_index("item")
    status = {
        name: finals.loc[item, "status"] if item in finals.index else "absent"
        for name, item in names.items()
    }
    assert status == {
        "p1": "unanimous",
        "p2": "unanimous",
        "p3": "adjudicated",
        "p4": "unanimous",
        "p5": "absent",
        "p6": "unanimous",
        "p7": "unresolved",
        "p8": "unresolved",
    }
    assert finals.loc[names["p2"], "final_cited_type"] == "anonymous"
    assert finals.loc[names["p2"], "final_markers"] == ["loaded_language"]
    assert pd.isna(finals.loc[names["p4"], "final_cited_type"])  # 1 of 2 each: no majority
    assert finals.loc[names["p3"], "final_markers"] == ["emotional_appeal", "loaded_language"]


def test_document_report_by_hand(small):
    report = reports.document_report_frame(small)
    assert list(report["title"]) == ["D1", "D2", "D3"]  # reading order
    assert list(report["outlet"]) == ["Alpha", "Alpha", "Beta"]
    d1, d2, d3 = report.to_dict("records")
    assert (
        d1["passages"],
        d1["annotations"],
        d1["resolved"],
        d1["adjudicated"],
        d1["unresolved"],
    ) == (3, 6, 3, 1, 0)
    for label in (FACT, CLAIM, OPINION):
        assert d1[f"share_{label}"] == pytest.approx(1 / 3)
    assert d1["anonymous_claim_share"] == 1.0 and d1["markers_per_100"] == pytest.approx(100.0)
    # p1 (F,F), p2 (C,C), p3 (O,F): n = 6, n_F = 3, n_C = 2, n_O = 1: alpha = 1 - 5 * 2 / 22.
    assert d1["alpha"] == pytest.approx(12 / 22)
    assert (
        d2["passages"],
        d2["unannotated"],
        d2["resolved"],
        d2["claims"],
        d2["anonymous_claims"],
    ) == (2, 1, 1, 1, 0)
    assert d2["anonymous_claim_share"] == 0.0 and d2["unresolved_share"] == 0.5
    assert math.isnan(d2["alpha"]) and d2["alpha_note"] == "everyone used one label"
    assert (d3["passages"], d3["resolved"], d3["alpha"]) == (3, 1, pytest.approx(0.0))
    assert "confidence" not in report and "alpha_low" not in report


def test_reviewer_report_by_hand(small):
    report = by(reports.reviewer_report_frame(small), "reviewer")
    alice, bob = report["alice"], report["bob"]
    # Resolved: p1 F, p2 C, p3 O (curator), p4 C, p6 O. bob said fact on p3.
    assert (alice["annotations"], alice["on_resolved"], alice["agrees_with_final"]) == (7, 5, 5)
    assert (bob["annotations"], bob["on_resolved"], bob["agrees_with_final"]) == (6, 5, 4)
    assert alice["agreement_with_final"] == 1.0 and bob["agreement_with_final"] == pytest.approx(
        0.8
    )
    assert (bob["agreement_with_final_low"], bob["agreement_with_final_high"]) == pytest.approx(
        wilson(4, 5)
    )
    # alice: six passages held 20 s and p7 two hours, capped at ten minutes.
    assert (alice["timed"], alice["time_spent_s"], alice["median_s"]) == (
        7,
        pytest.approx(6 * 20 + 600),
        pytest.approx(20),
    )
    assert (bob["timed"], bob["time_spent_s"], bob["median_s"]) == (
        6,
        pytest.approx(180),
        pytest.approx(30),
    )
    assert set(report) == {"alice", "bob"}


def test_anonymised_reviewer_report_uses_stable_pseudonyms(small, users):
    report = reports.reviewer_report_frame(small, anonymise=True)
    names = set(report["reviewer"])
    assert names == {reports.pseudonym(users["alice"].pk), reports.pseudonym(users["bob"].pk)}
    assert not names & {"alice", "bob"}
    assert all(n.startswith("anon-") and len(n) == 17 for n in names)
    assert reports.pseudonym(users["alice"].pk) != reports.pseudonym(users["bob"].pk)


def test_empty_campaign_reports_have_their_columns_and_no_rows(seed_corpus, users):
    from tests.conftest import make_campaign

    draft = make_campaign("Draft", seed_corpus, users, activate=False)
    assert reports.outlet_report_frame(draft).empty
    assert list(reports.document_report_frame(draft).columns) == reports.document_columns(
        ["sourced_fact", "attributed_claim", "opinion"]
    )
    assert reports.reviewer_report_frame(draft).empty


def scripted_run(campaign, users):
    """alice and bob label every passage of the seed campaign through the queue; their types
    agree on two passages in three."""
    for r, name in enumerate(("alice", "bob")):
        reviewer, i = users[name], 0
        while (assignment := services.claim_next(campaign, reviewer)) is not None:
            kind = [FACT, CLAIM, OPINION][(i + (r if i % 3 == 0 else 0)) % 3]
            services.save_annotation(
                campaign,
                reviewer,
                assignment.pk,
                {
                    "label": kind,
                    "cited_type": "anonymous" if kind == CLAIM else "",
                    "cited_source": "",
                    "markers": ["loaded_language"] if kind == OPINION else [],
                    "confidence": "medium",
                    "note": "",
                },
            )
            i += 1
        assert i > 20


def test_seed_campaign_after_a_scripted_annotation_run_has_five_outlet_rows(
    campaign, users, seed_corpus
):
    scripted_run(campaign, users)
    report = reports.outlet_report_frame(campaign, n_boot=100)
    assert len(report) == 5
    assert sorted(report["outlet"]) == sorted({d.source.name for d in seed_corpus})
    assert (report["unannotated"] == 0).all() and (
        report["annotations"] == 2 * report["passages"]
    ).all()
    assert (report["resolved"] + report["unresolved"] == report["passages"]).all()
    assert (report["resolved"] > 0).all() and (report["unresolved"] > 0).all()
    assert set(report["confidence"]) == {INITIAL} and RATING != INITIAL
