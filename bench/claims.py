"""Benchmark: figure extraction and claim suggestions over 10,000 documents from 20 outlets.

Run with `.venv/bin/python bench/claims.py [--documents N]`. The documents are made
from the seed articles' sentences, shuffled, with every number in them varied (so
outlets disagree as in the seeds: "$4,200" becomes "$3,870", "316,260" becomes
"298,114"), about 3 kB each. The script migrates a throwaway SQLite file, imports
the documents (timed apart: the import already extracts figures), then times

- extract_s: finding and storing the figures of every passage again
  (corpus.figure_store.refresh over all passages, as `manage.py extract_figures`);
- suggest_s: annotate.claims.refresh_suggestions on one campaign over all the
  documents (reading passages and figures, TF-IDF, top-k neighbours across
  outlets, storing the best pairs).

It ends with one line:

    RESULT documents=... passages=... figures=... extract_s=... suggest_s=... import_s=...

Target: extract_s + suggest_s under 60 s on a 2-core machine.
"""

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = [f"Outlet {i:02d} News" for i in range(20)]
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")


def seed_sentences():
    from corpus import segmentation

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    sentences = []
    for text, spans in zip(
        texts, segmentation.segment_many(texts, segmentation.SENTENCE), strict=True
    ):
        sentences += [
            text[s.start : s.end]
            for s in spans
            if s.kind == "body" and len(text[s.start : s.end]) > 40
        ]
    return sentences


def vary(sentence, rng):
    """Every number in the sentence changed by up to 30%, written the same way."""

    def change(match):
        raw = match.group()
        if len(raw) == 4 and raw[:2] in ("19", "20"):
            return raw  # a year stays a year
        if "." in raw:
            return f"{float(raw) * rng.uniform(0.7, 1.3):.{len(raw.split('.')[1])}f}"
        value = max(1, round(int(raw.replace(",", "")) * rng.uniform(0.7, 1.3)))
        return f"{value:,}" if "," in raw else str(value)

    return NUMBER.sub(change, sentence)


def write_corpus(path, documents, sentences, seed=7):
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(documents):
            picked = rng.sample(sentences, k=min(len(sentences), rng.randint(14, 26)))
            paragraphs = [
                " ".join(vary(s, rng) for s in picked[j : j + 3]) for j in range(0, len(picked), 3)
            ]
            text = f"Weapons left behind: report {i}\n\n" + "\n\n".join(paragraphs)
            out.write(
                json.dumps(
                    {"outlet": OUTLETS[i % len(OUTLETS)], "title": f"Report {i}", "text": text}
                )
                + "\n"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="credence-bench-claims-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "credence.settings"
    os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from annotate.campaigns.defaults import default_scheme
    from annotate.claims import services as claims
    from annotate.models import Campaign, CampaignDocument, ClaimSuggestion
    from corpus.figure_store import refresh
    from corpus.importer import import_path
    from corpus.models import Document, Figure, Passage

    call_command("migrate", verbosity=0)
    corpus = workdir / "corpus.jsonl"
    write_corpus(corpus, args.documents, seed_sentences())
    print(f"wrote {args.documents} documents, {corpus.stat().st_size / 1024 / 1024:.1f} MB")

    started = time.perf_counter()
    report = import_path(corpus)
    import_s = time.perf_counter() - started
    if not report.ok:
        sys.exit("import failed:\n" + "\n".join(report.errors[:20]))
    print(report.summary(), f"in {import_s:.1f} s (figures included)")

    started = time.perf_counter()
    refresh(Passage.objects.all())
    extract_s = time.perf_counter() - started

    campaign = Campaign.objects.create(
        name="Bench claims", slug="bench-claims", scheme=default_scheme(), overlap=1
    )
    CampaignDocument.objects.bulk_create(
        CampaignDocument(campaign=campaign, document_id=pk, position=i)
        for i, pk in enumerate(Document.objects.order_by("pk").values_list("pk", flat=True))
    )
    started = time.perf_counter()
    found = claims.refresh_suggestions(campaign)
    suggest_s = time.perf_counter() - started
    best = (
        ClaimSuggestion.objects.filter(campaign=campaign)
        .select_related("passage_a", "passage_b")
        .order_by("rank")
        .first()
    )
    if best is not None:
        print(
            f"best pair ({best.score:.2f}, {best.shared}):\n  {best.passage_a.text[:100]}\n  {best.passage_b.text[:100]}"
        )
    print(
        f"{found} suggestions stored; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"RESULT documents={Document.objects.count()} passages={Passage.objects.count()} "
        f"figures={Figure.objects.count()} extract_s={extract_s:.1f} suggest_s={suggest_s:.1f} import_s={import_s:.1f}"
    )


if __name__ == "__main__":
    main()
