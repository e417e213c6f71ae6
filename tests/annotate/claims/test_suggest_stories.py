"""Claim suggestions on three small stories of our own, through the real import.

Each story (tests/annotate/claims/stories/<story>, see its README) is told by three or
four outlets whose figures conflict; its claims.csv is the answer key, written by hand:
which passage states which claim, and which outlets disagree on it. The corpus importer
segments the articles and extracts their figures with corpus.figures, exactly as for a
user's upload; then the suggestions of a campaign over the story must put every
cross-outlet disagreement in the top ten, and no pair about different things (two
incidents, two models of aircraft, a bridge and a library) above any of them.
"""

import csv
import shutil
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest

from annotate.claims import services as claims
from annotate.claims.divergence import disjoint, interval
from annotate.models import ClaimSuggestion
from corpus.importer import import_path
from corpus.models import Document, Passage
from tests.conftest import make_campaign

STORIES = Path(__file__).resolve().parent / "stories"
NAMES = ["kidal", "f35", "riverside"]
TOP = 10


def answer_key(story):
    with open(STORIES / story / "claims.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def disagreements(rows):
    """(claim, row, row) for every pair of outlets the key says disagree on a claim."""
    found = []
    for a, b in combinations(rows, 2):
        if a["claim"] == b["claim"] and b["outlet"] in a["diverges_from"].split(";"):
            found.append((a["claim"], a, b))
    return found


def import_story(story, folder):
    """Copy the story's articles and manifest (not the key) to `folder` and import them."""
    source = STORIES / story
    with open(source / "manifest.csv", encoding="utf-8") as handle:
        files = [row["file"] for row in csv.DictReader(handle)]
    folder.mkdir()
    for name in ["manifest.csv", *files]:
        shutil.copy(source / name, folder / name)
    report = import_path(folder)
    assert report.ok, report.errors
    return list(Document.objects.order_by("pk"))


def passage_of(campaign, row):
    found = Passage.objects.filter(
        document__campaigns=campaign,
        document__source__name=row["outlet"],
        text__contains=row["snippet"],
    )
    assert found.count() == 1, (row, list(found.values_list("text", flat=True)))
    return found.get().pk


@pytest.mark.parametrize("story", NAMES)
def test_the_answer_keys_are_consistent(story):
    rows = answer_key(story)
    assert len({r["outlet"] for r in rows}) >= 3
    for a, b in combinations(rows, 2):
        if a["claim"] == b["claim"]:
            says_a = b["outlet"] in a["diverges_from"].split(";")
            says_b = a["outlet"] in b["diverges_from"].split(";")
            assert says_a == says_b, (a, b)  # a disagreement goes both ways
    assert disagreements(rows)


@pytest.mark.parametrize("story", NAMES)
def test_divergence_reads_the_keys_disagreements_from_the_stated_values(story):
    """The values as the key transcribes them disagree exactly where the key says so."""
    rows = answer_key(story)
    for a, b in combinations(rows, 2):
        if a["claim"] != b["claim"] or a["outlet"] == b["outlet"]:
            continue
        spans = [interval(r["value"], r["qualifier"], kind=r["kind"]) for r in (a, b)]
        expected = b["outlet"] in a["diverges_from"].split(";")
        assert disjoint(*spans) == expected, (a["claim"], a["outlet"], b["outlet"], spans)


@pytest.mark.parametrize("story", NAMES)
def test_every_disagreement_is_suggested_in_the_top_ten_above_any_pair_about_other_things(
    story, users, tmp_path
):
    documents = import_story(story, tmp_path / story)
    campaign = make_campaign(f"Story {story}", documents, users, overlap=1)
    assert claims.refresh_suggestions(campaign) > 0
    rank = {
        (s.passage_a_id, s.passage_b_id): s.rank
        for s in ClaimSuggestion.objects.filter(campaign=campaign)
    }
    rows = answer_key(story)
    passages = {(r["claim"], r["outlet"]): passage_of(campaign, r) for r in rows}

    def pair(a, b):
        first, second = passages[a["claim"], a["outlet"]], passages[b["claim"], b["outlet"]]
        return min(first, second), max(first, second)

    ranks = {}
    for claim, a, b in disagreements(rows):
        found = rank.get(pair(a, b))
        assert found is not None and found <= TOP, (claim, a["outlet"], b["outlet"], found)
        ranks[claim, a["outlet"], b["outlet"]] = found
    same_claim = {pair(a, b) for a, b in combinations(rows, 2) if a["claim"] == b["claim"]}
    worst = max(ranks.values())
    above = [(p, r) for p, r in rank.items() if r < worst and p not in same_claim]
    assert not above, (above, ranks)


def test_a_suggestion_says_why_it_was_proposed(users, tmp_path):
    documents = import_story("f35", tmp_path / "f35")
    campaign = make_campaign("Story f35", documents, users, overlap=1)
    claims.refresh_suggestions(campaign)
    rows = {(r["claim"], r["outlet"]): r for r in answer_key("f35")}
    low, high = sorted(
        passage_of(campaign, rows["price of an F-35B", outlet])
        for outlet in ("Air Wire", "Capital Times")
    )
    suggestion = ClaimSuggestion.objects.get(passage_a_id=low, passage_b_id=high)
    # The signature first (accept_suggestion reads the claim's kind and currency from it),
    # then the two figures as worded and the model both are about.
    assert suggestion.shared.startswith("money USD, ")
    assert "$109 million vs $104 million" in suggestion.shared
    assert "both about F-35B" in suggestion.shared
    assert 0 < suggestion.similarity < suggestion.score


def test_accepting_a_pair_whose_figures_name_no_unit_makes_a_claim_of_their_kind(users, tmp_path):
    documents = import_story("riverside", tmp_path / "riverside")
    campaign = make_campaign("Story riverside", documents, users, overlap=1)
    claims.refresh_suggestions(campaign)
    rows = {(r["claim"], r["outlet"]): r for r in answer_key("riverside")}
    low, high = sorted(
        passage_of(campaign, rows["council tax rise", outlet])
        for outlet in ("Riverside Gazette", "Valley News")
    )
    suggestion = ClaimSuggestion.objects.get(passage_a_id=low, passage_b_id=high)
    claim = claims.accept_suggestion(
        campaign, users["carol"], suggestion.pk, "Council tax rise this year"
    )
    assert (claim.kind, claim.unit, claim.currency) == ("percent", "", "")  # "%" names no unit
    values = sorted(claim.links.values_list("value", "qualifier"))
    assert values == [(Decimal(3), ""), (Decimal("4.99"), "")]
