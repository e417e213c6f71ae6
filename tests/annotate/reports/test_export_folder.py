"""export_report's folder: claims, campaign.json and a data card beside the reports, and every
column of outlets.csv, documents.csv, reviewers.csv and comparisons.csv recomputed from the
folder's files alone, with the database blocked.

The recomputation (``recompute``) reads annotations.csv, claims.csv and campaign.json only.
Counts, shares and the closed-form intervals are worked out here from their documented
formulas, with statsmodels' Wilson interval and the krippendorff package as references; the
bootstrap intervals, the comparisons' replicates and the Dawid-Skene fit come from the pure
modules, called with the settings campaign.json records.
"""

import io
import json
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.urls import reverse
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from annotate.adjudication import services as adjudication
from annotate.agreement import grouped_alpha_interval
from annotate.models import Annotation, Assignment, Claim, ClaimLink
from annotate.reports import clustered, exports
from annotate.reports.comparisons import compare_outlets
from annotate.reports.dawid_skene import dawid_skene
from annotate.reports.reliability import INITIAL, RATING
from corpus.models import Document, Passage, Source
from tests.conftest import login, make_campaign

T0 = datetime(2025, 5, 1, 8, 0, 0, 250_000, tzinfo=UTC)
FACT, CLAIM, OPINION = "sourced_fact", "attributed_claim", "opinion"
TYPES = [FACT, CLAIM, OPINION]
LAYOUT = {"North": (16, 2), "South": (12, 2), "Solo": (1, 3)}  # outlet: (documents, passages)
REVIEWERS = ["alice", "bob", "dave"]
SETTINGS_KEYS = {
    "campaign",
    "slug",
    "scheme",
    "overlap",
    "auto_accept_unanimous",
    "blind_outlet",
    "queue_order",
    "queue_block",
    "queue_seed",
    "alpha_interval",
    "share_intervals",
    "comparisons",
    "dawid_skene",
    "rating",
    "time_cap_seconds",
    "software_version",
    "exported_at",
}


# ------------------------------------------------------------------------------ the campaign


def build_corpus():
    documents = []
    for outlet, (n_documents, n_passages) in LAYOUT.items():
        source = Source.objects.create(name=outlet, slug=outlet.lower())
        for d in range(n_documents):
            sentences = [f"{outlet} article {d}, sentence {i}." for i in range(n_passages)]
            document = Document.objects.create(
                source=source, title=f"{outlet} {d}", text=" ".join(sentences)
            )
            start = 0
            for position, sentence in enumerate(sentences):
                Passage.objects.create(
                    document=document,
                    position=position,
                    start=start,
                    end=start + len(sentence),
                    text=sentence,
                )
                start += len(sentence) + 1
            documents.append(document)
    return documents


def plan_answers(passages, rng):
    """{passage id: {reviewer: answer or None}}: mostly the passage's true type, now and then
    another, now and then a skip; one North passage only alice labels, one South passage
    nobody."""
    plan = {}
    for i, passage in enumerate(passages):
        truth = TYPES[rng.integers(3)]
        cited = {FACT: "document", CLAIM: ["anonymous", "named_person"][i % 2], OPINION: ""}
        where = (passage.document.title, passage.position)
        answers = {}
        for r, name in enumerate(REVIEWERS):
            nobody, alone = where == ("South 11", 1), where == ("North 3", 1) and r > 0
            if nobody or alone or (i + 3 * r) % 11 == 0:
                answers[name] = None
                continue
            label = truth if rng.random() < 0.75 else TYPES[rng.integers(3)]
            markers = [
                m
                for m, p in (("loaded_language", 0.2), ("one_sided_framing", 0.1))
                if rng.random() < p
            ]
            answers[name] = (label, cited[label], markers)
        plan[passage.pk] = answers
    return plan


def label_all(campaign, users, plan, rng):
    """Each reviewer works through the passages in reading order, taking place ``slot`` of
    each and answering by ``plan`` (written straight to the places and annotations the queue
    would leave: a skipped place stays open). Times have fractions of a second; every 23rd
    passage is held for 20 minutes, beyond the time cap."""
    places = list(Assignment.objects.filter(campaign=campaign).order_by("sequence", "slot"))
    done, annotations = [], []
    for slot, name in enumerate(REVIEWERS, start=1):
        clock = T0 + timedelta(microseconds=int(rng.integers(10**6)))
        for place in (p for p in places if p.slot == slot):
            answer = plan[place.passage_id][name]
            if answer is None:
                continue
            label, cited_type, markers = answer
            held = timedelta(
                seconds=int(rng.integers(4, 90)), microseconds=int(rng.integers(10**6))
            )
            if place.sequence % 23 == 5:
                held = timedelta(minutes=20, microseconds=999_999)
            place.reviewer, place.status = users[name], Assignment.Status.DONE
            place.claimed_at, place.done_at = clock, clock + held
            done.append(place)
            annotations.append(
                Annotation(
                    assignment=place,
                    label=label,
                    cited_type=cited_type,
                    cited_source="a spokesman" if label == CLAIM else "",
                    markers=markers,
                    confidence="high",
                )
            )
            clock += held + timedelta(seconds=3, microseconds=int(rng.integers(10**6)))
    Assignment.objects.bulk_update(done, ["reviewer", "status", "claimed_at", "done_at"])
    Annotation.objects.bulk_create(annotations)


def settle(campaign, users, plan):
    """Passages that are not unanimous: the majority accepted in bulk where it can be; a
    curator decides what is left in North and two such passages in South; the rest of South's
    stays unresolved."""
    curator = users["carol"]
    split = [
        pk
        for pk, votes in plan.items()
        if len({a[0] for a in votes.values() if a}) > 1
        or 0 < sum(a is not None for a in votes.values()) < campaign.overlap
    ]
    outlet = dict(Passage.objects.filter(pk__in=split).values_list("pk", "document__source__name"))
    accepted, left = adjudication.accept_majority(campaign, curator, split, now=T0)
    assert accepted and "only one reviewer" in left.values() and "no majority" in left.values()
    north = [pk for pk in left if outlet[pk] == "North"]
    south = [pk for pk in left if outlet[pk] == "South"]
    assert len(south) > 2
    for pk in north + south[:2]:
        adjudication.decide(
            campaign,
            curator,
            pk,
            {"label": OPINION, "rationale": "Agreed with bob: the writer's own view"},
            now=T0 + timedelta(days=1),
        )


def add_claims(campaign, users):
    """Three claims: one whose South figure diverges and is unattributed, one all outlets
    agree on (its North link names a reviewer), one without links; plus a proposed link."""
    north = Passage.objects.filter(document__source__name="North").order_by("pk")
    south = Passage.objects.filter(document__source__name="South").order_by("pk")
    rifles = Claim.objects.create(
        campaign=campaign,
        statement="Rifles left behind",
        primary_value=Decimal("1000"),
        primary_source="Report to Congress",
        created_by=users["carol"],
    )
    aircraft = Claim.objects.create(
        campaign=campaign, statement="Aircraft left behind", created_by=users["carol"]
    )
    Claim.objects.create(campaign=campaign, statement="Bases closed", created_by=users["carol"])
    accepted = {"status": "accepted", "proposed_by": users["alice"], "decided_by": users["carol"]}
    for claim, passage, value, attributed, to in (
        (rifles, north[0], "1000", True, "the Pentagon"),
        (rifles, south[0], "5000", False, ""),
        (aircraft, north[1], "78", True, "Robert, as bob put it"),
        (aircraft, south[1], "78", True, "officials"),
    ):
        ClaimLink.objects.create(
            claim=claim,
            passage=passage,
            value=Decimal(value),
            attributed=attributed,
            attributed_to=to,
            **accepted,
        )
    ClaimLink.objects.create(
        claim=aircraft, passage=south[2], value=Decimal("80"), proposed_by=users["bob"]
    )


@pytest.fixture
def reproducible(users):
    """The campaign: three outlets (16, 12 and 1 documents), three reviewers, overlap 3."""
    documents = build_corpus()
    campaign = make_campaign("Reproducible", documents, users, overlap=3)
    passages = list(
        Passage.objects.filter(assignments__campaign=campaign, assignments__slot=1)
        .select_related("document")
        .order_by("assignments__sequence")
    )
    rng = np.random.default_rng(12)
    plan = plan_answers(passages, rng)
    label_all(campaign, users, plan, rng)
    settle(campaign, users, plan)
    add_claims(campaign, users)
    return campaign


@pytest.fixture
def folders(reproducible, tmp_path):
    """{anonymise: the folder export_report wrote}."""
    out = {}
    for anonymise in (False, True):
        out[anonymise] = tmp_path / ("anonymised" if anonymise else "plain")
        flag = ["--anonymise"] if anonymise else []
        call_command(
            "export_report",
            reproducible.slug,
            "--out",
            str(out[anonymise]),
            *flag,
            stdout=io.StringIO(),
        )
    return out


# ------------------------------------------------------------------------------ recomputation


def read_folder(folder):
    """(settings, annotation rows, claim rows, {kind: path}) from the folder's files."""
    folder = Path(folder)
    settings = json.loads(next(folder.glob("*campaign.json")).read_text(encoding="utf-8"))
    prefix = settings["slug"] + ("-anonymised-" if settings["anonymised"] else "-")
    paths = {p.name.removeprefix(prefix): p for p in folder.iterdir()}

    def table(kind):
        return pd.read_csv(paths[kind], dtype=str, keep_default_na=False)

    return settings, table("annotations.csv"), table("claims.csv"), paths


def passage_frames(rows):
    """(passages with their final labels, annotations) as the export's columns hold them."""
    first = rows.drop_duplicates("passage_id")
    passages = pd.DataFrame(
        {
            "item": first["passage_id"].astype(int).to_numpy(),
            "document": first["document_id"].astype(int).to_numpy(),
            "title": first["document_title"].to_numpy(),
            "outlet": first["outlet"].to_numpy(),
            "status": first["final_status"].to_numpy(),
            "final_label": first["final_label"].to_numpy(),
            "final_cited_type": first["final_cited_type"].to_numpy(),
            "markers": [len(m.split(";")) if m else 0 for m in first["final_markers"]],
            "method": first["adjudication_method"].to_numpy(),
        }
    )
    passages["resolved"] = passages["status"] != "unresolved"
    done = rows[rows["annotation_id"] != ""]
    annotations = pd.DataFrame(
        {
            "item": done["passage_id"].astype(int).to_numpy(),
            "annotator": done["reviewer"].to_numpy(),
            "label": done["label"].to_numpy(),
            "document": done["document_id"].astype(int).to_numpy(),
            "outlet": done["outlet"].to_numpy(),
            "claimed_at": done["claimed_at"].to_numpy(),
            "done_at": done["done_at"].to_numpy(),
        }
    ).sort_values(["item", "annotator"], kind="stable", ignore_index=True)
    return passages, annotations


def wilson(k, n):
    if n == 0:
        return math.nan, math.nan
    return tuple(float(x) for x in proportion_confint(k, n, alpha=0.05, method="wilson"))


def alpha_of(annotations, labels):
    """Krippendorff's nominal alpha (the krippendorff package) and why it is undefined."""
    paired = annotations.groupby("item").filter(lambda g: len(g) >= 2)
    if paired.empty:
        return math.nan, "no passage with two reviewers"
    table = paired.pivot(index="annotator", columns="item", values="label")
    codes = table.apply(lambda c: c.map({v: i for i, v in enumerate(labels)})).astype(float)
    if paired["label"].nunique() < 2:
        return math.nan, "everyone used one label"
    return krippendorff.alpha(codes.to_numpy(), level_of_measurement="nominal"), ""


def counts(passages, annotations, labels):
    """The count, share and Wilson columns of one outlet or document."""
    resolved = passages[passages["resolved"]]
    adjudicated = passages["status"] == "adjudicated"
    row = {
        "passages": len(passages),
        "reviewers": annotations["annotator"].nunique(),
        "annotations": len(annotations),
        "unannotated": int((~passages["item"].isin(annotations["item"])).sum()),
        "resolved": len(resolved),
        "adjudicated": int(adjudicated.sum()),
        "adjudicated_curator": int((adjudicated & (passages["method"] == "chosen")).sum()),
        "adjudicated_majority": int((adjudicated & (passages["method"] == "majority")).sum()),
        "unanimous": int((passages["status"] == "unanimous").sum()),
    }
    row["unresolved"] = row["passages"] - row["resolved"]
    for label in labels:
        k = int((resolved["final_label"] == label).sum())
        row[f"final_{label}"] = k
        row[f"share_{label}"] = k / len(resolved) if len(resolved) else math.nan
        row[f"share_{label}_low"], row[f"share_{label}_high"] = wilson(k, len(resolved))
    claims = resolved[resolved["final_label"] == CLAIM]
    anonymous = int((claims["final_cited_type"] == "anonymous").sum())
    row["claims"], row["anonymous_claims"] = len(claims), anonymous
    row["anonymous_claim_share"] = anonymous / len(claims) if len(claims) else math.nan
    low, high = wilson(anonymous, len(claims))
    row["anonymous_claim_share_low"], row["anonymous_claim_share_high"] = low, high
    row["final_markers"] = int(resolved["markers"].sum())
    row["markers_per_100"] = (
        100 * row["final_markers"] / len(resolved) if len(resolved) else math.nan
    )
    row["alpha"], row["alpha_note"] = alpha_of(annotations, labels)
    row["adjudicated_share"] = row["adjudicated"] / row["passages"]
    row["unresolved_share"] = row["unresolved"] / row["passages"]
    return row


def document_table(passages, labels):
    """Per document: the counts the clustered intervals, bounds and comparisons use."""
    p = passages.assign(
        claims=passages["resolved"] & (passages["final_label"] == CLAIM),
        final_markers=np.where(passages["resolved"], passages["markers"], 0),
    )
    p["anonymous_claims"] = p["claims"] & (p["final_cited_type"] == "anonymous")
    for label in labels:
        p[f"final_{label}"] = p["resolved"] & (p["final_label"] == label)
    columns = [
        "resolved",
        *(f"final_{v}" for v in labels),
        "final_markers",
        "claims",
        "anonymous_claims",
    ]
    per = p.groupby(["outlet", "document"], sort=True)
    out = per[columns].sum().astype(np.int64)
    out["passages"] = per.size()
    out["unresolved"] = out["passages"] - out["resolved"]
    return out.reset_index()


def design_effect_interval(y, m, bounded, confidence):
    """Wilson (statsmodels) on Kish's effective size M / deff shrunk by (z / t)^2 for shares;
    r +- t sqrt(v) for rates (clustered.py's formulas, written out again)."""
    n, total = len(y), m.sum()
    r = y.sum() / total
    ss = ((y - r * m) ** 2).sum()
    ss = 0.0 if ss <= 1e-12 * (y**2).sum() else ss
    v = n / (n - 1) * ss / total**2
    t = stats.t.ppf(0.5 + confidence / 2, n - 1)
    if not bounded:
        return (
            (math.nan, math.nan, clustered.NO_SPREAD)
            if v <= 0
            else (max(r - t * math.sqrt(v), 0.0), r + t * math.sqrt(v), None)
        )
    deff = max(v / (r * (1 - r) / total), 1.0) if 0 < r < 1 else 1.0
    size = total / deff * (stats.norm.ppf(0.5 + confidence / 2) / t) ** 2
    low, high = proportion_confint(r * size, size, alpha=1 - confidence, method="wilson")
    return float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1)), None


def sensitivity(documents, passages, annotations, labels, settings):
    """Per outlet: the _doc_ intervals, the unresolved bounds and the Dawid-Skene shares."""
    assert settings["share_intervals"]["method"] == clustered.DESIGN_EFFECT
    confidence = settings["share_intervals"]["confidence"]
    measures = [
        (f"share_{v}", f"final_{v}", "resolved", 1, True, clustered.NO_PASSAGE) for v in labels
    ]
    measures.append(
        ("anonymous_claim_share", "anonymous_claims", "claims", 1, True, clustered.NO_CLAIM)
    )
    measures.append(
        ("markers_per_100", "final_markers", "resolved", 100, False, clustered.NO_PASSAGE)
    )
    decided = passages[(passages["status"] == "adjudicated") & passages["final_label"].isin(labels)]
    model = dawid_skene(
        annotations[["item", "annotator", "label"]],
        labels=labels,
        known=pd.Series(decided["final_label"].to_numpy(), index=decided["item"].to_numpy()),
        **settings["dawid_skene"],
    )
    out = {}
    for outlet, docs in documents.groupby("outlet"):
        row, sampled = {}, docs[docs["resolved"] > 0]
        for name, num, den, scale, bounded, empty in measures:
            y, m = (sampled[c].to_numpy(dtype=float) for c in (num, den))
            if m.sum() == 0:
                low, high, note = math.nan, math.nan, empty
            elif (m > 0).sum() < 2:
                low, high, note = math.nan, math.nan, clustered.ONE_DOCUMENT
            else:
                low, high, note = design_effect_interval(y, m, bounded, confidence)
            row |= {f"{name}_doc_low": scale * low, f"{name}_doc_high": scale * high}
            row[f"{name}_doc_note"] = note
        u = docs["unresolved"].sum()
        for name, num, den, *_ in measures[:-1]:
            k, n = docs[num].sum(), docs[den].sum()
            row[f"{name}_if_unresolved_low"] = k / (n + u) if n + u else math.nan
            row[f"{name}_if_unresolved_high"] = (k + u) / (n + u) if n + u else math.nan
        annotated = passages.loc[passages["outlet"] == outlet, "item"]
        posterior = model.posteriors.loc[model.posteriors.index.intersection(annotated)]
        for label in labels:
            row[f"share_{label}_model"] = posterior[label].mean()
        out[outlet] = row
    return out, model


def claim_columns(claims, outlets):
    links = claims[claims["outlet"] != ""]
    out = {}
    for outlet in outlets:
        mine = links[links["outlet"] == outlet]
        diverging = (mine["diverges_from_others"] == "True") | (
            mine["diverges_from_primary"] == "True"
        )
        unattributed = (mine["value"] != "") & (mine["attributed"] == "False")
        out[outlet] = {
            "claims_covered": mine["claim"].nunique(),
            "claims_diverging": mine.loc[diverging, "claim"].nunique(),
            "claims_unattributed": mine.loc[unattributed, "claim"].nunique(),
        }
    return out


def whole_seconds(texts):
    return pd.to_datetime(pd.Series(texts).replace("", None), format="ISO8601").dt.floor("s")


def reviewer_rows(passages, annotations, model, labels, settings):
    final = passages[passages["resolved"]].set_index("item")["final_label"]
    ann = annotations.assign(final=annotations["item"].map(final))
    seconds = (whole_seconds(ann["done_at"]) - whole_seconds(ann["claimed_at"])).dt.total_seconds()
    ann["seconds"] = seconds.clip(0, settings["time_cap_seconds"]).to_numpy()
    theta = model.confusion.set_index(["annotator", "true_label", "label"])["probability"]
    accuracy = model.accuracy.set_index("annotator")["accuracy"]
    rows = []
    for reviewer, mine in ann.groupby("annotator", sort=True):
        on = int(mine["final"].notna().sum())
        agree = int((mine["final"] == mine["label"]).sum())
        low, high = wilson(agree, on)
        timed = mine["seconds"].dropna()
        row = {
            "reviewer": reviewer,
            "annotations": len(mine),
            "on_resolved": on,
            "agrees_with_final": agree,
            "agreement_with_final": agree / on if on else math.nan,
            "agreement_with_final_low": low,
            "agreement_with_final_high": high,
            "timed": len(timed),
            "time_spent_s": float(timed.sum()),
            "median_s": float(timed.quantile(0.5, interpolation="lower"))
            if len(timed)
            else math.nan,
            "model_accuracy": accuracy[reviewer],
        }
        for true in labels:
            for given in labels:
                row[f"p_{given}_when_{true}"] = theta[(reviewer, true, given)]
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_rows(documents, labels, settings):
    """comparisons.compare_outlets with campaign.json's settings; the plain figures and the
    correction checked against a direct computation and statsmodels."""
    c = settings["comparisons"]
    out = compare_outlets(
        documents,
        labels,
        replicates=c["replicates"],
        seed=c["seed"],
        confidence=c["confidence"],
        min_documents=c["min_documents"],
        correction=c["correction"],
        family=c["family"],
    )
    totals = documents.groupby("outlet")[
        ["resolved", "final_markers", *(f"final_{v}" for v in labels)]
    ].sum()
    for row in out[out["status"] == "compared"].itertuples():
        num = "final_markers" if row.measure == "markers_per_100" else f"final_{row.measure[6:]}"
        scale = 100 if row.measure == "markers_per_100" else 1
        a = totals.loc[row.outlet_a]
        b = totals.drop(row.outlet_a).sum() if row.outlet_b == "rest" else totals.loc[row.outlet_b]
        assert row.value_a == pytest.approx(scale * a[num] / a["resolved"])
        assert row.difference == pytest.approx(
            scale * (a[num] / a["resolved"] - b[num] / b["resolved"])
        )
    for _, family in out.dropna(subset=["p_value"]).groupby("measure"):
        method = {"holm": "holm", "benjamini-hochberg": "fdr_bh"}[c["correction"]]
        adjusted = multipletests(family["p_value"], method=method)[1]
        assert family["p_adjusted"].to_numpy() == pytest.approx(adjusted)
    return out


def recompute(folder):
    """{report kind: DataFrame}: every report of the folder recomputed from its files alone."""
    settings, rows, claims, _ = read_folder(folder)
    labels = [label["value"] for label in settings["scheme"]["labels"]]
    passages, annotations = passage_frames(rows)
    documents = document_table(passages, labels)
    extra, model = sensitivity(documents, passages, annotations, labels, settings)
    a = settings["alpha_interval"]
    alpha = grouped_alpha_interval(
        annotations[["item", "annotator", "label", "document", "outlet"]],
        "outlet",
        a["replicates"],
        a["seed"],
    ).set_index("outlet")
    by_claims = claim_columns(claims, sorted(passages["outlet"].unique()))
    rating = settings["rating"]
    outlets = []
    for outlet, mine in passages.groupby("outlet", sort=True):
        ann = annotations[annotations["outlet"] == outlet]
        per_document = mine.groupby("document")["resolved"].agg(["sum", "size"])
        rated = int(
            (per_document["sum"] >= rating["rated_document_share"] * per_document["size"]).sum()
        )
        row = {
            "outlet": outlet,
            "documents": mine["document"].nunique(),
            "documents_resolved": mine.loc[mine["resolved"], "document"].nunique(),
            "documents_rated": rated,
            **counts(mine, ann, labels),
        }
        low, high, note = alpha.loc[outlet, ["alpha_low", "alpha_high", "alpha_note"]]
        row |= {"alpha_low": low, "alpha_high": high, "alpha_note": note}
        row["confidence"] = RATING if rated >= rating["min_documents_for_rating"] else INITIAL
        outlets.append(row | extra[outlet] | by_claims[outlet])
    docs = []
    for document in passages["document"].unique():  # the export's reading order
        mine = passages[passages["document"] == document]
        row = {
            "document": int(document),
            "title": mine["title"].iloc[0],
            "outlet": mine["outlet"].iloc[0],
        }
        docs.append(row | counts(mine, annotations[annotations["document"] == document], labels))
    return {
        "outlets.csv": pd.DataFrame(outlets),
        "documents.csv": pd.DataFrame(docs),
        "reviewers.csv": reviewer_rows(passages, annotations, model, labels, settings),
        "comparisons.csv": comparison_rows(documents, labels, settings),
    }


def same(cell: str, value) -> bool:
    """A CSV cell against a recomputed value: strings equal, integers exact, floats within
    1e-9 relative, missing values empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return cell == ""
    if isinstance(value, str):
        return cell == value
    if isinstance(value, int | np.integer):
        return cell == str(int(value))
    return cell != "" and math.isclose(float(cell), float(value), rel_tol=1e-9, abs_tol=1e-12)


# ------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("anonymise", [False, True])
def test_every_report_column_is_recomputed_from_the_folder_alone_without_a_database(
    folders, anonymise, django_db_blocker
):
    folder = folders[anonymise]
    with django_db_blocker.block():  # any query from here on fails the test
        mine = recompute(folder)
        _, _, _, paths = read_folder(folder)
    for kind, frame in mine.items():
        written = pd.read_csv(paths[kind], dtype=str, keep_default_na=False)
        assert set(frame.columns) == set(written.columns), kind  # every column, none left out
        assert len(frame) == len(written) > 0, kind
        for column in written.columns:
            for i, (cell, value) in enumerate(zip(written[column], frame[column], strict=True)):
                assert same(cell, value), (kind, i, column, cell, value)


def test_the_campaign_covers_every_case_the_recomputation_must_get_right(folders):
    _, _, _, paths = read_folder(folders[False])

    def table(kind):
        return pd.read_csv(paths[kind], keep_default_na=False).set_index(
            "outlet" if kind == "outlets.csv" else "comparison"
        )

    outlets = table("outlets.csv")
    assert outlets.loc["North", "confidence"] == "rating"
    assert outlets.loc["South", "confidence"].startswith("initial reading")
    assert outlets["adjudicated_majority"].sum() > 0 and outlets["adjudicated_curator"].sum() > 0
    assert outlets.loc["South", "unresolved"] > 0 and outlets["unannotated"].sum() > 0
    assert outlets.loc["Solo", "share_opinion_doc_note"] == clustered.ONE_DOCUMENT
    assert outlets.loc["North", "claims_diverging"] == outlets.loc["South", "claims_diverging"] == 1
    comparisons = pd.read_csv(paths["comparisons.csv"], keep_default_na=False)
    pair = comparisons[(comparisons["outlet_a"] == "North") & (comparisons["outlet_b"] == "South")]
    assert set(pair["status"]) == {"compared"}
    assert "too few documents to compare" in set(comparisons["status"])
    reviewers = pd.read_csv(paths["reviewers.csv"]).set_index("reviewer")
    assert (reviewers["time_spent_s"] > 0).all()


def test_time_columns_are_whole_seconds(folders):
    _, rows, _, paths = read_folder(folders[False])
    times = rows[rows["claimed_at"] != ""][["claimed_at", "done_at"]]
    assert times["done_at"].str.contains(r"\.\d{6}$").all()  # saved at fractions of a second
    reviewers = pd.read_csv(paths["reviewers.csv"])
    assert (reviewers["time_spent_s"] % 1 == 0).all()
    assert (reviewers["median_s"] % 1 == 0).all()  # the lower median of whole seconds


def test_campaign_json_holds_every_setting_a_figure_depends_on(folders, reproducible):
    settings, _, _, _ = read_folder(folders[False])
    assert SETTINGS_KEYS <= set(settings)
    assert settings["scheme"]["labels"][0] == {"value": FACT, "name": "Sourced fact"}
    assert {m["value"] for m in settings["scheme"]["markers"]} >= {"loaded_language"}
    assert (settings["overlap"], settings["queue_order"]) == (3, "reading")
    assert settings["queue_seed"] == reproducible.queue_seed
    assert set(settings["alpha_interval"]) >= {"replicates", "seed", "resampling"}
    assert set(settings["comparisons"]) >= {
        "replicates",
        "seed",
        "min_documents",
        "correction",
        "family",
    }
    assert set(settings["dawid_skene"]) == {"smoothing", "tol", "max_iter"}
    assert set(settings["rating"]) == {"min_documents_for_rating", "rated_document_share"}
    assert settings["share_intervals"]["method"] == clustered.DESIGN_EFFECT
    assert settings["software_version"] and settings["time_cap_seconds"] == 600
    exported = datetime.strptime(settings["exported_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs(exported.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=5)


@pytest.mark.parametrize("anonymise", [False, True])
def test_the_data_card_names_every_file_of_the_folder(folders, anonymise):
    folder = folders[anonymise]
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == len(exports.KINDS)
    card = next(folder.glob("*README.md")).read_text(encoding="utf-8")
    for name in names:
        assert f"`{name}`" in card, name
    for topic in ("## Final labels", "## Recomputing the figures", "## Anonymisation"):
        assert topic in card
    assert ("This export is anonymised" in card) == anonymise


def test_an_anonymised_folder_names_no_reviewer_even_in_claims_and_free_text(folders, users):
    names = [u.username for u in users.values()]
    for path in folders[True].iterdir():
        text = path.read_text(encoding="utf-8").lower()
        assert not [n for n in names if n in text], path.name
    plain = (folders[False] / "reproducible-claims.csv").read_text(encoding="utf-8")
    assert "Robert, as bob put it" in plain
    claims = (folders[True] / "reproducible-anonymised-claims.csv").read_text(encoding="utf-8")
    assert "Robert, as anon-" in claims  # a first name alone is left (anonymise.py)


def test_claims_csv_is_the_claims_page_download(client, reproducible, folders, users):
    login(client, users["carol"])
    page = client.get(reverse("annotate:claims_csv", args=[reproducible.slug]))
    assert (folders[False] / "reproducible-claims.csv").read_bytes() == page.content
    # The header, four accepted links and a claim without any; the proposed link is left out.
    assert page.content.count(b"\r\n") == 6
