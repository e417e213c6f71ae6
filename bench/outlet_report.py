"""Benchmark: the per-outlet report a researcher defends, on 1,000,000 annotations from 20 outlets.

Run from the repository root with `.venv/bin/python -m bench.outlet_report` (SQLite in a
temporary file; `--database-url` for PostgreSQL, `--reuse`/`--keep` as in bench.export).

A child process writes bench.export's campaign (bench/labelled_campaign.py: 300,000 passages
in about 6,000 documents from 20 outlets, 50 reviewers, exactly 1,000,000 annotations, every
20th passage decided by a curator). This process then computes, in-process and timed apart:
  (a) report_s: the whole per-outlet report as the page and outlets.csv get it
      (annotate.reports.selectors.load + outlet_report_frame): counts, Wilson shares, alpha
      with 1,000 document-resampled replicates per outlet, the document-clustered share
      intervals, the unresolved bounds and the Dawid-Skene model shares; plus the outlet
      comparisons (comparison_frame: 190 pairs and 20 outlet-vs-rest, per measure, 1,000
      document-resampled replicates) on the same loaded data;
  (b) comparisons_s and dawid_skene_s: those two parts on their own, on freshly loaded data;
  (c) peak_mb: getrusage maxrss of this process at the end (the generation ran in a child).

Target (issue 12): report_s under 10 s and peak under 1.5 GB on SQLite on a 2-core machine.
Other work on the machine slows it: the load average is printed beside the figures. Ends
with exactly one line:

    RESULT annotations=... outlets=... report_s=... comparisons_s=... dawid_skene_s=... peak_mb=...
"""

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python bench/outlet_report.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import labelled_campaign  # noqa: E402
from bench.export import prepare  # noqa: E402
from bench.measure import load_average, peak_mb  # noqa: E402

TARGETS = {"report_s": 10.0, "peak_mb": 1536}


def timed(function, *args, **kwargs):
    wall = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall


def measure():
    from annotate.models import Annotation
    from annotate.reports import selectors
    from annotate.reports.outlet_figures import model_fit

    campaign = labelled_campaign.campaign()
    annotations = Annotation.objects.filter(assignment__campaign=campaign).count()
    before = load_average()

    def whole_report():
        data = selectors.load(campaign)
        report = selectors.outlet_report_frame(campaign, data)
        comparisons = selectors.comparison_frame(campaign, data)
        return report, comparisons

    (report, comparisons), report_s = timed(whole_report)
    data, load_s = timed(selectors.load, campaign)
    _, comparisons_s = timed(selectors.comparison_frame, campaign, data)
    fit, dawid_skene_s = timed(model_fit, data.annotations, data.finals, data.labels)
    peak = peak_mb()
    compared = int((comparisons["status"] == "compared").sum())
    print(
        f"report: {len(report)} outlets, {len(report.columns)} columns; {len(comparisons)} "
        f"comparison rows ({compared} compared); whole report {report_s:.2f} s; "
        f"loading alone {load_s:.2f} s, comparisons {comparisons_s:.2f} s, Dawid-Skene "
        f"{dawid_skene_s:.2f} s ({fit.iterations} iterations, converged {fit.converged}); "
        f"peak maxrss {peak:.0f} MB; load average {before:.2f} -> {load_average():.2f}",
        flush=True,
    )
    figures = {"report_s": report_s, "peak_mb": peak}
    for key, target in TARGETS.items():
        ok = figures[key] < target
        print(f"  {key}: {figures[key]:,.2f} ({'meets' if ok else 'MISSES'} target {target:,})")
    print(
        f"RESULT annotations={annotations} outlets={len(report)} report_s={report_s:.2f} "
        f"comparisons_s={comparisons_s:.2f} dawid_skene_s={dawid_skene_s:.2f} peak_mb={peak:.0f}"
    )


def main():
    parser = labelled_campaign.arguments(__doc__.split("\n", 1)[0])
    parser.add_argument("--keep", metavar="SQLITE_FILE", help="keep the SQLite database here")
    args = parser.parse_args()
    with labelled_campaign.prepared(
        args, "credence-outlet-report-bench-", prepare=prepare, sqlite_path=args.keep
    ):
        measure()


if __name__ == "__main__":
    main()
