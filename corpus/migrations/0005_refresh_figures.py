"""Read the figures of every passage again: the extractor now finds shares, factors,
ranges, changes and entities (issue 16), which figures stored before lack."""

from django.db import migrations

BATCH = 20_000


def refresh_all(apps, schema_editor):
    from corpus.figure_store import store_for_passages

    Passage = apps.get_model("corpus", "Passage")
    Figure = apps.get_model("corpus", "Figure")
    ids = list(Passage.objects.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return
    Figure.objects.all().delete()
    for i in range(0, len(ids), BATCH):
        rows = Passage.objects.filter(pk__in=ids[i : i + BATCH]).values_list("id", "text")
        store_for_passages(rows, Figure)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0004_figure_range_change_entity")]

    operations = [migrations.RunPython(refresh_all, migrations.RunPython.noop)]
