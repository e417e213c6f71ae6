"""Benchmark: streaming the annotation export of 1,000,000 annotations, and the per-outlet report.

Run from the repository root with `.venv/bin/python -m bench.export` (SQLite in a temporary
file), or `--database-url postgres://postgres@127.0.0.1:5432/credence_bench_export` for
PostgreSQL (that database is dropped and created afresh, so its name must contain "bench").
`--keep FILE` writes the SQLite database there and keeps it; `--reuse [FILE]` measures a kept
database again (with --database-url: one kept with CREDENCE_BENCH_KEEP=1).

A child process writes the synthetic campaign of bench/labelled_campaign.py (300,000 passages in about
6,000 documents from 20 outlets, 50 reviewers, exactly 1,000,000 annotations, overlap 4), then
gives every place a claim time 40 s before its save, adjudicates every 20th passage and puts a
note on every 50th annotation (a third of them starting with "=", to exercise neutralisation).

This process then measures, on the database:
  (a) the annotation CSV (annotate.reports.exports.export(campaign, "annotations.csv")), streamed into
      a temporary file as a download would be: rows, wall-clock seconds, rows per second,
      CPU seconds, and peak memory = getrusage maxrss of this process after the export (the
      whole process, Django and pandas included; the report has not run yet);
  (b) report_s: the per-outlet report page (annotate:reports, 1,000 bootstrap replicates per
      outlet) requested through Django's test client as a staff user: load, maths, template;
      the second request is timed (the first also imports modules and compiles templates).

Targets: peak under 300 MB, at least 100,000 rows/s on SQLite, the report under 5 s. Other
work on the machine slows both: the load average is printed beside the figures. Ends with
exactly one line:

    RESULT rows=... rows_per_s=... peak_mb=... report_s=...
"""

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python bench/export.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import database, labelled_campaign  # noqa: E402
from bench.measure import load_average, peak_mb  # noqa: E402

TARGETS = {"peak_mb": 300, "rows_per_s": 100_000, "report_s": 5.0}


def prepare(ws, n_passages, seed):
    """Child process: bench/labelled_campaign.py's campaign, plus claim times, decisions and notes."""
    labelled_campaign.generate(ws, n_passages, seed)
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import F

    from annotate.models import Adjudication, Annotation, Assignment

    campaign = labelled_campaign.campaign()
    with transaction.atomic():
        Assignment.objects.filter(campaign=campaign).update(
            claimed_at=F("done_at") - timedelta(seconds=40)
        )
        Annotation.objects.filter(id__endswith="00").update(note="=SUM(A1) looks off")
        Annotation.objects.filter(id__endswith="50").update(note="checked against the source")
        Annotation.objects.filter(id__endswith="25").update(note="unsure about the attribution")
        curator = get_user_model().objects.create(username="bench-curator", password="!")
        passages = Assignment.objects.filter(campaign=campaign, slot=1).values_list(
            "passage_id", flat=True
        )
        Adjudication.objects.bulk_create(
            (
                Adjudication(
                    campaign=campaign,
                    passage_id=pk,
                    label="opinion",
                    cited_type="",
                    markers=["loaded_language"],
                    rationale="decided in the benchmark",
                    decided_by=curator,
                )
                for pk in passages.iterator()
                if pk % 20 == 0
            ),
            batch_size=5000,
        )
        get_user_model().objects.create(username="bench-staff", is_staff=True, password="!")
    database.checkpoint()
    print("prepared claim times, decisions and notes", flush=True)


def measure_export(campaign, folder):
    from annotate.reports import exports

    path = Path(folder) / "annotations.csv"
    lines = 0
    wall, cpu = time.perf_counter(), time.process_time()
    with path.open("w", encoding="utf-8", newline="") as handle:
        for chunk in exports.export(campaign, "annotations.csv"):
            handle.write(chunk)
            lines += chunk.count("\r\n")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = peak_mb()
    size = path.stat().st_size
    path.unlink()
    return lines - 1, wall, cpu, peak, size  # less the header


def measure_report(campaign):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-staff"))
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(reverse("annotate:reports", args=[campaign.slug]))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        sys.exit(f"report page answered {response.status_code}")
    return wall, cpu, len(response.content)


def measure(folder):
    from annotate.models import Annotation

    campaign = labelled_campaign.campaign()
    count = Annotation.objects.filter(assignment__campaign=campaign).count()
    before = load_average()
    rows, wall, cpu, peak, size = measure_export(campaign, folder)
    if rows != count:
        sys.exit(f"MISMATCH exported {rows} rows for {count} annotations")
    rate = rows / wall
    print(
        f"export: {rows:,} rows, {size / 1e6:.0f} MB of CSV in {wall:.2f} s wall ({rate:,.0f} rows/s), "
        f"{cpu:.2f} s CPU ({rows / cpu:,.0f} rows/s of CPU); peak maxrss {peak:.0f} MB; "
        f"load average {before:.2f} -> {load_average():.2f}",
        flush=True,
    )
    before = load_average()
    # The first request also imports modules and compiles templates: not timed.
    first_s, _, _ = measure_report(campaign)
    report_s, report_cpu, html = measure_report(campaign)
    report_peak = peak_mb()
    print(
        f"report: per-outlet page ({html / 1e3:.0f} kB) in {report_s:.2f} s wall, {report_cpu:.2f} s CPU "
        f"(first request {first_s:.2f} s); peak maxrss after it {report_peak:.0f} MB; "
        f"load average {before:.2f} -> {load_average():.2f}"
    )
    figures = {"peak_mb": peak, "rows_per_s": rate, "report_s": report_s}
    for key, target in TARGETS.items():
        ok = figures[key] >= target if key == "rows_per_s" else figures[key] < target
        print(f"  {key}: {figures[key]:,.2f} ({'meets' if ok else 'MISSES'} target {target:,})")
    print(f"RESULT rows={rows} rows_per_s={rate:.0f} peak_mb={peak:.0f} report_s={report_s:.2f}")


def main():
    parser = labelled_campaign.arguments(__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--keep", metavar="SQLITE_FILE", help="keep the generated SQLite database at this path"
    )
    args = parser.parse_args()
    with labelled_campaign.prepared(
        args, "credence-export-bench-", prepare=prepare, sqlite_path=args.keep
    ) as ws:
        measure(ws.folder)


if __name__ == "__main__":
    main()
