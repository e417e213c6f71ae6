"""Store the figures of passages (corpus.figures.extract) in bulk.

Used by the importer after it inserts a batch of passages, by the data migration
that fills in figures for passages imported before figures existed, and by
``manage.py extract_figures``. Rows go in with one executemany per batch, like
the importer's passages: building a model instance per figure would cost more
than finding them.

Rows hold every column of FIGURE_COLUMNS; an older model (the historical Figure data
migration 0003 sees, before 0004 added low, high, change and entity) gets the columns it has,
read from the model, so no query asks the database what the table looks like.
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
    "low",
    "high",
    "change",
    "entity",
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
                    f.low,
                    f.high,
                    f.change,
                    f.entity,
                )
            )
    return rows


def model_columns(model):
    """The FIGURE_COLUMNS the model has, in order (new columns are appended at the end)."""
    present = {field.column for field in model._meta.concrete_fields}
    return tuple(c for c in FIGURE_COLUMNS if c in present)


def insert_rows(rows, model):
    if not rows:
        return 0
    columns = model_columns(model)
    if len(columns) < len(FIGURE_COLUMNS):
        keep = [FIGURE_COLUMNS.index(c) for c in columns]
        rows = [tuple(row[i] for i in keep) for row in rows]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i : i + BATCH])
    return len(rows)


def store_for_passages(passages, model=None):
    """Extract and insert the figures of (passage id, text) pairs; return how many.

    ``model``: the Figure model (a migration passes its historical one)."""
    if model is None:
        from corpus.models import Figure as model
    return insert_rows(figure_rows(passages), model)


def store_for_documents(document_ids):
    """Figures for every passage of these documents (which must have none yet)."""
    from corpus.models import Figure, Passage

    passages = Passage.objects.filter(document_id__in=document_ids).values_list("id", "text")
    return store_for_passages(passages.iterator(chunk_size=5000), Figure)


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
        total += store_for_passages(chunk, Figure)
    return total
