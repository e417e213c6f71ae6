"""The agreement dashboard and its CSV downloads (annotate/agreement_views.py)."""

import csv
import io
import json
import math
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotate.agreement.selectors import agreement_tables
from annotate.queue import services
from tests.annotate.test_frames import label_passages
from tests.conftest import login, make_campaign

TABLES = ["overall", "outlets", "documents", "labels", "reviewers", "pairs", "coincidences"]
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


@pytest.fixture
def labelled(campaign, users):
    """The seed campaign (overlap 2) with 30 passages labelled by alice and bob, 10 more by dave."""
    label_passages(campaign, [users["alice"], users["bob"]], 30)
    label_passages(campaign, [users["dave"]], 10)
    return campaign


def single_label(campaign, users, count=12):
    for reviewer in (users["alice"], users["bob"]):
        for _ in range(count):
            a = services.claim_next(campaign, reviewer)
            services.save_annotation(
                campaign,
                reviewer,
                a.pk,
                {
                    "label": "opinion",
                    "cited_source": "",
                    "cited_type": "",
                    "markers": [],
                    "confidence": "medium",
                    "note": "",
                },
            )
    return campaign


def dashboard(client, campaign):
    return client.get(reverse("annotate:agreement", args=[campaign.slug]))


def download(client, campaign, table):
    return client.get(reverse("annotate:agreement_csv", args=[campaign.slug, table]))


@pytest.mark.parametrize("name", ["carol", "mike", "staff"])
def test_curators_managers_and_staff_see_the_dashboard_and_every_csv(client, labelled, users, name):
    login(client, users[name])
    assert dashboard(client, labelled).status_code == 200
    for table in TABLES:
        response = download(client, labelled, table)
        assert response.status_code == 200, table
        assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("name", ["alice", "olga"])
def test_reviewers_and_other_campaigns_members_get_404_for_dashboard_and_csv(
    client, labelled, other_campaign, users, name
):
    login(client, users[name])
    assert dashboard(client, labelled).status_code == 404
    assert download(client, labelled, "overall").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, labelled):
    for response in (dashboard(client, labelled), download(client, labelled, "overall")):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unknown_table_is_404(client, labelled, users):
    login(client, users["carol"])
    assert download(client, labelled, "secrets").status_code == 404


def test_dashboard_shows_alpha_its_interval_the_thresholds_observed_agreement_and_ac1(
    client, labelled, users
):
    row = agreement_tables(labelled)["overall"].iloc[0]
    assert row["dimension"] == "passage type" and not math.isnan(row["alpha"])
    login(client, users["carol"])
    html = dashboard(client, labelled).content.decode()
    assert f'<strong id="overall-alpha">{row["alpha"]:.3f}</strong>' in html
    if math.isnan(row["alpha_low"]):  # too few documents to resample: no interval, a reason
        assert row["interval_note"] and f"95% interval undefined ({row['interval_note']})" in html
    else:
        assert f"95% interval {row['alpha_low']:.3f} – {row['alpha_high']:.3f}" in html
        assert row["alpha_low"] < row["alpha_high"]
    assert "0.800 or more is reliable, 0.667 or more allows tentative conclusions" in html
    assert f"Observed agreement <strong>{row['percent_agreement']:.3f}</strong>" in html
    assert f"Gwet's AC1 <strong>{row['ac1']:.3f}</strong>" in html
    assert f"Reading: <strong>{row['reading']}</strong>" in html
    assert 'id="heatmap"' in html
    for table in TABLES:
        if table != "pairs":
            assert f'id="table-{table}"' in html
    assert not NAN.search(html)


def test_single_label_campaign_shows_undefined_and_never_nan(client, campaign, users):
    single_label(campaign, users)
    login(client, users["carol"])
    html = dashboard(client, campaign).content.decode()
    assert "undefined (every paired annotation uses the same label" in html
    assert "undefined" in html.split('id="table-outlets"')[1]
    assert not NAN.search(html)


def test_campaign_without_annotations_says_so_and_never_shows_nan(client, campaign, users):
    login(client, users["carol"])
    html = dashboard(client, campaign).content.decode()
    assert "No annotations yet" in html
    assert not NAN.search(html)


def test_undefined_interval_is_shown_as_undefined_not_nan(client, campaign, users, monkeypatch):
    import annotate.agreement.views as views

    single_label(campaign, users, count=4)
    real = views.agreement_tables

    def tables_with_undefined_interval(c):
        tables = real(c)
        tables["overall"].loc[0, ["alpha", "alpha_low", "alpha_high", "note"]] = [
            0.5,
            math.nan,
            math.nan,
            "",
        ]
        return tables

    monkeypatch.setattr(views, "agreement_tables", tables_with_undefined_interval)
    login(client, users["carol"])
    html = dashboard(client, campaign).content.decode()
    assert "0.500" in html and "95% interval undefined" in html
    assert not NAN.search(html)


def as_number(cell):
    return None if cell == "" else cell


def same_value(csv_cell, json_value):
    if json_value is None:
        return csv_cell == ""
    if isinstance(json_value, bool):
        return csv_cell == str(json_value)
    if isinstance(json_value, int | float):
        return math.isclose(float(csv_cell), json_value, rel_tol=0, abs_tol=1e-12)
    return csv_cell == str(json_value)


def command_json(campaign):
    out = io.StringIO()
    call_command("agreement", "--campaign", campaign.name, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("which", ["labelled", "single label"])
def test_every_csv_download_has_the_same_numbers_as_the_agreement_command(
    client, campaign, users, which
):
    if which == "labelled":
        label_passages(campaign, [users["alice"], users["bob"]], 30)
        label_passages(campaign, [users["dave"]], 10)
    else:
        single_label(campaign, users)
    expected = command_json(campaign)
    assert list(expected) == TABLES
    login(client, users["mike"])
    for table in TABLES:
        rows = list(csv.reader(io.StringIO(download(client, campaign, table).content.decode())))
        header, body = rows[0], rows[1:]
        assert len(body) == len(expected[table]), table
        for cells, record in zip(body, expected[table], strict=True):
            assert header == list(record), table
            for column, cell in zip(header, cells, strict=True):
                assert same_value(cell, record[column]), (table, column, cell, record[column])
    overall = expected["overall"][0]
    assert overall["alpha_low"] is not None or overall["interval_note"]


def dashboard_queries(client, campaign):
    with CaptureQueriesContext(connection) as captured:
        assert dashboard(client, campaign).status_code == 200
    return len(captured.captured_queries)


def test_dashboard_query_count_is_small_and_does_not_grow_with_annotations(
    client, seed_corpus, users
):
    few = make_campaign("Few", seed_corpus, users, overlap=2)
    many = make_campaign("Many", seed_corpus, users, overlap=3)
    label_passages(few, [users["alice"], users["bob"]], 2)
    label_passages(many, [users["alice"], users["bob"], users["dave"]], 40)
    login(client, users["carol"])
    dashboard_queries(client, few)  # warm caches (content types, sessions)
    small = dashboard_queries(client, few)
    assert small == dashboard_queries(client, many)
    # 10 for the passage-type tables, 3 for span agreement and agreement per guidelines
    # version (answers with their spans, reviewers' names, annotated passages' texts), 1 for
    # whether the campaign is small enough to compute in the request (annotate.jobs.cache).
    assert small <= 14


def test_every_column_of_every_table_can_be_sorted_both_ways(client, labelled, users, monkeypatch):
    import annotate.agreement.views as views

    tables = agreement_tables(labelled, n_boot=50)
    monkeypatch.setattr(
        views, "agreement_tables", lambda campaign: {k: v.copy() for k, v in tables.items()}
    )
    login(client, users["carol"])
    url = reverse("annotate:agreement", args=[labelled.slug])
    shown = {name: list(frame.columns) for name, frame in tables.items() if name != "pairs"}
    for position in range(max(len(columns) for columns in shown.values())):
        for sign in ("", "-"):
            sorts = {
                f"{name}-sort": sign + str(columns[position])
                for name, columns in shown.items()
                if position < len(columns)
            }
            response = client.get(url, sorts)
            assert response.status_code == 200, sorts
            assert not NAN.search(response.content.decode())


def run_agreement(*args):
    out = io.StringIO()
    call_command("agreement", *args, stdout=out)
    return out.getvalue()


def test_agreement_command_text_reads_undefined_for_a_single_label_campaign(campaign, users):
    single_label(campaign, users)
    text = run_agreement("--campaign", campaign.slug, "--boot", "0")
    assert "== overall ==" in text and "undefined" in text
    assert not NAN.search(text)


def test_agreement_command_csv_sections_parse_to_the_json_numbers(labelled):
    expected = command_json(labelled)
    text = run_agreement("--campaign", labelled.name, "--format", "csv")
    sections = {}
    for block in text.split("# ")[1:]:
        name, _, body = block.partition("\n")
        sections[name] = list(csv.reader(io.StringIO(body)))
    assert list(sections) == TABLES
    for name, rows in sections.items():
        assert len(rows) - 1 == len(expected[name]), name
        for cells, record in zip(rows[1:], expected[name], strict=True):
            assert rows[0] == list(record)
            assert all(
                same_value(cell, record[c]) for c, cell in zip(rows[0], cells, strict=True)
            ), name


def test_agreement_command_refuses_an_unknown_table_or_campaign(campaign):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="invalid choice"):
        run_agreement("--campaign", campaign.name, "--table", "secrets")
    with pytest.raises(CommandError, match="No campaign called 'Nope'.*Seed campaign"):
        run_agreement("--campaign", "Nope")


def test_long_tables_are_paged_and_the_csv_still_holds_every_row(
    client, labelled, users, monkeypatch
):
    import pandas as pd

    import annotate.agreement.views as views

    real = views.agreement_tables

    def with_many_documents(campaign, **kwargs):
        tables = real(campaign, **kwargs)
        row = tables["documents"].iloc[:1]
        many = pd.concat(
            [
                row.assign(document=row["document"].iloc[0] + i, title=f"Doc {i:03d}")
                for i in range(120)
            ]
        )
        tables["documents"] = many.reset_index(drop=True)
        return tables

    monkeypatch.setattr(views, "agreement_tables", with_many_documents)
    login(client, users["carol"])
    first = dashboard(client, labelled).content.decode()
    assert "Doc 000" in first and "Doc 049" in first and "Doc 050" not in first
    third = client.get(
        reverse("annotate:agreement", args=[labelled.slug]), {"documents-page": 3}
    ).content.decode()
    assert "Doc 100" in third and "Doc 000" not in third
    rows = list(csv.reader(io.StringIO(download(client, labelled, "documents").content.decode())))
    assert len(rows) == 121


def test_agreement_command_refuses_a_negative_number_of_replicates(campaign):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="must be 0 or more"):
        run_agreement("--campaign", campaign.name, "--boot", "-5")
