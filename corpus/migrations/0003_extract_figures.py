"""Find the figures of passages imported before figures existed."""

from django.db import migrations

BATCH = 20_000


def extract_existing(apps, schema_editor):
    from corpus.figure_store import store_for_passages

    Passage = apps.get_model("corpus", "Passage")
    Figure = apps.get_model("corpus", "Figure")
    done = set(Figure.objects.values_list("passage_id", flat=True).distinct())
    ids = [pk for pk in Passage.objects.order_by("pk").values_list("pk", flat=True) if pk not in done]
    for i in range(0, len(ids), BATCH):
        rows = Passage.objects.filter(pk__in=ids[i : i + BATCH]).values_list("id", "text")
        store_for_passages(rows, Figure)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0002_figure")]

    operations = [migrations.RunPython(extract_existing, migrations.RunPython.noop)]
