"""Benchmark: the agreement dashboard of a campaign with 1,000,000 annotations in the database.

Run with `.venv/bin/python bench/agreement.py` (SQLite in a temporary file, via SQLITE_PATH)
or add `--database-url postgres://postgres@127.0.0.1:5432/credence_bench` for PostgreSQL; that
database is dropped and created afresh, so its name must contain "bench".

A child process migrates the empty database and writes the campaign: 300,000 passages in
about 6,000 documents from 20 outlets, 50 reviewers, 3 or 4 reviewers per passage (exactly
1,000,000 annotations), one done assignment per annotation. Labels follow a latent true
passage type (50/30/20 %) that each reviewer reproduces with a personal accuracy of 70-95 %;
cited-source type and the four bias markers follow the same pattern. Rows go in with raw
executemany (SQLite) or COPY (PostgreSQL) in batches of 100,000.

This process then times, on the database:
  (a) load_s: annotate.frames.annotation_frame(campaign)
  (b) alpha_s: annotate.agreement.krippendorff_alpha on item/annotator/label of that frame
      (best of 3), and krippendorff_pivot_s: the `krippendorff` package on an annotator x item
      pandas pivot of the same data (pivot + call); both must agree to 1e-9
  (c) report_s: annotate.frames.agreement_tables(campaign, n_boot=1000), the whole dashboard
      report including its own database load
and peak memory (resource.getrusage maxrss of this process; the generator's peak is printed
separately). It ends with exactly one line:

    RESULT annotations=... load_s=... alpha_s=... krippendorff_pivot_s=... report_s=... peak_mb=...

Targets: alpha_s under 0.5 s and 3x faster than krippendorff_pivot_s; report_s under 10 s on
SQLite and PostgreSQL; peak under 1.5 GB.
"""

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from agreement_core import best_of  # bench/ is on sys.path when this script runs

ROOT = Path(__file__).resolve().parent.parent
BATCH = 100_000
N_OUTLETS = 20
N_REVIEWERS = 50
CAMPAIGN = "Agreement benchmark"
LABELS = ["sourced_fact", "attributed_claim", "opinion"]
CITED = ["", "named_person", "official_body", "document", "anonymous", "other_outlet"]
MARKERS = ["loaded_language", "one_sided_framing", "speculation_as_fact", "emotional_appeal"]
CONFIDENCE = ["low", "medium", "high"]


def setup_django(database_url, sqlite_path):
    os.environ["DJANGO_SETTINGS_MODULE"] = "credence.settings"
    os.environ["DEBUG"] = "false"  # no query log
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(sqlite_path)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ---------------------------------------------------------------------------- generation


def synthetic(n_passages, seed):
    """Arrays describing the corpus and 1,000,000 (for 300,000 passages) annotations."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sizes = []
    while sum(sizes) < n_passages:
        sizes.append(int(rng.integers(20, 81)))  # 20-80 passages, ~50 on average
    sizes[-1] -= sum(sizes) - n_passages
    sizes = np.array([s for s in sizes if s > 0])
    document_of = np.repeat(np.arange(len(sizes)), sizes)
    position = np.arange(n_passages) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    outlet_of_document = rng.integers(0, N_OUTLETS, size=len(sizes))

    # Exactly a third of the passages get a fourth reviewer: 3.33 on average.
    per_passage = np.full(n_passages, 3)
    per_passage[rng.permutation(n_passages)[: n_passages // 3]] = 4
    pool = np.argpartition(rng.random((n_passages, N_REVIEWERS)), 4, axis=1)[:, :4]
    take = np.arange(4)[None, :] < per_passage[:, None]
    passage = np.repeat(np.arange(n_passages), per_passage)
    reviewer = pool[take]
    slot = (
        np.arange(len(passage)) - np.repeat(np.cumsum(per_passage) - per_passage, per_passage)
    ) + 1

    n = len(passage)
    accuracy = rng.uniform(0.70, 0.95, size=N_REVIEWERS)[reviewer]
    hard = rng.random(n_passages) < 0.15  # ambiguous passages: reviewers split more often
    accuracy = np.where(hard[passage], accuracy - 0.25, accuracy)
    right = rng.random(n) < accuracy
    truth = rng.choice(3, size=n_passages, p=[0.5, 0.3, 0.2])
    label = np.where(right, truth[passage], (truth[passage] + rng.integers(1, 3, size=n)) % 3)
    cited_truth = np.select(
        [truth == 0, truth == 1],
        [rng.choice([2, 3], size=n_passages), rng.choice([1, 2, 4, 5], size=n_passages)],
        0,
    )
    cited = np.where(rng.random(n) < 0.8, cited_truth[passage], rng.integers(0, 6, size=n))
    marker_rate = np.where(truth == 2, 0.15, 0.04)
    present = rng.random((n_passages, 4)) < marker_rate[:, None]
    ticked = np.where(present[passage], rng.random((n, 4)) < 0.7, rng.random((n, 4)) < 0.03)
    mask = (ticked * (1 << np.arange(4))).sum(axis=1)
    confidence = rng.integers(0, 3, size=n)
    return {
        "sizes": sizes,
        "document_of": document_of,
        "position": position,
        "outlet_of_document": outlet_of_document,
        "passage": passage,
        "reviewer": reviewer,
        "slot": slot,
        "label": label,
        "cited": cited,
        "mask": mask,
        "confidence": confidence,
    }


def insert(model, columns, rows):
    """Insert an iterable of row tuples: COPY on PostgreSQL, executemany on SQLite, in batches."""
    from django.db import connection

    table = model._meta.db_table
    names = [model._meta.get_field(c).column for c in columns]
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    raw = connection.connection
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})"
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            raw.executemany(sql, batch)
            batch.clear()
    if batch:
        raw.executemany(sql, batch)


def generate(database_url, sqlite_path, n_passages, seed):
    """Child process: migrate, then write the corpus and the campaign's annotations."""
    setup_django(database_url, sqlite_path)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from annotate.campaigns.defaults import default_scheme
    from annotate.models import Annotation, Assignment, Campaign, CampaignDocument
    from corpus.models import Document, Passage, Source, content_hash

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    data = synthetic(n_passages, seed)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        sources = Source.objects.bulk_create(
            Source(name=f"Outlet {i:02d}", slug=f"outlet-{i:02d}") for i in range(N_OUTLETS)
        )
        texts = []
        for d, size in enumerate(data["sizes"]):
            texts.append([f"Document {d} makes statement {p}." for p in range(size)])
        documents = []
        for d, sentences in enumerate(texts):
            text = " ".join(sentences)
            documents.append(
                Document(
                    source=sources[data["outlet_of_document"][d]],
                    title=f"Article {d}",
                    text=text,
                    content_hash=content_hash(text),
                )
            )
        documents = Document.objects.bulk_create(documents, batch_size=2000)
        doc_ids = [d.pk for d in documents]

        def passage_rows():
            pk = 0
            for d, sentences in enumerate(texts):
                start = 0
                for p, sentence in enumerate(sentences):
                    pk += 1
                    yield (pk, doc_ids[d], p, start, start + len(sentence), sentence, "body")
                    start += len(sentence) + 1

        insert(
            Passage, ["id", "document", "position", "start", "end", "text", "kind"], passage_rows()
        )
        reviewers = get_user_model().objects.bulk_create(
            get_user_model()(username=f"reviewer{i:02d}", password="!") for i in range(N_REVIEWERS)
        )
        reviewer_ids = [r.pk for r in reviewers]
        campaign = Campaign.objects.create(
            name=CAMPAIGN,
            slug="agreement-benchmark",
            scheme=default_scheme(),
            overlap=4,
            status=Campaign.Status.CLOSED,
        )
        CampaignDocument.objects.bulk_create(
            (
                CampaignDocument(campaign=campaign, document_id=pk, position=i)
                for i, pk in enumerate(doc_ids)
            ),
            batch_size=2000,
        )
        passage_id = (data["passage"] + 1).tolist()  # passages were numbered 1..n in order
        reviewer_id = [reviewer_ids[r] for r in data["reviewer"].tolist()]
        n = len(passage_id)
        insert(
            Assignment,
            ["id", "campaign", "passage", "slot", "sequence", "reviewer", "status", "done_at"],
            zip(
                range(1, n + 1),
                [campaign.pk] * n,
                passage_id,
                data["slot"].tolist(),
                data["passage"].tolist(),
                reviewer_id,
                ["done"] * n,
                [now] * n,
                strict=True,
            ),
        )
        marker_json = [
            json.dumps([m for j, m in enumerate(MARKERS) if mask >> j & 1]) for mask in range(16)
        ]
        insert(
            Annotation,
            [
                "id",
                "assignment",
                "label",
                "cited_source",
                "cited_type",
                "markers",
                "confidence",
                "note",
                "created_at",
                "updated_at",
            ],
            zip(
                range(1, n + 1),
                range(1, n + 1),
                [LABELS[v] for v in data["label"].tolist()],
                [""] * n,
                [CITED[v] for v in data["cited"].tolist()],
                [marker_json[v] for v in data["mask"].tolist()],
                [CONFIDENCE[v] for v in data["confidence"].tolist()],
                [""] * n,
                [now] * n,
                [now] * n,
                strict=True,
            ),
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Passage, Assignment, Annotation]
                ):
                    cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"generated {n:,} annotations on {n_passages:,} passages in {len(doc_ids):,} documents "
        f"({connection.vendor}) in {time.perf_counter() - started:.1f} s; generator peak {peak_mb():.0f} MB",
        flush=True,
    )


# ---------------------------------------------------------------------------- measurement


def time_frame_and_alpha(campaign):
    """(a) and (b): load the frame, then alpha from it and from the krippendorff package."""
    import warnings

    import krippendorff

    from annotate.agreement import krippendorff_alpha
    from annotate.frames import annotation_frame

    start = time.perf_counter()
    frame = annotation_frame(campaign)
    load_s = time.perf_counter() - start
    df = frame[["item", "annotator", "label"]]
    alpha_s, ours = best_of(lambda: krippendorff_alpha(df), 3)

    def package():
        # The package wants numbers with NaN for missing: code the labels, pivot, call.
        codes = df["label"].cat.codes.astype(float)
        table = df.assign(code=codes).pivot(index="annotator", columns="item", values="code")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return krippendorff.alpha(
                reliability_data=table.to_numpy(), level_of_measurement="nominal"
            )

    pivot_s, reference = best_of(package, 1)
    if abs(ours - reference) > 1e-9:
        sys.exit(f"MISMATCH alpha={ours!r} krippendorff={reference!r}")
    return len(frame), load_s, alpha_s, pivot_s, ours, reference


def measure(profile):
    from annotate.agreement.selectors import agreement_tables
    from annotate.models import Annotation, Campaign

    campaign = Campaign.objects.select_related("scheme").get(name=CAMPAIGN)
    count = Annotation.objects.filter(assignment__campaign=campaign).count()
    rows, load_s, alpha_s, pivot_s, ours, reference = time_frame_and_alpha(campaign)
    assert rows == count

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    tables = agreement_tables(campaign, n_boot=1000)
    report_s = time.perf_counter() - start
    if profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    for row in tables["overall"].itertuples():
        print(
            f"  {row.dimension:<37} alpha={row.alpha:.4f} [{row.alpha_low:.4f}, {row.alpha_high:.4f}] "
            f"observed={row.percent_agreement:.4f} ac1={row.ac1:.4f}"
        )
    print(
        f"alpha={ours:.9f} (krippendorff package {reference:.9f}); speedup {pivot_s / alpha_s:.1f}x; "
        f"{len(tables['documents'])} documents, {len(tables['outlets'])} outlets, "
        f"{len(tables['reviewers'])} reviewers, {len(tables['pairs'])} pairs"
    )
    print(
        f"RESULT annotations={count} load_s={load_s:.3f} alpha_s={alpha_s:.3f} "
        f"krippendorff_pivot_s={pivot_s:.3f} report_s={report_s:.3f} peak_mb={peak_mb():.0f}"
    )


def recreate_postgres_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            f"refusing to drop database {name!r}: the benchmark database's name must contain 'bench'"
        )
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL (dropped and recreated); default SQLite in a temp file",
    )
    parser.add_argument("--passages", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the report and print the top entries"
    )
    parser.add_argument(
        "--reuse",
        metavar="SQLITE_FILE",
        nargs="?",
        const="",
        help="measure an already generated database (this SQLite file, or --database-url) again",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="credence-agreement-bench-"))
    sqlite_path = Path(args.reuse) if args.reuse else workdir / "bench.sqlite3"
    try:
        if args.reuse is not None:
            setup_django(args.database_url, sqlite_path)
            measure(args.profile)
            return
        if args.database_url:
            recreate_postgres_database(args.database_url)
        # A separate process writes the data, so peak_mb measures loading and the report only.
        child = multiprocessing.get_context("spawn").Process(
            target=generate, args=(args.database_url, sqlite_path, args.passages, args.seed)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit(f"generation failed (exit code {child.exitcode})")
        setup_django(args.database_url, sqlite_path)
        measure(args.profile)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
