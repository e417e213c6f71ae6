"""Benchmark: import 10,000 synthetic news articles (about 30 MB) into a fresh SQLite file.

Run from the repository root with `.venv/bin/python -m bench.import_corpus [--documents N]
[--megabytes MB] [--keep]`. The articles
have headlines, paragraphs of sentences with abbreviations (U.S., Gen., a.m.),
figures ($7.2 billion, 316,260, 45%), quotations running over two sentences,
bullet lists, photo captions and boilerplate, spread over 20 outlets. The
script migrates a temporary database, writes the articles as one .jsonl file,
times `corpus.importer.import_path` on it and ends with one line:

    RESULT documents=... passages=... seconds=...

Target: under 60 s on a 2-core machine.
"""

import argparse
import random
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python bench/import_corpus.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import database, synthetic  # noqa: E402
from bench.measure import machine  # noqa: E402

OUTLETS = [
    f"{name} {kind}"
    for name, kind in zip(
        [
            "Northern",
            "Capital",
            "Valley",
            "Harbor",
            "Summit",
            "Metro",
            "Frontier",
            "Coastal",
            "Prairie",
            "Union",
            "Liberty",
            "Pioneer",
            "Evening",
            "Morning",
            "Global",
            "National",
            "Daily",
            "Weekly",
            "Civic",
            "Independent",
        ],
        [
            "Times",
            "Post",
            "Herald",
            "Ledger",
            "Courier",
            "Gazette",
            "Tribune",
            "Observer",
            "Chronicle",
            "Sentinel",
            "Examiner",
            "Journal",
            "Star",
            "Standard",
            "Monitor",
            "Record",
            "Dispatch",
            "Review",
            "Bulletin",
            "Express",
        ],
        strict=True,
    )
]
PEOPLE = [
    "Gen. Ahmed Khan",
    "Dr. Sara Lee",
    "Sen. Maria Lopez",
    "Mr. John Park",
    "Prof. Ana Ruiz",
    "Col. David Osei",
    "Ms. Hina Shah",
    "Gov. Tom Reyes",
]
PLACES = [
    "Islamabad",
    "Kabul",
    "Washington",
    "the U.S.",
    "the U.K.",
    "Khost",
    "Peshawar",
    "Brussels",
]
THINGS = [
    "rifles",
    "night vision goggles",
    "armored vehicles",
    "drones",
    "helicopters",
    "ammunition",
    "U.S.-made carbines",
    "surveillance equipment",
]
VERBS = ["said", "told reporters", "noted", "argued", "claimed", "added"]


def figure(rng):
    return rng.choice(
        [
            f"${rng.randint(1, 99)}.{rng.randint(1, 9)} billion",
            f"{rng.randint(100, 999)},{rng.randint(100, 999)}",
            f"{rng.randint(2, 95)}%",
            f"${rng.randint(1, 9)},{rng.randint(100, 999)}",
            f"{rng.randint(2, 80)} million",
        ]
    )


def sentence(rng):
    person, place, thing = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(THINGS)
    return rng.choice(
        [
            f"Officials in {place} estimated that {figure(rng)} worth of {thing} was left behind.",
            f"{person} met officials at 9 a.m. on Monday to discuss {thing} seized near {place}.",
            f"According to a report by the U.S. Department of Defense, {figure(rng)} {thing} remain unaccounted for.",
            f"Prices for {thing} rose by {figure(rng)} in the markets of {place}, traders said.",
            f"The report, released on Jan. 5, lists {figure(rng)} {thing} and {figure(rng)} vehicles.",
            f"“The flow of {thing} must stop. We cannot wait any longer,” {person} {rng.choice(VERBS)}.",
            f"{person} {rng.choice(VERBS)} that “{thing} are now sold openly in {place}.”",
            f"Analysts in {place} warn that the situation could worsen before the elections.",
            f"The ministry did not respond to a request for comment on the {thing}.",
        ]
    )


def article(rng, target_chars):
    lines = [
        f"{rng.choice(PLACES).removeprefix('the ').title()} Faces Growing Trade in {rng.choice(THINGS).title()}"
    ]
    size = len(lines[0])
    while size < target_chars:
        roll = rng.random()
        if roll < 0.08:
            block = "\n".join(
                f"  • {rng.choice(THINGS).capitalize()} now sell for {figure(rng)},"
                for _ in range(3)
            )
        elif roll < 0.14:
            block = f"{rng.choice(THINGS).capitalize()} on display in {rng.choice(PLACES)}.\n(photo credit: Staff/Handout via REUTERS)"
        elif roll < 0.20:
            block = f"{rng.choice(THINGS).title()} and the Region"
        else:
            block = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
        lines.append(block)
        size += len(block) + 2
    lines.append(
        rng.choice(["Comments (0)", "Related Articles", "- Advertisment -", "#Security #Trade"])
    )
    return "\n\n".join(lines)


def write_corpus(path, documents, total_bytes, seed=2024):
    rng = random.Random(seed)
    per_document = total_bytes // documents

    def records():
        for i in range(documents):
            yield {
                "outlet": OUTLETS[i % len(OUTLETS)],
                "title": f"Article {i}",
                "text": article(rng, int(per_document * rng.uniform(0.6, 1.4)) - 200),
                "date": f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                "url": f"https://example.org/a/{i}",
            }

    synthetic.write_jsonl(path, records())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--megabytes", type=float, default=30.0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    with database.workspace("credence-bench-", keep=args.keep) as ws:
        database.configure(ws)
        run(args, ws.folder)


def run(args, workdir):
    from corpus.models import Document, Passage

    corpus = workdir / "corpus.jsonl"
    write_corpus(corpus, args.documents, int(args.megabytes * 1024 * 1024))
    report, seconds, cpu, cpu_after = synthetic.import_timed(corpus)
    print(report.summary())
    print(
        f"cpu: {cpu_after.user + cpu_after.system - cpu.user - cpu.system:.1f} s in this process, "
        f"{cpu_after.children_user + cpu_after.children_system - cpu.children_user - cpu.children_system:.1f} s "
        f"in segmentation workers; {machine()}"
    )
    documents, passages = Document.objects.count(), Passage.objects.count()
    print(f"RESULT documents={documents} passages={passages} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
