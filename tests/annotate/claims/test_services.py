"""Claims across outlets: divergence rules, suggestions on the seed campaign, services, pages."""

import re
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotate.claims import selectors as claims_report
from annotate.claims import services as claims
from annotate.claims.divergence import claim_divergence, interval, outlet_claim_counts
from annotate.models import Adjudication, Annotation, Assignment, Claim, ClaimLink, ClaimSuggestion
from annotate.queue import services
from corpus.models import Passage
from tests.conftest import login

# Pure rules ---------------------------------------------------------------------------


def flags(values, primary=None):
    frame = pd.DataFrame(
        [
            (i, outlet, None if v is None else Decimal(v), q, cur)
            for i, (outlet, v, q, cur) in enumerate(values)
        ],
        columns=["link", "outlet", "value", "qualifier", "currency"],
    )
    result = claim_divergence(frame, primary)
    return list(result["diverges_from_others"]), list(result["diverges_from_primary"])


def test_interval_reads_rounding_and_qualifiers():
    assert interval(Decimal(7_200_000_000)) == (7_150_000_000, 7_250_000_000)
    assert interval(Decimal(316_260)) == (316_255, 316_265)
    assert interval(Decimal(300_000), "more_than")[0] == 300_000
    assert interval(Decimal(2400), "up_to")[1] == 2400
    assert interval(Decimal(600_000), "about") == (540_000, 660_000)
    assert interval(Decimal(290), "nearly") == (261, 290)
    assert interval(Decimal(300), "nearly") == (250, 300)  # "300" is rounded to the hundred


def test_two_outlets_that_disagree_are_both_flagged():
    assert flags([("A", 4200, "over", "USD"), ("B", 2400, "up_to", "USD")])[0] == [True, True]


def test_only_the_outlet_standing_apart_is_flagged():
    others, _ = flags(
        [
            ("Coverpage", 300_000, "more_than", ""),
            ("USTimeToday", 316_260, "about", ""),
            ("B", 600_000, "about", ""),
            ("A", 400_000, "up_to", ""),
        ]
    )
    assert others == [False, False, True, False]


def test_bounds_that_overlap_do_not_diverge():
    assert flags([("A", 300_000, "more_than", ""), ("B", 316_260, "", "")])[0] == [False, False]


def test_rounding_separates_seven_point_two_from_seven_point_one_two_billion():
    others, _ = flags([("A", 7_200_000_000, "", "USD"), ("B", 7_120_000_000, "", "USD")])
    assert others == [True, True]
    others, _ = flags([("A", 7_000_000_000, "", "USD"), ("B", 7_120_000_000, "", "USD")])
    assert others == [False, False]  # "$7 billion" allows 6.5 to 7.5 billion


def test_value_differing_from_the_primary_document_is_flagged():
    _, primary = flags(
        [
            ("A", 7_200_000_000, "", "USD"),
            ("B", 7_120_000_000, "", "USD"),
            ("C", 7_200_000_000, "nearly", "USD"),
        ],
        primary=(Decimal(7_120_000_000), "", "USD"),
    )
    assert primary == [True, False, False]


def test_values_in_other_currencies_or_missing_are_not_compared():
    others, primary = flags([("A", 100, "", "USD"), ("B", 900, "", "EUR"), ("C", None, "", "")])
    assert others == [False, False, False] and primary == [False, False, False]


def test_outlet_counts_count_each_claim_once_per_outlet():
    links = pd.DataFrame(
        [
            (1, "A", True, True, True),
            (1, "A", True, True, False),
            (1, "B", True, False, False),
            (2, "A", False, False, False),
            (2, "B", True, False, True),
        ],
        columns=["claim", "outlet", "has_value", "attributed", "diverges"],
    )
    counts = outlet_claim_counts(links, outlets=["A", "B", "C"])
    assert counts.loc["A"].tolist() == [2, 1, 0]
    assert counts.loc["B"].tolist() == [2, 1, 2]
    assert counts.loc["C"].tolist() == [0, 0, 0]


# Seed campaign ------------------------------------------------------------------------


def passage_with(text):
    return Passage.objects.get(text__contains=text)


@pytest.fixture
def m4(campaign):
    return passage_with("An M4 rifle now sells for over $4,200"), passage_with(
        "can fetch up to $2,400"
    )


def test_suggestions_rank_an_m4_price_pair_and_a_weapons_count_pair_in_the_top_ten(campaign):
    assert claims.refresh_suggestions(campaign) > 10
    top = (
        ClaimSuggestion.objects.filter(campaign=campaign)
        .select_related("passage_a", "passage_b")
        .order_by("rank")[:10]
    )
    pairs = [(s.passage_a.text, s.passage_b.text) for s in top]
    assert any("M4" in a and "M4" in b and "$" in a and "$" in b for a, b in pairs), pairs
    weapon_words = ("weapons", "small arms", "light arms")
    weapons = [
        (a, b)
        for a, b in pairs
        if any(w in a for w in weapon_words)
        and any(w in b for w in weapon_words)
        and any(n in a + b for n in ("300,000", "316,260", "400,000", "600,000"))
    ]
    assert weapons, pairs
    assert not ClaimLink.objects.exists()  # suggesting links nothing


def test_suggestions_pair_only_passages_of_different_outlets(campaign):
    claims.refresh_suggestions(campaign)
    for s in ClaimSuggestion.objects.select_related("passage_a__document", "passage_b__document"):
        assert s.passage_a.document.source_id != s.passage_b.document.source_id
        assert s.passage_a_id < s.passage_b_id


def test_a_rejected_suggestion_does_not_come_back(campaign, users):
    claims.refresh_suggestions(campaign)
    first = ClaimSuggestion.objects.filter(campaign=campaign).order_by("rank").first()
    claims.reject_suggestion(campaign, users["carol"], first.pk)
    claims.refresh_suggestions(campaign)
    same = ClaimSuggestion.objects.filter(passage_a=first.passage_a, passage_b=first.passage_b)
    assert [s.status for s in same] == ["rejected"]
    with pytest.raises(claims.ClaimError, match="already rejected"):
        claims.reject_suggestion(campaign, users["carol"], first.pk)


def test_accepting_a_suggestion_links_both_passages_with_prefilled_values(campaign, users, m4):
    claims.refresh_suggestions(campaign)
    low, high = sorted(p.pk for p in m4)
    suggestion = ClaimSuggestion.objects.get(passage_a_id=low, passage_b_id=high)
    claim = claims.accept_suggestion(
        campaign, users["carol"], suggestion.pk, "Black-market price of an M4 rifle"
    )
    assert (claim.kind, claim.currency) == ("money", "USD")
    links = {link.passage_id: link for link in claim.links.all()}
    assert {links[m4[0].pk].value, links[m4[1].pk].value} == {Decimal(4200), Decimal(2400)}
    assert (links[m4[0].pk].qualifier, links[m4[1].pk].qualifier) == ("over", "up_to")
    assert all(
        link.status == "accepted" and link.decided_by == users["carol"] for link in links.values()
    )
    accepted, _ = claims_report.claim_links(claim)
    assert all(r.diverges_from_others for r in accepted)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.claim_id) == ("accepted", claim.pk)
    claims.refresh_suggestions(campaign)  # the linked pair is not suggested again
    assert ClaimSuggestion.objects.filter(passage_a_id=low, passage_b_id=high).count() == 1


def test_accepting_without_a_statement_or_claim_writes_nothing(campaign, users):
    claims.refresh_suggestions(campaign)
    suggestion = ClaimSuggestion.objects.order_by("rank").first()
    with pytest.raises(claims.ClaimError, match="Write a statement"):
        claims.accept_suggestion(campaign, users["carol"], suggestion.pk, "  ")
    assert not Claim.objects.exists() and not ClaimLink.objects.exists()


def label(campaign, reviewer, passage, cited_source, cited_type):
    """Give `reviewer` a done place on `passage` with this cited source."""
    place = Assignment.objects.filter(
        campaign=campaign, passage=passage, reviewer__isnull=True
    ).first()
    Assignment.objects.filter(pk=place.pk).update(reviewer=reviewer, status="done")
    Annotation.objects.create(
        assignment_id=place.pk,
        label="attributed_claim",
        cited_source=cited_source,
        cited_type=cited_type,
    )


def test_link_prefills_attribution_from_reviewers_and_then_from_the_curator(campaign, users):
    passage = passage_with("Some 316,260 small arms")
    claim = claims.create_claim(campaign, users["carol"], "Small arms left in Afghanistan in 2021")
    label(campaign, users["alice"], passage, "Kabul government inventory", "document")
    label(campaign, users["bob"], passage, "Kabul  government inventory", "document")
    link = claims.link_passage(campaign, users["carol"], claim.pk, passage.pk)
    assert (link.value, link.qualifier, link.unit) == (Decimal(316_260), "about", "arms")
    assert (link.attributed_to, link.cited_type, link.attributed) == (
        "Kabul government inventory",
        "document",
        True,
    )
    Adjudication.objects.create(
        campaign=campaign,
        passage=passage,
        label="sourced_fact",
        cited_source="",
        cited_type="",
        rationale="No one is cited.",
        decided_by=users["carol"],
    )
    assert claims.prefill(campaign, claim, passage)["attributed"] is False


def test_link_picks_the_figure_matching_the_claim(campaign, users):
    passage = passage_with("nearly $7.2 billion worth of military assets")
    weapons = claims.create_claim(
        campaign, users["carol"], "Weapons left behind", kind="count", unit="weapons"
    )
    money = claims.create_claim(
        campaign, users["carol"], "Value left behind", kind="money", currency="USD"
    )
    assert claims.link_passage(campaign, users["carol"], weapons.pk, passage.pk).value == Decimal(
        300_000
    )
    assert claims.link_passage(campaign, users["carol"], money.pk, passage.pk).value == Decimal(
        7_200_000_000
    )


def test_bad_claim_requests_are_refused_with_a_message_and_write_nothing(
    campaign, other_campaign, users
):
    claim = claims.create_claim(campaign, users["carol"], "Aircraft left behind")
    with pytest.raises(claims.ClaimError, match="already exists"):
        claims.create_claim(campaign, users["carol"], "aircraft  LEFT behind")
    with pytest.raises(claims.ClaimError, match="statement"):
        claims.create_claim(campaign, users["carol"], "   ")
    foreign = Passage.objects.exclude(document__campaigns=campaign).first()
    if foreign is None:  # every seed document is in the campaign: use a boilerplate passage
        foreign = Passage.objects.filter(kind="boilerplate").first()
    with pytest.raises(claims.ClaimError, match="not part of this campaign"):
        claims.link_passage(campaign, users["carol"], claim.pk, foreign.pk)
    with pytest.raises(claims.ClaimError, match="no such claim"):
        claims.link_passage(other_campaign, users["carol"], claim.pk, foreign.pk)
    assert Claim.objects.count() == 1 and not ClaimLink.objects.exists()


def test_outlet_claim_columns_count_coverage_divergence_and_missing_attribution(
    campaign, users, m4
):
    claim = claims.create_claim(campaign, users["carol"], "M4 price", kind="money", currency="USD")
    for passage in m4:
        claims.link_passage(campaign, users["carol"], claim.pk, passage.pk)
    columns = claims_report.outlet_claim_columns(campaign)
    outlets = {p.document.source.name for p in m4}
    assert set(columns.index) == outlets
    assert columns["claims_covered"].tolist() == [1, 1]
    assert columns["claims_diverging"].tolist() == [1, 1]
    # Nobody labelled them yet: their attribution is unknown, not missing (issue 15).
    assert columns["claims_unattributed"].tolist() == [0, 0]


# Pages --------------------------------------------------------------------------------


def test_claim_pages_answer_404_to_reviewers_and_outsiders(client, campaign, users):
    claim = claims.create_claim(campaign, users["carol"], "Aircraft left behind")
    pages = [
        reverse("annotate:claims", args=[campaign.slug]),
        reverse("annotate:claim", args=[campaign.slug, claim.pk]),
        reverse("annotate:claim_suggestions", args=[campaign.slug]),
        reverse("annotate:claims_csv", args=[campaign.slug]),
    ]
    for username in ("alice", "olga"):
        login(client, users[username])
        for page in pages:
            assert client.get(page).status_code == 404, (username, page)
    login(client, users["carol"])
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_mutations_are_post_only(client, campaign, users):
    login(client, users["carol"])
    assert client.get(reverse("annotate:claim_create", args=[campaign.slug])).status_code == 405
    assert (
        client.get(reverse("annotate:claim_suggestions_refresh", args=[campaign.slug])).status_code
        == 405
    )


def test_curator_creates_a_claim_links_by_search_and_sees_the_flag(client, campaign, users):
    login(client, users["carol"])
    response = client.post(
        reverse("annotate:claim_create", args=[campaign.slug]),
        {"statement": "Aircraft left behind"},
    )
    claim = Claim.objects.get()
    assert response.url == reverse("annotate:claim", args=[campaign.slug, claim.pk])
    page = client.get(response.url, {"q": "aircraft"})
    assert b"78 aircraft" in page.content and b"nearly 300" in page.content
    for text in ("including 78 aircraft", "nearly 300 fixed-wing"):
        client.post(
            reverse("annotate:claim_link", args=[campaign.slug, claim.pk]),
            {"passage": passage_with(text).pk},
        )
    page = client.get(reverse("annotate:claim", args=[campaign.slug, claim.pk])).content.decode()
    assert 'id="divergence"' in page and page.count("differs from other outlets") == 2


def test_bad_form_input_shows_a_message_and_writes_nothing(client, campaign, users):
    login(client, users["carol"])
    url = reverse("annotate:claim_create", args=[campaign.slug])
    response = client.post(url, {"statement": "x", "primary_value": "lots"}, follow=True)
    assert b"Give the value as a number" in response.content
    response = client.post(url, {"statement": ""}, follow=True)
    assert b"Write the claim" in response.content
    claim = claims.create_claim(campaign, users["carol"], "Aircraft")
    response = client.post(
        reverse("annotate:claim_link", args=[campaign.slug, claim.pk]),
        {"passage": "abc"},
        follow=True,
    )
    assert b"Pick a passage" in response.content
    response = client.post(
        reverse("annotate:claim_suggestion_accept", args=[campaign.slug, 999]),
        {"statement": "x"},
        follow=True,
    )
    assert b"no such suggestion" in response.content
    assert Claim.objects.count() == 1 and not ClaimLink.objects.exists()


def test_editing_a_link_changes_its_value_and_attribution(client, campaign, users):
    claim = claims.create_claim(campaign, users["carol"], "Aircraft")
    link = claims.link_passage(
        campaign, users["carol"], claim.pk, passage_with("nearly 300 fixed-wing").pk
    )
    login(client, users["carol"])
    client.post(
        reverse("annotate:claim_link_edit", args=[campaign.slug, link.pk]),
        {
            "value": "290",
            "qualifier": "about",
            "attributed_to": "US DoD",
            "cited_type": "official_body",
        },
    )
    link.refresh_from_db()
    assert (link.value, link.qualifier, link.attributed, link.attributed_to) == (
        Decimal(290),
        "about",
        True,
        "US DoD",
    )
    assert link.value_text == "290"
    response = client.post(
        reverse("annotate:claim_link_edit", args=[campaign.slug, link.pk]),
        {"value": "1e99"},
        follow=True,
    )
    assert b"too large" in response.content
    client.post(reverse("annotate:claim_link_remove", args=[campaign.slug, link.pk]))
    assert not ClaimLink.objects.exists()


def test_claims_csv_has_every_link_and_neutralises_formulas(client, campaign, users, m4):
    claim = claims.create_claim(campaign, users["carol"], "=HYPERLINK(1) M4 price")
    for passage in m4:
        claims.link_passage(campaign, users["carol"], claim.pk, passage.pk)
    claims.create_claim(campaign, users["carol"], "Unlinked claim")
    login(client, users["carol"])
    import csv
    import io

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("annotate:claims_csv", args=[campaign.slug])).content.decode()
            )
        )
    )
    assert len(rows) == 3
    m4_rows = [r for r in rows if r["claim_statement"].startswith("'=")]
    assert len(m4_rows) == 2 and {r["diverges_from_others"] for r in m4_rows} == {"True"}
    assert {r["value"] for r in m4_rows} == {"4200", "2400"}


def test_reviewer_proposes_a_link_and_a_curator_accepts_it(client, campaign, users):
    claim = claims.create_claim(campaign, users["carol"], "Aircraft left behind")
    assignment = services.claim_next(campaign, users["alice"])
    login(client, users["alice"])
    page = client.get(
        reverse("annotate:passage", args=[campaign.slug, assignment.pk])
    ).content.decode()
    assert reverse("annotate:claim_propose", args=[campaign.slug, assignment.pk]) in page
    page = client.get(
        reverse("annotate:claim_propose", args=[campaign.slug, assignment.pk])
    ).content.decode()
    assert "Aircraft left behind" in page
    client.post(
        reverse("annotate:claim_propose", args=[campaign.slug, assignment.pk]), {"claim": claim.pk}
    )
    link = ClaimLink.objects.get()
    assert (link.status, link.proposed_by, link.passage_id) == (
        "proposed",
        users["alice"],
        assignment.passage_id,
    )
    assert claims_report.outlet_claim_columns(
        campaign
    ).empty  # proposed links count for nothing yet
    bobs = services.claim_next(campaign, users["bob"])
    assert (
        client.post(
            reverse("annotate:claim_propose", args=[campaign.slug, bobs.pk]), {"claim": claim.pk}
        ).status_code
        == 404
    )
    login(client, users["carol"])
    assert (
        b"Proposed by reviewers"
        in client.get(reverse("annotate:claim", args=[campaign.slug, claim.pk])).content
    )
    client.post(
        reverse("annotate:claim_link_decide", args=[campaign.slug, link.pk]), {"decision": "accept"}
    )
    link.refresh_from_db()
    assert (link.status, link.decided_by) == ("accepted", users["carol"])


def test_annotation_page_marks_figures_and_keeps_hostile_text_escaped(client, campaign, users):
    assignment = services.claim_next(campaign, users["alice"])
    passage = assignment.passage
    Passage.objects.filter(pk=passage.pk).update(text="<script>x</script> up to 400,000 weapons")
    from corpus.figure_store import refresh

    refresh(Passage.objects.filter(pk=passage.pk))
    login(client, users["alice"])
    page = client.get(
        reverse("annotate:passage", args=[campaign.slug, assignment.pk])
    ).content.decode()
    assert "<script>x</script>" not in page and ">&lt;</span>" in page
    # The current passage is shown word by word; the figure's words carry its style and title.
    figure = re.findall(
        r'class="tok figure" data-s="\d+" data-e="\d+" title="([^"]*)">([^<]*)<', page
    )
    assert [word for _, word in figure] == ["up", "to", "400", ",", "000"]
    assert {title for title, _ in figure} == {"Count · up to · 400000 weapons"}


def test_blind_campaign_still_masks_the_outlet_around_figures(client, seed_corpus, users):
    from tests.conftest import make_campaign

    blind = make_campaign("Blind", seed_corpus, users, blind_outlet=True)
    assignment = services.claim_next(blind, users["alice"])
    Passage.objects.filter(pk=assignment.passage_id).update(
        text=f"{assignment.passage.document.source.name} counted 78 aircraft"
    )
    from corpus.figure_store import refresh

    refresh(Passage.objects.filter(pk=assignment.passage_id))
    login(client, users["alice"])
    page = client.get(
        reverse("annotate:passage", args=[blind.slug, assignment.pk])
    ).content.decode()
    current = page[page.index('id="span-text"') :]
    words = re.findall(
        r'class="(tok[^"]*)" data-s="\d+" data-e="\d+" title="[^"]*">([^<]*)<', current
    )
    assert words[:4] == [
        ("tok redacted", "[outlet]"),
        ("tok", "counted"),
        ("tok figure", "78"),
        ("tok", "aircraft"),
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_claim_pages_take_the_same_number_of_queries_however_many_claims_and_links(
    client, campaign, users
):
    login(client, users["carol"])
    claims.refresh_suggestions(campaign)
    first = claims.create_claim(campaign, users["carol"], "Claim 0")
    claims.link_passage(campaign, users["carol"], first.pk, passage_with("78 aircraft").pk)
    urls = [
        reverse("annotate:claims", args=[campaign.slug]),
        reverse("annotate:claim", args=[campaign.slug, first.pk]) + "?q=weapons",
        reverse("annotate:claim_suggestions", args=[campaign.slug]),
        reverse("annotate:claims_csv", args=[campaign.slug]),
    ]
    before = [count_queries(client, url) for url in urls]
    passages = list(
        claims_report.campaign_passages(campaign).filter(figures__isnull=False).distinct()[:12]
    )
    for i in range(1, 6):
        claim = claims.create_claim(campaign, users["carol"], f"Claim {i}")
        for passage in passages[i : i + 4]:
            claims.link_passage(campaign, users["carol"], claim.pk, passage.pk)
    for passage in passages[:6]:
        if not ClaimLink.objects.filter(claim=first, passage=passage).exists():
            claims.link_passage(campaign, users["carol"], first.pk, passage.pk)
    after = [count_queries(client, url) for url in urls]
    assert after == before


# Issue 16: suggestions about one thing, divergence read like with like -----------------


def test_a_price_of_one_model_of_rifle_is_never_paired_with_the_price_of_another(campaign):
    claims.refresh_suggestions(campaign)
    m16 = passage_with("An M16 costs around $1,400")
    m4 = passage_with("can fetch up to $2,400")
    low, high = sorted((m16.pk, m4.pk))
    assert m16.document.source_id != m4.document.source_id
    assert not ClaimSuggestion.objects.filter(passage_a_id=low, passage_b_id=high).exists()


def test_soldiers_killed_in_two_different_incidents_are_not_in_the_top_ten(campaign):
    claims.refresh_suggestions(campaign)
    waziristan = passage_with("two Pakistani soldiers were martyred")
    balochistan = passage_with("Nine Pakistani soldiers were killed in July")
    low, high = sorted((waziristan.pk, balochistan.pk))
    found = ClaimSuggestion.objects.filter(passage_a_id=low, passage_b_id=high).first()
    assert found is None or found.rank > 10


def test_a_rise_is_compared_with_a_rise_and_not_with_a_level(campaign, users):
    surge = passage_with("terrorist attacks surged by over 45%")
    share = passage_with("making up 50% of those killed")
    rise = passage_with("Fifty percent more security personnel")
    claim = claims.create_claim(campaign, users["carol"], "Rise in attacks", kind="percent")
    for passage in (surge, share):
        claims.link_passage(campaign, users["carol"], claim.pk, passage.pk)
    accepted, _ = claims_report.claim_links(claim)
    assert {(r.value, r.change) for r in accepted} == {(Decimal(45), "up"), (Decimal(50), "")}
    assert [r.compared for r in accepted] == [0, 0]  # a rise of 45% and a share of 50%
    ClaimLink.objects.filter(claim=claim, passage=share).delete()
    claims.link_passage(campaign, users["carol"], claim.pk, rise.pk)
    accepted, _ = claims_report.claim_links(claim)
    assert [r.compared for r in accepted] == [1, 1]  # over 45% more and 50% more agree
    assert not any(r.diverges for r in accepted)


def test_a_links_range_comes_from_the_figure_of_its_passage(campaign, users):
    goggles = passage_with("selling these night vision items for $500 to $1,000")
    other = passage_with("An M16 costs around $1,400")
    claim = claims.create_claim(
        campaign, users["carol"], "Price of night vision goggles", kind="money", currency="USD"
    )
    ranged = claims.link_passage(campaign, users["carol"], claim.pk, goggles.pk)
    typed = claims.link_passage(campaign, users["carol"], claim.pk, other.pk)
    claims.update_link(campaign, users["carol"], typed.pk, {"value": Decimal(800)})
    accepted, _ = claims_report.claim_links(claim)
    rows = {r.id: r for r in accepted}
    assert (rows[ranged.pk].low, rows[ranged.pk].high) == (Decimal(500), Decimal(1000))
    assert rows[typed.pk].low is None  # a typed value matches no figure of its passage
    # $800 lies inside "$500 to $1,000", though not within the rounding of $500 alone.
    assert [r.compared for r in accepted] == [1, 1]
    assert not any(r.diverges for r in accepted)


def test_a_passage_nobody_has_labelled_has_an_unknown_attribution_not_a_missing_one(
    campaign, users, m4
):
    first, _ = m4
    claim = claims.create_claim(campaign, users["carol"], "Price of an M4 rifle")
    claims.link_passage(campaign, users["carol"], claim.pk, first.pk)
    (row,) = claims_report.claim_links(claim)[0]
    assert row.value is not None and not row.attributed
    assert "no attribution" not in row.flags
    assert "attribution not known yet (nobody has labelled the passage)" in row.flags
    outlet = first.document.source.name
    columns = claims_report.outlet_claim_columns(campaign).loc[outlet]
    assert (columns["claims_covered"], columns["claims_unattributed"]) == (1, 0)

    # A reviewer reads the passage and names no source: now the attribution is missing.
    place = Assignment.objects.filter(campaign=campaign, passage=first, slot=1).get()
    Assignment.objects.filter(pk=place.pk).update(
        reviewer=users["alice"], status=Assignment.Status.DONE
    )
    Annotation.objects.create(assignment=place, label="sourced_fact", cited_type="")
    (row,) = claims_report.claim_links(claim)[0]
    assert "no attribution" in row.flags and row.attribution_known
    columns = claims_report.outlet_claim_columns(campaign).loc[outlet]
    assert columns["claims_unattributed"] == 1
