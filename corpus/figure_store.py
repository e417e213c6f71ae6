"""Store the figures of passages (corpus.figures.extract) in bulk.

Used by the importer after it inserts a batch of passages, by the data migration
that fills in figures for passages imported before figures existed, and by
``manage.py extract_figures``. Rows go in with one executemany per batch, like
the importer's passages: building a model instance per figure would cost more
than finding them.
"""

from django.db import connection

from corpus.figures import extract

FIGURE_COLUMNS = (
    "passage_id",
    "kind",
    "value",
    "currency",
    "unit",
    "qualifier",
    "text",
    "start",
    "end",
)
BATCH = 20_000


def figure_rows(passages):
    """Rows (in FIGURE_COLUMNS order) for (passage id, text) pairs."""
    rows = []
    for passage_id, text in passages:
        for f in extract(text):
            rows.append(
                (
                    passage_id,
                    f.kind,
                    f.value,
                    f.currency,
                    f.unit,
                    f.qualifier,
                    f.text,
                    f.start,
                    f.end,
                )
            )
    return rows


def insert_rows(rows, table="corpus_figure"):
    if not rows:
        return 0
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table),
        ", ".join(quote(c) for c in FIGURE_COLUMNS),
        ", ".join(["%s"] * len(FIGURE_COLUMNS)),
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i : i + BATCH])
    return len(rows)


def store_for_passages(passages, table="corpus_figure"):
    """Extract and insert the figures of (passage id, text) pairs; return how many."""
    return insert_rows(figure_rows(passages), table)


def store_for_documents(document_ids):
    """Figures for every passage of these documents (which must have none yet)."""
    from corpus.models import Figure, Passage

    passages = Passage.objects.filter(document_id__in=document_ids).values_list("id", "text")
    return store_for_passages(passages.iterator(chunk_size=5000), Figure._meta.db_table)


def refresh(passage_queryset):
    """Replace the figures of the passages in a queryset; return how many were stored."""
    from corpus.models import Figure

    Figure.objects.filter(passage__in=passage_queryset.values("pk")).delete()
    total = 0
    ids = list(passage_queryset.values_list("pk", flat=True).order_by("pk"))
    for i in range(0, len(ids), BATCH):
        chunk = passage_queryset.model.objects.filter(pk__in=ids[i : i + BATCH]).values_list(
            "id", "text"
        )
        total += store_for_passages(chunk, Figure._meta.db_table)
    return total
