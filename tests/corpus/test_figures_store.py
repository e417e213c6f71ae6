"""Storing figures with their ranges, changes and entities, and the migrations that add them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from corpus.figure_store import FIGURE_COLUMNS, model_columns, store_for_passages
from corpus.importer import import_path
from corpus.models import Figure, Passage

from .test_figures import SEEDS

BEFORE = [("corpus", "0003_extract_figures")]
AFTER = [("corpus", "0005_refresh_figures")]


def test_import_stores_ranges_changes_and_entities_of_the_seed_figures(db):
    assert import_path(SEEDS).ok
    low_end = Figure.objects.get(text="$500")
    assert (low_end.low, low_end.high) == (Decimal(500), Decimal(1000))
    assert Figure.objects.get(text="$1,000").low == Decimal(500)
    assert Figure.objects.get(text="over 45%").change == "up"
    assert Figure.objects.get(text="over $4,200").entity == "M4"
    assert Figure.objects.get(text="as little as $130").entity == "AK-47"
    vague = Figure.objects.filter(kind="money", low__isnull=False, text__iexact="billions").first()
    assert vague is not None and vague.high == Decimal(9_999_999_999)


def test_a_single_value_stores_no_range_and_no_change(db):
    assert import_path(SEEDS).ok
    figure = Figure.objects.get(text="Some 316,260")
    assert (figure.low, figure.high, figure.change) == (None, None, "")


@pytest.mark.django_db(transaction=True)
def test_figures_stored_before_the_new_columns_are_read_again_by_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        source = old.get_model("corpus", "Source").objects.create(name="Old", slug="old")
        text = "Tickets cost between €85 and €300, and prices doubled."
        document = old.get_model("corpus", "Document").objects.create(
            source=source, title="t", text=text, content_hash="x"
        )
        passage = old.get_model("corpus", "Passage").objects.create(
            document=document, position=0, start=0, end=len(text), text=text
        )
        old_figure = old.get_model("corpus", "Figure")
        assert "low" not in model_columns(old_figure)
        assert store_for_passages([(passage.pk, text)], old_figure) == 3  # the old columns only
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        figures = list(Figure.objects.filter(passage_id=passage.pk).order_by("start"))
        assert [(f.text, f.kind, f.low, f.high, f.change) for f in figures] == [
            ("€85", "money", Decimal(85), Decimal(300), ""),
            ("€300", "money", Decimal(85), Decimal(300), ""),
            ("doubled", "factor", None, None, "up"),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_every_figure_column_is_stored(db):
    assert model_columns(Figure) == FIGURE_COLUMNS
    assert import_path(SEEDS).ok
    text = "An F-16 costs roughly $30m, up 12%."
    document = Passage.objects.first().document
    passage = Passage.objects.create(
        document=document, position=999, start=0, end=len(text), text=text
    )
    assert store_for_passages([(passage.pk, passage.text)]) == 2
    money, percent = Figure.objects.filter(passage=passage).order_by("start")
    assert (money.qualifier, money.entity, percent.change) == ("about", "F-16", "up")
