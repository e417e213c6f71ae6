"""A synthetic corpus and campaign, written straight to the database (Django must be set up).

    corpus = synthetic.add_corpus(sizes=[50] * 2_000)          # 20 outlets, 100,000 passages
    campaign = synthetic.add_campaign("Bench", "bench", overlap=3, document_ids=corpus.document_ids)
    reviewers = synthetic.add_reviewers(campaign, 50)           # reviewer00 .. reviewer49

Rows go in with bulk_create or raw inserts (`database.insert_rows`), not through the app's
services: the benchmarks time the app, not their own set-up. Reviewer places and annotations
depend on what a benchmark measures, so each script adds its own (`labelled_campaign` for
a finished campaign; `annotate_page` fills the places `sync_slots` makes).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import NamedTuple

from bench.database import insert_rows, reset_sequences

N_OUTLETS = 20
N_REVIEWERS = 50


class Corpus(NamedTuple):
    document_ids: list[int]
    passage_ids: list[int]  # in reading order: document by document, passage by passage


def statement(d, p):
    """Default passage text: short, so a million-annotation database stays small."""
    return f"Document {d} makes statement {p}."


def article(d):
    return f"Article {d}"


def add_corpus(
    sizes,
    *,
    n_outlets=N_OUTLETS,
    outlet_of_document=None,
    title=article,
    passage_text=statement,
    headline_first=False,
):
    """Outlets "Outlet 00" … and one document per entry of `sizes` with that many passages.

    Document d belongs to outlet `outlet_of_document[d]` (default d modulo n_outlets); its
    text is its passages' texts `passage_text(d, p)` joined by one space, each passage
    spanning its own text. The first passage of each document is its headline when
    `headline_first`, else every passage is body text.
    """
    from django.db import transaction
    from django.db.models import Max

    from corpus.models import Document, Passage, Source, content_hash

    if outlet_of_document is None:
        outlet_of_document = [d % n_outlets for d in range(len(sizes))]
    with transaction.atomic():
        outlets = Source.objects.bulk_create(
            Source(name=f"Outlet {i:02d}", slug=f"outlet-{i:02d}", domain=f"outlet{i:02d}.example")
            for i in range(n_outlets)
        )
        texts = [[passage_text(d, p) for p in range(size)] for d, size in enumerate(sizes)]
        documents = Document.objects.bulk_create(
            (
                Document(
                    source=outlets[outlet_of_document[d]],
                    title=title(d),
                    text=" ".join(parts),
                    content_hash=content_hash(" ".join(parts)),
                )
                for d, parts in enumerate(texts)
            ),
            batch_size=2000,
        )
        document_ids = [doc.pk for doc in documents]
        first = (Passage.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        body = Passage.Kind.BODY.value  # plain strings: raw inserts take no enums
        kinds = (Passage.Kind.HEADLINE.value if headline_first else body, body)

        def rows():
            pk = first
            for doc_id, parts in zip(document_ids, texts, strict=True):
                start = 0
                for p, text in enumerate(parts):
                    yield (pk, doc_id, p, start, start + len(text), text, kinds[p > 0])
                    start += len(text) + 1  # the space between passages
                    pk += 1

        columns = ["id", "document", "position", "start", "end", "text", "kind"]
        insert_rows(Passage, columns, rows())
        reset_sequences(Passage)
    return Corpus(document_ids, list(range(first, first + sum(sizes))))


def add_campaign(name, slug, *, overlap, document_ids=(), **fields):
    """A campaign with the default scheme and these documents in this reading order."""
    from annotate.campaigns.defaults import default_scheme
    from annotate.models import Campaign, CampaignDocument

    campaign = Campaign.objects.create(
        name=name, slug=slug, scheme=default_scheme(), overlap=overlap, **fields
    )
    CampaignDocument.objects.bulk_create(
        (
            CampaignDocument(campaign=campaign, document_id=pk, position=i)
            for i, pk in enumerate(document_ids)
        ),
        batch_size=2000,
    )
    return campaign


def add_reviewers(campaign, n=N_REVIEWERS, *, prefix="reviewer", password="!"):
    """Users prefix00, prefix01, … with the reviewer role in the campaign.

    password is the stored hash: "!" (no usable password) unless a script logs in for real;
    benchmarks that use the test client's force_login need none.
    """
    from django.contrib.auth import get_user_model

    from annotate.models import Membership

    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{i:02d}", password=password) for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(campaign=campaign, user=u, role=Membership.Role.REVIEWER) for u in users
    )
    return users


def write_jsonl(path, records):
    """One JSON object per line, UTF-8 as written: the importer's .jsonl input. Prints and
    returns how many documents and megabytes."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    megabytes = Path(path).stat().st_size / 1024 / 1024
    print(f"wrote {count} documents, {megabytes:.1f} MB, to {path}")
    return count, megabytes


def import_timed(path):
    """Import a file with the app's importer (corpus.importer.import_path, as
    `manage.py import_corpus` does); exit with its first errors if it fails.

    Returns (report, wall seconds, os.times() before, os.times() after): the times tell this
    process's CPU from the segmentation workers'."""
    from corpus.importer import import_path

    started, before = time.perf_counter(), os.times()
    report = import_path(path)
    seconds, after = time.perf_counter() - started, os.times()
    if not report.ok:
        sys.exit("import failed:\n" + "\n".join(report.errors[:20]))
    return report, seconds, before, after
