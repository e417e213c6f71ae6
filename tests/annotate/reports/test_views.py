"""Report pages and downloads: who may see them, what they show, and a query count that does
not grow with the campaign."""

import re

import pytest
from django.urls import reverse

from annotate.reports import exports
from annotate.reports.selectors import outlet_report_frame
from tests.annotate.report_support import small_campaign
from tests.annotate.test_frames import label_passages
from tests.conftest import login, make_campaign

PAGES = ["reports", "report_documents", "report_reviewers"]
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


@pytest.fixture
def small(users):
    return small_campaign(users)[0]


def page(client, campaign, name, **params):
    return client.get(reverse(f"annotate:{name}", args=[campaign.slug]), params)


def download(client, campaign, kind, **params):
    return client.get(reverse("annotate:export", args=[campaign.slug, kind]), params)


@pytest.mark.parametrize("name", ["carol", "mike", "staff"])
def test_curators_managers_and_staff_see_every_page_and_download(client, small, users, name):
    login(client, users[name])
    for view in PAGES:
        assert page(client, small, view).status_code == 200, view
    for kind in exports.KINDS:
        response = download(client, small, kind)
        assert response.status_code == 200, kind
        b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["alice", "olga"])
def test_reviewers_and_other_campaigns_members_get_404(client, small, other_campaign, users, name):
    login(client, users[name])
    for view in PAGES:
        assert page(client, small, view).status_code == 404, view
    for kind in exports.KINDS:
        assert download(client, small, kind).status_code == 404, kind
        assert download(client, small, kind, anonymise="1").status_code == 404, kind


def test_anonymous_visitors_are_sent_to_log_in(client, small):
    for response in (page(client, small, "reports"), download(client, small, "annotations.csv")):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_export_is_404_and_a_bad_anonymise_value_is_a_clear_400(client, small, users):
    login(client, users["carol"])
    assert download(client, small, "passwords.csv").status_code == 404
    response = download(client, small, "outlets.csv", anonymise="yes")
    assert response.status_code == 400 and b"anonymise must be 0 or 1" in response.content


def test_outlet_page_shows_chart_unresolved_counts_confidence_and_column_notes(
    client, small, users
):
    login(client, users["carol"])
    html = page(client, small, "reports").content.decode()
    assert '<svg class="chart" id="share-chart"' in html
    # Alpha: 4 resolved passages in two documents, 2 claims: a bar of 50% whose whisker is the
    # interval with documents as clusters; Beta (one document): 1 of 1 opinion, no whisker.
    alpha = outlet_report_frame(small).set_index("outlet").loc["Alpha"]
    low, high = alpha["share_attributed_claim_doc_low"], alpha["share_attributed_claim_doc_high"]
    assert (
        "Alpha, Attributed claim: 50.0% (95% interval, documents as clusters: "
        f"{100 * low:.1f}–{100 * high:.1f}%), 2 of 4 resolved passages"
    ) in html
    assert (
        "Beta, Opinion: 100.0% (no interval: one document: cannot resample documents), "
        "1 of 1 resolved passages"
    ) in html
    assert html.count('class="whisker"') == 3 * 3  # three lines for each of Alpha's bars
    assert '<strong id="unresolved-count">3 unresolved</strong>' in html
    assert "8 passages" in html and "5 with a final label" in html
    table = html.split("<table")[1]
    assert table.count(">initial reading</span></td>") == 2
    # Grouped columns, display names, each header once.
    assert ">Sample</th>" in html and ">Final labels</th>" in html and ">Agreement</th>" in html
    assert ">Attributed claim</a>" in html and "attributed_claim<" not in html
    assert table.count(">by curator</a>") == 1 and table.count(">by majority</a>") == 1
    assert (
        "from 15 rated documents up (documents_rated); below that an initial reading, not a rating"
        in html
    )
    assert "undefined" in html  # Beta's anonymous-claim share: no claims
    assert "interval resamples passages, not documents" in html
    for column in (
        "share_&lt;type&gt;",
        "anonymous_claim_share",
        "markers_per_100",
        "alpha_low",
        "confidence",
        "unresolved",
        "claims_covered",
    ):
        assert f"<code>{column}</code>" in html, column
    assert not NAN.search(html)
    assert "style=" not in html and "<script" not in html


def test_document_and_reviewer_pages_show_their_rows(client, small, users):
    login(client, users["carol"])
    html = page(client, small, "report_documents").content.decode()
    assert all(title in html for title in ("D1", "D2", "D3"))
    assert 'undefined<span class="detail">everyone used one label</span>' in html  # D2's alpha
    assert not NAN.search(html)
    html = page(client, small, "report_reviewers").content.decode()
    assert "alice" in html and "bob" in html
    # bob: 4 of 5 with the final label, Wilson 37.6-96.4% in whole percentages under it
    assert '80.0%<span class="detail range">38–96%</span>' in html
    assert "4 min 00 s" not in html and "12 min 00 s" in html  # alice: 6 × 20 s + 10 min cap
    assert not NAN.search(html)


def test_every_column_of_the_outlet_and_document_tables_sorts_both_ways(client, small, users):
    login(client, users["carol"])
    for view, prefix in (("reports", "outlets-"), ("report_documents", "documents-")):
        html = page(client, small, view).content.decode()
        keys = set(re.findall(rf"\?{prefix}sort=([\w-]+)", html))
        assert len(keys) > 10
        for key in keys:
            for sign in ("", "-"):
                response = page(client, small, view, **{f"{prefix}sort": sign + key.lstrip("-")})
                assert response.status_code == 200 and not NAN.search(response.content.decode())


def queries(client, campaign, django_assert_max_num_queries, view, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert page(client, campaign, view).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "view,limit", [("reports", 16), ("report_documents", 14), ("report_reviewers", 14)]
)
def test_query_count_is_small_and_does_not_grow_with_the_campaign(
    client, seed_corpus, users, view, limit, django_assert_max_num_queries
):
    few = make_campaign("Few", seed_corpus[:2], users, overlap=2)
    many = make_campaign("Many", seed_corpus, users, overlap=3)
    label_passages(few, [users["alice"]], 2)
    label_passages(many, [users["alice"], users["bob"], users["dave"]], 40)
    login(client, users["carol"])
    page(client, few, view)  # warm caches (sessions, content types)
    small = queries(client, few, django_assert_max_num_queries, view, limit)
    assert small == queries(client, many, django_assert_max_num_queries, view, limit)


def test_agreement_dashboard_reviewers_table_shows_agreement_with_the_final_label(
    client, small, users
):
    login(client, users["carol"])
    html = client.get(reverse("annotate:agreement", args=[small.slug])).content.decode()
    table = html.split('id="table-reviewers"')[1].split("</table>")[0]
    assert "agreement with final" in table and "0.800" in table and "1.000" in table


def test_comparisons_page_plots_each_measure_and_falls_back_on_an_unknown_one(client, small, users):
    campaign = small
    login(client, users["carol"])
    url = reverse("annotate:report_comparisons", args=[campaign.slug])
    html = client.get(url, {"measure": "share_opinion"}).content.decode()
    assert 'id="forest-plot"' in html and "<strong>Opinion share</strong>" in html
    # Two outlets of one or two documents each: too few to compare, said, never a number.
    assert "too few documents to compare" in html
    assert "Holm" in html or "holm" in html
    fallback = client.get(url, {"measure": "<script>"}).content.decode()
    assert "<strong>Sourced fact share</strong>" in fallback and "<script>" not in fallback
    csv_text = b"".join(
        client.get(
            reverse("annotate:export", args=[campaign.slug, "comparisons.csv"])
        ).streaming_content
    ).decode()
    assert csv_text.splitlines()[0].startswith("comparison,outlet_a,outlet_b,measure")
