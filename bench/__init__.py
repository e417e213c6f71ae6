"""Benchmarks. Run each from the repository root as a module; each ends with one RESULT line.

    .venv/bin/python -m bench.annotate_page [repeats]
    .venv/bin/python -m bench.agreement [--database-url URL] [--passages N]
    .venv/bin/python -m bench.agreement_core [n_items] [seed]
    .venv/bin/python -m bench.export [--database-url URL] [--passages N]
    .venv/bin/python -m bench.claims [--documents N]
    .venv/bin/python -m bench.import_corpus [--documents N] [--megabytes MB]
    .venv/bin/python -m bench.load [--reviewers 50] [--seconds 60] [--sqlite] [--hog N]
    .venv/bin/python -m bench.interchange [--passages N] [--database-url URL]

Shared set-up: `database` (the throwaway database and Django), `synthetic` (outlets,
documents, passages, a campaign, reviewers), `labelled_campaign` (the million-annotation
campaign of agreement and export), `measure` (timing and memory helpers) and `scheme` (the
values the default scheme's forms post). The database is deleted at the end unless
CREDENCE_BENCH_KEEP is set.
"""
