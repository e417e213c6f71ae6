"""The finished campaign of bench.agreement and bench.export: about 1,000,000 annotations.

300,000 passages (the default) in about 6,000 documents of 20-80 passages from 20 outlets,
50 reviewers, 3 or 4 reviewers per passage (exactly a third get a fourth: 1,000,000
annotations), one done place per annotation. Labels follow a latent true passage type
(50/30/20 %) that each reviewer reproduces with a personal accuracy of 70-95 % (25 points
less on the 15 % of passages that are ambiguous); cited-source type and the four bias
markers follow the same pattern. `synthetic` draws all of it as NumPy arrays (also used
without a database by bench.agreement_core); `generate` writes it, with raw executemany
(SQLite) or COPY (PostgreSQL) in batches of 100,000.
"""

from __future__ import annotations

import argparse
import json
import time
from contextlib import contextmanager

import numpy as np

from bench import database, synthetic
from bench.measure import peak_mb
from bench.scheme import CITED, CONFIDENCE, LABELS, MARKERS

CAMPAIGN = "Agreement benchmark"
SLUG = "agreement-benchmark"
N_OUTLETS = synthetic.N_OUTLETS
N_REVIEWERS = synthetic.N_REVIEWERS


def draw(n_passages, seed):
    """Arrays describing the corpus and its annotations (1,000,000 for 300,000 passages)."""
    rng = np.random.default_rng(seed)
    sizes = []
    while sum(sizes) < n_passages:
        sizes.append(int(rng.integers(20, 81)))  # 20-80 passages, ~50 on average
    sizes[-1] -= sum(sizes) - n_passages
    sizes = np.array([s for s in sizes if s > 0])
    outlet_of_document = rng.integers(0, N_OUTLETS, size=len(sizes))

    # Exactly a third of the passages get a fourth reviewer: 3.33 on average.
    per_passage = np.full(n_passages, 3)
    per_passage[rng.permutation(n_passages)[: n_passages // 3]] = 4
    # The first 4 columns of a partition of random keys give 4 distinct reviewers.
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
        "outlet_of_document": outlet_of_document,
        "passage": passage,  # 0-based, in reading order
        "reviewer": reviewer,  # 0-based
        "slot": slot,
        "label": label,  # indexes into LABELS, CITED, CONFIDENCE; mask: bit j = MARKERS[j]
        "cited": cited,
        "mask": mask,
        "confidence": confidence,
    }


def generate(ws, n_passages, seed):
    """Migrate the workspace's empty database and write the campaign. Run in a child
    process, so the measuring process's peak memory is its own."""
    database.configure(ws)
    from django.db import connection, transaction
    from django.utils import timezone

    from annotate.models import Annotation, Assignment, Campaign

    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    data = draw(n_passages, seed)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        corpus = synthetic.add_corpus(
            data["sizes"].tolist(),
            n_outlets=N_OUTLETS,
            outlet_of_document=data["outlet_of_document"].tolist(),
        )
        campaign = synthetic.add_campaign(
            CAMPAIGN,
            SLUG,
            overlap=4,
            status=Campaign.Status.CLOSED,
            document_ids=corpus.document_ids,
        )
        reviewer_ids = [r.pk for r in synthetic.add_reviewers(campaign, N_REVIEWERS)]
        passage_ids = np.asarray(corpus.passage_ids)
        n = len(data["passage"])
        database.insert_rows(
            Assignment,
            ["id", "campaign", "passage", "slot", "sequence", "reviewer", "status", "done_at"],
            zip(
                range(1, n + 1),
                [campaign.pk] * n,
                passage_ids[data["passage"]].tolist(),
                data["slot"].tolist(),
                data["passage"].tolist(),
                [reviewer_ids[r] for r in data["reviewer"].tolist()],
                ["done"] * n,
                [now] * n,
                strict=True,
            ),
        )
        marker_json = [
            json.dumps([m for j, m in enumerate(MARKERS) if mask >> j & 1]) for mask in range(16)
        ]
        database.insert_rows(
            Annotation,
            [
                "id",
                "assignment",
                "label",
                "cited_source",
                "cited_type",
                "markers",
                "spans",
                "confidence",
                "note",
                "guidelines_version",
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
                ["[]"] * n,
                [CONFIDENCE[v] for v in data["confidence"].tolist()],
                [""] * n,
                [1] * n,
                [now] * n,
                [now] * n,
                strict=True,
            ),
        )
        database.reset_sequences(Assignment, Annotation)
    database.analyze()
    print(
        f"generated {n:,} annotations on {n_passages:,} passages in {len(corpus.document_ids):,} "
        f"documents ({connection.vendor}) in {time.perf_counter() - started:.1f} s; "
        f"generator peak {peak_mb():.0f} MB",
        flush=True,
    )


def campaign():
    """The generated campaign, with its scheme."""
    from annotate.models import Campaign

    return Campaign.objects.select_related("scheme").get(slug=SLUG)


def arguments(description):
    """The command line both benchmarks of this campaign take; add your own to it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL (dropped and recreated); default SQLite in a temp file",
    )
    parser.add_argument("--passages", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--reuse",
        metavar="SQLITE_FILE",
        nargs="?",
        const="",
        help="measure an already generated database (this SQLite file, or a --database-url "
        "kept with CREDENCE_BENCH_KEEP=1) again",
    )
    return parser


@contextmanager
def prepared(args, prefix, prepare=generate, sqlite_path=None):
    """The workspace with the campaign written (by `prepare` in a child process, so this
    process's peak memory is what it measures), or reused; Django set up on it."""
    reuse = args.reuse is not None
    with database.workspace(
        prefix,
        database_url=args.database_url,
        sqlite_path=args.reuse or sqlite_path,
        fresh=not reuse,
    ) as ws:
        if not reuse:
            database.in_child(prepare, ws, args.passages, args.seed)
        database.configure(ws, migrate=False)
        yield ws
