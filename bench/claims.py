"""Benchmark: figure extraction and claim suggestions over 10,000 documents from 20 outlets.

Run from the repository root with `.venv/bin/python -m bench.claims [--documents N]`. The documents are made
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
import random
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python bench/claims.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import database, synthetic  # noqa: E402
from bench.measure import machine  # noqa: E402

ROOT = database.ROOT
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

    def records():
        for i in range(documents):
            picked = rng.sample(sentences, k=min(len(sentences), rng.randint(14, 26)))
            paragraphs = [
                " ".join(vary(s, rng) for s in picked[j : j + 3]) for j in range(0, len(picked), 3)
            ]
            text = f"Weapons left behind: report {i}\n\n" + "\n\n".join(paragraphs)
            yield {"outlet": OUTLETS[i % len(OUTLETS)], "title": f"Report {i}", "text": text}

    synthetic.write_jsonl(path, records())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    with database.workspace("credence-bench-claims-") as ws:
        database.configure(ws)
        run(args, ws.folder)


def run(args, workdir):
    from annotate.claims import services as claims
    from annotate.models import ClaimSuggestion
    from corpus.figure_store import refresh
    from corpus.models import Document, Figure, Passage

    corpus = workdir / "corpus.jsonl"
    write_corpus(corpus, args.documents, seed_sentences())
    report, import_s, _, _ = synthetic.import_timed(corpus)
    print(report.summary(), f"in {import_s:.1f} s (figures included)")

    started = time.perf_counter()
    refresh(Passage.objects.all())
    extract_s = time.perf_counter() - started

    campaign = synthetic.add_campaign(
        "Bench claims",
        "bench-claims",
        overlap=1,
        document_ids=Document.objects.order_by("pk").values_list("pk", flat=True),
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
    print(f"{found} suggestions stored; {machine()}")
    print(
        f"RESULT documents={Document.objects.count()} passages={Passage.objects.count()} "
        f"figures={Figure.objects.count()} extract_s={extract_s:.1f} suggest_s={suggest_s:.1f} import_s={import_s:.1f}"
    )


if __name__ == "__main__":
    main()
